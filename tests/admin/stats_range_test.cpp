// Statistics over a chosen range: each day with its handoffs by trigger and by channel and
// its median time to the first human reply; the range is bounded.
#include <doctest/doctest.h>

#include <algorithm>

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

TEST_CASE("stats: each rule's handoffs and the share agents marked not needed, in one tap each") {
  AdminFixture f;
  auto a = f.ingest("sms", "r1", "+11", "I want a refund");
  auto b = f.ingest("sms", "r2", "+12", "refund please, the parcel never came");
  auto h = f.ingest("whatsapp", "h1", "+13", "can I talk to a human");
  auto q = f.ingest("whatsapp", "q1", "+14", "what are your hours");
  auto review = [&](std::uint64_t id, const nlohmann::json& body, const Caller& who) {
    return f.post("/api/v1/conversations/" + std::to_string(id) + "/handoff-review", who, body);
  };
  CHECK(review(a, {{"not_needed", true}}, f.agent).status == 200);
  CHECK(review(a, {{"not_needed", true}}, f.agent).status == 409);  // already so
  CHECK(review(q, {{"not_needed", true}}, f.agent).status == 409);  // never handed off
  CHECK(review(b, {{"not_needed", "yes"}}, f.agent).status == 400);
  CHECK(review(b, nlohmann::json::object(), f.agent).status == 400);
  CHECK(review(b, {{"not_needed", true}}, f.tech).status == 403);  // technicians only look
  auto one = f.get("/api/v1/conversations/" + std::to_string(a), f.agent).json();
  CHECK(one["handoff"]["not_needed"] == true);
  CHECK(one["handoff"]["reviewed_by"] == "ana");

  auto s = f.get("/api/v1/stats?days=7", f.admin).json();
  REQUIRE(s["by_rule"].is_object());
  std::string refund_rule = one["handoff"]["rule"];
  auto refund = s["by_rule"][refund_rule];
  CHECK(refund["trigger"] == "keyword");
  CHECK(refund["handoffs"] == 2);
  CHECK(refund["not_needed"] == 1);
  CHECK(refund["not_needed_share"] == doctest::Approx(0.5));
  std::string human_rule =
      f.get("/api/v1/conversations/" + std::to_string(h), f.agent).json()["handoff"]["rule"];
  CHECK(s["by_rule"][human_rule]["not_needed"] == 0);

  // Taken back: the share falls again.
  CHECK(review(a, {{"not_needed", false}}, f.agent).status == 200);
  CHECK(f.get("/api/v1/stats?days=7", f.admin).json()["by_rule"][refund_rule]["not_needed"] == 0);
}

TEST_CASE("stats: closes by people and by the quiet timer, and satisfaction per agent and department") {
  AdminFixture f;
  f.on_io([&] {
    sb::inbox::WorkflowConfig w;
    w.csat.enabled = true;
    w.auto_close.after_ms = 3'600'000;
    f.inbox.set_workflow(w);
    return 0;
  });
  auto a = f.ingest("sms", "e1", "+1", "I want a refund");
  auto b = f.ingest("whatsapp", "w1", "+2", "can I talk to a human");
  auto quiet = f.ingest("whatsapp", "w2", "+3", "what are your hours");
  for (auto id : {a, b}) {
    const std::string path = "/api/v1/conversations/" + std::to_string(id);
    CHECK(f.post(path + "/assign", f.agent, {{"department", "billing"}}).status == 200);
    CHECK(f.post(path + "/messages", f.agent, {{"text", "done"}}).status == 200);
    CHECK(f.post(path + "/close", f.agent, {}).status == 200);
  }
  f.ingest("sms", "e2", "+1", "5");
  f.ingest("whatsapp", "w3", "+2", "2");
  f.on_io([&] {
    f.clock.advance(3'600'001);
    f.inbox.workflow_tick();
    return 0;
  });
  auto s = f.get("/api/v1/stats?days=7", f.admin).json();
  CHECK(s["closed"]["total"] == 3);
  CHECK(s["closed"]["auto"] == 1);
  CHECK(s["closed"]["by_people"] == 2);
  CHECK(s["csat"]["answers"] == 2);
  CHECK(s["csat"]["average"] == 3.5);
  CHECK(s["csat"]["scores"] == nlohmann::json({0, 1, 0, 0, 1}));
  CHECK(s["csat"]["by_agent"]["ana"]["answers"] == 2);
  CHECK(s["csat"]["by_department"]["billing"]["average"] == 3.5);
  auto c = f.get("/api/v1/conversations/" + std::to_string(quiet), f.admin).json();
  CHECK(c["auto_closed"] == true);
  CHECK(f.get("/api/v1/conversations/" + std::to_string(a), f.admin).json()["csat"] == 5);
}

TEST_CASE("reports read the conversations in steps: the same figures one record per turn") {
  sb::admin::AdminOptions o;
  o.report_rows_per_step = 1;  // every conversation its own turn of the event loop
  AdminFixture f(1000, o);
  const std::int64_t t0 = 1795996800000;  // 2026-11-30T00:00:00Z
  f.clock.set_wall(t0 + 3'600'000);
  for (int i = 0; i < 12; ++i)
    f.ingest("sms", "e" + std::to_string(i), "+1" + std::to_string(100 + i),
             i % 3 ? "what are your hours" : "I want a refund");
  auto s = f.get("/api/v1/stats?days=3", f.admin);
  REQUIRE(s.status == 200);
  CHECK(s.json()["conversations"] == 12);
  CHECK(s.json()["handoffs"] == 4);
  CHECK(s.json()["by_trigger"]["keyword"] == 4);
  auto csv = f.get("/api/v1/export/conversations.csv?since=2026-11-30&until=2026-11-30", f.admin);
  REQUIRE(csv.status == 200);
  CHECK(std::count(csv.body.begin(), csv.body.end(), '\n') == 13);  // the header and 12 rows
  auto per_day = f.get("/api/v1/export/handoffs.csv?since=2026-11-30&until=2026-11-30", f.admin);
  REQUIRE(per_day.status == 200);
  CHECK(per_day.body.find("\r\n2026-11-30,12,4,0.3333,") != std::string::npos);
}

TEST_CASE("reports past the cap are answered 503 with Retry-After, nothing queued") {
  sb::admin::AdminOptions o;
  o.max_reports = 0;  // every slot taken, as while other reports run
  AdminFixture f(1000, o);
  f.ingest("sms", "e1", "+1", "I want a refund");
  for (const char* target : {"/api/v1/stats", "/api/v1/export/conversations.csv",
                             "/api/v1/export/handoffs.csv"}) {
    auto r = f.get(target, f.admin);
    CHECK(r.status == 503);
    CHECK(r.retry_after == "5");
  }
  // Checks that come before the report still answer as they did.
  CHECK(f.get("/api/v1/stats?days=0", f.admin).status == 400);
  CHECK(f.get("/api/v1/stats", f.agent).status == 403);
}

TEST_CASE("report slots: at most the cap held, each freed when its last token goes") {
  sb::admin::ReportSlots slots(2, 10);
  auto a = slots.acquire();
  auto b = slots.acquire();
  CHECK(a);
  CHECK(b);
  CHECK_FALSE(slots.acquire());
  CHECK(slots.running() == 2);
  auto copy = a;
  a.reset();
  CHECK_FALSE(slots.acquire());  // a copy still holds it
  copy.reset();
  CHECK(slots.running() == 1);
  CHECK(slots.acquire());  // freed, and this one dropped at once
  CHECK(slots.running() == 1);
}
