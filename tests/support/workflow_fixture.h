// tests/support/workflow_fixture.h — the inbox fixture with a workflow config: departments
// routed by policy, response targets, the on-call alert, and helpers to read the channel outbox.
#pragma once

#include "services/common/bytes.h"
#include "tests/support/inbox_fixture.h"

namespace sb::test {

struct WorkflowFixture : InboxFixture {
  // The handoff rules' user_request trigger ("agent", "human") hands a conversation off.
  std::uint64_t handoff(const std::string& sender, const std::string& text = "I want a human") {
    static int n = 0;
    auto r = ingest("whatsapp", "wf-" + std::to_string(++n), sender, text);
    REQUIRE(r.ok());
    return r->conversation_id;
  }
  void routing(const std::string& dep, const std::string& policy, int cap = 0) {
    auto w = inbox.workflow();
    w.departments[dep].policy = policy;
    w.departments[dep].max_per_agent = cap;
    if (w.default_department.empty()) w.default_department = dep;
    inbox.set_workflow(w);
  }
  std::vector<switchboard::store::ChannelOutboxEntry> outbox() {
    std::vector<switchboard::store::ChannelOutboxEntry> out;
    store->read([&](const store::ReadTxn& r) {
      r.scan(store::Table::channel_outbox, {}, [&](std::string_view, std::string_view v) {
        switchboard::store::ChannelOutboxEntry e;
        e.ParseFromArray(v.data(), static_cast<int>(v.size()));
        out.push_back(e);
        return true;
      });
    });
    return out;
  }
  std::size_t count(inbox::Event::Kind k) {
    std::size_t n = 0;
    for (const auto& e : events) n += e.kind() == k;
    return n;
  }
  std::string status(std::uint64_t id) { return inbox::status_name_of(*inbox.conversation(id)); }
  std::string assignee(std::uint64_t id) { return inbox.conversation(id)->assignee(); }
  bool history_says(std::uint64_t id, const std::string& text) {
    for (const auto& m : inbox.history(id))
      if (m.text() == text) return true;
    return false;
  }
};

}  // namespace sb::test
