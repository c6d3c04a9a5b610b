// Statistics over a chosen range: each day with its handoffs by trigger and by channel and
// its median time to the first human reply; the range is bounded.
#include <doctest/doctest.h>

#include "tests/admin/admin_fixture.h"

using namespace sb::test;

TEST_CASE("stats: a chosen range of days, each split by trigger and channel") {
  AdminFixture f;
  auto a = f.ingest("sms", "e1", "+1", "I want a refund");
  f.ingest("whatsapp", "w1", "+3", "can I talk to a human");
  f.ingest("whatsapp", "w2", "+4", "what are your hours");
  f.on_io([&] { f.clock.advance(90'000); return 0; });
  CHECK(f.post("/api/v1/conversations/" + std::to_string(a) + "/messages", f.agent,
               {{"text", "hi"}}).status == 200);
  auto s = f.get("/api/v1/stats?days=30", f.admin);
  REQUIRE(s.status == 200);
  auto days = s.json()["by_day"];
  REQUIRE(days.size() == 30);
  auto today = days[29];
  CHECK(today["by_trigger"]["keyword"] == 1);
  CHECK(today["by_trigger"]["user_request"] == 1);
  CHECK(today["by_channel"]["sms"] == 1);
  CHECK(today["by_channel"]["whatsapp"] == 1);
  CHECK(today["first_reply_median_ms"] == 90'000);
  CHECK(days[0]["handoffs"] == 0);
  CHECK(days[0]["first_reply_median_ms"].is_null());
  CHECK(f.get("/api/v1/stats?days=7", f.admin).json()["by_day"].size() == 7);
  for (auto bad : {"0", "91", "x", "7d", ""})
    CHECK(f.get(std::string("/api/v1/stats?days=") + bad, f.admin).status == 400);
}
