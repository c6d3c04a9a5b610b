// tests/store/backoff_test.cpp — the one retry policy both channels use.
#include <doctest/doctest.h>

#include <limits>

#include "services/common/backoff.h"

using sb::Backoff;

TEST_CASE("the wait doubles with each attempt from the initial wait") {
  const Backoff b{5000, 300000};
  CHECK(b.delay_ms(1) == 5000);
  CHECK(b.delay_ms(2) == 10000);
  CHECK(b.delay_ms(3) == 20000);
  CHECK(b.delay_ms(6) == 160000);
  CHECK(b.next_ms(1000, 2) == 11000);
}

TEST_CASE("the wait never passes the cap, however many attempts") {
  const Backoff b{2000, 300000};
  CHECK(b.delay_ms(8) == 256000);
  CHECK(b.delay_ms(9) == 300000);
  CHECK(b.delay_ms(17) == 300000);
  CHECK(b.delay_ms(std::numeric_limits<int>::max()) == 300000);
}

TEST_CASE("the doubling stops at 2^16 so a large cap cannot overflow the shift") {
  const Backoff b{1, std::numeric_limits<std::int64_t>::max()};
  CHECK(b.delay_ms(17) == 65536);
  CHECK(b.delay_ms(1000) == 65536);
}

TEST_CASE("an attempt count below one waits the initial time") {
  const Backoff b{700, 10000};
  CHECK(b.delay_ms(0) == 700);
  CHECK(b.delay_ms(-3) == 700);
}

static_assert(Backoff{100, 1000}.delay_ms(3) == 400, "usable at compile time");
