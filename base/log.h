// base/log.h — one line per record on stderr, prefixed with the syslog priority
// ("<3>" error … "<7>" debug) so journald files each line at its level. The level is set from
// config and can change on SIGHUP; one Log is made in main and passed to whoever logs.
// It also keeps the last few warnings and errors for the technician's diagnostics page.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace sb {

enum class Level { error = 3, warning = 4, notice = 5, info = 6, debug = 7 };

std::optional<Level> parse_level(std::string_view name);

// A warning or an error as it was written, for the diagnostics page.
struct LogRecord {
  std::int64_t at_ms = 0;  // wall clock when written
  Level level = Level::error;
  std::string component, message;
};

class Log {
 public:
  // Bounded so that a flood of errors costs a fixed amount of memory; the journal has the rest.
  static constexpr std::size_t kRecentKept = 20;
  static constexpr std::size_t kRecentMessageMax = 512;

  explicit Log(Level min = Level::info, std::FILE* out = stderr) : min_(min), out_(out) {}

  void set_level(Level l) { min_.store(l, std::memory_order_relaxed); }
  bool enabled(Level l) const {
    return static_cast<int>(l) <= static_cast<int>(min_.load(std::memory_order_relaxed));
  }
  // Writes one line; thread-safe (one fwrite of the whole line, which stdio locks).
  void write(Level l, std::string_view component, std::string_view message);
  // The last kRecentKept warnings and errors written (messages cut at kRecentMessageMax bytes),
  // newest first. Thread-safe.
  std::vector<LogRecord> recent_problems() const;

  template <typename... Parts>
  void error(std::string_view component, const Parts&... parts) {
    emit(Level::error, component, parts...);
  }
  template <typename... Parts>
  void warn(std::string_view component, const Parts&... parts) {
    emit(Level::warning, component, parts...);
  }
  template <typename... Parts>
  void notice(std::string_view component, const Parts&... parts) {
    emit(Level::notice, component, parts...);
  }
  template <typename... Parts>
  void info(std::string_view component, const Parts&... parts) {
    emit(Level::info, component, parts...);
  }
  template <typename... Parts>
  void debug(std::string_view component, const Parts&... parts) {
    emit(Level::debug, component, parts...);
  }

 private:
  template <typename... Parts>
  void emit(Level l, std::string_view component, const Parts&... parts) {
    if (!enabled(l)) return;
    std::ostringstream s;
    (s << ... << parts);
    write(l, component, s.str());
  }

  void keep(Level l, std::string_view component, std::string_view message);

  std::atomic<Level> min_;
  std::FILE* out_;
  // Only warnings and errors take the lock, and they are rare: info and debug lines never do.
  mutable std::mutex recent_mu_;
  std::array<LogRecord, kRecentKept> recent_;
  std::size_t recent_next_ = 0, recent_count_ = 0;
};

}  // namespace sb
