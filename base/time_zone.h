// base/time_zone.h — a time zone read from a TZif file (RFC 8536), without global state.
//
// GCC 12's library has no C++20 time zone database, and TZ + localtime_r is process-wide
// mutable state; this reads the zone's own file instead. Parsing is pure (bytes in, a
// TimeZone or an Error out, never a crash on damaged input); reading the file is a separate,
// bounded step meant for config load, never for the event loop.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace sb {

// Days since 1970-01-01 of a proleptic Gregorian date, and back; month 1-12, day 1-31.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
void civil_from_days(std::int64_t days, std::int64_t& y, unsigned& m, unsigned& d);
// 0 = Monday ... 6 = Sunday.
int weekday_of_days(std::int64_t days);

class TimeZone {
 public:
  static constexpr std::size_t kMaxFileBytes = 64 * 1024;

  // UTC: offset 0 at every instant, no file needed.
  TimeZone() = default;
  // Parses a TZif file's bytes (version 1, or 2 and later with 64-bit data and the POSIX TZ
  // footer that covers instants after the last transition). A file over kMaxFileBytes, with
  // counts that disagree with its length, times out of order, or a footer that does not parse
  // is refused with a reason.
  static Result<TimeZone> parse(std::string_view bytes);

  // Seconds east of UTC in effect at `utc_s` (seconds since the epoch).
  std::int32_t offset_at(std::int64_t utc_s) const;
  // The instant at which the local wall clock reads `local_s` (seconds since the epoch as if
  // local time were UTC). A time skipped by a spring-forward change maps as if the clock had
  // not yet changed (02:30 becomes 03:30 summer time); a time that happens twice maps to the
  // first.
  std::int64_t to_utc(std::int64_t local_s) const;

 private:
  struct Rule {  // one end of daylight time in a POSIX TZ footer
    enum Kind { julian_no_leap, zero_based, month_week_day } kind = month_week_day;
    int day = 0, week = 0, month = 0;  // Jn / n in `day`; Mm.w.d in month, week, day
    std::int32_t time_s = 7200;        // local time of the change (may be negative or > 24 h)
  };
  struct Posix {
    bool present = false;
    std::int32_t std_offset = 0;  // seconds east of UTC
    bool has_dst = false;
    std::int32_t dst_offset = 0;
    Rule start, end;
  };
  static bool parse_posix(std::string_view s, Posix& out);
  std::int32_t posix_offset(std::int64_t utc_s) const;
  static std::int64_t rule_day(const Rule& r, std::int64_t year);

  std::vector<std::int64_t> transitions_;   // ascending
  std::vector<std::uint8_t> transition_type_;
  std::vector<std::int32_t> type_offset_;   // per local time type, seconds east
  Posix footer_;
};

// Reads `<dir>/<name>` (an IANA name like "Europe/Berlin"; letters, digits, '_', '-', '+' and
// '/' between parts, no "." or ".." parts, at most 64 bytes) and parses it. "UTC" needs no file.
// Errors are one line naming the zone.
Result<TimeZone> load_time_zone(const std::string& name,
                                const std::string& dir = "/usr/share/zoneinfo");

}  // namespace sb
