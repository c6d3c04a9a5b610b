// services/inbox/agent_enrolment.cpp — the roster of people who can take conversations: a user
// who may (an admin or an agent, as auth decides) gets an agent record here, once, with the
// Event that tells central and the live pages.
#include "services/inbox/tx.h"

namespace sb::inbox {

Result<bool> Inbox::enrol_agent(const std::string& user) {
  if (user.empty()) return fail("an agent needs an id", ErrorCode::invalid);
  // Every login asks: the usual answer is a read, not a commit.
  if (agent(user)) return false;
  bool wrote = false;
  auto r = workflow_write([&](Tx& tx) -> Result<void> {
    if (tx.w.get(store::Table::agents, user)) return {};  // another process made it meanwhile
    Agent a;
    a.set_id(user);
    a.set_name(user);
    tx.w.put_proto(store::Table::agents, user, a);
    tx.gateway_event(Event::AGENT_ADDED).set_assignee(user);
    wrote = true;
    return {};
  });
  if (!r) return r.error();
  return wrote;
}

}  // namespace sb::inbox
