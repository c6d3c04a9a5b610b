// Search driven directly over a real LMDB file, the index kept by the transactions that append
// messages and change profiles: every word must match, the last one as a prefix.
#include <doctest/doctest.h>

#include <algorithm>

#include "services/inbox/contacts.h"
#include "services/inbox/search.h"
#include "tests/support/component_fixture.h"

namespace sb::test {
namespace {

struct SearchFixture : ComponentFixture {
  inbox::Search search{*store, log};
  inbox::Contacts contacts{*store, log};
  int senders = 0;

  // One conversation per text, each with the customer's message; returns the message ids.
  std::vector<std::uint64_t> say(const std::vector<std::string>& texts) {
    std::vector<std::uint64_t> ids;
    for (const auto& text : texts)
      REQUIRE(write([&](inbox::Tx& tx) -> Result<void> {
        auto c = open_conversation(tx, "sms", "+" + std::to_string(++senders), "bot");
        ids.push_back(customer_says(tx, c, text));
        return {};
      }));
    return ids;
  }
  std::vector<std::uint64_t> hits(const std::string& query, std::size_t limit = 50) {
    std::vector<std::uint64_t> out;
    for (const auto& h : search.search(query, limit).messages) out.push_back(h.message_id);
    return out;
  }
};

}  // namespace

TEST_CASE_FIXTURE(SearchFixture, "every word must match, the last one as a prefix") {
  auto ids = say({"Refund my order please", "order shipped today", "refunded already",
                  "where is the ordering form"});
  CHECK(hits("order ref") == std::vector<std::uint64_t>{ids[0]});
  // One word is the last word: a prefix, newest first.
  CHECK(hits("refund") == std::vector<std::uint64_t>{ids[2], ids[0]});
  CHECK(hits("ord") == std::vector<std::uint64_t>{ids[3], ids[1], ids[0]});
  // A word before the last is matched whole: "ord" is no word of any message.
  CHECK(hits("ord shipped").empty());
  CHECK(hits("ORDER SHIPPED") == std::vector<std::uint64_t>{ids[1]});
  CHECK(hits("refund order") == std::vector<std::uint64_t>{ids[0]});
  CHECK(hits("").empty());
  CHECK(hits("  ,. ").empty());

  auto r = search.search("shipped", 10);
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0].author == "customer");
  CHECK(r.messages[0].snippet.find("shipped") != std::string::npos);
}

TEST_CASE_FIXTURE(SearchFixture, "the history's why lines are never hits; the limit holds") {
  std::vector<std::uint64_t> ids;
  REQUIRE(write([&](inbox::Tx& tx) -> Result<void> {
    auto c = open_conversation(tx, "sms", "+9", "bot");
    tx.system_note(c, "queued: keyword 'invoice'");
    tx.save(c);
    return {};
  }));
  CHECK(hits("invoice").empty());
  ids = say({"invoice one", "invoice two", "invoice three"});
  CHECK(hits("invoice", 2) == std::vector<std::uint64_t>{ids[2], ids[1]});
}

TEST_CASE_FIXTURE(SearchFixture, "contacts are found by name and address; a merged one is not") {
  std::vector<inbox::Conversation> convs;
  for (auto [sender, name] : {std::pair{"+4917000", "Greta Berg"}, {"greta@mail", "G. Berg"},
                              std::pair{"+4917999", "Hans Otto"}})
    REQUIRE(write([&](inbox::Tx& tx) -> Result<void> {
      auto c = open_conversation(tx, "sms", sender, "bot");
      contacts.ensure_contact(tx, c, {"sms", "e", sender, name, "hi", 0, {}});
      tx.save(c);
      convs.push_back(c);
      return {};
    }));
  auto names = [&](const std::string& q) {
    std::vector<std::string> out;
    for (const auto& p : search.search(q, 10).contacts) out.push_back(p.name());
    return out;
  };
  CHECK(names("berg") == std::vector<std::string>{"G. Berg", "Greta Berg"});
  CHECK(names("4917") == std::vector<std::string>{"Hans Otto", "Greta Berg"});
  // Words may match in different fields: "greta" is in G. Berg's address.
  CHECK(names("greta berg") == std::vector<std::string>{"G. Berg", "Greta Berg"});
  CHECK(names("hans ot") == std::vector<std::string>{"Hans Otto"});

  REQUIRE(write([&](inbox::Tx& tx) {
    return contacts.merge_contacts(tx, convs[0].contact_id(), convs[1].contact_id(), "ana");
  }));
  CHECK(names("berg") == std::vector<std::string>{"Greta Berg"});
  // The merged profile's address is found through the one it went into.
  CHECK(names("mail") == std::vector<std::string>{"Greta Berg"});
}

}  // namespace sb::test
