// hal/clock/fake_clock.h — the test double of Clock: time moves only when a test says.
#pragma once

#include "hal/clock/clock.h"

namespace sb {

class FakeClock final : public Clock {
 public:
  std::int64_t wall_ms() const override { return wall_; }
  std::int64_t monotonic_ms() const override { return mono_; }
  void advance(std::int64_t ms) {
    wall_ += ms;
    mono_ += ms;
  }
  void set_wall(std::int64_t ms) { wall_ = ms; }  // a clock jump: monotonic time is unmoved

 private:
  std::int64_t wall_ = 1'700'000'000'000;
  std::int64_t mono_ = 1'000;
};

}  // namespace sb
