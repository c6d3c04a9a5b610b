// tests/admin/recording_roster.h — an agent roster that remembers whom auth enrolled and in
// which order, for tests of auth without an inbox.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "services/admin/agent_roster.h"

namespace sb::test {

struct RecordingRoster final : admin::AgentRoster {
  std::vector<std::string> calls;  // every enrol, in order
  std::set<std::string> members;
  Result<bool> enrol(const std::string& user) override {
    calls.push_back(user);
    return members.insert(user).second;
  }
};

}  // namespace sb::test
