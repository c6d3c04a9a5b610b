// Minutes and hours in milliseconds, as the clocks count: one definition for every test that
// sets a fake clock (a target's sources may be compiled as one batch, where two would clash).
#pragma once

#include <cstdint>

namespace sb::test {

inline constexpr std::int64_t kMin = 60 * 1000;
inline constexpr std::int64_t kHour = 60 * kMin;

}  // namespace sb::test
