// After a conversation, on the fake clock: auto-close of the quiet ones (marked, with the
// closing message on their channel) and the satisfaction survey whose answer, within its window,
// lands on the closed conversation without reopening it or waking the bot.
#include <doctest/doctest.h>

#include "tests/support/inbox_fixture.h"
#include "tests/support/time_units.h"

using namespace sb;

namespace {
using test::kHour;

std::size_t idle_entries(store::Store& s) {
  std::size_t n = 0;
  s.read([&](const store::ReadTxn& r) { n = r.entries(store::Table::idle_since); });
  return n;
}
std::vector<inbox::Message> outbound(inbox::Inbox& in, std::uint64_t id) {
  std::vector<inbox::Message> out;
  for (auto& m : in.history(id))
    if (m.direction() == "out" && m.author() != "system") out.push_back(m);
  return out;
}
}  // namespace

TEST_CASE_FIXTURE(test::InboxFixture, "auto-close: quiet conversations close on the timer, marked, with the message") {
  inbox::WorkflowConfig w;
  w.auto_close.after_ms = 24 * kHour;
  w.auto_close.message = "We closed this chat. Write any time to open it again.";
  inbox.set_workflow(w);
  clock.set_wall(1'800'000'000'000);
  auto quiet = ingest("whatsapp", "1", "+1", "hello");          // the bot greets: answered
  auto waiting = ingest("sms", "2", "+2", "I want a refund");   // queued: a human owes a reply
  auto assigned = ingest("webchat", "3", "w-3", "refund please");
  REQUIRE(inbox.reply(assigned->conversation_id, "ana", "On it").ok());
  REQUIRE(quiet.ok());
  CHECK(idle_entries(*store) == 2);  // the bot's and Ana's; the queued one is not filed

  clock.advance(12 * kHour);
  REQUIRE(ingest("webchat", "4", "w-3", "thanks, any news?").ok());  // the customer has the last word
  clock.advance(12 * kHour - 1000);
  inbox.workflow_tick();
  CHECK(inbox::status_name_of(*inbox.conversation(quiet->conversation_id)) == "bot");  // a second early
  clock.advance(2000);
  events.clear();
  inbox.workflow_tick();
  auto c = inbox.conversation(quiet->conversation_id);
  CHECK(inbox::status_name_of(*c) == "closed");
  CHECK(c->auto_closed());
  CHECK(c->closed_at_ms() == clock.wall_ms());
  CHECK(outbound(inbox, c->id()).back().text() == w.auto_close.message);
  CHECK(inbox.history(c->id()).back().text() == "closed automatically: the customer was silent for 24 h");
  bool closed_event = false;
  for (const auto& e : events)
    closed_event = closed_event || (e.kind() == inbox::Event::CLOSED && e.text() == "auto_close");
  CHECK(closed_event);
  CHECK(inbox::status_name_of(*inbox.conversation(waiting->conversation_id)) == "queued");
  CHECK(inbox::status_name_of(*inbox.conversation(assigned->conversation_id)) == "assigned");  // not answered yet

  // Ana answers; 24 hours of quiet after that close it.
  REQUIRE(inbox.reply(assigned->conversation_id, "ana", "Shipped today").ok());
  clock.advance(23 * kHour);
  inbox.workflow_tick();
  CHECK(inbox::status_name_of(*inbox.conversation(assigned->conversation_id)) == "assigned");
  clock.advance(kHour);
  inbox.workflow_tick();
  CHECK(inbox.conversation(assigned->conversation_id)->auto_closed());
  CHECK(idle_entries(*store) == 0);

  // Closed by a person, it is not counted as auto-closed.
  REQUIRE(inbox.reopen(quiet->conversation_id, "ana").ok());
  REQUIRE(inbox.close(quiet->conversation_id, "ana").ok());
  CHECK_FALSE(inbox.conversation(quiet->conversation_id)->auto_closed());
}

TEST_CASE_FIXTURE(test::InboxFixture, "auto-close is off by default and a conversation that went on is filed again") {
  clock.set_wall(1'800'000'000'000);
  auto r = ingest("whatsapp", "1", "+1", "hello");
  clock.advance(400 * 24 * kHour);
  inbox.workflow_tick();
  CHECK(inbox::status_name_of(*inbox.conversation(r->conversation_id)) == "bot");  // off: nothing closes

  inbox::WorkflowConfig w;
  w.auto_close.after_ms = kHour;
  inbox.set_workflow(w);
  REQUIRE(ingest("whatsapp", "2", "+1", "still there?").ok());  // the bot answers: quiet from now
  clock.advance(kHour / 2);
  inbox.workflow_tick();  // the entry filed 400 days ago is due, the conversation is not
  CHECK(inbox::status_name_of(*inbox.conversation(r->conversation_id)) == "bot");
  CHECK(idle_entries(*store) == 1);
  const auto sent = outbound(inbox, r->conversation_id).size();
  clock.advance(kHour / 2);
  inbox.workflow_tick();
  CHECK(inbox::status_name_of(*inbox.conversation(r->conversation_id)) == "closed");
  CHECK(outbound(inbox, r->conversation_id).size() == sent);  // no closing message configured
}

