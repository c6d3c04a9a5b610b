// Opening hours in a department's own time zone (Europe/Berlin from the system's tzdata):
// edges of a range, closed days, holidays, several ranges a day, and the days the clocks change.
#include <doctest/doctest.h>

#include "services/inbox/business_hours.h"
#include "tests/support/time_units.h"

using namespace sb;

namespace {
using test::kHour;
using test::kMin;

// Wall-clock ms of a local Berlin time, given the offset (hours east) in force then.
std::int64_t at(int y, unsigned m, unsigned d, int h, int mi, int offset_h) {
  return (days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60 - offset_h * 3600) * 1000;
}

inbox::BusinessHours office() {
  inbox::BusinessHours b;
  b.zone_name = "Europe/Berlin";
  auto z = load_time_zone(b.zone_name);
  REQUIRE(z.ok());
  b.zone = *z;
  for (int d = 0; d < 5; ++d) b.week[d] = {{9 * 60, 17 * 60}};
  b.week[1] = {{9 * 60, 12 * 60}, {13 * 60, 17 * 60}};  // Tuesdays: a lunch break
  b.week[5] = {{10 * 60, 13 * 60}};                      // Saturday mornings; Sunday closed
  b.holidays.insert(days_from_civil(2026, 12, 25));
  return b;
}
}  // namespace

TEST_CASE("ranges and dates are read strictly") {
  std::pair<int, int> r;
  CHECK(inbox::parse_hour_range("09:00-17:00", r));
  CHECK((r == std::pair{540, 1020}));
  CHECK(inbox::parse_hour_range("22:00-24:00", r));
  CHECK(r.second == 1440);
  for (const char* bad : {"17:00-09:00", "09:00-09:00", "24:00-24:00", "9:00-17:00", "09:60-10:00",
                          "09:00-24:30", "09:00 17:00", "", "09:00-17:00x"}) {
    INFO(bad);
    CHECK_FALSE(inbox::parse_hour_range(bad, r));
  }
  std::int64_t d;
  CHECK(inbox::parse_local_date("2028-02-29", d));
  CHECK(d == days_from_civil(2028, 2, 29));
  for (const char* bad : {"2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "1969-12-31",
                          "2026/12/25"}) {
    INFO(bad);
    CHECK_FALSE(inbox::parse_local_date(bad, d));
  }
}

TEST_CASE("open and closed at the edges, on closed days and on a holiday") {
  const auto b = office();
  // Friday 2026-12-04 (winter time, UTC+1).
  CHECK_FALSE(b.open_at(at(2026, 12, 4, 9, 0, 1) - 1));
  CHECK(b.open_at(at(2026, 12, 4, 9, 0, 1)));
  CHECK(b.open_at(at(2026, 12, 4, 17, 0, 1) - 1));
  CHECK_FALSE(b.open_at(at(2026, 12, 4, 17, 0, 1)));
  // Tuesday's lunch break, Saturday morning, Sunday.
  CHECK(b.open_at(at(2026, 12, 1, 11, 59, 1)));
  CHECK_FALSE(b.open_at(at(2026, 12, 1, 12, 30, 1)));
  CHECK(b.open_at(at(2026, 12, 1, 13, 0, 1)));
  CHECK(b.open_at(at(2026, 12, 5, 12, 0, 1)));
  CHECK_FALSE(b.open_at(at(2026, 12, 5, 13, 0, 1)));
  CHECK_FALSE(b.open_at(at(2026, 12, 6, 12, 0, 1)));
  // Christmas Day is a Friday and a holiday: closed all day; Saturday opens as usual.
  CHECK_FALSE(b.open_at(at(2026, 12, 25, 12, 0, 1)));
  CHECK(b.next_open(at(2026, 12, 24, 17, 0, 1)) == at(2026, 12, 26, 10, 0, 1));
  CHECK(b.local_text(*b.next_open(at(2026, 12, 24, 17, 0, 1))) == "Sat 10:00");
  // After Friday's close: Saturday 10:00; after Saturday's, Monday 09:00.
  CHECK(b.next_open(at(2026, 12, 4, 17, 0, 1)) == at(2026, 12, 5, 10, 0, 1));
  CHECK(b.next_open(at(2026, 12, 5, 13, 0, 1)) == at(2026, 12, 7, 9, 0, 1));
  CHECK(b.local_text(at(2026, 12, 7, 9, 0, 1)) == "Mon 09:00");
  CHECK(b.next_open(at(2026, 12, 4, 10, 0, 1)) == at(2026, 12, 4, 10, 0, 1));  // open now
}

TEST_CASE("business time: over a weekend, a lunch break, and the days the clocks change") {
  const auto b = office();
  // Friday 16:50 to Monday 09:10: ten minutes each side and Saturday's three hours.
  CHECK(b.business_ms(at(2026, 12, 4, 16, 50, 1), at(2026, 12, 7, 9, 10, 1)) == 200 * kMin);
  CHECK(b.business_ms(at(2026, 12, 1, 0, 0, 1), at(2026, 12, 2, 0, 0, 1)) == 7 * kHour);
  CHECK(b.business_ms(at(2026, 12, 2, 0, 0, 1), at(2026, 12, 1, 0, 0, 1)) == 0);
  // The week of Christmas: Mon-Thu 8 h (Tuesday 7 h), Friday a holiday, Saturday 3 h.
  CHECK(b.business_ms(at(2026, 12, 21, 0, 0, 1), at(2026, 12, 28, 0, 0, 1)) ==
        (8 + 7 + 8 + 8 + 3) * kHour);
  // Monday after the spring change opens at 07:00 UTC, the Monday before at 08:00 UTC.
  CHECK(b.open_at(at(2026, 3, 30, 9, 0, 2)));
  CHECK_FALSE(b.open_at(at(2026, 3, 30, 9, 0, 2) - 1));
  CHECK(b.open_at(at(2026, 3, 23, 9, 0, 1)));
  CHECK_FALSE(b.open_at(at(2026, 3, 23, 9, 0, 1) - 1));

  // Open around the clock on Sundays: the change days last 23 and 25 hours.
  inbox::BusinessHours sunday = b;
  sunday.week = {};
  sunday.week[6] = {{0, 24 * 60}};
  CHECK(sunday.business_ms(at(2026, 3, 28, 12, 0, 1), at(2026, 3, 30, 12, 0, 2)) == 23 * kHour);
  CHECK(sunday.business_ms(at(2026, 10, 24, 12, 0, 2), at(2026, 10, 26, 12, 0, 1)) == 25 * kHour);
  // 02:30 on the spring day does not exist: a range starting then opens at 03:00 summer time.
  inbox::BusinessHours night = sunday;
  night.week[6] = {{2 * 60 + 30, 4 * 60}};
  CHECK(night.next_open(at(2026, 3, 29, 0, 0, 1)) == at(2026, 3, 29, 3, 30, 2));
  CHECK(night.business_ms(at(2026, 3, 29, 0, 0, 1), at(2026, 3, 30, 0, 0, 2)) == 30 * kMin);
}

TEST_CASE("a schedule that never opens has no next opening") {
  inbox::BusinessHours shut;
  CHECK_FALSE(shut.open_at(0));
  CHECK_FALSE(shut.next_open(1'800'000'000'000).has_value());
  CHECK(shut.business_ms(0, 1'800'000'000'000) == 0);
}
