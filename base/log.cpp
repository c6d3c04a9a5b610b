#include "base/log.h"

#include <chrono>

namespace sb {

std::optional<Level> parse_level(std::string_view name) {
  if (name == "error") return Level::error;
  if (name == "warning" || name == "warn") return Level::warning;
  if (name == "notice") return Level::notice;
  if (name == "info") return Level::info;
  if (name == "debug") return Level::debug;
  return std::nullopt;
}

void Log::write(Level l, std::string_view component, std::string_view message) {
  std::string line;
  line.reserve(component.size() + message.size() + 8);
  line += '<';
  line += static_cast<char>('0' + static_cast<int>(l));
  line += '>';
  line += component;
  line += ": ";
  for (char c : message) line += (c == '\n' ? ' ' : c);  // one record, one line
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), out_);
  if (static_cast<int>(l) <= static_cast<int>(Level::warning)) keep(l, component, message);
}

void Log::keep(Level l, std::string_view component, std::string_view message) {
  using namespace std::chrono;
  LogRecord r;
  r.at_ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  r.level = l;
  r.component = component;
  r.message = message.substr(0, kRecentMessageMax);
  std::lock_guard lock(recent_mu_);
  recent_[recent_next_] = std::move(r);
  recent_next_ = (recent_next_ + 1) % kRecentKept;
  if (recent_count_ < kRecentKept) ++recent_count_;
}

std::vector<LogRecord> Log::recent_problems() const {
  std::lock_guard lock(recent_mu_);
  std::vector<LogRecord> out;
  out.reserve(recent_count_);
  for (std::size_t i = 1; i <= recent_count_; ++i)
    out.push_back(recent_[(recent_next_ + kRecentKept - i) % kRecentKept]);
  return out;
}

}  // namespace sb
