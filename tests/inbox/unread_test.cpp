// Unread counts on the server: the customer's messages since the one who answers last had the
// conversation on screen; marked through the write queue, cleared by a reply.
#include <doctest/doctest.h>

#include "tests/support/inbox_fixture.h"

using namespace sb;

namespace {
// mark_seen's answer once its commit ran (the fixture's loop runs the queue).
Result<bool> seen(test::InboxFixture& f, std::uint64_t id, const std::string& viewer) {
  std::optional<Result<bool>> got;
  f.inbox.mark_seen(id, viewer, [&](Result<bool> r) { got = std::move(r); });
  f.run_posted();
  REQUIRE(got.has_value());
  return *got;
}
}  // namespace

TEST_CASE_FIXTURE(test::InboxFixture, "unread: counted while queued, seen by anyone, then by the assignee only") {
  auto r = ingest("whatsapp", "1", "+1", "I want to talk to a human");
  REQUIRE(r.ok());
  const auto id = r->conversation_id;
  REQUIRE(inbox::status_name_of(*inbox.conversation(id)) == "queued");
  CHECK(inbox::unread_of(*inbox.conversation(id)) == 1);
  REQUIRE(ingest("whatsapp", "2", "+1", "hello? anyone there").ok());
  CHECK(inbox::unread_of(*inbox.conversation(id)) == 2);

  auto s = seen(*this, id, "ben");  // waiting unassigned: whoever looks has seen it
  REQUIRE(s.ok());
  CHECK(*s);
  CHECK(inbox::unread_of(*inbox.conversation(id)) == 0);
  CHECK_FALSE(*seen(*this, id, "ben"));  // nothing new: no write

  REQUIRE(inbox.assign(id, std::nullopt, std::string("ana"), "root").ok());
  REQUIRE(ingest("whatsapp", "3", "+1", "my order 4471 never came").ok());
  CHECK(inbox::unread_of(*inbox.conversation(id)) == 1);
  CHECK_FALSE(*seen(*this, id, "ben"));  // a colleague's look leaves Ana's count
  CHECK(inbox::unread_of(*inbox.conversation(id)) == 1);
  CHECK(*seen(*this, id, "ana"));
  CHECK(inbox::unread_of(*inbox.conversation(id)) == 0);

  REQUIRE(ingest("whatsapp", "4", "+1", "and the refund?").ok());
  REQUIRE(ingest("whatsapp", "5", "+1", "??").ok());
  CHECK(inbox::unread_of(*inbox.conversation(id)) == 2);
  REQUIRE(inbox.reply(id, "ana", "Refund sent today").ok());  // answering is reading
  CHECK(inbox::unread_of(*inbox.conversation(id)) == 0);

  REQUIRE(ingest("whatsapp", "6", "+1", "thanks").ok());
  REQUIRE(inbox.close(id, "ana").ok());
  CHECK(inbox::unread_of(*inbox.conversation(id)) == 0);  // closed: nothing to attend to

  auto missing = seen(*this, id + 100, "ana");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::not_found);
}

TEST_CASE_FIXTURE(test::InboxFixture, "unread: the bot's conversations count nothing") {
  auto r = ingest("sms", "1", "+2", "what are your opening hours");
  REQUIRE(r.ok());
  REQUIRE(inbox::status_name_of(*inbox.conversation(r->conversation_id)) == "bot");
  CHECK(inbox::unread_of(*inbox.conversation(r->conversation_id)) == 0);
  CHECK_FALSE(*seen(*this, r->conversation_id, "ana"));
}
