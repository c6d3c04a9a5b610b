// Opening hours are turned into UTC intervals one local day at a time, through the zone's
// own offset on that day, so a day with a daylight-saving change has the hours it really has
// and every question (open now? opens when? how much business time?) reads the same intervals.
#include "services/inbox/business_hours.h"

#include <algorithm>
#include <cstdio>

namespace sb::inbox {

namespace {
constexpr std::int64_t kDayS = 86400;
constexpr std::int64_t kLookAheadDays = 550;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }

bool two_digits(const std::string& s, std::size_t at, int& v) {
  if (at + 2 > s.size() || s[at] < '0' || s[at] > '9' || s[at + 1] < '0' || s[at + 1] > '9')
    return false;
  v = (s[at] - '0') * 10 + (s[at + 1] - '0');
  return true;
}
}  // namespace

bool parse_hour_range(const std::string& text, std::pair<int, int>& out) {
  int h1, m1, h2, m2;
  if (text.size() != 11 || text[2] != ':' || text[5] != '-' || text[8] != ':' ||
      !two_digits(text, 0, h1) || !two_digits(text, 3, m1) || !two_digits(text, 6, h2) ||
      !two_digits(text, 9, m2))
    return false;
  if (h1 > 23 || m1 > 59 || h2 > 24 || m2 > 59 || (h2 == 24 && m2 != 0)) return false;
  const int start = h1 * 60 + m1, end = h2 * 60 + m2;
  if (start >= end) return false;
  out = {start, end};
  return true;
}

bool parse_local_date(const std::string& text, std::int64_t& days) {
  int c, y, m, d;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !two_digits(text, 0, c) ||
      !two_digits(text, 2, y) || !two_digits(text, 5, m) || !two_digits(text, 8, d))
    return false;
  const int year = c * 100 + y;
  if (year < 1970 || m < 1 || m > 12 || d < 1) return false;
  days = days_from_civil(year, static_cast<unsigned>(m), static_cast<unsigned>(d));
  std::int64_t yy;
  unsigned mm, dd;
  civil_from_days(days, yy, mm, dd);
  return yy == year && static_cast<int>(mm) == m && static_cast<int>(dd) == d;  // no Feb 30
}

std::int64_t BusinessHours::local_day(std::int64_t ms) const {
  const std::int64_t s = floor_div(ms, 1000);
  return floor_div(s + zone.offset_at(s), kDayS);
}

std::vector<std::pair<std::int64_t, std::int64_t>> BusinessHours::day_intervals(
    std::int64_t day) const {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  if (holidays.count(day)) return out;
  for (const auto& [start, end] : week[static_cast<std::size_t>(weekday_of_days(day))]) {
    const std::int64_t a = zone.to_utc(day * kDayS + start * 60) * 1000;
    const std::int64_t b = zone.to_utc(day * kDayS + end * 60) * 1000;
    if (a < b) out.emplace_back(a, b);
  }
  return out;
}

bool BusinessHours::open_at(std::int64_t ms) const {
  const std::int64_t today = local_day(ms);
  for (std::int64_t day = today - 1; day <= today + 1; ++day)
    for (const auto& [a, b] : day_intervals(day))
      if (a <= ms && ms < b) return true;
  return false;
}

std::optional<std::int64_t> BusinessHours::next_open(std::int64_t ms) const {
  const std::int64_t today = local_day(ms);
  for (std::int64_t day = today - 1; day <= today + kLookAheadDays; ++day)
    for (const auto& [a, b] : day_intervals(day)) {
      if (b <= ms) continue;
      return std::max(a, ms);
    }
  return std::nullopt;
}

std::int64_t BusinessHours::business_ms(std::int64_t from_ms, std::int64_t to_ms) const {
  if (to_ms <= from_ms) return 0;
  to_ms = std::min(to_ms, from_ms + kMaxSpanDays * kDayS * 1000);
  std::int64_t sum = 0;
  const std::int64_t last = local_day(to_ms) + 1;
  for (std::int64_t day = local_day(from_ms) - 1; day <= last; ++day)
    for (const auto& [a, b] : day_intervals(day)) {
      const std::int64_t lo = std::max(a, from_ms), hi = std::min(b, to_ms);
      if (lo < hi) sum += hi - lo;
    }
  return sum;
}

std::string BusinessHours::local_text(std::int64_t ms) const {
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  const std::int64_t s = floor_div(ms, 1000);
  const std::int64_t local = s + zone.offset_at(s);
  const std::int64_t day = floor_div(local, kDayS);
  const std::int64_t minute = (local - day * kDayS) / 60;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d", kDays[weekday_of_days(day)],
                static_cast<int>(minute / 60), static_cast<int>(minute % 60));
  return buf;
}

}  // namespace sb::inbox
