#include <doctest/doctest.h>

#include "tests/support/inbox_fixture.h"

using namespace sb;
using inbox::Event;

TEST_CASE_FIXTURE(test::InboxFixture, "a first message opens a conversation with the bot, which greets") {
  auto r = ingest("whatsapp", "wa-1", "+4915100001", "hello there");
  REQUIRE(r.ok());
  CHECK_FALSE(r->duplicate);
  auto c = inbox.conversation(r->conversation_id);
  REQUIRE(c);
  CHECK(inbox::status_name_of(*c) == "bot");
  CHECK(c->channel() == "whatsapp");
  CHECK(c->contact() == "+4915100001");
  auto in = by_author(c->id(), "contact");
  REQUIRE(in.size() == 1);
  CHECK(in[0].text() == "hello there");
  CHECK(in[0].external_id() == "wa-1");
  auto bot = by_author(c->id(), "bot");
  REQUIRE(bot.size() == 1);
  CHECK(inbox::outbound_name_of(bot[0]) == "queued");
  // Events: opened, message_in (the receipt, with the external id), message_out.
  REQUIRE(events.size() == 3);
  CHECK(events[0].kind() == Event::CONVERSATION_OPENED);
  CHECK(events[1].kind() == Event::MESSAGE_IN);
  CHECK(events[1].external_id() == "wa-1");
  CHECK(events[1].seq() == r->receipt_seq);
  CHECK(events[2].kind() == Event::MESSAGE_OUT);
}

TEST_CASE_FIXTURE(test::InboxFixture, "the same (channel, external id) is stored once and receipted again") {
  auto first = ingest("whatsapp", "wa-1", "+491", "hello");
  auto again = ingest("whatsapp", "wa-1", "+491", "hello");
  REQUIRE(first.ok());
  REQUIRE(again.ok());
  CHECK(again->duplicate);
  CHECK(again->receipt_seq == first->receipt_seq);
  CHECK(again->message_id == first->message_id);
  CHECK(by_author(first->conversation_id, "contact").size() == 1);
  // The same external id on another channel is another message.
  auto other = ingest("telegram", "wa-1", "+491", "hello");
  REQUIRE(other.ok());
  CHECK_FALSE(other->duplicate);
  // The receipt can be rebuilt for the duplicate.
  auto e = inbox.receipt("whatsapp", "wa-1");
  REQUIRE(e);
  CHECK(e->external_id() == "wa-1");
  CHECK(e->seq() == first->receipt_seq);
}

TEST_CASE_FIXTURE(test::InboxFixture, "many waiting ingests share one commit, and done runs after it") {
  const auto commits_before = metrics.value("switchboard_ingest_commits_total");
  int done = 0;
  for (int i = 0; i < 200; ++i)
    inbox.ingest({"webchat", "w-" + std::to_string(i), "+49" + std::to_string(i % 7), "", "hi",
                  0, {}},
                 [&](const auto& r) {
                   CHECK(r.ok());
                   done++;
                 });
  CHECK(done == 0);  // nothing is acknowledged before the commit
  CHECK(inbox.pending() == 200);
  run_posted();
  CHECK(done == 200);
  CHECK(metrics.value("switchboard_ingest_commits_total") - commits_before == 1);
  // Duplicates inside one batch are still stored once.
  int dup = 0;
  for (int i = 0; i < 2; ++i)
    inbox.ingest({"webchat", "same", "+4900", "", "x", 0, {}},
                 [&](const auto& r) { dup += r->duplicate ? 1 : 0; });
  run_posted();
  CHECK(dup == 1);
}

TEST_CASE_FIXTURE(test::InboxFixture, "event sequence numbers are gap-free across operations") {
  auto a = ingest("whatsapp", "1", "+1", "hello");
  REQUIRE(inbox.close(a->conversation_id, "ana").ok());
  REQUIRE_FALSE(inbox.archive(999, "ana").ok());  // refused: no number consumed
  REQUIRE(ingest("whatsapp", "2", "+1", "again").ok());
  REQUIRE(events.size() > 4);
  for (std::size_t i = 0; i < events.size(); ++i) CHECK(events[i].seq() == i + 1);
}

TEST_CASE_FIXTURE(test::InboxFixture, "bad inbound messages are refused with a reason, nothing stored") {
  auto r = ingest("whatsapp", "", "+1", "no id");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("external_id") != std::string::npos);
  auto s = ingest("whatsapp", "x", "", "no sender");
  REQUIRE_FALSE(s.ok());
  CHECK(inbox.conversations({}).empty());
  CHECK(events.empty());
}

