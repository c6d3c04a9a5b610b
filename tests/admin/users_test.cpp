// Managing users over the API: list, disable, password reset and role change, each ending the
// user's sessions at once (their next request is 401); the last enabled admin stays; a
// disabled user cannot log in. Also /healthz and /api/v1/health reading the status report.
#include <doctest/doctest.h>

#include "services/admin/health.h"
#include "tests/admin/admin_fixture.h"

using namespace sb;
using nlohmann::json;

namespace {
int login_status(test::AdminFixture& f, const std::string& name, const std::string& password) {
  return f.call("POST", "/api/v1/login", {}, json{{"name", name}, {"password", password}}.dump())
      .status;
}
}  // namespace

TEST_CASE("users: the list says who is disabled") {
  test::AdminFixture f;
  auto r = f.get("/api/v1/users", f.admin);
  REQUIRE(r.status == 200);
  REQUIRE(r.json().size() == 3);
  for (const auto& u : r.json()) CHECK(u["disabled"] == false);
  CHECK(f.post("/api/v1/users/ana/disable", f.admin, {{"disabled", true}}).status == 200);
  bool seen = false;
  for (const auto& u : f.get("/api/v1/users", f.admin).json())
    if (u["name"] == "ana") seen = u["disabled"] == true;
  CHECK(seen);
}

TEST_CASE("users: disabling ends the user's sessions at once and refuses new logins") {
  test::AdminFixture f;
  CHECK(f.get("/api/v1/me", f.agent).status == 200);
  CHECK(f.post("/api/v1/users/ana/disable", f.admin, {{"disabled", true}}).status == 200);
  CHECK(f.get("/api/v1/me", f.agent).status == 401);
  CHECK(login_status(f, "ana", "agent-pass-1") == 401);
  // The other users keep theirs.
  CHECK(f.get("/api/v1/me", f.tech).status == 200);
  CHECK(f.post("/api/v1/users/ana/disable", f.admin, {{"disabled", false}}).status == 200);
  CHECK(login_status(f, "ana", "agent-pass-1") == 200);
}

TEST_CASE("users: a password reset ends the sessions; only the new password logs in") {
  test::AdminFixture f;
  CHECK(f.post("/api/v1/users/ana/password", f.admin, {{"password", "short"}}).status == 400);
  CHECK(f.get("/api/v1/me", f.agent).status == 200);  // a refused reset changes nothing
  CHECK(f.post("/api/v1/users/ana/password", f.admin, {{"password", "new-agent-pass"}}).status == 200);
  CHECK(f.get("/api/v1/me", f.agent).status == 401);
  CHECK(login_status(f, "ana", "agent-pass-1") == 401);
  CHECK(login_status(f, "ana", "new-agent-pass") == 200);
  CHECK(f.post("/api/v1/users/nobody/password", f.admin, {{"password", "new-agent-pass"}}).status == 404);
}

TEST_CASE("users: a role change takes effect on the next login") {
  test::AdminFixture f;
  CHECK(f.post("/api/v1/users/tom/role", f.admin, {{"role", "boss"}}).status == 400);
  CHECK(f.post("/api/v1/users/tom/role", f.admin, {{"role", "agent"}}).status == 200);
  CHECK(f.get("/api/v1/me", f.tech).status == 401);
  auto tom = f.login("tom", "tech-pass-1");
  CHECK(f.get("/api/v1/me", tom).json()["role"] == "agent");
  // The login's own answer names the role the same way (the page reads it from there).
  auto login = f.call("POST", "/api/v1/login", {},
                      json{{"name", "tom"}, {"password", "tech-pass-1"}}.dump());
  REQUIRE(login.status == 200);
  CHECK(login.json()["role"] == "agent");
  CHECK(login.json()["name"] == "tom");
}

TEST_CASE("users: only an admin manages them, and the last enabled admin stays") {
  test::AdminFixture f;
  CHECK(f.post("/api/v1/users/tom/disable", f.agent, {{"disabled", true}}).status == 403);
  CHECK(f.post("/api/v1/users/root/password", f.tech, {{"password", "0123456789"}}).status == 403);
  CHECK(f.post("/api/v1/users/root/disable", f.admin, {{"disabled", true}}).status == 409);
  CHECK(f.post("/api/v1/users/root/role", f.admin, {{"role", "agent"}}).status == 409);
  CHECK(f.get("/api/v1/me", f.admin).status == 200);
  CHECK(f.post("/api/v1/users/ana/role", f.admin, {{"role", "admin"}}).status == 200);
  CHECK(f.post("/api/v1/users/root/role", f.admin, {{"role", "agent"}}).status == 200);
  CHECK(f.get("/api/v1/me", f.admin).status == 401);
  CHECK(f.post("/api/v1/users/ana/disable", f.agent, {{"disabled", "yes"}}).status == 401);
}

