// The TZif reader against the system's own zone files (tzdata), with the instants checked
// against Python's zoneinfo on the same files, and against damaged input.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "base/time_zone.h"
#include "tests/support/temp_dir.h"

using namespace sb;

namespace {
TimeZone zone(const char* name) {
  auto z = load_time_zone(name);
  INFO(name, ": ", z ? std::string() : z.error().message);
  REQUIRE(z.ok());
  return *z;
}
std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
void put32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
}
// A version 2 file with one local time type, no transitions, and `footer` as the rule.
std::string rule_only(const std::string& footer, std::int32_t offset) {
  std::string header = "TZif2" + std::string(39, '\0');
  put32(header, 36, 1);  // typecnt
  put32(header, 40, 4);  // charcnt
  std::string type(6, '\0');
  put32(type, 0, static_cast<std::uint32_t>(offset));
  const std::string block = type + std::string("STD\0", 4);
  return header + block + header + block + "\n" + footer + "\n";
}
}  // namespace

TEST_CASE("civil dates and weekdays") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(2026, 12, 25) == 20812);
  std::int64_t y;
  unsigned m, d;
  civil_from_days(20812, y, m, d);
  CHECK((y == 2026 && m == 12 && d == 25));
  civil_from_days(-1, y, m, d);
  CHECK((y == 1969 && m == 12 && d == 31));
  CHECK(weekday_of_days(0) == 3);                            // a Thursday
  CHECK(weekday_of_days(days_from_civil(2026, 12, 4)) == 4);  // a Friday
  CHECK(weekday_of_days(-1) == 2);
}

TEST_CASE("Europe/Berlin: the switches to and from summer time, in the file and past it") {
  const TimeZone z = zone("Europe/Berlin");
  CHECK(z.offset_at(1774745999) == 3600);  // 2026-03-29 00:59:59 UTC
  CHECK(z.offset_at(1774746000) == 7200);  // 01:00 UTC: 03:00 summer time
  CHECK(z.offset_at(1792889999) == 7200);  // 2026-10-25 00:59:59 UTC
  CHECK(z.offset_at(1792890000) == 3600);
  // 2040 lies past the transitions a file may list: the footer's rule answers.
  CHECK(z.offset_at(2216249999) == 3600);
  CHECK(z.offset_at(2216250000) == 7200);
  CHECK(z.offset_at(2234998800) == 3600);
  // Local to UTC: a normal morning, a time the spring change skips, one the autumn repeats.
  CHECK(z.to_utc(days_from_civil(2026, 3, 29) * 86400 + 9 * 3600) == 1774767600);
  CHECK(z.to_utc(days_from_civil(2026, 3, 29) * 86400 + 2 * 3600 + 1800) == 1774747800);
  CHECK(z.to_utc(days_from_civil(2026, 10, 25) * 86400 + 2 * 3600 + 1800) == 1792888200);
}

TEST_CASE("America/New_York, Asia/Kolkata's half hour, Lord Howe's half-hour summer time") {
  const TimeZone ny = zone("America/New_York");
  CHECK(ny.offset_at(1772953199) == -18000);
  CHECK(ny.offset_at(1772953200) == -14400);
  CHECK(ny.offset_at(1793512799) == -14400);
  CHECK(ny.offset_at(1793512800) == -18000);
  CHECK(ny.offset_at(2382480000) == -14400);  // 2045, from the footer
  const TimeZone kolkata = zone("Asia/Kolkata");
  CHECK(kolkata.offset_at(-631152000) == 19800);
  CHECK(kolkata.offset_at(1767225600) == 19800);
  CHECK(kolkata.offset_at(2853273600) == 19800);
  const TimeZone lh = zone("Australia/Lord_Howe");
  CHECK(lh.offset_at(1775314799) == 39600);
  CHECK(lh.offset_at(1775314800) == 37800);
  CHECK(lh.offset_at(1791041399) == 37800);
  CHECK(lh.offset_at(1791041400) == 39600);
  CHECK(lh.offset_at(2524608000) == 39600);  // 2050: southern summer, across the new year
}

