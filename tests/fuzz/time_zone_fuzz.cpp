// tests/fuzz/time_zone_fuzz.cpp — libFuzzer target for the TZif reader and its POSIX TZ rule.
//
// The input is a zone file; scripts/fuzz seeds it with the system's own Europe/* files. A
// refused file must say why; an accepted one must answer every instant with an offset within
// a day, and local times must map back to instants whose local time is near them. A crash, a
// sanitizer report or a failed invariant is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/time_zone.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto z = sb::TimeZone::parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!z) {
    if (z.error().message.empty()) std::abort();
    return 0;
  }
  // From before the first transitions through the file's years to far past its last one.
  static constexpr std::int64_t kInstants[] = {
      -(std::int64_t{1} << 62), -2208988800, 0, 1774746000, 1792890000, 2216250000,
      4102444800, 32503680000, std::int64_t{1} << 62};
  for (std::int64_t t : kInstants) {
    const std::int32_t off = z->offset_at(t);
    if (off < -26 * 3600 || off > 26 * 3600) std::abort();
    if (t < -(std::int64_t{1} << 40) || t > (std::int64_t{1} << 40)) continue;
    const std::int64_t back = z->to_utc(t);  // `t` read as a local time
    if (back - t > 26 * 3600 || t - back > 26 * 3600) std::abort();
  }
  return 0;
}
