// Every route of /api/v1: 401 without a session (before routing and CSRF), 403 without the
// CSRF token on a state change, 403 for a role that may not use it, 405 for a wrong method.
#include <doctest/doctest.h>

#include "tests/admin/admin_fixture.h"

using namespace sb::test;

namespace {
struct RouteCase {
  const char* method;
  const char* path;
  const char* body;
};
// Every session route (the conversation routes on conversation 1).
const RouteCase kRoutes[] = {
    {"GET", "/api/v1/me", ""},
    {"POST", "/api/v1/logout", "{}"},
    {"GET", "/api/v1/conversations", ""},
    {"GET", "/api/v1/handoffs", ""},
    {"GET", "/api/v1/conversations/1", ""},
    {"POST", "/api/v1/conversations/1/messages", R"({"text":"hi"})"},
    {"POST", "/api/v1/conversations/1/assign", R"({"department":"support"})"},
    {"POST", "/api/v1/conversations/1/tags", R"({"tag":"VIP"})"},
    {"DELETE", "/api/v1/conversations/1/tags/VIP", ""},
    {"POST", "/api/v1/conversations/1/close", ""},
    {"POST", "/api/v1/conversations/1/archive", ""},
    {"POST", "/api/v1/conversations/1/reopen", ""},
    {"POST", "/api/v1/conversations/1/unassign", ""},
    {"GET", "/api/v1/users", ""},
    {"POST", "/api/v1/users", R"({"name":"x","role":"agent","password":"0123456789"})"},
    {"GET", "/api/v1/diagnostics", ""},
    {"GET", "/api/v1/stats", ""},
    {"GET", "/api/v1/rules", ""},
    {"POST", "/api/v1/rules/test", R"({"text":"refund"})"},
    {"GET", "/api/v1/departments", ""},
    {"GET", "/api/v1/agents", ""},
    {"GET", "/api/v1/live", ""},
    {"GET", "/api/v1/no-such-route", ""},
    {"PUT", "/api/v1/conversations", ""},
};
}  // namespace

TEST_CASE("every /api/v1 route answers 401 without a session, before routing and CSRF") {
  AdminFixture f;
  for (const auto& r : kRoutes) {
    CAPTURE(r.method);
    CAPTURE(r.path);
    auto res = f.call(r.method, r.path, {}, r.body);
    CHECK(res.status == 401);
    CHECK(res.error() == "log in first");
    // A stale or forged cookie is no session either.
    CHECK(f.call(r.method, r.path, {"sb_session=forged", "x"}, r.body).status == 401);
  }
}

TEST_CASE("every state change needs the session's CSRF token") {
  AdminFixture f;
  f.ingest("sms", "e1", "+1555", "hello");
  for (const auto& r : kRoutes) {
    if (std::string(r.method) == "GET" || std::string(r.path).find("no-such") != std::string::npos ||
        std::string(r.method) == "PUT")
      continue;
    CAPTURE(r.path);
    auto res = f.call(r.method, r.path, f.admin, r.body, /*send_csrf=*/false);
    CHECK(res.status == 403);
    CHECK(res.error() == "missing or wrong X-CSRF-Token");
    auto wrong = f.call(r.method, r.path, {f.admin.cookie, "not-the-token"}, r.body);
    CHECK(wrong.status == 403);
  }
  // The session survived all that (logout was refused too).
  CHECK(f.get("/api/v1/me", f.admin).status == 200);
}

TEST_CASE("roles are enforced on the server") {
  AdminFixture f;
  f.ingest("sms", "e1", "+1555", "hello");
  auto forbidden = [&](const Caller& who, const char* method, const char* path,
                       const char* body = "") {
    CAPTURE(method);
    CAPTURE(path);
    auto r = f.call(method, path, who, body);
    CHECK(r.status == 403);
    CHECK(r.error().find("may not do this") != std::string::npos);
  };
  // A technician reads conversations but changes none.
  CHECK(f.get("/api/v1/conversations", f.tech).status == 200);
  CHECK(f.get("/api/v1/conversations/1", f.tech).status == 200);
  CHECK(f.get("/api/v1/handoffs", f.tech).status == 200);
  forbidden(f.tech, "POST", "/api/v1/conversations/1/messages", R"({"text":"hi"})");
  forbidden(f.tech, "POST", "/api/v1/conversations/1/assign", R"({"department":"support"})");
  forbidden(f.tech, "POST", "/api/v1/conversations/1/tags", R"({"tag":"VIP"})");
  forbidden(f.tech, "DELETE", "/api/v1/conversations/1/tags/VIP");
  for (auto a : {"close", "archive", "reopen", "unassign"})
    forbidden(f.tech, "POST", ("/api/v1/conversations/1/" + std::string(a)).c_str());
  forbidden(f.tech, "GET", "/api/v1/departments");
  forbidden(f.tech, "GET", "/api/v1/agents");
  forbidden(f.tech, "GET", "/api/v1/stats");
  forbidden(f.tech, "GET", "/api/v1/users");
  forbidden(f.tech, "POST", "/api/v1/users", R"({"name":"x","role":"agent","password":"0123456789"})");
  CHECK(f.get("/api/v1/diagnostics", f.tech).status == 200);
  CHECK(f.get("/api/v1/rules", f.tech).status == 200);
  CHECK(f.post("/api/v1/rules/test", f.tech, {{"text", "refund"}}).status == 200);
  // An agent works conversations, and nothing else.
  forbidden(f.agent, "GET", "/api/v1/diagnostics");
  forbidden(f.agent, "GET", "/api/v1/rules");
  forbidden(f.agent, "POST", "/api/v1/rules/test", R"({"text":"refund"})");
  forbidden(f.agent, "GET", "/api/v1/stats");
  forbidden(f.agent, "GET", "/api/v1/users");
  forbidden(f.agent, "POST", "/api/v1/users", R"({"name":"x","role":"admin","password":"0123456789"})");
  CHECK(f.get("/api/v1/departments", f.agent).status == 200);
  CHECK(f.get("/api/v1/agents", f.agent).status == 200);
  CHECK(f.post("/api/v1/conversations/1/tags", f.agent, {{"tag", "VIP"}}).status == 200);
  // The role check comes after routing: an unknown route is 404 for every role.
  CHECK(f.get("/api/v1/no-such-route", f.tech).status == 404);
}

TEST_CASE("a known path with the wrong method is 405 with Allow") {
  AdminFixture f;
  CHECK(f.call("DELETE", "/api/v1/stats", f.admin).status == 405);
  CHECK(f.call("GET", "/api/v1/rules/test", f.admin).status == 405);
  CHECK(f.call("PUT", "/api/v1/conversations", f.admin).status == 405);
  CHECK(f.call("GET", "/api/v1/logout", f.admin).status == 405);
}

TEST_CASE("logout ends the session") {
  AdminFixture f;
  CHECK(f.post("/api/v1/logout", f.agent, nlohmann::json::object()).status == 200);
  CHECK(f.get("/api/v1/me", f.agent).status == 401);
  CHECK(f.get("/api/v1/me", f.admin).status == 200);
}
