// Transfer with a note: to a colleague or a department's queue; the note is private (history
// and the conversation, never the channel); a department at capacity keeps it waiting.
#include <doctest/doctest.h>

#include "tests/support/inbox_fixture.h"

using namespace sb;

namespace {
std::size_t outbox_entries(store::Store& s) {
  std::size_t n = 0;
  s.read([&](const store::ReadTxn& r) { n = r.entries(store::Table::channel_outbox); });
  return n;
}
}  // namespace

TEST_CASE_FIXTURE(test::InboxFixture, "a transfer to a colleague carries a private note") {
  auto r = ingest("whatsapp", "1", "+1", "I want a refund");
  REQUIRE(r.ok());
  const auto id = r->conversation_id;
  REQUIRE(inbox.reply(id, "ana", "Let me look").ok());
  const std::size_t outbox = outbox_entries(*store);
  events.clear();
  REQUIRE(inbox.transfer(id, std::nullopt, "ben", "Paid twice on 3 Nov, card ends 4417", "ana").ok());
  auto c = inbox.conversation(id);
  CHECK(inbox::status_name_of(*c) == "assigned");
  CHECK(c->assignee() == "ben");
  CHECK(c->department() == "billing");  // the receiver's department
  CHECK(c->transfer_note() == "Paid twice on 3 Nov, card ends 4417");
  CHECK(c->transfer_by() == "ana");
  CHECK(outbox_entries(*store) == outbox);  // nothing for the customer's channel
  auto h = inbox.history(id);
  REQUIRE(h.size() >= 2);
  CHECK(h.back().note());
  CHECK(h.back().text() == "Paid twice on 3 Nov, card ends 4417");
  CHECK(h.back().transfer_to() == "agent ben");
  CHECK(h[h.size() - 2].text() == "transferred to agent ben by ana");
  bool transferred = false;
  for (const auto& e : events) {
    CHECK(e.kind() != inbox::Event::MESSAGE_OUT);
    if (e.kind() == inbox::Event::TRANSFERRED) {
      transferred = true;
      CHECK(e.assignee() == "ben");
      CHECK(e.actor() == "ana");
      CHECK(e.text() == "Paid twice on 3 Nov, card ends 4417");
    }
  }
  CHECK(transferred);
  // The customer's last seen text is not the note.
  CHECK(c->last_text() == "Let me look");
  REQUIRE(inbox.close(id, "ben").ok());
  CHECK(inbox.conversation(id)->transfer_note().empty());
}

TEST_CASE_FIXTURE(test::InboxFixture, "a department at capacity keeps a transfer in its queue") {
  inbox::WorkflowConfig w;
  w.departments["billing"].policy = "round_robin";
  w.departments["billing"].max_per_agent = 1;
  inbox.set_workflow(w);
  REQUIRE(inbox.set_presence("ben", "online", "ben").ok());
  auto first = ingest("sms", "1", "+2", "hello");
  REQUIRE(inbox.transfer(first->conversation_id, "billing", std::nullopt, "", "ana").ok());
  CHECK(inbox.conversation(first->conversation_id)->assignee() == "ben");  // routed at once

  auto second = ingest("sms", "2", "+3", "hello");
  const auto id = second->conversation_id;
  REQUIRE(inbox.transfer(id, "billing", std::nullopt, "VAT question", "ana").ok());
  auto c = inbox.conversation(id);
  CHECK(inbox::status_name_of(*c) == "queued");  // Ben is at his cap: it waits, nothing refused
  CHECK(c->department() == "billing");
  auto q = inbox.queue("billing");
  REQUIRE(q.size() == 1);
  CHECK(q[0].id() == id);

  REQUIRE(inbox.close(first->conversation_id, "ben").ok());  // Ben has room again
  c = inbox.conversation(id);
  CHECK(inbox::status_name_of(*c) == "assigned");
  CHECK(c->assignee() == "ben");
  CHECK(c->transfer_note() == "VAT question");  // the receiver still sees why it came
}

TEST_CASE_FIXTURE(test::InboxFixture, "a refused transfer changes nothing") {
  auto r = ingest("sms", "1", "+4", "hello");
  const auto id = r->conversation_id;
  const auto before = inbox.history(id).size();
  CHECK_FALSE(inbox.transfer(id, std::nullopt, std::nullopt, "x", "ana").ok());
  CHECK_FALSE(inbox.transfer(id, "nowhere", std::nullopt, "x", "ana").ok());
  CHECK_FALSE(inbox.transfer(id, std::nullopt, "nobody", "x", "ana").ok());
  CHECK_FALSE(inbox.transfer(id, "billing", std::nullopt,
                             std::string(inbox::Inbox::kMaxTransferNote + 1, 'n'), "ana").ok());
  CHECK(inbox.transfer(id, "billing", std::nullopt, std::string(inbox::Inbox::kMaxTransferNote, 'n'),
                       "ana").ok());
  CHECK(inbox.history(id).size() == before + 2);  // the line saying so, and the note
  REQUIRE(inbox.close(id, "ana").ok());
  auto closed = inbox.transfer(id, "support", std::nullopt, "", "ana");
  CHECK_FALSE(closed.ok());
  CHECK(closed.error().code == ErrorCode::conflict);
  CHECK(inbox.conversation(id)->department() == "billing");
}
