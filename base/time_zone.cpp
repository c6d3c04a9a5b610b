// TZif reading (RFC 8536) and the POSIX TZ rule of its footer. Every count in the header is
// checked against the bytes that are really there before anything is read, and every value
// that later feeds arithmetic is bounded here, so no input can make a read or a sum overflow.
#include "base/time_zone.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace sb {

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's algorithm (public domain, "chrono-Compatible Low-Level Date Algorithms").
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

int weekday_of_days(std::int64_t days) {
  // 1970-01-01 was a Thursday (3 counting from Monday = 0).
  const std::int64_t w = (days + 3) % 7;
  return static_cast<int>(w < 0 ? w + 7 : w);
}

namespace {

constexpr std::int64_t kMaxAbsTime = std::int64_t{1} << 59;  // zic's "big bang" bound
constexpr std::int32_t kMaxAbsOffset = 26 * 3600;
constexpr std::size_t kHeaderBytes = 44;

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}
std::int64_t be64s(const unsigned char* p) {
  const std::uint64_t v = (std::uint64_t{be32(p)} << 32) | be32(p + 4);
  return static_cast<std::int64_t>(v);
}

struct Counts {
  std::uint64_t isut = 0, isstd = 0, leap = 0, time = 0, type = 0, chars = 0;
  std::uint64_t block(std::uint64_t time_bytes) const {
    return time * time_bytes + time + type * 6 + chars + leap * (time_bytes + 4) + isstd + isut;
  }
};

bool read_header(std::string_view s, std::size_t at, char& version, Counts& c) {
  if (s.size() - at < kHeaderBytes || s.compare(at, 4, "TZif") != 0) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data() + at);
  version = static_cast<char>(p[4]);
  c.isut = be32(p + 20);
  c.isstd = be32(p + 24);
  c.leap = be32(p + 28);
  c.time = be32(p + 32);
  c.type = be32(p + 36);
  c.chars = be32(p + 40);
  return true;
}

// [+-]hh[:mm[:ss]] with hh up to `max_hours`; seconds, sign as written.
bool posix_time(std::string_view& s, int max_hours, std::int32_t& out) {
  int sign = 1;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    sign = s[0] == '-' ? -1 : 1;
    s.remove_prefix(1);
  }
  auto number = [&](int digits_max, int& v) {
    int n = 0;
    v = 0;
    while (!s.empty() && s[0] >= '0' && s[0] <= '9' && n < digits_max) {
      v = v * 10 + (s[0] - '0');
      s.remove_prefix(1);
      ++n;
    }
    return n > 0;
  };
  int h = 0, m = 0, sec = 0;
  if (!number(3, h) || h > max_hours) return false;
  if (!s.empty() && s[0] == ':') {
    s.remove_prefix(1);
    if (!number(2, m) || m > 59) return false;
    if (!s.empty() && s[0] == ':') {
      s.remove_prefix(1);
      if (!number(2, sec) || sec > 59) return false;
    }
  }
  out = sign * (h * 3600 + m * 60 + sec);
  return true;
}