TEST_CASE("the POSIX rule alone: Mm.w.d, Jn, n and times past 24 h") {
  auto cet = TimeZone::parse(rule_only("CET-1CEST,M3.5.0,M10.5.0/3", 3600));
  REQUIRE(cet.ok());
  CHECK(cet->offset_at(1774745999) == 3600);
  CHECK(cet->offset_at(1774746000) == 7200);
  CHECK(cet->offset_at(1792890000) == 3600);
  auto fixed = TimeZone::parse(rule_only("<+0530>-5:30", 19800));
  REQUIRE(fixed.ok());
  CHECK(fixed->offset_at(1767225600) == 19800);
  // Summer time all year (RFC 8536's example): day 0 00:00 to Dec 31 25:00.
  auto always = TimeZone::parse(rule_only("EST5EDT,0/0,J365/25", -18000));
  REQUIRE(always.ok());
  CHECK(always->offset_at(1767225600) == -14400);
  CHECK(always->offset_at(1782864000) == -14400);
  for (const char* bad : {"CET", "CET-1CEST,M13.5.0,M10.5.0", "CET-1CEST,M3.6.0,M10.5.0",
                          "CET-1CEST,J0,J365", "CET-1CEST,M3.5.0", "CET-25", "<+05", "CET-1x",
                          "CET-1CEST,M3.5.0/200,M10.5.0", "C3T-1"}) {
    INFO(bad);
    CHECK_FALSE(TimeZone::parse(rule_only(bad, 3600)).ok());
  }
}

TEST_CASE("damaged, truncated and oversized files are refused with a reason, never a crash") {
  const std::string berlin = file_bytes("/usr/share/zoneinfo/Europe/Berlin");
  REQUIRE(berlin.size() > 100);
  CHECK(TimeZone::parse(berlin).ok());
  for (std::size_t n = 0; n < berlin.size(); ++n) {
    auto z = TimeZone::parse(std::string_view(berlin).substr(0, n));
    INFO("prefix of ", n, " bytes");
    CHECK_FALSE(z.ok());
  }
  CHECK(TimeZone::parse("").error().message == "not a TZif file (no TZif header)");
  CHECK(TimeZone::parse(std::string(70000, 'x')).error().message == "larger than 64 KiB");
  std::string huge = berlin;
  put32(huge, 32, 0xffffffffu);  // a version 1 transition count the file cannot hold
  CHECK(TimeZone::parse(huge).error().message == "truncated (version 1 data)");
  std::string bad_version = berlin;
  bad_version[4] = '1';
  CHECK_FALSE(TimeZone::parse(bad_version).ok());
  // Every single-byte change parses or is refused; either way nothing breaks (under ASan).
  std::size_t refused = 0;
  for (std::size_t i = 0; i < berlin.size(); ++i) {
    std::string b = berlin;
    b[i] = static_cast<char>(b[i] ^ 0xa5);
    auto z = TimeZone::parse(b);
    if (!z) ++refused;
    else (void)z->offset_at(1774746000);
  }
  CHECK(refused > 0);
}

TEST_CASE("zone names: checked before any file is opened; UTC needs no file") {
  CHECK(load_time_zone("UTC").ok());
  CHECK(load_time_zone("UTC", "/nonexistent").ok());
  CHECK(load_time_zone("UTC")->offset_at(1774746000) == 0);
  for (const char* bad : {"../etc/passwd", "/etc/passwd", "Europe/../Europe/Berlin", "", "a b",
                          "Europe/", "Europe//Berlin"}) {
    INFO(bad);
    auto z = load_time_zone(bad);
    REQUIRE_FALSE(z.ok());
    CHECK(z.error().message.find("not a zone name") != std::string::npos);
  }
  auto missing = load_time_zone("Mars/Olympus_Mons");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.rfind("time zone 'Mars/Olympus_Mons': no such zone", 0) == 0);
  CHECK_FALSE(load_time_zone("Europe").ok());  // a directory
  test::TempDir dir;
  {
    std::ofstream out(dir.sub("Broken"), std::ios::binary);
    out << file_bytes("/usr/share/zoneinfo/Europe/Berlin").substr(0, 200);
  }
  auto broken = load_time_zone("Broken", dir.path());
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().message.find("truncated") != std::string::npos);
}
