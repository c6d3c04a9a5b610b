#include <doctest/doctest.h>

#include <algorithm>

#include "tests/support/workflow_fixture.h"

using namespace sb;

namespace {
struct Team : test::WorkflowFixture {
  Team() {
    (void)inbox.upsert_agent("cai", "Cai", "support");
    (void)inbox.upsert_agent("dee", "Dee", "support");
  }
};
}  // namespace

TEST_CASE_FIXTURE(Team, "manual: a handoff waits in the queue for an agent to pick it") {
  routing("support", "manual");
  REQUIRE(inbox.set_presence("ana", "online", "ana").ok());
  auto id = handoff("+1");
  CHECK(status(id) == "queued");
  CHECK(inbox.conversation(id)->department() == "support");  // the default department
  CHECK(inbox.queue("support").size() == 1);
}

TEST_CASE_FIXTURE(Team, "round robin among online members, each move says why") {
  routing("support", "round_robin");
  for (const char* a : {"ana", "cai", "dee"}) REQUIRE(inbox.set_presence(a, "online", a).ok());
  std::vector<std::string> got;
  for (int i = 0; i < 4; ++i) got.push_back(assignee(handoff("+" + std::to_string(i))));
  CHECK(got == std::vector<std::string>{"ana", "cai", "dee", "ana"});
  auto id = handoff("+9");
  CHECK(assignee(id) == "cai");
  CHECK(history_says(id, "assigned to Cai by round robin"));
  const auto& e = events.back();
  CHECK(e.kind() == inbox::Event::ASSIGNED);
  CHECK(e.assignee() == "cai");
  CHECK(e.text() == "assigned to Cai by round robin");
  // Someone away gets nothing new.
  REQUIRE(inbox.set_presence("dee", "away", "dee").ok());
  CHECK(assignee(handoff("+10")) == "ana");
  CHECK(assignee(handoff("+11")) == "cai");
}

TEST_CASE_FIXTURE(Team, "least busy, with a cap; a full team leaves the queue waiting") {
  routing("support", "least_busy", 2);
  REQUIRE(inbox.set_presence("ana", "online", "ana").ok());
  auto a1 = handoff("+1");
  CHECK(assignee(a1) == "ana");
  REQUIRE(inbox.set_presence("cai", "online", "cai").ok());
  auto c1 = handoff("+2");
  CHECK(assignee(c1) == "cai");
  CHECK(history_says(c1, "assigned to Cai by least busy (0 open)"));
  CHECK(assignee(handoff("+3")) != "");
  CHECK(assignee(handoff("+4")) != "");
  // Both at their cap of 2: the next ones wait.
  auto w1 = handoff("+5");
  CHECK(status(w1) == "queued");
  // Closing one frees Ana or Cai: the queue moves in the same transaction.
  REQUIRE(inbox.close(a1, "ana").ok());
  CHECK(assignee(w1) == "ana");
  CHECK(history_says(w1, "assigned to Ana by least busy (1 open)"));
}

TEST_CASE_FIXTURE(Team, "the queue drains by priority, then age, when a member comes online") {
  routing("support", "round_robin", 10);
  auto old_low = handoff("+1", "I want a human");          // priority 80
  clock.advance(1000);
  auto urgent = handoff("+2", "urgent, my line is down");  // priority 100
  clock.advance(1000);
  auto new_low = handoff("+3", "I want a human");
  clock.advance(1000);
  auto refund = handoff("+4", "refund please");            // priority 50
  auto q = inbox.queue("support");
  REQUIRE(q.size() == 4);
  CHECK(q[0].id() == urgent);
  CHECK(q[1].id() == old_low);
  CHECK(q[2].id() == new_low);
  CHECK(q[3].id() == refund);
  const auto before = events.size();
  REQUIRE(inbox.set_presence("ana", "online", "ana").ok());
  CHECK(inbox.queue("support").empty());
  std::vector<std::uint64_t> order;
  for (std::size_t i = before; i < events.size(); ++i)
    if (events[i].kind() == inbox::Event::ASSIGNED) order.push_back(events[i].conversation_id());
  CHECK(order == std::vector<std::uint64_t>{urgent, old_low, new_low, refund});
}

TEST_CASE_FIXTURE(Team, "an agent going offline hands their conversations to colleagues") {
  routing("support", "round_robin", 1);
  REQUIRE(inbox.set_presence("ana", "online", "ana").ok());
  auto a = handoff("+1");
  auto b = handoff("+2");
  CHECK(assignee(a) == "ana");
  CHECK(status(b) == "queued");  // Ana is at her cap
  REQUIRE(inbox.set_presence("cai", "online", "cai").ok());
  CHECK(assignee(b) == "cai");
  REQUIRE(inbox.set_presence("dee", "online", "dee").ok());
  REQUIRE(inbox.set_presence("ana", "offline", "ana").ok());
  CHECK(assignee(a) == "dee");
  CHECK(history_says(a, "back to the queue: Ana went offline"));
  CHECK(history_says(a, "assigned to Dee by round robin"));
  // Nobody free: an offline agent's conversation waits rather than being lost.
  REQUIRE(inbox.set_presence("dee", "offline", "admin").ok());
  CHECK(status(a) == "queued");
  CHECK(assignee(a).empty());
  auto presence = std::find_if(events.rbegin(), events.rend(), [](const auto& e) {
    return e.kind() == inbox::Event::AGENT_PRESENCE;
  });
  REQUIRE(presence != events.rend());
  CHECK(presence->assignee() == "dee");
  CHECK(presence->status() == "offline");
  CHECK_FALSE(inbox.set_presence("dee", "sleeping", "dee").ok());
  CHECK_FALSE(inbox.set_presence("zed", "online", "zed").ok());
}

