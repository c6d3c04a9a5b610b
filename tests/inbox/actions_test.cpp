#include <doctest/doctest.h>

#include "services/common/bytes.h"
#include "tests/support/inbox_fixture.h"

using namespace sb;

namespace {
// Everything about a conversation a refused action must leave alone.
std::string snapshot(test::InboxFixture& f, std::uint64_t id) {
  auto c = f.inbox.conversation(id);
  return c->SerializeAsString() + std::to_string(f.inbox.history(id).size());
}
}  // namespace

TEST_CASE_FIXTURE(test::InboxFixture, "reply as agent takes the conversation from the bot") {
  auto r = ingest("whatsapp", "1", "+1", "hello");
  auto id = inbox.reply(r->conversation_id, "ana", "Hello from Ana");
  REQUIRE(id.ok());
  auto c = inbox.conversation(r->conversation_id);
  CHECK(inbox::status_name_of(*c) == "assigned");
  CHECK(c->assignee() == "ana");
  CHECK(c->handoff().trigger() == "manual");
  auto m = inbox.message(*id);
  REQUIRE(m);
  CHECK(m->author() == "agent");
  CHECK(inbox::outbound_name_of(*m) == "queued");
  CHECK_FALSE(inbox.reply(r->conversation_id, "ana", "").ok());
}

TEST_CASE_FIXTURE(test::InboxFixture, "assign to a department queues; to an agent assigns") {
  auto r = ingest("whatsapp", "1", "+1", "hello");
  REQUIRE(inbox.assign(r->conversation_id, std::string("billing"), std::nullopt, "ana").ok());
  auto c = inbox.conversation(r->conversation_id);
  CHECK(inbox::status_name_of(*c) == "queued");
  CHECK(c->department() == "billing");
  CHECK(c->handoff().trigger() == "manual");
  REQUIRE(inbox.assign(r->conversation_id, std::nullopt, std::string("ben"), "ana").ok());
  c = inbox.conversation(r->conversation_id);
  CHECK(inbox::status_name_of(*c) == "assigned");
  CHECK(c->assignee() == "ben");
  REQUIRE(inbox.unassign(r->conversation_id, "ben").ok());
  CHECK(inbox::status_name_of(*inbox.conversation(r->conversation_id)) == "queued");
}

TEST_CASE_FIXTURE(test::InboxFixture, "refused actions say why and change nothing") {
  auto r = ingest("whatsapp", "1", "+1", "hello");
  const auto id = r->conversation_id;
  const auto events_before = events.size();
  auto before = snapshot(*this, id);

  auto unknown_dep = inbox.assign(id, std::string("nowhere"), std::nullopt, "ana");
  REQUIRE_FALSE(unknown_dep.ok());
  CHECK(unknown_dep.error().message == "unknown department 'nowhere'");
  auto unknown_agent = inbox.assign(id, std::nullopt, std::string("zed"), "ana");
  REQUIRE_FALSE(unknown_agent.ok());
  CHECK(unknown_agent.error().message == "unknown agent 'zed'");
  CHECK_FALSE(inbox.assign(id, std::nullopt, std::nullopt, "ana").ok());
  CHECK_FALSE(inbox.untag(id, "VIP", "ana").ok());
  CHECK_FALSE(inbox.archive(id, "ana").ok());  // only a closed one is archived
  CHECK_FALSE(inbox.reopen(id, "ana").ok());   // it is open
  CHECK_FALSE(inbox.unassign(id, "ana").ok());
  CHECK_FALSE(inbox.close(4242, "ana").ok());
  CHECK(snapshot(*this, id) == before);
  CHECK(events.size() == events_before);

  REQUIRE(inbox.close(id, "ana").ok());
  REQUIRE(inbox.archive(id, "ana").ok());
  before = snapshot(*this, id);
  auto close_archived = inbox.close(id, "ana");
  REQUIRE_FALSE(close_archived.ok());
  CHECK(close_archived.error().message.find("archived") != std::string::npos);
  CHECK_FALSE(inbox.tag(id, "VIP", "ana").ok());
  CHECK_FALSE(inbox.reply(id, "ana", "hi").ok());
  CHECK_FALSE(inbox.assign(id, std::string("billing"), std::nullopt, "ana").ok());
  CHECK(snapshot(*this, id) == before);
}

