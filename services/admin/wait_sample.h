// services/admin/wait_sample.h — quantiles of a stream of durations in bounded memory.
//
// Exact while the stream holds at most `cap` values. Past that it keeps a uniform random sample
// of `cap` of them (reservoir sampling, Vitter's algorithm R), so a report over a year of
// handoffs costs `cap` numbers, not one per handoff; a quantile of the sample is within about
// 1/sqrt(cap) of the true one in rank. The generator's seed is fixed: the same conversations
// give the same report.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace sb::admin {

class WaitSample {
 public:
  explicit WaitSample(std::size_t cap) : cap_(std::max<std::size_t>(cap, 1)) {}

  void add(std::int64_t v) {
    ++seen_;
    sorted_ = false;
    if (kept_.size() < cap_) {
      kept_.push_back(v);
      return;
    }
    // The new value takes a kept one's place with probability cap / seen.
    if (const std::uint64_t j = rng_() % seen_; j < cap_) kept_[j] = v;
  }
  std::uint64_t count() const { return seen_; }  // every value added, kept or not
  std::size_t kept() const { return kept_.size(); }
  bool empty() const { return seen_ == 0; }
  // The value at quantile q (0..1), nearest rank, of what is kept; 0 when empty.
  std::int64_t quantile(double q) {
    if (kept_.empty()) return 0;
    if (!sorted_) std::sort(kept_.begin(), kept_.end());
    sorted_ = true;
    auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(kept_.size())));
    return kept_[std::clamp<std::size_t>(rank, 1, kept_.size()) - 1];
  }

 private:
  std::size_t cap_;
  std::uint64_t seen_ = 0;
  std::vector<std::int64_t> kept_;
  bool sorted_ = true;
  std::mt19937_64 rng_{0x5eed};
};

}  // namespace sb::admin
