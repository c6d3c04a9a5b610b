// services/common/backoff.h — how long a retry waits: doubling from `initial_ms` with each
// attempt, never longer than `max_ms`. A pure value: the caller keeps its own attempt counts
// and clock, so the channels share one policy whatever they count as an attempt.
#pragma once

#include <algorithm>
#include <cstdint>

namespace sb {

struct Backoff {
  std::int64_t initial_ms = 2000;
  std::int64_t max_ms = 300000;

  // The wait after the `attempt`-th try (1 for the first; less than 1 counts as 1). The
  // doubling stops at 2^16 times `initial_ms` before the cap, so the shift never overflows.
  constexpr std::int64_t delay_ms(int attempt) const {
    const int doublings = std::clamp(attempt - 1, 0, 16);
    return std::min(initial_ms << doublings, max_ms);
  }
  // When the next try is due, on the caller's (monotonic) clock.
  constexpr std::int64_t next_ms(std::int64_t now_ms, int attempt) const {
    return now_ms + delay_ms(attempt);
  }
};

}  // namespace sb