TEST_CASE_FIXTURE(Team, "an agent whose page is gone becomes away; a heartbeat brings them back") {
  routing("support", "round_robin");
  auto w = inbox.workflow();
  w.away_after_ms = 5 * 60 * 1000;
  inbox.set_workflow(w);
  REQUIRE(inbox.set_presence("ana", "online", "ana").ok());
  REQUIRE(inbox.set_presence("cai", "online", "cai").ok());
  clock.advance(4 * 60 * 1000);
  REQUIRE(inbox.heartbeat("cai").ok());
  inbox.workflow_tick();
  CHECK(inbox.agent("ana")->presence() == "online");
  clock.advance(60 * 1000);
  inbox.workflow_tick();
  CHECK(inbox.agent("ana")->presence() == "away");
  CHECK(inbox.agent("cai")->presence() == "online");
  CHECK(events.back().text() == "Ana is away: page not seen for 5 min");
  CHECK(assignee(handoff("+1")) == "cai");  // away gets nothing new
  REQUIRE(inbox.heartbeat("ana").ok());
  CHECK(inbox.agent("ana")->presence() == "online");
  // A chosen away is not undone by a heartbeat.
  REQUIRE(inbox.set_presence("ana", "away", "ana").ok());
  REQUIRE(inbox.heartbeat("ana").ok());
  CHECK(inbox.agent("ana")->presence() == "away");
  CHECK_FALSE(inbox.heartbeat("zed").ok());
}

TEST_CASE_FIXTURE(Team, "a config reload keeps presence; other departments route on their own") {
  routing("support", "round_robin");
  routing("billing", "least_busy");
  REQUIRE(inbox.set_presence("ana", "online", "ana").ok());
  REQUIRE(inbox.set_presence("ben", "online", "ben").ok());
  REQUIRE(inbox.upsert_agent("ana", "Ana B.", "support").ok());
  CHECK(inbox.agent("ana")->presence() == "online");
  auto id = ingest("sms", "x", "+7", "hello")->conversation_id;
  REQUIRE(inbox.assign(id, std::string("billing"), std::nullopt, "ana").ok());
  CHECK(assignee(id) == "ben");
  CHECK(history_says(id, "assigned to Ben by least busy (0 open)"));
}

namespace {
// The default rules plus one naming a person: "account manager" goes to Cai.
void rule_naming(inbox::Inbox& in, const std::string& agent) {
  std::vector<handoff::RuleInfo> rules = handoff::RuleSet::embedded_default()->rules();
  handoff::RuleInfo r;
  r.id = "account_manager";
  r.kind = handoff::TriggerKind::user_request;
  r.patterns = {"account manager"};
  r.priority = 90;
  r.agent = agent;
  rules.push_back(r);
  auto set = handoff::RuleSet::compile(std::move(rules), {}, {"support"});
  REQUIRE(set.ok());
  in.set_rules(*set);
}
}  // namespace

TEST_CASE_FIXTURE(Team, "a rule naming an agent hands to them when online with room, else queues and says why") {
  routing("support", "manual", 1);
  rule_naming(inbox, "cai");
  // Offline: it waits in the department's queue like any handoff.
  auto first = handoff("+1", "I need my account manager");
  CHECK(status(first) == "queued");
  CHECK(history_says(first, "the rule names cai, but cai is offline: left in the queue"));
  CHECK(inbox.conversation(first)->handoff().agent() == "cai");
  // Online: straight to Cai, even with the department on manual routing.
  REQUIRE(inbox.set_presence("cai", "online", "cai").ok());
  auto second = handoff("+2", "I need my account manager");
  CHECK(assignee(second) == "cai");
  CHECK(history_says(second, "assigned to Cai by rule account_manager"));
  CHECK(std::any_of(events.begin(), events.end(), [&](const inbox::Event& e) {
    return e.kind() == inbox::Event::ASSIGNED && e.conversation_id() == second && e.assignee() == "cai";
  }));
  // At the department's cap of 1: queued again, and the history says so.
  auto third = handoff("+3", "I need my account manager");
  CHECK(status(third) == "queued");
  CHECK(history_says(third, "the rule names cai, but cai has 1 open already: left in the queue"));
  // Other rules are untouched by it.
  CHECK(status(handoff("+4", "I want a human")) == "queued");
}

TEST_CASE_FIXTURE(Team, "a rule naming a user who does not exist queues as usual") {
  routing("support", "manual");
  rule_naming(inbox, "zed");
  auto id = handoff("+1", "where is my account manager");
  CHECK(status(id) == "queued");
  CHECK(history_says(id, "the rule names zed, but no user 'zed': left in the queue"));
}

TEST_CASE("a rule's agent must look like a user name") {
  for (const std::string& bad : {std::string(), std::string(65, 'a'), std::string("a\nb")}) {
    handoff::RuleInfo r;
    r.id = "x";
    r.kind = handoff::TriggerKind::keyword;
    r.patterns = {"refund"};
    r.agent = bad;
    auto set = handoff::RuleSet::compile({r}, {}, {});
    REQUIRE_FALSE(set.ok());
    CHECK(set.error().message.find("agent must be a user name") != std::string::npos);
  }
}