TEST_CASE_FIXTURE(test::InboxFixture, "a keyword queues a bot conversation for a human with the reason") {
  auto r = ingest("whatsapp", "1", "+1", "I want a refund now");
  REQUIRE(r.ok());
  auto c = inbox.conversation(r->conversation_id);
  CHECK(inbox::status_name_of(*c) == "queued");
  CHECK(c->handoff().trigger() == "keyword");
  CHECK(c->priority() > 0);
  CHECK(c->handoff().matched_text() == "refund");
  bool noted = false;
  for (auto& m : by_author(c->id(), "system"))
    noted = noted || m.text().find("queued: keyword 'refund'") != std::string::npos;
  CHECK(noted);
  bool handoff_event = false;
  for (auto& e : events) handoff_event = handoff_event || e.kind() == Event::HANDOFF;
  CHECK(handoff_event);
  CHECK(metrics.value("switchboard_handoffs_total", {{"trigger", "keyword"}}) == 1);
}

TEST_CASE_FIXTURE(test::InboxFixture, "repeated bot fallbacks queue the conversation (fallback loop)") {
  auto r = ingest("whatsapp", "1", "+1", "qzx vbnm");  // greeting, no fallback yet
  CHECK(inbox::status_name_of(*inbox.conversation(r->conversation_id)) == "bot");
  REQUIRE(ingest("whatsapp", "2", "+1", "wqj zzt").ok());  // fallback 1
  CHECK(inbox::status_name_of(*inbox.conversation(r->conversation_id)) == "bot");
  REQUIRE(ingest("whatsapp", "3", "+1", "mnbv cxz").ok());  // fallback 2: hands off
  auto c = inbox.conversation(r->conversation_id);
  CHECK(inbox::status_name_of(*c) == "queued");
  CHECK(c->handoff().trigger() == "fallback_loop");
  auto fallbacks = 0;
  for (auto& m : by_author(c->id(), "bot")) fallbacks += m.bot_fallback() ? 1 : 0;
  CHECK(fallbacks == 2);
}

TEST_CASE_FIXTURE(test::InboxFixture, "the bot is silent once a human has the conversation") {
  auto r = ingest("whatsapp", "1", "+1", "hello");
  auto id = inbox.reply(r->conversation_id, "ana", "Hi, Ana here");
  REQUIRE(id.ok());
  auto c = inbox.conversation(r->conversation_id);
  CHECK(inbox::status_name_of(*c) == "assigned");
  CHECK(c->assignee() == "ana");
  const auto bots = by_author(c->id(), "bot").size();
  REQUIRE(ingest("whatsapp", "2", "+1", "qwzx gibberish").ok());
  REQUIRE(ingest("whatsapp", "3", "+1", "more gibberish").ok());
  CHECK(by_author(c->id(), "bot").size() == bots);
  CHECK(inbox::status_name_of(*inbox.conversation(c->id())) == "assigned");
}

TEST_CASE_FIXTURE(test::InboxFixture, "urgency raises a human conversation's priority, never hands back") {
  auto r = ingest("whatsapp", "1", "+1", "hello");
  REQUIRE(inbox.assign(r->conversation_id, std::nullopt, std::string("ana"), "ana").ok());
  const int before = inbox.conversation(r->conversation_id)->priority();
  REQUIRE(ingest("whatsapp", "2", "+1", "this is an emergency").ok());
  auto c = inbox.conversation(r->conversation_id);
  CHECK(inbox::status_name_of(*c) == "assigned");
  CHECK(c->priority() > before);
}

TEST_CASE_FIXTURE(test::InboxFixture, "a closed conversation reopens with the bot; an archived one starts anew") {
  auto r = ingest("sms", "1", "+1", "hello");
  REQUIRE(inbox.close(r->conversation_id, "ana").ok());
  auto again = ingest("sms", "2", "+1", "me again");
  CHECK(again->conversation_id == r->conversation_id);
  CHECK(inbox::status_name_of(*inbox.conversation(r->conversation_id)) == "bot");
  REQUIRE(inbox.close(r->conversation_id, "ana").ok());
  REQUIRE(inbox.archive(r->conversation_id, "ana").ok());
  auto fresh = ingest("sms", "3", "+1", "new topic");
  CHECK(fresh->conversation_id != r->conversation_id);
  CHECK(inbox::status_name_of(*inbox.conversation(fresh->conversation_id)) == "bot");
  CHECK(inbox::status_name_of(*inbox.conversation(r->conversation_id)) == "archived");
}
