// firmware/verbs/verb_roster.h — the inbox's agent roster for a command-line verb that changes
// users: `user add` makes an agent as the running service's pages would, with its Event, on
// the same database (LMDB serialises the writers of both processes; the service publishes the
// Event with its next batch).
#pragma once

#include <cstdio>

#include "base/log.h"
#include "services/admin/agent_roster.h"
#include "services/common/metrics.h"
#include "services/inbox/inbox.h"

namespace sb::verbs {

class VerbRoster {
 public:
  VerbRoster(store::Store& store, const Clock& clock)
      // No event loop here: the inbox runs what it would post at once; search is not resumed
      // (a verb never reads it).
      : inbox_(store, clock, log_, metrics_, [](std::function<void()> f) { f(); }, false) {}
  admin::AgentRoster& roster() { return roster_; }

 private:
  Log log_{Level::warning, stderr};
  Metrics metrics_;
  inbox::Inbox inbox_;
  admin::InboxRoster roster_{inbox_};
};

}  // namespace sb::verbs
