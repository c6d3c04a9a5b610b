// services/common/metrics.h — counters and gauges for /metrics (Prometheus text format).
// Owned by main and handed to components; touched from the io_context thread and, for a few
// counters, from library threads, so values are atomics and the map is filled at wiring time or
// under a mutex.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sb {

class Metrics {
 public:
  using Labels = std::vector<std::pair<std::string, std::string>>;

  // The returned reference stays valid for the life of the Metrics object.
  std::atomic<std::int64_t>& counter(const std::string& name, const std::string& help,
                                     const Labels& labels = {});
  std::atomic<std::int64_t>& gauge(const std::string& name, const std::string& help,
                                   const Labels& labels = {});
  // A gauge computed when scraped (outbox depth, storage use).
  void gauge_fn(const std::string& name, const std::string& help, std::function<double()> fn);

  // Label values are bounded so that input (a channel name, say) cannot grow /metrics without
  // end: a family holds at most `kMaxSeries` label sets, and a set past that has each of its
  // values replaced by "other" (one shared series). `known_values` narrows one label of a
  // family further: a value not in the list is "other" at once (a channel named by a bridge).
  static constexpr std::size_t kMaxSeries = 64;
  void known_values(const std::string& name, const std::string& label,
                    std::vector<std::string> values);

  std::int64_t value(const std::string& name, const Labels& labels = {}) const;
  std::string exposition() const;

 private:
  struct Family {
    std::string help;
    std::string type;
    std::map<Labels, std::unique_ptr<std::atomic<std::int64_t>>> series;
    std::function<double()> fn;
    std::map<std::string, std::vector<std::string>> known;  // label -> allowed values
  };
  std::atomic<std::int64_t>& series(const std::string& name, const std::string& help,
                                    const std::string& type, const Labels& labels);

  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
};

}  // namespace sb