TEST_CASE_FIXTURE(test::InboxFixture, "a satisfaction answer within the window lands on the closed conversation") {
  inbox::WorkflowConfig w;
  w.csat.enabled = true;
  w.csat.window_ms = 24 * kHour;
  inbox.set_workflow(w);
  clock.set_wall(1'800'000'000'000);
  auto r = ingest("whatsapp", "1", "+1", "I want a refund");
  const auto id = r->conversation_id;
  REQUIRE(inbox.reply(id, "ana", "Refunded").ok());
  REQUIRE(inbox.close(id, "ana").ok());
  CHECK(outbound(inbox, id).back().text() == w.csat.question);
  CHECK(inbox.conversation(id)->csat_asked_at_ms() == clock.wall_ms());

  clock.advance(kHour);
  CHECK(ingest("whatsapp", "2", "+1", "great service!").ok());  // not an answer: reopens
  CHECK(inbox::status_name_of(*inbox.conversation(id)) != "closed");
  CHECK(inbox.conversation(id)->csat_score() == 0);
  REQUIRE(inbox.close(id, "ana").ok());  // asked again

  const auto before = outbound(inbox, id).size();
  events.clear();
  auto a = ingest("whatsapp", "3", "+1", " 4\n");
  REQUIRE(a.ok());
  CHECK(a->conversation_id == id);
  CHECK(inbox::status_name(a->status) == "closed");
  auto c = inbox.conversation(id);
  CHECK(inbox::status_name_of(*c) == "closed");
  CHECK(c->csat_score() == 4);
  CHECK(c->csat_at_ms() == clock.wall_ms());
  CHECK(outbound(inbox, id).size() == before);  // no bot turn
  bool answered = false, receipt = false;
  for (const auto& e : events) {
    answered = answered || (e.kind() == inbox::Event::CSAT_ANSWERED && e.text() == "4" && e.assignee() == "ana");
    receipt = receipt || (e.kind() == inbox::Event::MESSAGE_IN && e.external_id() == "3");
    CHECK(e.kind() != inbox::Event::REOPENED);
  }
  CHECK(answered);
  CHECK(receipt);
  // A second digit is a message again: the answer is taken once.
  REQUIRE(ingest("whatsapp", "4", "+1", "5").ok());
  CHECK(inbox.conversation(id)->csat_score() == 4);
  CHECK(inbox::status_name_of(*inbox.conversation(id)) != "closed");
}

TEST_CASE_FIXTURE(test::InboxFixture, "a satisfaction answer after the window reopens as any message does") {
  inbox::WorkflowConfig w;
  w.csat.enabled = true;
  w.csat.window_ms = 2 * kHour;
  inbox.set_workflow(w);
  clock.set_wall(1'800'000'000'000);
  auto r = ingest("sms", "1", "+1", "refund please");
  const auto id = r->conversation_id;
  REQUIRE(inbox.reply(id, "ana", "Done").ok());
  REQUIRE(inbox.close(id, "ana").ok());
  clock.advance(2 * kHour + 1);
  REQUIRE(ingest("sms", "2", "+1", "5").ok());
  CHECK(inbox.conversation(id)->csat_score() == 0);
  CHECK(inbox::status_name_of(*inbox.conversation(id)) != "closed");

  // Never asked (the bot alone had it, or the survey is off): a digit is just a message.
  auto b = ingest("sms", "3", "+9", "hello");
  REQUIRE(inbox.close(b->conversation_id, "ana").ok());
  CHECK(outbound(inbox, b->conversation_id).back().text() != w.csat.question);
  REQUIRE(ingest("sms", "4", "+9", "3").ok());
  CHECK(inbox.conversation(b->conversation_id)->csat_score() == 0);
}

TEST_CASE("what counts as a satisfaction answer") {
  CHECK(inbox::csat_answer("1") == 1);
  CHECK(inbox::csat_answer("  5 ") == 5);
  CHECK(inbox::csat_answer("\t3\r\n") == 3);
  CHECK_FALSE(inbox::csat_answer("0"));
  CHECK_FALSE(inbox::csat_answer("6"));
  CHECK_FALSE(inbox::csat_answer("45"));
  CHECK_FALSE(inbox::csat_answer("5 stars"));
  CHECK_FALSE(inbox::csat_answer(""));
  CHECK_FALSE(inbox::csat_answer(std::string(40, ' ') + "5"));
}