TEST_CASE_FIXTURE(test::InboxFixture, "tags are added once and removed") {
  auto r = ingest("whatsapp", "1", "+1", "hello");
  const auto id = r->conversation_id;
  REQUIRE(inbox.tag(id, "Hot Lead", "ana").ok());
  REQUIRE(inbox.tag(id, "VIP", "ana").ok());
  CHECK_FALSE(inbox.tag(id, "VIP", "ana").ok());
  CHECK_FALSE(inbox.tag(id, "", "ana").ok());
  auto c = inbox.conversation(id);
  REQUIRE(c->tags_size() == 2);
  REQUIRE(inbox.untag(id, "Hot Lead", "ana").ok());
  c = inbox.conversation(id);
  REQUIRE(c->tags_size() == 1);
  CHECK(c->tags(0) == "VIP");
  inbox::ConversationFilter f;
  f.tag = "VIP";
  CHECK(inbox.conversations(f).size() == 1);
  f.tag = "Hot Lead";
  CHECK(inbox.conversations(f).empty());
}

TEST_CASE_FIXTURE(test::InboxFixture, "close, archive, reopen follow the conversation's life") {
  auto r = ingest("whatsapp", "1", "+1", "hello");
  const auto id = r->conversation_id;
  REQUIRE(inbox.close(id, "ana").ok());
  CHECK(inbox::status_name_of(*inbox.conversation(id)) == "closed");
  CHECK_FALSE(inbox.close(id, "ana").ok());
  REQUIRE(inbox.reopen(id, "ana").ok());
  CHECK(inbox::status_name_of(*inbox.conversation(id)) == "bot");
  REQUIRE(inbox.close(id, "ana").ok());
  REQUIRE(inbox.archive(id, "ana").ok());
  // A newer conversation of the same contact blocks reopening the archived one.
  auto newer = ingest("whatsapp", "2", "+1", "new");
  REQUIRE(newer->conversation_id != id);
  CHECK_FALSE(inbox.reopen(id, "ana").ok());
  REQUIRE(inbox.close(newer->conversation_id, "ana").ok());
  CHECK_FALSE(inbox.reopen(id, "ana").ok());  // a closed one still takes the contact's next message
  REQUIRE(inbox.archive(newer->conversation_id, "ana").ok());
  REQUIRE(inbox.reopen(id, "ana").ok());
  CHECK(inbox::status_name_of(*inbox.conversation(id)) == "bot");
}

TEST_CASE_FIXTURE(test::InboxFixture, "outbound status moves forward and leaves the channel outbox") {
  auto r = ingest("whatsapp", "1", "+1", "hello");
  auto id = inbox.reply(r->conversation_id, "ana", "hi");
  REQUIRE(id.ok());
  auto in_outbox = [&] {
    bool found = false;
    store->read([&](const store::ReadTxn& t) {
      found = t.get(store::Table::channel_outbox, be64(*id)).has_value();
    });
    return found;
  };
  CHECK(in_outbox());
  REQUIRE(inbox.set_outbound_status(*id, inbox::OUTBOUND_DELIVERED).ok());
  CHECK(inbox::outbound_name_of(*inbox.message(*id)) == "delivered");
  CHECK_FALSE(in_outbox());
  REQUIRE(inbox.set_outbound_status(*id, inbox::OUTBOUND_SENT).ok());  // late report: no step back
  CHECK(inbox::outbound_name_of(*inbox.message(*id)) == "delivered");
  CHECK_FALSE(inbox::parse_outbound("bogus"));  // no such status
  CHECK_FALSE(inbox.set_outbound_status(*id, inbox::OUTBOUND_QUEUED).ok());  // not a report
  CHECK_FALSE(inbox.set_outbound_status(987654, inbox::OUTBOUND_SENT).ok());
}