bool posix_name(std::string_view& s) {
  std::size_t n = 0;
  if (!s.empty() && s[0] == '<') {
    const auto close = s.find('>');
    if (close == std::string_view::npos || close < 4) return false;
    for (std::size_t i = 1; i < close; ++i) {
      const char ch = s[i];
      if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
            ch == '+' || ch == '-'))
        return false;
    }
    s.remove_prefix(close + 1);
    return true;
  }
  while (n < s.size() && ((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z'))) ++n;
  if (n < 3) return false;
  s.remove_prefix(n);
  return true;
}

bool small_number(std::string_view& s, int lo, int hi, int& out) {
  int v = 0, n = 0;
  while (!s.empty() && s[0] >= '0' && s[0] <= '9' && n < 3) {
    v = v * 10 + (s[0] - '0');
    s.remove_prefix(1);
    ++n;
  }
  if (n == 0 || v < lo || v > hi) return false;
  out = v;
  return true;
}

}  // namespace

bool TimeZone::parse_posix(std::string_view s, Posix& out) {
  auto rule = [&](Rule& r) {
    if (!s.empty() && s[0] == 'J') {
      s.remove_prefix(1);
      r.kind = Rule::julian_no_leap;
      if (!small_number(s, 1, 365, r.day)) return false;
    } else if (!s.empty() && s[0] == 'M') {
      s.remove_prefix(1);
      r.kind = Rule::month_week_day;
      if (!small_number(s, 1, 12, r.month) || s.empty() || s[0] != '.') return false;
      s.remove_prefix(1);
      if (!small_number(s, 1, 5, r.week) || s.empty() || s[0] != '.') return false;
      s.remove_prefix(1);
      if (!small_number(s, 0, 6, r.day)) return false;
    } else {
      r.kind = Rule::zero_based;
      if (!small_number(s, 0, 365, r.day)) return false;
    }
    r.time_s = 7200;
    if (!s.empty() && s[0] == '/') {
      s.remove_prefix(1);
      if (!posix_time(s, 167, r.time_s)) return false;  // RFC 8536 widens the hours to 167
    }
    return true;
  };
  Posix p;
  p.present = true;
  std::int32_t west = 0;
  if (!posix_name(s) || !posix_time(s, 24, west)) return false;
  p.std_offset = -west;
  if (!s.empty()) {
    if (!posix_name(s)) return false;
    p.has_dst = true;
    p.dst_offset = p.std_offset + 3600;
    if (!s.empty() && s[0] != ',') {
      if (!posix_time(s, 24, west)) return false;
      p.dst_offset = -west;
    }
    if (s.empty()) {
      // No rule given: POSIX leaves it to the implementation; the US rule is the usual one.
      p.start = {Rule::month_week_day, 0, 2, 3, 7200};
      p.end = {Rule::month_week_day, 0, 1, 11, 7200};
    } else {
      if (s[0] != ',') return false;
      s.remove_prefix(1);
      if (!rule(p.start) || s.empty() || s[0] != ',') return false;
      s.remove_prefix(1);
      if (!rule(p.end)) return false;
    }
  }
  if (!s.empty()) return false;
  out = p;
  return true;
}

std::int64_t TimeZone::rule_day(const Rule& r, std::int64_t year) {
  const std::int64_t jan1 = days_from_civil(year, 1, 1);
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  switch (r.kind) {
    case Rule::julian_no_leap:
      return jan1 + r.day - 1 + (leap && r.day >= 60 ? 1 : 0);
    case Rule::zero_based:
      return jan1 + r.day;
    case Rule::month_week_day:
      break;
  }
  const auto month = static_cast<unsigned>(r.month);
  const std::int64_t first = days_from_civil(year, month, 1);
  const std::int64_t next = month == 12 ? days_from_civil(year + 1, 1, 1)
                                        : days_from_civil(year, month + 1, 1);
  const int first_wd = (weekday_of_days(first) + 1) % 7;  // POSIX counts Sunday as 0
  std::int64_t day = first + (r.day - first_wd + 7) % 7 + static_cast<std::int64_t>(r.week - 1) * 7;
  while (day >= next) day -= 7;  // week 5: the last such weekday of the month
  return day;
}

std::int32_t TimeZone::posix_offset(std::int64_t utc_s) const {
  if (!footer_.has_dst) return footer_.std_offset;
  const std::int64_t local_days = (utc_s + footer_.std_offset) / 86400 -
                                  ((utc_s + footer_.std_offset) % 86400 < 0 ? 1 : 0);
  std::int64_t year;
  unsigned m, d;
  civil_from_days(local_days, year, m, d);
  const std::int64_t start =
      rule_day(footer_.start, year) * 86400 + footer_.start.time_s - footer_.std_offset;
  const std::int64_t end =
      rule_day(footer_.end, year) * 86400 + footer_.end.time_s - footer_.dst_offset;
  const bool dst = start < end ? (utc_s >= start && utc_s < end)  // northern: summer inside
                               : !(utc_s >= end && utc_s < start);  // southern: across new year
  return dst ? footer_.dst_offset : footer_.std_offset;
}

std::int32_t TimeZone::offset_at(std::int64_t utc_s) const {
  utc_s = std::clamp(utc_s, -kMaxAbsTime, kMaxAbsTime);
  if (transitions_.empty())
    return footer_.present ? posix_offset(utc_s) : (type_offset_.empty() ? 0 : type_offset_[0]);
  if (utc_s < transitions_.front()) return type_offset_[0];
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc_s);
  const std::size_t i = static_cast<std::size_t>(it - transitions_.begin()) - 1;
  if (i + 1 == transitions_.size() && footer_.present) return posix_offset(utc_s);
  return type_offset_[transition_type_[i]];
}

std::int64_t TimeZone::to_utc(std::int64_t local_s) const {
  local_s = std::clamp(local_s, -kMaxAbsTime, kMaxAbsTime);
  // The offsets a day either side bracket any change near this moment (offsets stay < 26 h).
  const std::int32_t before = offset_at(local_s - 86400 * 2);
  const std::int32_t after = offset_at(local_s + 86400 * 2);
  const std::int64_t u1 = local_s - before, u2 = local_s - after;
  const bool ok1 = offset_at(u1) == before, ok2 = offset_at(u2) == after;
  if (ok1 && ok2) return std::min(u1, u2);
  if (ok2) return u2;
  return u1;  // valid, or skipped by a spring-forward change: read as if it had not happened
}

