#include <doctest/doctest.h>

#include "tests/support/time_units.h"
#include "tests/support/workflow_fixture.h"

using namespace sb;

namespace {
using test::kMin;

struct Targets : test::WorkflowFixture {
  Targets() {
    auto w = inbox.workflow();
    w.default_department = "support";
    w.departments["support"].targets = {{0, 10 * kMin}, {90, 5 * kMin}};
    w.alert.sms_to = "+15550100";
    w.alert.interval_ms = 15 * kMin;
    w.alert.min_priority = 90;
    inbox.set_workflow(w);
  }
  std::vector<inbox::Message> alerts() {
    std::vector<inbox::Message> out;
    for (const auto& e : outbox()) {
      auto m = inbox.message(e.message_id());
      if (e.channel() == "sms" && m && m->author() == "system") out.push_back(*m);
    }
    return out;
  }
};
}  // namespace

TEST_CASE_FIXTURE(Targets, "a conversation crosses its target: marked, counted, one SMS per interval") {
  auto urgent = handoff("+1", "urgent: no signal");  // priority 100: the 5 min target
  auto normal = handoff("+2", "I want a human");     // priority 80: the 10 min target
  CHECK(inbox.target_ms(*inbox.conversation(urgent)) == 5 * kMin);
  CHECK(inbox.target_ms(*inbox.conversation(normal)) == 10 * kMin);

  clock.advance(4 * kMin);
  inbox.workflow_tick();
  CHECK_FALSE(inbox.conversation(urgent)->over_target());
  CHECK(alerts().empty());

  clock.advance(2 * kMin);  // 6 min
  inbox.workflow_tick();
  auto c = inbox.conversation(urgent);
  CHECK(c->over_target());
  CHECK(history_says(urgent, "waiting 6 min, over the 5 min target"));
  CHECK(count(inbox::Event::TARGET_MISSED) == 1);
  CHECK_FALSE(inbox.conversation(normal)->over_target());
  CHECK(metrics.value("switchboard_conversations_over_target") == 1);
  auto sent = alerts();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].text() == "1 urgent conversation waiting over 5 min");
  auto on_call = inbox.conversation(sent[0].conversation_id());
  CHECK(on_call->contact() == "+15550100");
  CHECK(on_call->channel() == "sms");

  // More late ones within the interval: marked, but no second SMS.
  auto urgent2 = handoff("+3", "urgent please");
  auto urgent3 = handoff("+4", "emergency");
  clock.advance(6 * kMin);  // 12 min
  inbox.workflow_tick();
  CHECK(inbox.conversation(urgent2)->over_target());
  CHECK(inbox.conversation(normal)->over_target());
  CHECK(count(inbox::Event::TARGET_MISSED) == 4);  // each marked once
  CHECK(alerts().size() == 1);
  CHECK(metrics.value("switchboard_conversations_over_target") == 4);

  clock.advance(8 * kMin);  // 14 min after the first alert: still within the interval
  inbox.workflow_tick();
  CHECK(alerts().size() == 1);
  clock.advance(1 * kMin);  // 15 min after the first alert
  inbox.workflow_tick();
  sent = alerts();
  REQUIRE(sent.size() == 2);
  CHECK(sent[1].text() == "3 urgent conversations waiting over 5 min");
  inbox.workflow_tick();
  CHECK(alerts().size() == 2);

  // A human reply meets the target: no longer counted.
  REQUIRE(inbox.reply(urgent, "ana", "on it").ok());
  REQUIRE(inbox.reply(urgent2, "ana", "on it").ok());
  REQUIRE(inbox.reply(urgent3, "ana", "on it").ok());
  inbox.workflow_tick();
  CHECK_FALSE(inbox.conversation(urgent)->over_target());
  CHECK(metrics.value("switchboard_conversations_over_target") == 1);  // the normal one
  clock.advance(30 * kMin);
  inbox.workflow_tick();
  CHECK(alerts().size() == 2);  // nothing urgent is late
  CHECK(count(inbox::Event::TARGET_MISSED) == 4);
}

TEST_CASE_FIXTURE(Targets, "no target configured: nothing is marked") {
  auto w = inbox.workflow();
  w.departments.clear();
  inbox.set_workflow(w);
  auto id = handoff("+1", "urgent");
  clock.advance(60 * kMin);
  inbox.workflow_tick();
  CHECK_FALSE(inbox.conversation(id)->over_target());
  CHECK(alerts().empty());
}
