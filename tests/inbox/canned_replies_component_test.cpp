// CannedReplies driven directly over a real LMDB file: {name} filled from the person, the
// config's set written only when it changed, and what a shortcut or a text may be.
#include <doctest/doctest.h>

#include "services/inbox/canned_replies.h"
#include "services/inbox/contacts.h"
#include "tests/support/component_fixture.h"

namespace sb::test {
namespace {

struct CannedFixture : ComponentFixture {
  inbox::CannedReplies canned{*store, log};
  inbox::Contacts contacts{*store, log};

  Result<bool> apply(const std::vector<std::pair<std::string, std::string>>& set) {
    bool wrote = false;
    auto r = write([&](inbox::Tx& tx) -> Result<void> {
      auto w = canned.apply_config(tx, set);
      if (!w) return w.error();
      wrote = *w;
      return {};
    });
    if (!r) return r.error();
    return wrote;
  }
  std::uint64_t conversation_with(const std::string& sender, const std::string& channel_name) {
    inbox::Conversation c;
    REQUIRE(write([&](inbox::Tx& tx) -> Result<void> {
      c = open_conversation(tx, "whatsapp", sender, "assigned");
      c.set_contact_name(channel_name);
      contacts.ensure_contact(tx, c, {"whatsapp", "e", sender, channel_name, "hi", 0, {}});
      customer_says(tx, c, "hi");
      return {};
    }));
    return c.id();
  }
};

}  // namespace

TEST_CASE_FIXTURE(CannedFixture, "{name} is the person's name, and goes with its space when none is known") {
  REQUIRE(write([&](inbox::Tx& tx) { return canned.upsert(tx, "hi", "Hello {name}, how can we help?"); }));
  const auto named = conversation_with("+1", "Jo");
  CHECK(*canned.expand("hi", named) == "Hello Jo, how can we help?");

  // An agent's correction of the profile wins over the channel's display name.
  REQUIRE(write([&](inbox::Tx& tx) {
    inbox::Conversation c;
    if (!tx.load(named, c)) return Result<void>(fail("no conversation"));
    return contacts.update_contact(tx, c.contact_id(), "Johanna", std::nullopt, {}, {}, "ana");
  }));
  CHECK(*canned.expand("hi", named) == "Hello Johanna, how can we help?");

  const auto nameless = conversation_with("+2", "");
  CHECK(*canned.expand("hi", nameless) == "Hello, how can we help?");

  CHECK_FALSE(canned.expand("nope", named));
  CHECK_FALSE(canned.expand("hi", 424242));
}

TEST_CASE_FIXTURE(CannedFixture, "the config's set is written only when it changed") {
  const std::vector<std::pair<std::string, std::string>> set{{"hours", "9 to 5"}, {"bye", "Thanks!"}};
  CHECK(*apply(set) == true);
  CHECK(canned.list().size() == 2);

  // An admin edits one and deletes the other; the same config again leaves both choices alone.
  REQUIRE(write([&](inbox::Tx& tx) { return canned.upsert(tx, "hours", "8 to 6 now"); }));
  REQUIRE(write([&](inbox::Tx& tx) { return canned.erase(tx, "bye"); }));
  CHECK(*apply(set) == false);
  auto list = canned.list();
  REQUIRE(list.size() == 1);
  CHECK(list[0].shortcut() == "hours");
  CHECK(list[0].text() == "8 to 6 now");

  // A changed section (central pushed a new one) wins.
  CHECK(*apply({{"hours", "10 to 4"}, {"bye", "Thanks!"}}) == true);
  list = canned.list();
  REQUIRE(list.size() == 2);
  CHECK(list[0].shortcut() == "bye");  // by shortcut
  CHECK(list[1].text() == "10 to 4");

  // A bad entry refuses the whole set, writing nothing.
  CHECK_FALSE(apply({{"ok", "fine"}, {"two words", "x"}}));
  CHECK(canned.list().size() == 2);
}

TEST_CASE_FIXTURE(CannedFixture, "shortcuts and texts are bounded; deleting an unknown one is refused") {
  CHECK_FALSE(write([&](inbox::Tx& tx) { return canned.upsert(tx, "", "text"); }));
  CHECK_FALSE(write([&](inbox::Tx& tx) { return canned.upsert(tx, "a b", "text"); }));
  CHECK_FALSE(write([&](inbox::Tx& tx) { return canned.upsert(tx, std::string(65, 's'), "text"); }));
  CHECK_FALSE(write([&](inbox::Tx& tx) { return canned.upsert(tx, "long", std::string(4097, 't')); }));
  CHECK(write([&](inbox::Tx& tx) { return canned.upsert(tx, std::string(64, 's'), std::string(4096, 't')); }));
  CHECK_FALSE(write([&](inbox::Tx& tx) { return canned.erase(tx, "missing"); }));
  CHECK(canned.list().size() == 1);
}

}  // namespace sb::test
