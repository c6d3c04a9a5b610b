// The audit log through the API: logins (and failed ones), conversation actions, user changes
// and logouts each leave one entry with who, when and from which address; the page's own
// background posts leave none; only admins read it.
#include <doctest/doctest.h>

#include "tests/admin/admin_fixture.h"

using namespace sb::test;
using nlohmann::json;

namespace {
json audit(AdminFixture& f, const std::string& q = {}) {
  f.on_io([&f] {
    f.inbox.flush();  // what waits for the next group commit (logins, user changes)
    return 0;
  });
  auto r = f.get("/api/v1/audit" + q, f.admin);
  REQUIRE(r.status == 200);
  return r.json()["entries"];
}
bool has(const json& entries, const std::string& actor, const std::string& action,
         const std::string& target = {}) {
  for (const auto& e : entries)
    if (e["actor"] == actor && e["action"] == action && (target.empty() || e["target"] == target))
      return true;
  return false;
}
}  // namespace

TEST_CASE("the audit log records who did what from where, for admins only") {
  AdminFixture f;
  f.clock.set_wall(1'760'000'000'000);
  auto entries = audit(f);
  // The fixture's three logins.
  CHECK(has(entries, "root", "login"));
  CHECK(has(entries, "ana", "login"));
  CHECK(has(entries, "tom", "login"));
  for (const auto& e : entries) CHECK(e["address"] == "127.0.0.1");

  CHECK(f.post("/api/v1/login", {}, {{"name", "ana"}, {"password", "not-her-password"}}).status == 401);
  auto id = std::to_string(f.ingest("sms", "e1", "+1555", "I want a refund"));
  const std::string c = "/api/v1/conversations/" + id;
  CHECK(f.post(c + "/messages", f.agent, {{"text", "On it, a secret text"}}).status == 200);
  CHECK(f.post(c + "/assign", f.agent, {{"department", "billing"}}).status == 200);
  CHECK(f.post(c + "/tags", f.agent, {{"tag", "refund"}}).status == 200);
  CHECK(f.post(c + "/close", f.agent, json::object()).status == 200);
  CHECK(f.post(c + "/close", f.agent, json::object()).status == 409);  // refused: no entry
  CHECK(f.post("/api/v1/users/ana/role", f.admin, {{"role", "technician"}}).status == 200);
  CHECK(f.post("/api/v1/rules/test", f.admin, {{"text", "refund"}}).status == 200);
  CHECK(f.post("/api/v1/logout", f.tech, json::object()).status == 200);

  entries = audit(f);
  CHECK(has(entries, "ana", "login_failed"));
  CHECK(has(entries, "ana", "reply", "conversation " + id));
  CHECK(has(entries, "ana", "assign", "conversation " + id));
  CHECK(has(entries, "ana", "tag", "conversation " + id));
  CHECK(has(entries, "root", "user.role", "user ana"));
  CHECK(has(entries, "tom", "logout"));
  CHECK_FALSE(has(entries, "root", "rules.test"));
  int closes = 0;
  for (const auto& e : entries) {
    closes += e["action"] == "close";
    CHECK(e["detail"].get<std::string>().find("secret") == std::string::npos);
    CHECK(e["at_ms"].get<std::int64_t>() > 0);
  }
  CHECK(closes == 1);
  for (const auto& e : entries) {
    if (e["action"] == "assign") CHECK(e["detail"] == "department=billing");
    if (e["action"] == "user.role") CHECK(e["detail"] == "role=technician");
    if (e["action"] == "close") CHECK(e["at_ms"] == 1'760'000'000'000);
  }
  // Newest first, and paged by entry number.
  auto first = entries[0]["n"].get<std::uint64_t>();
  CHECK(entries[1]["n"].get<std::uint64_t>() == first - 1);
  auto page = audit(f, "?limit=2&before=" + std::to_string(first));
  REQUIRE(page.size() == 2);
  CHECK(page[0]["n"].get<std::uint64_t>() == first - 1);

  // Agents and technicians may not read it.
  auto ben = f.login("ana", "agent-pass-1");  // ana is a technician now
  CHECK(f.get("/api/v1/audit", ben).status == 403);
  CHECK(f.get("/api/v1/audit?limit=0", f.admin).status == 400);
}

TEST_CASE("an agent's page heartbeat and typing notices are no audited actions") {
  AdminFixture f;
  f.on_io([&f] { return f.inbox.upsert_agent("ana", "Ana", "support").ok(); });
  auto id = std::to_string(f.ingest("sms", "e1", "+1555", "hello"));
  const std::size_t before = audit(f).size();
  CHECK(f.post("/api/v1/presence/heartbeat", f.agent, json::object()).status == 200);
  CHECK(f.post("/api/v1/conversations/" + id + "/activity", f.agent, {{"state", "typing"}}).status == 200);
  CHECK(audit(f).size() == before);
  CHECK(f.post("/api/v1/presence", f.agent, {{"presence", "away"}}).status == 200);
  auto entries = audit(f);
  CHECK(entries.size() == before + 1);
  CHECK(entries[0]["action"] == "presence");
  CHECK(entries[0]["detail"] == "presence=away");
}

TEST_CASE("CSV exports for a date range: a download for admins, recorded in the audit log") {
  AdminFixture f;
  const std::int64_t t0 = 1795996800000;  // 2026-11-30T00:00:00Z
  f.clock.set_wall(t0 + 3'600'000);
  auto refund = f.ingest("whatsapp", "w1", "+1666", "I want a refund");
  f.clock.set_wall(t0 + 86'400'000 + 1000);  // the next day
  f.ingest("sms", "s1", "+1555", "hello");
  auto r = f.get("/api/v1/export/conversations.csv?since=2026-11-30&until=2026-11-30", f.admin);
  REQUIRE(r.status == 200);
  CHECK(r.content_type == "text/csv; charset=utf-8");
  CHECK(r.content_disposition ==
        "attachment; filename=\"conversations-2026-11-30-2026-11-30.csv\"");
  CHECK(r.truncated.empty());
  CHECK(r.body.find("id,created_at,channel,") == 0);
  CHECK(r.body.find("\r\n" + std::to_string(refund) + ",2026-11-30T01:00:00.000Z,whatsapp,queued,keyword,refund,") !=
        std::string::npos);
  CHECK(r.body.find(",sms,") == std::string::npos);  // the next day's is outside the range
  auto both = f.get("/api/v1/export/conversations.csv", f.admin);
  CHECK(std::count(both.body.begin(), both.body.end(), '\n') == 3);
  auto stats = f.get("/api/v1/export/handoffs.csv?since=2026-11-30T00:00:00Z&until=2026-12-02", f.admin);
  REQUIRE(stats.status == 200);
  CHECK(stats.body.find("\r\n2026-11-30,1,1,1.0000,") != std::string::npos);
  CHECK(stats.body.find("\r\n2026-12-01,1,0,0.0000,") != std::string::npos);

  CHECK(f.get("/api/v1/export/conversations.csv?since=yesterday", f.admin).status == 400);
  CHECK(f.get("/api/v1/export/conversations.csv?since=2026-12-01&until=2026-11-30", f.admin).status == 400);
  CHECK(f.get("/api/v1/export/conversations.csv", f.agent).status == 403);
  auto entries = audit(f);
  CHECK(has(entries, "root", "export.conversations"));
  CHECK(has(entries, "root", "export.handoffs"));
}