TEST_CASE("health: degraded with the reason while a configured broker or modem is down") {
  json down = {{"storage", {{"used_bytes", 10}, {"map_bytes", 100}, {"disk_full", false}}},
               {"mqtt", {{"uri", "tcp://127.0.0.1:1883"}, {"connected", false}, {"outbox_depth", 3}}},
               {"modem", {{"ready", false}, {"problem", "no SIM"}}}};
  auto h = admin::health_json(down);
  CHECK(h["status"] == "degraded");
  REQUIRE(h["reasons"].size() == 2);
  CHECK(h["reasons"][0].get<std::string>().find("broker") == 0);
  CHECK(h["reasons"][1].get<std::string>().find("no SIM") != std::string::npos);
  CHECK(h["replies_blocked"] == true);
  down["mqtt"]["connected"] = true;
  down["modem"]["ready"] = true;
  h = admin::health_json(down);
  CHECK(h["status"] == "ok");
  CHECK(h["replies_blocked"] == false);
  for (const auto& p : h["parts"]) CHECK(p["level"] == "green");
  // Not configured is not down: no broker URI, no modem.
  CHECK(admin::health_json({{"mqtt", {{"uri", ""}, {"connected", false}}}})["status"] == "ok");
  CHECK(admin::health_json({{"storage", {{"disk_full", true}}}})["status"] == "degraded");
}

TEST_CASE("health: /healthz stays 200 and the page's summary is there for every role") {
  test::AdminFixture f;
  auto r = f.call("GET", "/healthz", {});
  CHECK(r.status == 200);
  CHECK(r.json()["status"] == "ok");  // the fixture's broker has no URI: not configured
  auto s = f.get("/api/v1/health", f.tech);
  CHECK(s.status == 200);
  CHECK(s.json()["status"] == "ok");
  CHECK(f.call("GET", "/api/v1/health", {}).status == 401);
}

TEST_CASE("sessions: kept in the store, so after a restart they still work; logout and idling end them") {
  test::AdminFixture f;
  const std::string token = f.agent.cookie.substr(std::string("sb_session=").size());
  const std::string boss = f.admin.cookie.substr(std::string("sb_session=").size());
  f.on_io([&] {
    admin::Auth again(*f.store, f.clock, f.roster, 1000);  // a new process on the same database
    const admin::Session* s = again.session(token);
    REQUIRE(s != nullptr);
    CHECK(s->user == "ana");
    CHECK(s->csrf == f.agent.csrf);
    CHECK(again.session("0123456789abcdef") == nullptr);
    return 0;
  });
  CHECK(f.post("/api/v1/logout", f.agent, json::object()).status == 200);
  f.on_io([&] {
    admin::Auth again(*f.store, f.clock, f.roster, 1000);
    CHECK(again.session(token) == nullptr);
    CHECK(again.session(boss) != nullptr);
    return 0;
  });
  f.on_io([&] {
    f.clock.advance(13LL * 3600 * 1000);  // idle past 12 hours, across a restart too
    admin::Auth again(*f.store, f.clock, f.roster, 1000);
    CHECK(again.session(boss) == nullptr);
    return 0;
  });
}

namespace {
// The AGENT_ADDED Events in the inbox's outbox, by the agent each names, in order.
std::vector<std::string> agents_added(test::AdminFixture& f) {
  return f.on_io([&] {
    std::vector<std::string> out;
    for (std::uint64_t seq = 1; auto e = f.inbox.event(seq); ++seq)
      if (e->kind() == inbox::Event::AGENT_ADDED) out.push_back(e->assignee());
    return out;
  });
}
bool on_roster(test::AdminFixture& f, const std::string& name) {
  return f.on_io([&] { return f.inbox.agent(name).has_value(); });
}
}  // namespace

TEST_CASE("users: admins and agents join the inbox's roster with an Event; technicians never do") {
  test::AdminFixture f;  // root (admin, by setup), ana (agent), tom (technician); all logged in
  CHECK(agents_added(f) == std::vector<std::string>{"root", "ana"});
  CHECK(on_roster(f, "root"));
  CHECK(on_roster(f, "ana"));
  CHECK_FALSE(on_roster(f, "tom"));
  // Logging in again asks again, and finds them there: no second record, no second Event.
  f.login("ana", "agent-pass-1");
  CHECK(agents_added(f).size() == 2);

  SUBCASE("a technician made an agent joins it") {
    REQUIRE(f.post("/api/v1/users/tom/role", f.admin, {{"role", "agent"}}).status == 200);
    CHECK(on_roster(f, "tom"));
    CHECK(agents_added(f) == std::vector<std::string>{"root", "ana", "tom"});
    // An agent can now be given a conversation by name.
    const auto id = f.ingest("whatsapp", "r-1", "+4911", "hello");
    CHECK(f.post("/api/v1/conversations/" + std::to_string(id) + "/assign", f.admin,
                 {{"agent", "tom"}})
              .status == 200);
  }
  SUBCASE("a user created over the API joins it at once") {
    REQUIRE(f.post("/api/v1/users", f.admin,
                   {{"name", "cai"}, {"role", "agent"}, {"password", "long-enough-1"}})
                .status == 200);
    CHECK(on_roster(f, "cai"));
    CHECK(agents_added(f).back() == "cai");
  }
  SUBCASE("a user whose agent record is missing gets it back at their next login") {
    // As a full disk after the user's commit, or a database from before the roster, leaves it.
    f.on_io([&] {
      return f.store->write([&](store::WriteTxn& w) -> Result<void> {
        w.del(store::Table::agents, "ana");
        return {};
      }).ok();
    });
    REQUIRE_FALSE(on_roster(f, "ana"));
    f.login("ana", "agent-pass-1");
    CHECK(on_roster(f, "ana"));
    CHECK(agents_added(f) == std::vector<std::string>{"root", "ana", "ana"});
  }
}
