// services/common/log.h — one line per record on stderr, prefixed with the syslog priority
// ("<3>" error … "<7>" debug) so journald files each line at its level. The level is set from
// config and can change on SIGHUP; one Log is made in main and passed to whoever logs.
#pragma once

#include <atomic>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace sb {

enum class Level { error = 3, warning = 4, notice = 5, info = 6, debug = 7 };

std::optional<Level> parse_level(std::string_view name);

class Log {
 public:
  explicit Log(Level min = Level::info, std::FILE* out = stderr) : min_(min), out_(out) {}

  void set_level(Level l) { min_.store(l, std::memory_order_relaxed); }
  bool enabled(Level l) const {
    return static_cast<int>(l) <= static_cast<int>(min_.load(std::memory_order_relaxed));
  }
  // Writes one line; thread-safe (one fwrite of the whole line, which stdio locks).
  void write(Level l, std::string_view component, std::string_view message);

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

  std::atomic<Level> min_;
  std::FILE* out_;
};

}  // namespace sb
