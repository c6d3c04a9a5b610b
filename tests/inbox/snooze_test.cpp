// Snooze on the fake clock: out of the lists until the time (woken by the timer) or until the
// customer writes, then back first (woke_at_ms) until an agent answers.
#include <doctest/doctest.h>

#include "tests/support/inbox_fixture.h"

using namespace sb;

namespace {
bool listed(inbox::Inbox& in, std::uint64_t id, bool snoozed = false) {
  inbox::ConversationFilter f;
  f.snoozed = snoozed;
  for (const auto& c : in.conversations(f))
    if (c.id() == id) return true;
  return false;
}
}  // namespace

TEST_CASE_FIXTURE(test::InboxFixture, "a timed snooze leaves the lists and the timer wakes it") {
  clock.set_wall(1'800'000'000'000);
  auto r = ingest("whatsapp", "1", "+1", "I want a refund");
  REQUIRE(r.ok());
  const auto id = r->conversation_id;
  REQUIRE(inbox.reply(id, "ana", "Let me check with the warehouse").ok());
  CHECK_FALSE(inbox.snooze(id, clock.wall_ms() - 1, "ana").ok());  // in the past
  REQUIRE(inbox.snooze(id, clock.wall_ms() + 3'600'000, "ana").ok());
  CHECK_FALSE(listed(inbox, id));
  CHECK(listed(inbox, id, true));
  CHECK(inbox.conversation(id)->snoozed());

  clock.advance(3'599'000);
  inbox.workflow_tick();
  CHECK(inbox.conversation(id)->snoozed());  // a second early
  clock.advance(2'000);
  events.clear();
  inbox.workflow_tick();
  auto c = inbox.conversation(id);
  CHECK_FALSE(c->snoozed());
  CHECK(c->woke_at_ms() == clock.wall_ms());
  CHECK(listed(inbox, id));
  bool woken = false;
  for (const auto& e : events) woken = woken || (e.kind() == inbox::Event::WOKEN && e.conversation_id() == id);
  CHECK(woken);
  CHECK(inbox.history(id).back().text() == "back from snooze: the snooze ended");
  std::size_t due = 1;
  store->read([&](const store::ReadTxn& t) { due = t.entries(store::Table::snooze_due); });
  CHECK(due == 0);

  // An agent's answer ends its place at the top.
  REQUIRE(inbox.reply(id, "ana", "Found it").ok());
  CHECK(inbox.conversation(id)->woke_at_ms() == 0);
}

TEST_CASE_FIXTURE(test::InboxFixture, "snoozed until the customer writes: their message wakes it") {
  clock.set_wall(1'800'000'000'000);
  auto r = ingest("sms", "1", "+2", "I want to talk to a human");
  REQUIRE(r.ok());
  const auto id = r->conversation_id;
  REQUIRE(inbox.snooze(id, 0, "ana").ok());
  clock.advance(30LL * 86'400'000);
  inbox.workflow_tick();
  CHECK(inbox.conversation(id)->snoozed());  // no time set: the timer leaves it
  CHECK_FALSE(listed(inbox, id));
  REQUIRE(ingest("sms", "2", "+2", "any news?").ok());
  auto c = inbox.conversation(id);
  CHECK_FALSE(c->snoozed());
  CHECK(c->woke_at_ms() == clock.wall_ms());
  CHECK(listed(inbox, id));
}

TEST_CASE_FIXTURE(test::InboxFixture, "closing or waking by hand ends a snooze; closed ones cannot snooze") {
  clock.set_wall(1'800'000'000'000);
  auto a = ingest("sms", "1", "+3", "refund please");
  auto b = ingest("sms", "2", "+4", "refund please");
  REQUIRE(inbox.snooze(a->conversation_id, clock.wall_ms() + 60'000, "ana").ok());
  REQUIRE(inbox.close(a->conversation_id, "ana").ok());
  CHECK_FALSE(inbox.conversation(a->conversation_id)->snoozed());
  std::size_t due = 1;
  store->read([&](const store::ReadTxn& t) { due = t.entries(store::Table::snooze_due); });
  CHECK(due == 0);
  CHECK_FALSE(inbox.snooze(a->conversation_id, 0, "ana").ok());
  REQUIRE(inbox.snooze(b->conversation_id, clock.wall_ms() + 60'000, "ana").ok());
  REQUIRE(inbox.unsnooze(b->conversation_id, "ben").ok());
  CHECK_FALSE(inbox.conversation(b->conversation_id)->snoozed());
  CHECK_FALSE(inbox.unsnooze(b->conversation_id, "ben").ok());
}
