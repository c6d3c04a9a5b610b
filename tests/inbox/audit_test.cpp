// The audit log: a bounded table (the oldest go first, also after the cap is lowered), read
// back newest first and by time range; an action's entry rides in the action's own commit.
#include <doctest/doctest.h>

#include "services/inbox/audit_log.h"
#include "tests/support/inbox_fixture.h"

using namespace sb;

namespace {
inbox::AuditEntry entry(const std::string& action, std::int64_t at_ms) {
  inbox::AuditEntry e;
  e.set_at_ms(at_ms);
  e.set_actor("ana");
  e.set_address("10.0.0.7");
  e.set_action(action);
  return e;
}
std::vector<std::uint64_t> numbers(store::Store& st, std::size_t limit, std::uint64_t before = 0) {
  std::vector<std::uint64_t> out;
  st.read([&](const store::ReadTxn& r) {
    for (const auto& [n, e] : inbox::recent_audit(r, limit, before)) out.push_back(n);
  });
  return out;
}
std::size_t rows(store::Store& st) {
  std::size_t n = 0;
  st.read([&](const store::ReadTxn& r) { n = r.entries(store::Table::audit); });
  return n;
}
}  // namespace

TEST_CASE_FIXTURE(test::InboxFixture, "the audit table keeps the newest `cap` entries") {
  for (int i = 1; i <= 12; ++i)
    REQUIRE(store->write([&](store::WriteTxn& w) -> Result<void> {
      CHECK(inbox::append_audit(w, entry("close", i * 1000), 5) == static_cast<std::uint64_t>(i));
      return {};
    }).ok());
  CHECK(rows(*store) == 5);
  CHECK(numbers(*store, 100) == std::vector<std::uint64_t>{12, 11, 10, 9, 8});
  // Paging: the page after entry 10 starts at 9.
  CHECK(numbers(*store, 2, 10) == std::vector<std::uint64_t>{9, 8});
  CHECK(numbers(*store, 2, 8).empty());

  // A lowered cap is reached a slice per append, never in one huge transaction.
  for (int i = 13; i <= 20; ++i)
    REQUIRE(store->write([&](store::WriteTxn& w) -> Result<void> {
      inbox::append_audit(w, entry("tag", i * 1000), 2);
      return {};
    }).ok());
  CHECK(rows(*store) == 2);
  CHECK(numbers(*store, 100) == std::vector<std::uint64_t>{20, 19});
}

TEST_CASE_FIXTURE(test::InboxFixture, "a lowered cap trims at most a slice per append") {
  const int many = static_cast<int>(inbox::kAuditTrimPerAppend) + 50;
  REQUIRE(store->write([&](store::WriteTxn& w) -> Result<void> {
    for (int i = 1; i <= many; ++i) inbox::append_audit(w, entry("reply", i), 100000);
    return {};
  }).ok());
  REQUIRE(store->write([&](store::WriteTxn& w) -> Result<void> {
    inbox::append_audit(w, entry("reply", many + 1), 1);
    return {};
  }).ok());
  // One append dropped kAuditTrimPerAppend of the many + 1 beyond the cap of 1.
  CHECK(rows(*store) == static_cast<std::size_t>(many + 1) - inbox::kAuditTrimPerAppend);
  REQUIRE(store->write([&](store::WriteTxn& w) -> Result<void> {
    inbox::append_audit(w, entry("reply", many + 2), 1);
    return {};
  }).ok());
  CHECK(rows(*store) == 1);
  CHECK(numbers(*store, 10) == std::vector<std::uint64_t>{static_cast<std::uint64_t>(many + 2)});
}

TEST_CASE_FIXTURE(test::InboxFixture, "audit entries by time range, oldest first") {
  REQUIRE(store->write([&](store::WriteTxn& w) -> Result<void> {
    inbox::append_audit(w, entry("login", 1000), 100);
    inbox::append_audit(w, entry("close", 5000), 100);
    inbox::append_audit(w, entry("logout", 2000), 100);  // the clock stepped back
    inbox::append_audit(w, entry("reply", 9000), 100);
    return {};
  }).ok());
  std::vector<std::string> seen;
  store->read([&](const store::ReadTxn& r) {
    CHECK(inbox::each_audit(r, 2000, 9000, [&](std::uint64_t, const inbox::AuditEntry& e) {
      seen.push_back(e.action());
      return true;
    }));
  });
  CHECK(seen == std::vector<std::string>{"close", "logout"});
}

TEST_CASE_FIXTURE(test::InboxFixture, "an action's audit entry is written in the action's commit") {
  auto r = ingest("whatsapp", "1", "+1", "I want a refund");
  REQUIRE(r.ok());
  clock.set_wall(1'700'000'000'000);
  const auto commits = store->write_stats().commits;
  inbox.begin_audit(entry("close", 0));
  REQUIRE(inbox.close(r->conversation_id, "ana").ok());
  CHECK(inbox.end_audit());
  CHECK(store->write_stats().commits == commits + 1);  // the close and its entry: one commit
  std::vector<inbox::AuditEntry> got;
  store->read([&](const store::ReadTxn& t) {
    for (auto& [n, e] : inbox::recent_audit(t, 10)) got.push_back(e);
  });
  REQUIRE(got.size() == 1);
  CHECK(got[0].action() == "close");
  CHECK(got[0].address() == "10.0.0.7");
  CHECK(got[0].at_ms() == 1'700'000'000'000);

  // A refused action leaves no entry; end_audit says none was carried.
  inbox.begin_audit(entry("close", 0));
  CHECK_FALSE(inbox.close(r->conversation_id, "ana").ok());
  CHECK_FALSE(inbox.end_audit());
  CHECK(rows(*store) == 1);

  // An entry for what the inbox does not write joins the next group commit.
  inbox.audit_later(entry("login", 0));
  CHECK(rows(*store) == 1);
  run_posted();
  CHECK(rows(*store) == 2);
}
