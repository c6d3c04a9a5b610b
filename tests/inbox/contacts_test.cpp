#include <doctest/doctest.h>

#include "tests/support/workflow_fixture.h"

using namespace sb;

namespace {
struct People : test::WorkflowFixture {
  std::uint64_t say(const std::string& channel, const std::string& from, const std::string& name,
                    const std::string& text) {
    static int n = 0;
    std::optional<Result<inbox::IngestOutcome>> out;
    inbox.ingest({channel, "p" + std::to_string(++n), from, name, text, 0, {}},
                 [&](const auto& r) { out = r; });
    run_posted();
    REQUIRE(out);
    REQUIRE(out->ok());
    return (*out)->conversation_id;
  }
};
}  // namespace

TEST_CASE_FIXTURE(People, "each address gets a person; the same address finds the same person") {
  auto a = say("sms", "+34600111222", "Ana Lopez", "hola");
  auto c = inbox.conversation(a);
  REQUIRE(c->contact_id() != 0);
  auto p = inbox.contact(c->contact_id());
  REQUIRE(p);
  CHECK(p->name() == "Ana Lopez");
  REQUIRE(p->addresses_size() == 1);
  CHECK(p->addresses(0).channel() == "sms");
  say("sms", "+34600111222", "", "otra vez");
  CHECK(inbox.conversation(a)->contact_id() == p->id());
  CHECK(inbox.contact_conversations(p->id()) == std::vector<std::uint64_t>{a});
}

TEST_CASE_FIXTURE(People, "merging SMS and WhatsApp shows one history") {
  auto sms = say("sms", "+34600111222", "", "my order is late");
  auto wa = say("whatsapp", "34600111222", "Ana L", "any news about the order?");
  const auto sms_person = inbox.conversation(sms)->contact_id();
  const auto wa_person = inbox.conversation(wa)->contact_id();
  REQUIRE(sms_person != wa_person);
  REQUIRE(inbox.merge_contacts(wa_person, sms_person, "ana").ok());

  auto p = inbox.contact(wa_person);
  CHECK(p->addresses_size() == 2);
  CHECK(inbox.contact(sms_person)->merged_into() == wa_person);
  CHECK(inbox.conversation(sms)->contact_id() == wa_person);
  auto convs = inbox.contact_conversations(sms_person);  // a merged id leads to the person
  CHECK(convs.size() == 2);
  std::vector<std::string> texts;
  for (const auto& m : inbox.contact_history(wa_person))
    if (m.author() == "contact") texts.push_back(m.text());
  CHECK(texts == std::vector<std::string>{"my order is late", "any news about the order?"});
  CHECK(events.back().kind() == inbox::Event::CONTACTS_MERGED);
  CHECK(events.back().merged_contact_id() == sms_person);
  // The SMS address now finds the merged person; search finds them once.
  say("sms", "+34600111222", "", "hello?");
  CHECK(inbox.conversation(sms)->contact_id() == wa_person);
  CHECK(inbox.search("34600111222", 5).contacts.size() == 1);

  CHECK_FALSE(inbox.merge_contacts(wa_person, wa_person, "ana").ok());
  CHECK_FALSE(inbox.merge_contacts(wa_person, sms_person, "ana").ok());  // already merged
  CHECK_FALSE(inbox.merge_contacts(wa_person, 999, "ana").ok());
}

TEST_CASE_FIXTURE(People, "profile edits: name, notes, tags, each an Event") {
  auto id = inbox.conversation(say("sms", "+1", "", "hi"))->contact_id();
  REQUIRE(inbox.update_contact(id, std::string("Zoe Q"), std::string("prefers mornings"), {"VIP"},
                               {}, "ana").ok());
  auto p = inbox.contact(id);
  CHECK(p->name() == "Zoe Q");
  CHECK(p->notes() == "prefers mornings");
  CHECK(p->tags_size() == 1);
  CHECK(events.back().kind() == inbox::Event::CONTACT_UPDATED);
  CHECK(inbox.search("zoe", 5).contacts.size() == 1);
  REQUIRE(inbox.update_contact(id, std::nullopt, std::nullopt, {}, {"vip"}, "ana").ok());
  CHECK(inbox.contact(id)->tags_size() == 0);
  CHECK_FALSE(inbox.update_contact(999, std::string("x"), std::nullopt, {}, {}, "ana").ok());
  CHECK_FALSE(inbox.update_contact(id, std::nullopt, std::nullopt, {""}, {}, "ana").ok());
}

TEST_CASE_FIXTURE(People, "a VIP goes straight to a human at raised priority") {
  auto w = inbox.workflow();
  w.vip.enabled = true;
  w.vip.priority = 90;
  w.default_department = "support";
  inbox.set_workflow(w);
  auto first = say("whatsapp", "+1", "Vera", "hi");
  CHECK(status(first) == "bot");
  auto person = inbox.conversation(first)->contact_id();
  REQUIRE(inbox.update_contact(person, std::nullopt, std::nullopt, {"vip"}, {}, "admin").ok());
  REQUIRE(inbox.close(first, "ana").ok());

  auto again = say("whatsapp", "+1", "Vera", "what are your opening hours?");
  auto c = inbox.conversation(again);
  CHECK(inbox::status_name_of(*c) == "queued");
  CHECK(c->priority() == 90);
  CHECK(c->handoff().trigger() == "vip");
  CHECK(c->department() == "support");
  auto h = std::find_if(events.rbegin(), events.rend(),
                        [](const auto& e) { return e.kind() == inbox::Event::HANDOFF; });
  REQUIRE(h != events.rend());
  CHECK(h->handoff().trigger() == "vip");
  for (const auto& m : inbox.history(again))  // the bot did not answer the question
    CHECK_FALSE((m.author() == "bot" && m.at_ms() == c->queued_at_ms() &&
                 m.text().find("hours") != std::string::npos));

  // With the rule off, a VIP is an ordinary contact.
  w.vip.enabled = false;
  inbox.set_workflow(w);
  auto other = say("sms", "+2", "", "hi");
  REQUIRE(inbox.update_contact(inbox.conversation(other)->contact_id(), std::nullopt, std::nullopt,
                               {"VIP"}, {}, "admin").ok());
  CHECK(status(say("sms", "+2", "", "hello again")) == "bot");
}
