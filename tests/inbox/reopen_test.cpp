// Reopen gives a conversation back to the person who had it (or to the queue) and the bot
// stays silent; a fallback-loop handoff tells the customer a person takes over.
#include <doctest/doctest.h>

#include "tests/support/inbox_fixture.h"

using namespace sb;

namespace {
const std::string kNotice = "Thank you. A person from our team will take over shortly.";
}

TEST_CASE_FIXTURE(test::InboxFixture, "reopen: back with the agent who had it, and the bot stays silent") {
  auto r = ingest("whatsapp", "1", "+1", "There's a gas leak in the kitchen");
  const auto id = r->conversation_id;
  REQUIRE(inbox::status_name_of(*inbox.conversation(id)) == "queued");
  REQUIRE(inbox.assign(id, std::nullopt, std::string("ana"), "root").ok());
  REQUIRE(inbox.reply(id, "ana", "On my way").ok());
  REQUIRE(inbox.close(id, "ana").ok());
  REQUIRE(inbox.reopen(id, "ana").ok());
  auto c = inbox.conversation(id);
  CHECK(inbox::status_name_of(*c) == "assigned");
  CHECK(c->assignee() == "ana");
  const auto bot_before = by_author(id, "bot").size();
  REQUIRE(ingest("whatsapp", "2", "+1", "asdf qwer").ok());  // would be a bot fallback
  CHECK(by_author(id, "bot").size() == bot_before);
  CHECK(inbox::status_name_of(*inbox.conversation(id)) == "assigned");
}

TEST_CASE_FIXTURE(test::InboxFixture, "reopen: a handed-off conversation nobody held goes back to the queue") {
  auto r = ingest("whatsapp", "1", "+1", "I want a refund");
  const auto id = r->conversation_id;
  REQUIRE(inbox::status_name_of(*inbox.conversation(id)) == "queued");
  REQUIRE(inbox.close(id, "root").ok());
  REQUIRE(inbox.reopen(id, "root").ok());
  CHECK(inbox::status_name_of(*inbox.conversation(id)) == "queued");
  CHECK(inbox.conversation(id)->assignee().empty());
}

TEST_CASE_FIXTURE(test::InboxFixture, "a fallback-loop handoff sends the customer the notice") {
  auto r = ingest("whatsapp", "1", "+1", "qzx vbnm");
  REQUIRE(ingest("whatsapp", "2", "+1", "wqj zzt").ok());
  CHECK(by_author(r->conversation_id, "bot").back().text() != kNotice);
  REQUIRE(ingest("whatsapp", "3", "+1", "mnbv cxz").ok());  // fallback 2: hands off
  auto c = inbox.conversation(r->conversation_id);
  REQUIRE(c->handoff().trigger() == "fallback_loop");
  CHECK(by_author(c->id(), "bot").back().text() == kNotice);
}
