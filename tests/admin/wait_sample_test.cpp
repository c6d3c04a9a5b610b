// The statistics' wait samples: exact below their cap, bounded above it with quantiles near
// the true ones.
#include <doctest/doctest.h>

#include "services/admin/wait_sample.h"

using sb::admin::WaitSample;

TEST_CASE("wait sample: exact while it holds every value") {
  WaitSample s(8);
  CHECK(s.empty());
  CHECK(s.quantile(0.5) == 0);
  for (std::int64_t v : {50, 10, 40, 20, 30}) s.add(v);
  CHECK(s.count() == 5);
  CHECK(s.kept() == 5);
  CHECK(s.quantile(0.5) == 30);
  CHECK(s.quantile(0.9) == 50);
  CHECK(s.quantile(0.0) == 10);
  s.add(5);  // added after a read: sorted again
  CHECK(s.quantile(0.0) == 5);
}

TEST_CASE("wait sample: a million waits keep the cap, and the quantiles stay close") {
  WaitSample s(4096);
  // 1..1,000,000 in a scrambled order (a multiplier coprime with the count), so the sample
  // does not just see them rising.
  constexpr std::int64_t n = 1'000'000;
  for (std::int64_t i = 0; i < n; ++i) s.add((i * 7919) % n + 1);
  CHECK(s.count() == static_cast<std::uint64_t>(n));
  CHECK(s.kept() == 4096);
  // Within 4 % of the range of the true median and p90 (1/sqrt(4096) is 1.6 %).
  CHECK(std::abs(s.quantile(0.5) - n / 2) < n / 25);
  CHECK(std::abs(s.quantile(0.9) - n * 9 / 10) < n / 25);
  // The sample is spread over the whole range, not the first or last values added.
  CHECK(s.quantile(0.01) < n / 10);
  CHECK(s.quantile(0.99) > n * 9 / 10);
}
