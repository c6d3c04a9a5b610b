#include <doctest/doctest.h>

#include "services/inbox/search_index.h"
#include "tests/support/workflow_fixture.h"

using namespace sb;

TEST_CASE("search terms are folded words, each once") {
  auto t = inbox::search_terms("Refund REFUND, my  Ελληνικά ПРИВЕТ don’t! +34 600-123");
  CHECK(t == std::vector<std::string>{"refund", "my", "ελληνικά", "привет", "dont", "34", "600",
                                       "123"});
  CHECK(inbox::search_terms("").empty());
  auto q = inbox::parse_query("late deliv");
  CHECK(q.exact == std::vector<std::string>{"late"});
  CHECK(q.prefix == "deliv");
  CHECK(inbox::parse_query("late delivery ").prefix.empty());
}

TEST_CASE_FIXTURE(test::WorkflowFixture, "search: every word, last one as a prefix, newest first") {
  auto a = ingest("whatsapp", "1", "+1", "My parcel was delivered late");
  auto b = ingest("sms", "2", "+2", "late delivery again, parcel missing");
  auto c = ingest("whatsapp", "3", "+3", "parcel arrived on time");
  REQUIRE((a.ok() && b.ok() && c.ok()));

  auto r = inbox.search("parcel late", 10);
  REQUIRE(r.messages.size() == 2);
  CHECK(r.messages[0].message_id == b->message_id);  // newest first
  CHECK(r.messages[1].message_id == a->message_id);
  CHECK(r.messages[0].conversation_id == b->conversation_id);
  CHECK(r.messages[0].snippet.find("late delivery") != std::string::npos);

  CHECK(inbox.search("deliv", 10).messages.size() == 2);       // prefix: delivered, delivery
  CHECK(inbox.search("delivery late", 10).messages.size() == 1);
  CHECK(inbox.search("PARCEL", 10).messages.size() == 3);      // case-folded
  CHECK(inbox.search("parcel", 1).messages.size() == 1);       // limit
  CHECK(inbox.search("parcel", 1).messages[0].message_id == c->message_id);
  CHECK(inbox.search("nothing here", 10).messages.empty());
  CHECK(inbox.search("   ", 10).messages.empty());
  CHECK(inbox.search("parcel zzz", 10).messages.empty());
}

TEST_CASE_FIXTURE(test::WorkflowFixture, "search finds Greek and Cyrillic text in any case") {
  auto a = ingest("sms", "1", "+1", "Ο ΛΟΓΑΡΙΑΣΜΟΣ μου");
  auto b = ingest("sms", "2", "+2", "Где мой ЗАКАЗ?");
  CHECK(inbox.search("λογαριασμος", 5).messages.size() == 1);
  CHECK(inbox.search("заказ", 5).messages.size() == 1);
  CHECK(inbox.search("ЗАК", 5).messages.at(0).message_id == b->message_id);
}

TEST_CASE_FIXTURE(test::WorkflowFixture, "search finds contacts by name and address") {
  inbox.ingest({"whatsapp", "1", "+34600123456", "Ana Lopez", "hola", 0, {}}, [](auto&) {});
  inbox.ingest({"sms", "2", "+4915112345", "", "hallo", 0, {}}, [](auto&) {});
  run_posted();
  auto r = inbox.search("lopez", 5);
  REQUIRE(r.contacts.size() == 1);
  CHECK(r.contacts[0].name() == "Ana Lopez");
  CHECK(inbox.search("ana lo", 5).contacts.size() == 1);
  CHECK(inbox.search("4915", 5).contacts.at(0).addresses(0).address() == "+4915112345");
  CHECK(inbox.search("hola", 5).contacts.empty());
}

TEST_CASE_FIXTURE(test::WorkflowFixture, "a message is searchable exactly when it is committed") {
  inbox.ingest({"sms", "1", "+1", "", "invoice question", 0, {}}, [](auto&) {});
  CHECK(inbox.search("invoice", 5).messages.empty());  // pending, not committed
  run_posted();
  CHECK(inbox.search("invoice", 5).messages.size() == 1);
  // A duplicate stores nothing and indexes nothing.
  REQUIRE(ingest("sms", "1", "+1", "invoice question")->duplicate);
  CHECK(inbox.search("invoice", 5).messages.size() == 1);
  // The history's system lines are not indexed.
  auto h = handoff("+9", "i want a human");
  CHECK(inbox.search("queued", 5).messages.empty());
  (void)h;
}