Result<TimeZone> TimeZone::parse(std::string_view s) {
  if (s.size() > kMaxFileBytes)
    return fail("larger than " + std::to_string(kMaxFileBytes / 1024) + " KiB");
  char version = 0;
  Counts c;
  if (!read_header(s, 0, version, c)) return fail("not a TZif file (no TZif header)");
  std::size_t at = kHeaderBytes;
  std::size_t time_bytes = 4;
  if (version != 0) {
    if (version < '2') return fail("unknown TZif version");
    // Version 2 and later: skip the 32-bit block to the 64-bit header that follows it.
    if (c.block(4) > s.size() - at) return fail("truncated (version 1 data)");
    at += c.block(4);
    char v2 = 0;
    if (!read_header(s, at, v2, c)) return fail("truncated or damaged (no second TZif header)");
    at += kHeaderBytes;
    time_bytes = 8;
  }
  if (c.type == 0) return fail("no local time types");
  if (c.type > 256) return fail("more than 256 local time types");
  if ((c.isstd != 0 && c.isstd != c.type) || (c.isut != 0 && c.isut != c.type))
    return fail("indicator counts do not match the type count");
  if (c.leap != 0) return fail("leap-second zone files (\"right/\") are not supported");
  if (c.block(time_bytes) > s.size() - at) return fail("truncated (counts exceed the file)");

  TimeZone z;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data() + at);
  z.transitions_.reserve(c.time);
  for (std::uint64_t i = 0; i < c.time; ++i, p += time_bytes) {
    const std::int64_t t =
        time_bytes == 8 ? be64s(p) : static_cast<std::int64_t>(static_cast<std::int32_t>(be32(p)));
    if (t < -kMaxAbsTime || t > kMaxAbsTime) return fail("transition time out of range");
    if (!z.transitions_.empty() && t <= z.transitions_.back())
      return fail("transition times not in ascending order");
    z.transitions_.push_back(t);
  }
  for (std::uint64_t i = 0; i < c.time; ++i, ++p) {
    if (*p >= c.type) return fail("transition names a local time type that does not exist");
    z.transition_type_.push_back(*p);
  }
  for (std::uint64_t i = 0; i < c.type; ++i, p += 6) {
    const auto off = static_cast<std::int32_t>(be32(p));
    if (off < -kMaxAbsOffset || off > kMaxAbsOffset) return fail("UTC offset out of range");
    if (p[4] > 1) return fail("bad daylight-time flag");
    if (p[5] >= c.chars && c.chars != 0) return fail("abbreviation index out of range");
    z.type_offset_.push_back(off);
  }
  at += c.block(time_bytes);
  if (time_bytes == 8) {
    // The footer: "\n<POSIX TZ string>\n" (empty between the newlines: no rule).
    if (at >= s.size() || s[at] != '\n') return fail("missing footer");
    const auto end = s.find('\n', at + 1);
    if (end == std::string_view::npos) return fail("unterminated footer");
    const std::string_view tz = s.substr(at + 1, end - at - 1);
    if (!tz.empty() && !parse_posix(tz, z.footer_))
      return fail("footer TZ rule '" + std::string(tz.substr(0, 64)) + "' does not parse");
  }
  return z;
}

Result<TimeZone> load_time_zone(const std::string& name, const std::string& dir) {
  const std::string what = "time zone '" + name.substr(0, 64) + "'";
  if (name == "UTC") return TimeZone();
  bool good = !name.empty() && name.size() <= 64 && name.front() != '/' && name.back() != '/';
  std::size_t part = 0;
  for (std::size_t i = 0; good && i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '/') {
      const std::string_view piece(name.data() + part, i - part);
      good = !piece.empty() && piece != "." && piece != "..";
      part = i + 1;
      continue;
    }
    const char ch = name[i];
    good = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-' || ch == '+';
  }
  if (!good) return fail(what + ": not a zone name like \"Europe/Berlin\"");
  const std::string path = dir + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return fail(what + ": no such zone (" + path + ": " + std::strerror(errno) + ")");
  std::string bytes(TimeZone::kMaxFileBytes + 1, '\0');
  const std::size_t n = std::fread(bytes.data(), 1, bytes.size(), f);
  const bool read_error = std::ferror(f) != 0;
  std::fclose(f);
  if (read_error) return fail(what + ": cannot read " + path);
  bytes.resize(n);
  auto z = TimeZone::parse(bytes);
  if (!z) return fail(what + ": " + path + ": " + z.error().message);
  return z;
}

}  // namespace sb
