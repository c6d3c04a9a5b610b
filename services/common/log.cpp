#include "services/common/log.h"

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
}

}  // namespace sb
