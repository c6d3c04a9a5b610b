// Contacts driven directly over a real LMDB file, inside transactions opened as the Inbox opens
// them: profiles found by address, names kept, edits as Events, merges leaving a tombstone.
#include <doctest/doctest.h>

#include "services/inbox/contacts.h"
#include "tests/support/component_fixture.h"

namespace sb::test {
namespace {

struct ContactsFixture : ComponentFixture {
  inbox::Contacts contacts{*store, log};

  // A conversation on (channel, sender) with one customer message, its contact made sure of.
  inbox::Conversation message_from(const std::string& channel, const std::string& sender,
                                   const std::string& name, const std::string& text) {
    inbox::Conversation c;
    REQUIRE(write([&](inbox::Tx& tx) -> Result<void> {
      c = open_conversation(tx, channel, sender, "bot");
      contacts.ensure_contact(tx, c, {channel, "x", sender, name, text, 0, {}});
      customer_says(tx, c, text);
      return {};
    }));
    return c;
  }
};

}  // namespace

TEST_CASE_FIXTURE(ContactsFixture, "a new address makes a profile; the same address finds it again") {
  auto first = message_from("sms", "+4915111", "Mia", "hello");
  REQUIRE(first.contact_id() != 0);
  auto p = contacts.contact(first.contact_id());
  REQUIRE(p);
  CHECK(p->name() == "Mia");
  REQUIRE(p->addresses_size() == 1);
  CHECK(p->addresses(0).channel() == "sms");
  CHECK(p->addresses(0).address() == "+4915111");

  auto second = message_from("sms", "+4915111", "", "me again");
  CHECK(second.id() != first.id());
  CHECK(second.contact_id() == first.contact_id());
  CHECK(contacts.contact_conversations(first.contact_id()) ==
        std::vector<std::uint64_t>{first.id(), second.id()});

  // Another channel's address is another profile until someone merges them.
  auto other = message_from("whatsapp", "+4915111", "Mia W", "hi");
  CHECK(other.contact_id() != first.contact_id());
}

TEST_CASE_FIXTURE(ContactsFixture, "an agent's name stays; the channel's name fills only an empty one") {
  auto c = message_from("sms", "+1", "", "hi");
  CHECK(contacts.contact(c.contact_id())->name().empty());
  REQUIRE(write([&](inbox::Tx& tx) {
    return contacts.update_contact(tx, c.contact_id(), "Dr. Ada Lovelace", std::nullopt, {}, {}, "ana");
  }));
  message_from("sms", "+1", "ada l", "again");
  CHECK(contacts.contact(c.contact_id())->name() == "Dr. Ada Lovelace");
}

TEST_CASE_FIXTURE(ContactsFixture, "an update is one Event naming what changed; a bad one writes nothing") {
  auto c = message_from("sms", "+2", "Bo", "hi");
  const auto id = c.contact_id();
  events.clear();
  REQUIRE(write([&](inbox::Tx& tx) {
    return contacts.update_contact(tx, id, std::nullopt, "likes mornings", {"VIP", "north"}, {}, "ana");
  }));
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind() == inbox::Event::CONTACT_UPDATED);
  CHECK(events[0].contact_id() == id);
  CHECK(events[0].tag() == "VIP,north");
  CHECK(events[0].text().find("notes, +VIP, +north") != std::string::npos);

  // Tags compare without case: adding "vip" again changes nothing, removing "Vip" removes it.
  events.clear();
  REQUIRE(write([&](inbox::Tx& tx) {
    return contacts.update_contact(tx, id, std::nullopt, std::nullopt, {"vip"}, {}, "ana");
  }));
  CHECK(events.empty());
  REQUIRE(write([&](inbox::Tx& tx) {
    return contacts.update_contact(tx, id, std::nullopt, std::nullopt, {}, {"Vip"}, "ana");
  }));
  auto p = contacts.contact(id);
  REQUIRE(p->tags_size() == 1);
  CHECK(p->tags(0) == "north");

  auto r = write([&](inbox::Tx& tx) {
    return contacts.update_contact(tx, id, std::string(257, 'n'), std::nullopt, {}, {}, "ana");
  });
  CHECK_FALSE(r);
  CHECK(contacts.contact(id)->name() == "Bo");
  CHECK_FALSE(write([&](inbox::Tx& tx) {
    return contacts.update_contact(tx, 999, "x", std::nullopt, {}, {}, "ana");
  }));
}

TEST_CASE_FIXTURE(ContactsFixture, "a merge folds one profile into another and leaves a tombstone") {
  auto keep = message_from("sms", "+3", "Cleo", "first");
  auto other = message_from("whatsapp", "cleo@wa", "", "second");
  REQUIRE(write([&](inbox::Tx& tx) {
    return contacts.update_contact(tx, other.contact_id(), std::nullopt, "from WhatsApp", {"gold"}, {}, "ana");
  }));
  events.clear();
  REQUIRE(write([&](inbox::Tx& tx) {
    return contacts.merge_contacts(tx, keep.contact_id(), other.contact_id(), "ana");
  }));

  auto tomb = contacts.contact(other.contact_id());
  REQUIRE(tomb);
  CHECK(tomb->merged_into() == keep.contact_id());
  auto k = contacts.contact(keep.contact_id());
  CHECK(k->addresses_size() == 2);
  CHECK(k->notes() == "from WhatsApp");
  REQUIRE(k->tags_size() == 1);
  CHECK(k->tags(0) == "gold");
  CHECK(contacts.contact_conversations(keep.contact_id()) ==
        std::vector<std::uint64_t>{keep.id(), other.id()});

  // One timeline of both conversations, in commit order, with the merge's line in it.
  auto history = contacts.contact_history(keep.contact_id());
  REQUIRE(history.size() == 3);
  CHECK(history[0].text() == "first");
  CHECK(history[1].text() == "second");
  CHECK(history[2].author() == "system");
  CHECK(history[2].text().find("merged into Cleo") != std::string::npos);

  bool merged_event = false;
  for (const auto& e : events)
    merged_event = merged_event || (e.kind() == inbox::Event::CONTACTS_MERGED &&
                                    e.merged_contact_id() == other.contact_id());
  CHECK(merged_event);

  // The folded address now leads to the living profile; merging the tombstone is refused.
  auto later = message_from("whatsapp", "cleo@wa", "", "third");
  CHECK(later.contact_id() == keep.contact_id());
  CHECK_FALSE(write([&](inbox::Tx& tx) {
    return contacts.merge_contacts(tx, keep.contact_id(), other.contact_id(), "ana");
  }));
  CHECK_FALSE(write([&](inbox::Tx& tx) {
    return contacts.merge_contacts(tx, keep.contact_id(), keep.contact_id(), "ana");
  }));
}

}  // namespace sb::test
