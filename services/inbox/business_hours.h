// services/inbox/business_hours.h — when a department is open: weekly hours in its own time
// zone, minus dated holidays. Pure computation over wall-clock milliseconds; the zone was
// read from its file when the config was loaded, so nothing here touches the disk.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/time_zone.h"

namespace sb::inbox {

struct BusinessHours {
  static constexpr std::size_t kMaxRangesPerDay = 8;
  static constexpr std::size_t kMaxHolidays = 366;
  // Longer spans count only this much of their start: a wait of years is late either way.
  static constexpr std::int64_t kMaxSpanDays = 800;

  std::string zone_name = "UTC";
  TimeZone zone;
  // Per weekday (0 = Monday ... 6 = Sunday): local [start, end) in minutes from midnight,
  // ascending, not overlapping, end up to 24 * 60. An empty day is closed.
  std::array<std::vector<std::pair<int, int>>, 7> week;
  std::set<std::int64_t> holidays;  // local dates as days since 1970-01-01: closed all day

  bool open_at(std::int64_t ms) const;
  // When it next opens at or after `ms` (`ms` itself when open now); none within a year and a
  // half of days: never (no hours left, or holidays cover them all).
  std::optional<std::int64_t> next_open(std::int64_t ms) const;
  // Milliseconds of opening hours in [from_ms, to_ms).
  std::int64_t business_ms(std::int64_t from_ms, std::int64_t to_ms) const;
  // "Mon 09:00" in the department's own time.
  std::string local_text(std::int64_t ms) const;

 private:
  // The UTC [start, end) instants of the local day's opening ranges (none on a holiday).
  std::vector<std::pair<std::int64_t, std::int64_t>> day_intervals(std::int64_t day) const;
  std::int64_t local_day(std::int64_t ms) const;
};

// "09:00-17:00" into minutes; false when it is not HH:MM-HH:MM with start < end <= 24:00.
bool parse_hour_range(const std::string& text, std::pair<int, int>& out);
// "2026-12-25" into days since 1970-01-01; false unless a real date in years 1970-9999.
bool parse_local_date(const std::string& text, std::int64_t& days);

}  // namespace sb::inbox
