// hal/modem/pdu/timestamp.cpp
#include "hal/modem/pdu/timestamp.h"

#include <array>
#include <cstdio>

namespace sb::pdu {

Result<std::string> read_timestamp(Reader& r, const char* field) {
  auto raw = r.take(7, field);
  if (!raw) return raw.error();
  const auto& o = *raw;
  std::array<int, 6> v{};  // year, month, day, hour, minute, second
  for (std::size_t i = 0; i < v.size(); ++i) {
    const int lo = o[i] & 0x0F;  // the first semi-octet is the tens digit
    const int hi = o[i] >> 4;
    if (lo > 9 || hi > 9) return fail(std::string(field) + " has a non-decimal digit");
    v[i] = lo * 10 + hi;
  }
  static constexpr std::array<int, 6> kMin = {0, 1, 1, 0, 0, 0};
  static constexpr std::array<int, 6> kMax = {99, 12, 31, 23, 59, 59};
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] < kMin[i] || v[i] > kMax[i]) return fail(std::string(field) + " is out of range");
  }
  const int tz_tens = o[6] & 0x07;
  const int tz_units = o[6] >> 4;
  if (tz_units > 9) return fail(std::string(field) + " has a non-decimal time zone");
  const bool negative = (o[6] & 0x08) != 0;
  const int quarters = tz_tens * 10 + tz_units;
  char buf[40];
  std::snprintf(buf, sizeof buf, "20%02d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", v[0], v[1], v[2],
                v[3], v[4], v[5], negative && quarters != 0 ? '-' : '+', quarters / 4,
                quarters % 4 * 15);
  return std::string(buf);
}

}  // namespace sb::pdu
