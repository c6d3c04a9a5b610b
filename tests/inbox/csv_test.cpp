// Conversations as CSV: RFC 4180 quoting (and no formulas for a spreadsheet to run), the times
// to the first human reply and to close, the date range, and the cap of an in-memory export.
#include <doctest/doctest.h>

#include "services/inbox/conversation_csv.h"
#include "tests/support/inbox_fixture.h"

using namespace sb;

TEST_CASE("csv fields are quoted as RFC 4180 says, formulas defused") {
  CHECK(inbox::csv_field("plain") == "plain");
  CHECK(inbox::csv_field("") == "");
  CHECK(inbox::csv_field("a,b") == "\"a,b\"");
  CHECK(inbox::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(inbox::csv_field("two\r\nlines") == "\"two\r\nlines\"");
  CHECK(inbox::csv_field("line\nfeed") == "\"line\nfeed\"");
  CHECK(inbox::csv_field("=1+2") == "\"'=1+2\"");
  CHECK(inbox::csv_field("@SUM(A1)") == "\"'@SUM(A1)\"");
  CHECK(inbox::csv_field("Zoë, \"JJ\"") == "\"Zoë, \"\"JJ\"\"\"");
}

TEST_CASE("range bounds: a whole UTC day or an instant") {
  CHECK(inbox::parse_range_time("2026-11-30", false) == 1795996800000);
  CHECK(inbox::parse_range_time("2026-11-30", true) == 1795996800000 + 86400000);
  CHECK(inbox::parse_range_time("2026-11-30T12:00:00Z", true) == 1795996800000 + 43200000);
  CHECK_FALSE(inbox::parse_range_time("2026-13-01", false));
  CHECK_FALSE(inbox::parse_range_time("30/11/2026", false));
  CHECK_FALSE(inbox::parse_range_time("2026-11-30T12:00:00", false));
  CHECK_FALSE(inbox::parse_range_time("2026-11-30T12:00:00Z; rm", false));
  CHECK_FALSE(inbox::parse_range_time("", false));
}

TEST_CASE_FIXTURE(test::InboxFixture, "one row per conversation in the range, with its times") {
  const std::int64_t day = 86'400'000, t0 = 1795996800000;  // 2026-11-30T00:00:00Z
  clock.set_wall(t0 - day + 5000);  // the day before: outside the range below
  REQUIRE(ingest("sms", "0", "+10", "I want a refund").ok());
  clock.set_wall(t0 + 1000);
  auto refund = ingest("whatsapp", "1", "+11", "I want a refund");  // handed off at t0 + 1 s
  REQUIRE(refund.ok());
  clock.set_wall(t0 + 61'000);
  REQUIRE(inbox.reply(refund->conversation_id, "ana", "On it").ok());
  REQUIRE(inbox.tag(refund->conversation_id, "refund, fast", "ana").ok());
  clock.set_wall(t0 + 3'601'000);
  REQUIRE(inbox.close(refund->conversation_id, "ana").ok());
  clock.set_wall(t0 + 2 * day);
  REQUIRE(ingest("email", "2", "x@example.org", "hello").ok());  // after the range

  std::vector<std::string> rows;
  store->read([&](const store::ReadTxn& r) {
    CHECK(inbox::each_conversation_csv(r, t0, t0 + day, [&](const std::string& row) {
      rows.push_back(row);
      return true;
    }));
  });
  REQUIRE(rows.size() == 1);
  const std::string id = std::to_string(refund->conversation_id);
  CHECK(rows[0] == id + ",2026-11-30T00:00:01.000Z,whatsapp,closed,keyword,refund,,ana,"
                        "2026-11-30T00:00:01.000Z,60,3600,,\"refund, fast\"\r\n");
  CHECK(inbox::conversation_csv_header() ==
        "id,created_at,channel,status,trigger,rule,department,agent,handoff_at,"
        "first_human_reply_s,close_s,csat,tags\r\n");

  // Held in memory: stops before the cap and says so.
  store->read([&](const store::ReadTxn& r) {
    auto all = inbox::conversations_csv(r, 0, t0 + 3 * day, 1 << 20);
    CHECK(all.rows == 3);
    CHECK_FALSE(all.truncated);
    auto cut = inbox::conversations_csv(r, 0, t0 + 3 * day,
                                        inbox::conversation_csv_header().size() + 150);
    CHECK(cut.rows == 1);
    CHECK(cut.truncated);
    CHECK(cut.text.size() <= inbox::conversation_csv_header().size() + 150);
  });

  // Handoff statistics per day: the day before and the range's day.
  std::string stats;
  store->read([&](const store::ReadTxn& r) { stats = inbox::handoff_stats_csv(r, t0, t0 + day); });
  CHECK(stats.find("day,conversations,handoffs,handoff_rate,user_request,keyword,") == 0);
  CHECK(stats.find("\r\n2026-11-30,1,1,1.0000,0,1,0,0,0,0,0,60\r\n") != std::string::npos);
  CHECK(stats.find("2026-11-29") == std::string::npos);
}