TEST_CASE_FIXTURE(test::WorkflowFixture, "a private note never leaves the gateway") {
  auto r = ingest("sms", "1", "+1", "hello");
  const auto preview = inbox.conversation(r->conversation_id)->last_text();
  const auto outbox_before = outbox().size();
  const auto out_events = count(inbox::Event::MESSAGE_OUT);
  auto id = inbox.add_note(r->conversation_id, "ana", "customer sounds upset, check order 42");
  REQUIRE(id.ok());
  CHECK(outbox().size() == outbox_before);  // no channel outbox entry
  CHECK(count(inbox::Event::MESSAGE_OUT) == out_events);
  REQUIRE(count(inbox::Event::NOTE_ADDED) == 1);
  CHECK(events.back().kind() == inbox::Event::NOTE_ADDED);
  CHECK(events.back().message_id() == *id);
  auto m = inbox.message(*id);
  REQUIRE(m);
  CHECK(m->author() == "agent");
  CHECK(m->author_name() == "ana");
  CHECK(m->note());
  CHECK(inbox::outbound_name_of(*m).empty());
  CHECK(inbox.conversation(r->conversation_id)->last_text() == preview);  // not a preview
  CHECK(inbox::status_name_of(*inbox.conversation(r->conversation_id)) == "bot");      // takes nothing
  auto hits = inbox.search("upset", 5).messages;
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].note);
  CHECK_FALSE(inbox.add_note(r->conversation_id, "ana", "").ok());
  CHECK_FALSE(inbox.add_note(4242, "ana", "x").ok());
  CHECK_FALSE(inbox.add_note(r->conversation_id, "ana", std::string(5000, 'x')).ok());
}

TEST_CASE_FIXTURE(test::WorkflowFixture, "canned replies fill the contact's name") {
  REQUIRE(inbox.upsert_canned("/hi", "Hello {name}, how can I help?").ok());
  REQUIRE(inbox.upsert_canned("/hours", "We are open 9 to 5.").ok());
  CHECK_FALSE(inbox.upsert_canned("bad shortcut", "x").ok());
  CHECK_FALSE(inbox.upsert_canned("/empty", "").ok());
  CHECK(inbox.canned_replies().size() == 2);

  std::optional<Result<inbox::IngestOutcome>> named;
  inbox.ingest({"whatsapp", "1", "+1", "Ana", "hi", 0, {}}, [&](const auto& r) { named = r; });
  run_posted();
  auto anon = ingest("sms", "2", "+2", "hi");
  CHECK(*inbox.expand_canned("/hi", (*named)->conversation_id) == "Hello Ana, how can I help?");
  CHECK(*inbox.expand_canned("/hi", anon->conversation_id) == "Hello, how can I help?");
  CHECK_FALSE(inbox.expand_canned("/nope", anon->conversation_id).ok());
  CHECK_FALSE(inbox.expand_canned("/hi", 4242).ok());

  auto id = inbox.reply_canned((*named)->conversation_id, "ana", "/hi");
  REQUIRE(id.ok());
  CHECK(inbox.message(*id)->text() == "Hello Ana, how can I help?");
  CHECK(inbox.conversation((*named)->conversation_id)->assignee() == "ana");
  REQUIRE(inbox.delete_canned("/hours").ok());
  CHECK_FALSE(inbox.delete_canned("/hours").ok());
}

TEST_CASE_FIXTURE(test::WorkflowFixture, "the config's canned replies: admins' edits survive a reload") {
  const std::vector<std::pair<std::string, std::string>> config = {
      {"refund", "Hi {name}, your refund is on its way."}, {"hours", "We are open 9 to 5."}};
  REQUIRE(*inbox.apply_config_canned(config));
  CHECK(inbox.canned_replies().size() == 2);
  // An admin edits one and deletes the other in the page.
  REQUIRE(inbox.upsert_canned("refund", "Hi {name}, refunds take 3 days.").ok());
  REQUIRE(inbox.delete_canned("hours").ok());
  // A restart or SIGHUP with the same config changes nothing.
  CHECK_FALSE(*inbox.apply_config_canned(config));
  REQUIRE(inbox.canned_replies().size() == 1);
  CHECK(inbox.canned_replies()[0].text() == "Hi {name}, refunds take 3 days.");
  // A changed config section (central pushed a new one) wins.
  auto pushed = config;
  pushed[1].second = "We are open 8 to 6.";
  REQUIRE(*inbox.apply_config_canned(pushed));
  CHECK(inbox.canned_replies().size() == 2);
  for (const auto& c : inbox.canned_replies())
    CHECK(c.text() == (c.shortcut() == "refund" ? config[0].second : pushed[1].second));
  CHECK_FALSE(inbox.apply_config_canned({{"bad shortcut", "x"}}).ok());
}
