// Routing and Presence driven directly over a real LMDB file: the department's policy and cap
// decide who takes the queue, going offline hands conversations back, the timer and the page's
// heartbeat move an agent between online and away.
#include <doctest/doctest.h>

#include <map>

#include "services/inbox/presence.h"
#include "services/inbox/routing.h"
#include "tests/support/component_fixture.h"

namespace sb::test {
namespace {

struct RoutingFixture : ComponentFixture {
  inbox::WorkflowConfig wf;
  inbox::Routing routing{*store, log, wf};
  inbox::Presence presence{clock, wf, routing};
  int senders = 0;

  void agent(const std::string& id, const std::string& department, const std::string& state) {
    REQUIRE(write([&](inbox::Tx& tx) -> Result<void> {
      inbox::Agent a;
      a.set_id(id);
      a.set_name(id);
      a.set_department(department);
      a.set_presence(state);
      tx.w.put_proto(store::Table::agents, id, a);
      return {};
    }));
  }
  std::uint64_t queued(const std::string& department, int priority = 0) {
    std::uint64_t id = 0;
    REQUIRE(write([&](inbox::Tx& tx) -> Result<void> {
      auto c = open_conversation(tx, "sms", "+" + std::to_string(++senders), "queued");
      c.set_department(department);
      c.set_priority(priority);
      c.set_queued_at_ms(tx.now_ms);
      tx.save(c);
      id = c.id();
      return {};
    }));
    clock.advance(1000);  // each waits a little less than the one before
    return id;
  }
  Result<void> route() {
    return write([&](inbox::Tx& tx) -> Result<void> {
      routing.route_queued(tx);
      return {};
    });
  }
  inbox::Conversation load(std::uint64_t id) {
    inbox::Conversation c;
    store->read([&](const store::ReadTxn& r) { r.get_proto(store::Table::conversations, be64(id), c); });
    return c;
  }
  std::map<std::string, int> assigned(const std::vector<std::uint64_t>& ids) {
    std::map<std::string, int> by_agent;
    for (auto id : ids) {
      auto c = load(id);
      if (inbox::status_name_of(c) == "assigned") ++by_agent[c.assignee()];
    }
    return by_agent;
  }
  Result<void> set(const std::string& who, const std::string& state, const std::string& actor) {
    auto r = write([&](inbox::Tx& tx) -> Result<void> {
      if (auto s = presence.set_presence(tx, who, state, actor); !s) return s;
      routing.route_queued(tx);  // as the Inbox's workflow_write does in the same commit
      return {};
    });
    if (r) presence.committed(who, state);
    return r;
  }
};

}  // namespace

TEST_CASE_FIXTURE(RoutingFixture, "least busy fills the emptiest agent and never passes max_per_agent") {
  wf.departments["support"] = {"least_busy", 2, {}, nullptr, {}};
  agent("ana", "support", "online");
  agent("ben", "support", "online");
  agent("cy", "billing", "online");  // another department's agent takes none
  std::vector<std::uint64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(queued("support"));
  REQUIRE(route());

  CHECK(assigned(ids) == std::map<std::string, int>{{"ana", 2}, {"ben", 2}});
  auto left = routing.queue("support");
  REQUIRE(left.size() == 1);
  CHECK(left[0].id() == ids[4]);  // the newest waits

  // One conversation closes elsewhere: routing fills that place, and only that one.
  REQUIRE(write([&](inbox::Tx& tx) -> Result<void> {
    inbox::Conversation c;
    REQUIRE(tx.load(ids[0], c));
    inbox::set_status(c, inbox::STATUS_CLOSED);
    tx.save(c);
    return {};
  }));
  REQUIRE(route());
  CHECK(routing.queue("support").empty());
  CHECK(load(ids[4]).assignee() == load(ids[0]).assignee());
}

TEST_CASE_FIXTURE(RoutingFixture, "round robin takes turns; a manual department is left for agents to pick") {
  wf.departments["support"] = {"round_robin", 0, {}, nullptr, {}};
  wf.departments["billing"] = {"manual", 0, {}, nullptr, {}};
  agent("ana", "support", "online");
  agent("ben", "support", "online");
  agent("cy", "support", "away");  // away takes no new ones
  agent("dee", "billing", "online");
  std::vector<std::uint64_t> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(queued("support"));
  const auto by_hand = queued("billing");
  REQUIRE(route());
  CHECK(load(ids[0]).assignee() == "ana");
  CHECK(load(ids[1]).assignee() == "ben");
  CHECK(load(ids[2]).assignee() == "ana");
  CHECK(load(ids[3]).assignee() == "ben");
  CHECK(inbox::status_name_of(load(by_hand)) == "queued");
  CHECK(routing.queue("billing").size() == 1);
}

TEST_CASE_FIXTURE(RoutingFixture, "the queue is in priority order, then age") {
  const auto old_low = queued("support", 0);
  const auto newer_high = queued("support", 5);
  const auto newest_low = queued("support", 0);
  auto q = routing.queue("support");
  REQUIRE(q.size() == 3);
  CHECK(q[0].id() == newer_high);
  CHECK(q[1].id() == old_low);
  CHECK(q[2].id() == newest_low);
}

TEST_CASE_FIXTURE(RoutingFixture, "going offline hands conversations back; colleagues with room take them") {
  wf.departments["support"] = {"least_busy", 2, {}, nullptr, {}};
  agent("ana", "support", "offline");
  agent("ben", "support", "online");
  std::vector<std::uint64_t> ids;
  for (int i = 0; i < 2; ++i) ids.push_back(queued("support"));
  REQUIRE(route());
  CHECK(assigned(ids) == std::map<std::string, int>{{"ben", 2}});

  REQUIRE(set("ana", "online", "ana"));
  events.clear();
  REQUIRE(set("ben", "offline", "admin"));
  CHECK(assigned(ids) == std::map<std::string, int>{{"ana", 2}});
  CHECK(routing.agent("ben")->presence() == "offline");
  bool presence_event = false;
  for (const auto& e : events)
    presence_event = presence_event || (e.kind() == inbox::Event::AGENT_PRESENCE &&
                                        e.assignee() == "ben" && e.status() == "offline");
  CHECK(presence_event);

  CHECK_FALSE(set("ben", "busy", "admin"));
  CHECK_FALSE(set("nobody", "online", "admin"));
}

TEST_CASE_FIXTURE(RoutingFixture, "the timer makes an unseen agent away; their page brings them back") {
  wf.away_after_ms = 60'000;
  agent("ana", "support", "offline");
  agent("ben", "support", "offline");
  REQUIRE(set("ana", "online", "ana"));
  REQUIRE(set("ben", "away", "ben"));  // by choice
  auto tick = [&] {
    REQUIRE(write([&](inbox::Tx& tx) -> Result<void> {
      presence.check_presence(tx);
      return {};
    }));
  };
  clock.advance(30'000);
  tick();
  CHECK(routing.agent("ana")->presence() == "online");
  clock.advance(31'000);
  tick();
  CHECK(routing.agent("ana")->presence() == "away");

  // The page is seen: the timer's away ends; a chosen away does not.
  CHECK(*presence.heartbeat("ana") == true);
  REQUIRE(write([&](inbox::Tx& tx) { return presence.come_back(tx, "ana"); }));
  presence.committed("ana", "online");
  CHECK(routing.agent("ana")->presence() == "online");
  CHECK(*presence.heartbeat("ana") == false);
  CHECK(*presence.heartbeat("ben") == false);
  CHECK(routing.agent("ben")->presence() == "away");
  CHECK_FALSE(presence.heartbeat("nobody"));

  // Heartbeats keep an agent online past the timeout.
  for (int i = 0; i < 5; ++i) {
    clock.advance(50'000);
    REQUIRE(presence.heartbeat("ana"));
    tick();
  }
  CHECK(routing.agent("ana")->presence() == "online");
}

TEST_CASE_FIXTURE(RoutingFixture, "the person a rule names takes it only when online and under the cap") {
  wf.departments["support"] = {"manual", 1, {}, nullptr, {}};
  agent("ana", "support", "online");
  agent("ben", "support", "away");
  auto give = [&](std::uint64_t id, const std::string& who) {
    REQUIRE(write([&](inbox::Tx& tx) -> Result<void> {
      inbox::Conversation c;
      REQUIRE(tx.load(id, c));
      c.mutable_handoff()->set_rule("vip");
      routing.assign_to_named_agent(tx, c, who);
      tx.save(c);
      return {};
    }));
  };
  const auto first = queued("support");
  const auto second = queued("support");
  const auto third = queued("support");
  give(first, "ben");
  CHECK(inbox::status_name_of(load(first)) == "queued");
  give(first, "ana");
  CHECK(load(first).assignee() == "ana");
  give(second, "ana");  // ana is at the department's cap of 1
  CHECK(inbox::status_name_of(load(second)) == "queued");
  give(third, "zed");
  CHECK(inbox::status_name_of(load(third)) == "queued");
}

}  // namespace sb::test
