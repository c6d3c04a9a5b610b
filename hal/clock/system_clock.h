// hal/clock/system_clock.h — the Linux clocks: CLOCK_REALTIME for stored times,
// CLOCK_MONOTONIC for every timer (it never jumps when NTP or the modem sets the time).
#pragma once

#include <time.h>

#include "hal/clock/clock.h"

namespace sb::hal {

class SystemClock final : public Clock {
 public:
  std::int64_t wall_ms() const override { return read(CLOCK_REALTIME); }
  std::int64_t monotonic_ms() const override { return read(CLOCK_MONOTONIC); }

 private:
  static std::int64_t read(clockid_t id) {
    timespec t;
    clock_gettime(id, &t);
    return static_cast<std::int64_t>(t.tv_sec) * 1000 + t.tv_nsec / 1000000;
  }
};

}  // namespace sb::hal
