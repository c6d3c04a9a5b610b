// services/admin/stats_view.h — the handoff statistics the Stats view shows, tallied one
// conversation at a time, so the scan that feeds it can run in steps (store/stepped_scan.h)
// instead of holding the event loop for a whole table.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "services/admin/wait_sample.h"
#include "services/proto/records.pb.h"

namespace sb::admin {

// Handoff rate overall / by trigger / by channel / by day (the last `days`, UTC; each day with
// its handoffs by trigger and by channel and its median time to the first human reply), per
// rule (handoffs, marked not needed), closes (by people, automatic), satisfaction answers, and
// the time from handoff to the first human reply (median, p90). Memory: a few maps keyed by
// channel, trigger, rule, agent and department, and samples of the waits capped at
// kWaitsKept numbers in all and kDayWaitsKept a day (wait_sample.h: exact below the caps).
class StatsReport {
 public:
  StatsReport(std::int64_t now_ms, int days);
  void add(const switchboard::store::Conversation& c);
  nlohmann::json to_json();

 private:
  struct Tally {
    std::int64_t conversations = 0, handoffs = 0;
    nlohmann::json to_json() const;
  };
  // Satisfaction answers (1 to 5): how many of each, and their mean.
  struct Csat {
    std::int64_t answers = 0, sum = 0;
    std::array<std::int64_t, 5> scores{};
    void add(int s);
    nlohmann::json to_json() const;
  };
  // One day of the chosen range: its tally, its handoffs by trigger and by channel, and the
  // times from handoff to first human reply of the handoffs made that day.
  struct Day {
    Tally tally;
    std::map<std::string, std::int64_t> triggers, channels;
    WaitSample waits{kDayWaitsKept};
  };
  // Per rule, over the same range as the days: handoffs and the ones agents marked not needed.
  struct RuleTally {
    std::string trigger;
    std::int64_t handoffs = 0, not_needed = 0;
  };
  Day* day_slot(std::int64_t at_ms);

  static constexpr std::int64_t kDayMs = 86400000;
  // 512 KiB for the whole range, 16 KiB a day (1.4 MiB for 90 days) at most.
  static constexpr std::size_t kWaitsKept = 65536, kDayWaitsKept = 2048;
  const std::int64_t today_;  // days since the epoch, UTC
  const int days_;
  Tally all_;
  std::map<std::string, std::int64_t> by_trigger_;
  std::map<std::string, Tally> by_channel_;
  std::vector<Day> by_day_;
  WaitSample waits_{kWaitsKept};  // handoff -> first human reply, ms
  std::int64_t unanswered_ = 0;
  std::map<std::string, RuleTally> by_rule_;
  std::int64_t closed_ = 0, auto_closed_ = 0;
  Csat csat_;
  std::map<std::string, Csat> csat_agents_, csat_departments_;
};

}  // namespace sb::admin
