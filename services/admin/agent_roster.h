// services/admin/agent_roster.h — who can be given conversations, as auth tells it.
//
// Users are auth's; agents (the people routing picks from, with their department and
// presence) are the inbox's. Auth enrols every user who can take conversations (an admin or an
// agent) when the user is made, when a role change lets them, and at each login, which mends a
// record a crash or a full disk kept from being written at the first two. Technicians never
// take conversations and are never enrolled.
#pragma once

#include <string>

#include "base/result.h"
#include "services/inbox/inbox.h"

namespace sb::admin {

class AgentRoster {
 public:
  virtual ~AgentRoster() = default;
  // True when the user was new to the roster; nothing changes when they are on it already.
  virtual Result<bool> enrol(const std::string& user) = 0;
};

// The roster the inbox keeps: an agent record and an AGENT_ADDED Event per new agent.
class InboxRoster final : public AgentRoster {
 public:
  explicit InboxRoster(inbox::Inbox& inbox) : inbox_(inbox) {}
  Result<bool> enrol(const std::string& user) override { return inbox_.enrol_agent(user); }

 private:
  inbox::Inbox& inbox_;
};

}  // namespace sb::admin
