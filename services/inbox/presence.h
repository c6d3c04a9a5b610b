// services/inbox/presence.h — agent presence: online, away, offline. Set from the page; an
// online agent whose page has not been seen (heartbeat) for `away_after_ms` becomes away, and
// comes back with the next heartbeat. Going offline puts the agent's conversations back in the
// queue (through Routing).
//
// Heartbeats are kept in memory on the monotonic clock (a wall-clock jump must not send
// everyone away); after a restart each agent gets a full grace period. Writes happen inside the
// caller's transaction; what is kept in memory about a write changes through committed(), which
// the caller calls once that transaction is durable.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "base/result.h"
#include "hal/clock/clock.h"
#include "services/inbox/component.h"
#include "services/inbox/routing.h"
#include "services/inbox/workflow_config.h"

namespace sb::inbox {

class Presence {
 public:
  Presence(const Clock& clock, const WorkflowConfig& workflow, Routing& routing)
      : clock_(clock), workflow_(workflow), routing_(routing) {}

  // `presence` is one of online, away, offline; `actor` set it (the agent or an admin).
  Result<void> set_presence(Tx& tx, const std::string& agent, const std::string& presence,
                            const std::string& actor);
  // The agent's page is open: noted in memory. True when the timer had made them away, so
  // they come back online: come_back() in a transaction.
  Result<bool> heartbeat(const std::string& agent);
  Result<void> come_back(Tx& tx, const std::string& agent);
  // After the commit of set_presence or come_back: `agent` is `presence` by choice, not by
  // the timer.
  void committed(const std::string& agent, const std::string& presence);
  // The timer: online agents not seen for `away_after_ms` become away.
  void check_presence(Tx& tx);

 private:
  void write_presence(Tx& tx, Agent& a, const std::string& presence, const std::string& why);

  const Clock& clock_;
  const WorkflowConfig& workflow_;
  Routing& routing_;
  std::map<std::string, std::int64_t> seen_mono_;  // agent -> last heartbeat (monotonic)
  std::set<std::string> auto_away_;                // made away by the timer, not by choice
};

}  // namespace sb::inbox
