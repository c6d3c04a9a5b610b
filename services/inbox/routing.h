// services/inbox/routing.h — routing queued conversations to agents, per department: manual
// (agents pick), round robin among online members, or least busy; each with a cap on
// concurrent conversations per agent (workflow_config.h).
//
// Acts inside the caller's transaction; each read is one snapshot. Who is online is read from
// the agents table (presence.h writes it), so routing keeps no state of its own beyond the
// round robin's last pick, which is in LMDB too.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "services/inbox/component.h"
#include "services/inbox/workflow_config.h"

namespace sb::inbox {

class Routing : private StoreComponent {
 public:
  // `workflow` is the inbox's, read at each call (a new config applies to the next routing).
  Routing(store::Store& store, Log& log, const WorkflowConfig& workflow)
      : StoreComponent(store, log), workflow_(workflow) {}

  // Every department not routed by hand drains its queue to the members with room.
  void route_queued(Tx& tx);
  void route_department(Tx& tx, const std::string& department, const DepartmentRouting& r);
  // The person a rule or flow names takes `c` when they could take it from the queue
  // themselves: online and under their department's cap; otherwise it waits in the queue and
  // the history says why. The caller saves `c`.
  void assign_to_named_agent(Tx& tx, Conversation& c, const std::string& agent);
  // Gives `c` to `a` inside the transaction: the status, the history's line, the ASSIGNED
  // event, and the agent's last assignment (least busy breaks ties by it). The caller saves `c`.
  static void give_to(Tx& tx, Conversation& c, Agent& a, const std::string& department,
                      const std::string& why);
  // The agent's assigned conversations back to the queue, keeping their place, saying `why`.
  void requeue_agent(Tx& tx, const Agent& a, const std::string& why);

  std::vector<Agent> agents() const;
  std::optional<Agent> agent(const std::string& id) const;
  // Queued conversations of a department in routing order (priority, then age), up to 1000.
  std::vector<Conversation> queue(const std::string& department) const;

 private:
  const WorkflowConfig& workflow_;
};

}  // namespace sb::inbox
