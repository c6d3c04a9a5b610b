// hal/clock/clock.h — the clock interface the services see (Linux: system_clock.h; tests:
// fake_clock.h).
// Wall time is stored ("as observed": it may jump when NTP or the modem sets the clock);
// monotonic time drives every timer, so a clock jump never fires or starves one.
#pragma once

#include <cstdint>

namespace sb {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t wall_ms() const = 0;
  virtual std::int64_t monotonic_ms() const = 0;
};

}  // namespace sb
