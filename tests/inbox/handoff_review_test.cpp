// An agent's verdict on a handoff: marked on the conversation's handoff record, told in its
// history and as an event, refused where there is nothing to judge.
#include <doctest/doctest.h>

#include "tests/support/inbox_fixture.h"

using namespace sb;

TEST_CASE_FIXTURE(test::InboxFixture, "a handoff marked not needed, then needed again") {
  auto r = ingest("whatsapp", "1", "+1", "I want to talk to a human");
  REQUIRE(r.ok());
  const auto id = r->conversation_id;
  REQUIRE(inbox::status_name_of(*inbox.conversation(id)) == "queued");
  events.clear();
  REQUIRE(inbox.review_handoff(id, true, "ana").ok());
  auto c = inbox.conversation(id);
  CHECK(c->handoff().not_needed());
  CHECK(c->handoff().reviewed_by() == "ana");
  CHECK(inbox::status_name_of(*c) == "queued");  // a verdict, not an action on the conversation
  CHECK(inbox.history(id).back().text() == "handoff marked not needed by ana");
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind() == inbox::Event::HANDOFF_REVIEWED);
  CHECK(events[0].text() == "not_needed");

  auto again = inbox.review_handoff(id, true, "ben");
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == ErrorCode::conflict);
  CHECK(inbox.conversation(id)->handoff().reviewed_by() == "ana");

  REQUIRE(inbox.review_handoff(id, false, "ben").ok());
  CHECK_FALSE(inbox.conversation(id)->handoff().not_needed());
  CHECK(inbox.history(id).back().text() == "handoff marked needed again by ben");
}

TEST_CASE_FIXTURE(test::InboxFixture, "nothing to judge: no handoff, or no such conversation") {
  auto r = ingest("sms", "1", "+2", "what are your opening hours");
  REQUIRE(r.ok());
  REQUIRE(inbox::status_name_of(*inbox.conversation(r->conversation_id)) == "bot");
  auto none = inbox.review_handoff(r->conversation_id, true, "ana");
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == ErrorCode::conflict);
  auto missing = inbox.review_handoff(r->conversation_id + 100, true, "ana");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::not_found);
}
