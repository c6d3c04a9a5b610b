// bench/support/bench_support.h — what the benchmark programs share: timing, percentiles, and
// an Inbox on a real LMDB store set up as they all want it (errors only, to /dev/null; the
// system clock; ingests posted to an io_context the benchmark turns, or flushed by hand).
#pragma once

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "base/log.h"
#include "hal/clock/system_clock.h"
#include "services/common/metrics.h"
#include "services/inbox/inbox.h"
#include "services/store/store.h"

namespace sb::bench {

using Steady = std::chrono::steady_clock;

inline double ms_since(Steady::time_point t0) {
  return std::chrono::duration<double, std::milli>(Steady::now() - t0).count();
}

// The q-quantile (0..1) of `v` by rank; 0 for no samples. Sorts `v`.
inline double percentile(std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

class BenchInbox {
 public:
  enum class Posting { to_io, by_hand };  // by_hand: the benchmark calls inbox.flush() itself

  // Opens (or creates) the store in `dir`; a benchmark has nothing to fall back on, so a store
  // that does not open is printed and exits 1.
  BenchInbox(const std::string& dir, Posting posting)
      : devnull_(std::fopen("/dev/null", "w")), log_(Level::error, devnull_) {
    auto st = store::Store::open(dir);
    if (!st) {
      std::fprintf(stderr, "%s: %s\n", dir.c_str(), st.error().message.c_str());
      std::exit(1);
    }
    store_ = std::move(*st);
    inbox::Inbox::Post post = [](std::function<void()>) {};
    if (posting == Posting::to_io)
      post = [this](std::function<void()> f) { boost::asio::post(io, std::move(f)); };
    inbox = std::make_unique<inbox::Inbox>(*store_, clock, log_, metrics, std::move(post));
  }
  ~BenchInbox() {
    inbox.reset();
    store_.reset();
    std::fclose(devnull_);
  }
  BenchInbox(const BenchInbox&) = delete;
  BenchInbox& operator=(const BenchInbox&) = delete;

  store::Store& store() { return *store_; }

  boost::asio::io_context io;
  hal::SystemClock clock;
  Metrics metrics;
  std::unique_ptr<inbox::Inbox> inbox;

 private:
  std::FILE* devnull_;
  Log log_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace sb::bench
