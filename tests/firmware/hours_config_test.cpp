// [[departments]] opening hours in the config: read, refused with file:line and key, and
// pushed by central with the departments.
#include <doctest/doctest.h>

#include "firmware/central_config.h"
#include "firmware/config.h"

using namespace sb;

namespace {
std::string bad(const std::string& text) {
  auto c = firmware::parse_config(text, "t.toml");
  REQUIRE_FALSE(c.ok());
  return c.error().message;
}
std::int64_t berlin(unsigned month, unsigned day, int h, int offset_h) {
  return (days_from_civil(2026, month, day) * 86400 + h * 3600 - offset_h * 3600) * 1000;
}
}  // namespace

TEST_CASE("department hours, holidays and the after-hours reply are read") {
  auto c = firmware::parse_config(R"(
[[departments]]
id = "support"
timezone = "Europe/Berlin"
hours = { mon = "09:00-17:00", tue = "09:00-12:00, 13:00-17:00", sat = ["10:00-13:00"] }
holidays = ["2026-12-25", "2026-12-26"]
after_hours_reply = "We are closed; we answer from 09:00."

[[departments]]
id = "billing"

[[departments]]
id = "night"
holidays = ["2026-12-24"]

[alerts]
urgent_priority = 90
)", "t.toml");
  REQUIRE(c.ok());
  const auto& support = c->workflow.departments.at("support");
  REQUIRE(support.hours);
  CHECK(support.hours->zone_name == "Europe/Berlin");
  CHECK(support.hours->week[0] == std::vector<std::pair<int, int>>{{540, 1020}});
  CHECK(support.hours->week[1] == std::vector<std::pair<int, int>>{{540, 720}, {780, 1020}});
  CHECK(support.hours->week[2].empty());
  CHECK(support.hours->week[5] == std::vector<std::pair<int, int>>{{600, 780}});
  CHECK(support.hours->holidays.size() == 2);
  CHECK(support.after_hours_reply == "We are closed; we answer from 09:00.");
  CHECK(support.hours->open_at(berlin(7, 6, 9, 2)));  // Monday 2026-07-06 09:00 summer time
  CHECK_FALSE(support.hours->open_at(berlin(7, 6, 9, 2) - 1));
  CHECK_FALSE(c->workflow.departments.at("billing").hours);  // no hours: always open
  const auto& night = c->workflow.departments.at("night");
  REQUIRE(night.hours);  // holidays only: open around the clock but on those dates (UTC)
  CHECK(night.hours->open_at(berlin(12, 23, 23, 0)));
  CHECK_FALSE(night.hours->open_at(berlin(12, 24, 12, 0)));
  CHECK(c->workflow.alert.urgent_priority == 90);
  auto plain = firmware::parse_config("", "empty.toml");
  REQUIRE(plain.ok());
  CHECK(plain->workflow.alert.urgent_priority == 100);
}

TEST_CASE("department hours refused with the line and the key") {
  const std::string dep = "[[departments]]\nid = \"s\"\n";
  CHECK(bad(dep + "timezone = \"Mars/Olympus_Mons\"\n")
            .rfind("t.toml:3: departments.timezone: time zone 'Mars/Olympus_Mons': no such zone", 0) == 0);
  CHECK(bad(dep + "timezone = \"../../etc/passwd\"\n")
            .rfind("t.toml:3: departments.timezone: time zone '../../etc/passwd': not a zone name", 0) == 0);
  CHECK(bad(dep + "timezone = 1\n") == "t.toml:3: departments.timezone: expected a string like \"Europe/Berlin\"");
  CHECK(bad(dep + "hours = { mon = \"17:00-09:00\" }\n")
            .rfind("t.toml:3: departments.hours.mon: '17:00-09:00' is not a range like", 0) == 0);
  CHECK(bad(dep + "hours = { monday = \"09:00-17:00\" }\n") ==
        "t.toml:3: departments.hours.monday: unknown day; one of mon, tue, wed, thu, fri, sat, sun");
  CHECK(bad(dep + "hours = { mon = \"09:00-12:00, 11:00-17:00\" }\n") ==
        "t.toml:3: departments.hours.mon: ranges overlap");
  CHECK(bad(dep + "hours = { mon = 9 }\n") ==
        "t.toml:3: departments.hours.mon: expected \"09:00-17:00\" or a list of such ranges");
  CHECK(bad(dep + "hours = {}\n").rfind("t.toml:3: departments.hours: name at least one day", 0) == 0);
  CHECK(bad(dep + "hours = \"always\"\n").rfind("t.toml:3: departments.hours: expected a table", 0) == 0);
  CHECK(bad(dep + "hours = { mon = [" + std::string(9 * 16, ' ') + "] }\n").find("1 to 8 ranges a day") !=
        std::string::npos);
  std::string nine = "\"00:00-01:00\"";
  for (int h = 1; h < 9; ++h)
    nine += ", \"0" + std::to_string(h) + ":00-0" + std::to_string(h) + ":30\"";
  CHECK(bad(dep + "hours = { tue = [" + nine + "] }\n") ==
        "t.toml:3: departments.hours.tue: 1 to 8 ranges a day (leave the day out when closed)");
  CHECK(bad(dep + "holidays = [\"2026-12-25\",\n  \"2026-02-30\"]\n") ==
        "t.toml:4: departments.holidays: expected dates like \"2026-12-25\"");
  std::string many = "holidays = [";
  for (int i = 0; i < 367; ++i) many += (i ? ", " : "") + std::string("\"2027-01-01\"");
  CHECK(bad(dep + many + "]\n") == "t.toml:3: departments.holidays: at most 366 dates");
  CHECK(bad(dep + "after_hours_reply = \"closed\"\n") ==
        "t.toml:3: departments.after_hours_reply: needs hours or holidays (without them the "
        "department is always open)");
  CHECK(bad(dep + "hours = { mon = \"09:00-17:00\" }\nafter_hours_reply = \"" + std::string(1025, 'x') +
            "\"\n") == "t.toml:4: departments.after_hours_reply: at most 1024 bytes");
  CHECK(bad("[alerts]\nurgent_priority = 5000\n") ==
        "t.toml:2: alerts.urgent_priority: must be between -1000 and 1000");
}

TEST_CASE("central pushes hours with the departments, through the same checks") {
  auto local = firmware::parse_config("[[departments]]\nid = \"support\"\n", "local.toml");
  REQUIRE(local.ok());
  switchboard::v1::GatewayConfig central;
  central.set_version(7);
  central.set_departments_toml(
      "[[departments]]\nid = \"support\"\ntimezone = \"America/New_York\"\n"
      "hours = { fri = \"09:00-17:00\" }\nafter_hours_reply = \"Closed.\"\n");
  central.set_workflow_toml("[alerts]\nurgent_priority = 95\n");
  auto merged = firmware::merge_central(*local, central);
  REQUIRE(merged.ok());
  const auto& support = merged->workflow.departments.at("support");
  REQUIRE(support.hours);
  CHECK(support.hours->zone_name == "America/New_York");
  CHECK(support.after_hours_reply == "Closed.");
  CHECK(merged->workflow.alert.urgent_priority == 95);

  central.set_departments_toml("[[departments]]\nid = \"support\"\ntimezone = \"Nowhere/Land\"\n");
  auto refused = firmware::merge_central(*local, central);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("time zone 'Nowhere/Land': no such zone") != std::string::npos);
}
