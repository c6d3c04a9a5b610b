// The JSON API's happy paths and its 400s, against a real HttpServer on a loopback port.
#include <doctest/doctest.h>

#include "tests/admin/admin_fixture.h"

using namespace sb::test;
using nlohmann::json;

TEST_CASE("setup and login: open routes, clear errors") {
  AdminFixture f;
  CHECK(f.get("/api/v1/setup", {}).json()["needed"] == false);
  auto again = f.post("/api/v1/setup", {}, {{"token", "x"}, {"name", "b"}, {"password", "0123456789"}});
  CHECK(again.status == 403);
  CHECK(f.call("POST", "/api/v1/setup", {}, "{not json").status == 400);
  auto missing = f.post("/api/v1/login", {}, {{"name", "root"}});
  CHECK(missing.status == 400);
  CHECK(missing.error() == "login needs string fields name and password");
  CHECK(f.call("POST", "/api/v1/login", {}, "[1,2]").status == 400);
  CHECK(f.post("/api/v1/login", {}, {{"name", "root"}, {"password", "wrong-one!"}}).status == 401);
  auto me = f.get("/api/v1/me", f.admin);
  CHECK(me.status == 200);
  CHECK(me.json()["name"] == "root");
  CHECK(me.json()["role"] == "admin");
  CHECK(me.json()["csrf"] == f.admin.csrf);
}

TEST_CASE("conversations, handoffs and one conversation") {
  AdminFixture f;
  auto hello = f.ingest("sms", "e1", "+1555", "hello");
  auto refund = f.ingest("whatsapp", "w1", "+1666", "I want a refund");
  auto list = f.get("/api/v1/conversations", f.agent);
  REQUIRE(list.status == 200);
  CHECK(list.json().size() == 2);
  auto wa = f.get("/api/v1/conversations?channel=whatsapp", f.agent).json();
  REQUIRE(wa.size() == 1);
  CHECK(wa[0]["id"] == refund);
  CHECK(f.get("/api/v1/conversations?status=queued&channel=", f.agent).json().size() == 1);
  auto q = f.get("/api/v1/handoffs", f.agent).json();
  REQUIRE(q.size() == 1);
  CHECK(q[0]["handoff"]["trigger"] == "keyword");
  CHECK(q[0]["handoff"]["reason"].get<std::string>().find("refund") != std::string::npos);
  CHECK(q[0].contains("waiting_s"));
  auto one = f.get("/api/v1/conversations/" + std::to_string(hello), f.tech);
  REQUIRE(one.status == 200);
  CHECK(one.json()["messages"][0]["text"] == "hello");
  CHECK(one.json()["messages"][0]["author"] == "contact");
  CHECK(f.get("/api/v1/conversations/999", f.agent).status == 404);
}

TEST_CASE("reply, assign, tag, untag, close, reopen, archive") {
  AdminFixture f;
  auto id = std::to_string(f.ingest("sms", "e1", "+1555", "I want a refund"));
  const std::string c = "/api/v1/conversations/" + id;
  auto reply = f.post(c + "/messages", f.agent, {{"text", "On it"}});
  CHECK(reply.status == 200);
  CHECK(reply.json()["id"].is_number());
  auto after = f.get(c, f.agent).json();
  CHECK(after["status"] == "assigned");
  CHECK(after["assignee"] == "ana");
  CHECK(f.post(c + "/assign", f.agent, {{"department", "billing"}}).status == 200);
  CHECK(f.get(c, f.agent).json()["department"] == "billing");
  CHECK(f.post(c + "/assign", f.agent, {{"agent", "root"}}).status == 200);
  // Refusals say what the caller can do: bad input 400, the state forbids it now 409.
  auto nowhere = f.post(c + "/assign", f.agent, {{"department", "nowhere"}});
  CHECK(nowhere.status == 400);
  CHECK(nowhere.json()["error"].get<std::string>().find("unknown department") != std::string::npos);
  CHECK(f.get(c, f.agent).json()["assignee"] == "root");
  CHECK(f.post(c + "/tags", f.agent, {{"tag", "Hot Lead"}}).status == 200);
  CHECK(f.get("/api/v1/conversations?tag=Hot+Lead", f.agent).json().size() == 1);
  CHECK(f.post(c + "/tags", f.agent, {{"tag", "Hot Lead"}}).status == 409);
  CHECK(f.call("DELETE", c + "/tags/Hot%20Lead", f.agent).status == 200);  // percent-decoded
  CHECK(f.get("/api/v1/conversations?tag=Hot%20Lead", f.agent).json().empty());
  CHECK(f.post(c + "/tags", f.agent, {{"tag", "VIP"}}).status == 200);
  CHECK(f.call("DELETE", c + "/tags/VIP", f.agent).status == 200);
  CHECK(f.call("DELETE", c + "/tags/VIP", f.agent).status == 409);  // not tagged any more
  CHECK(f.post(c + "/unassign", f.agent, json::object()).status == 200);
  CHECK(f.get(c, f.agent).json()["status"] == "queued");
  CHECK(f.post(c + "/close", f.agent, json::object()).status == 200);
  CHECK(f.post(c + "/messages", f.agent, {{"text", "late"}}).status == 409);
  CHECK(f.post(c + "/reopen", f.agent, json::object()).status == 200);
  CHECK(f.post(c + "/close", f.agent, json::object()).status == 200);
  CHECK(f.post(c + "/archive", f.agent, json::object()).status == 200);
  CHECK(f.get(c, f.agent).json()["status"] == "archived");
  auto hist = f.get(c, f.agent).json()["messages"];
  bool system_note = false;
  for (auto& m : hist) system_note = system_note || m["author"] == "system";
  CHECK(system_note);
}

TEST_CASE("conversation actions answer 400 with a clear message for bad bodies") {
  AdminFixture f;
  const std::string c = "/api/v1/conversations/" + std::to_string(f.ingest("sms", "e1", "+1", "hi"));
  auto bad = [&](const std::string& path, const std::string& body, const std::string& msg) {
    CAPTURE(path);
    CAPTURE(body);
    auto r = f.call("POST", path, f.agent, body);
    CHECK(r.status == 400);
    CHECK(r.error() == msg);
  };
  bad(c + "/messages", "{oops", "the body must be a JSON object");
  bad(c + "/messages", R"({"text":""})", "a reply needs a non-empty string field 'text'");
  bad(c + "/messages", R"({"text":5})", "a reply needs a non-empty string field 'text'");
  bad(c + "/messages", json{{"text", std::string(5000, 'a')}}.dump(), "a reply is at most 4096 bytes");
  bad(c + "/assign", "{}", "assign needs a string 'department' or 'agent'");
  bad(c + "/assign", R"({"department":"nope"})", "unknown department 'nope'");
  bad(c + "/assign", R"({"agent":"nobody"})", "unknown agent 'nobody'");
  bad(c + "/tags", R"({"tag":""})", "tagging needs a string 'tag' of 1 to 64 bytes");
  bad(c + "/tags", "null", "the body must be a JSON object");
}

TEST_CASE("users: an admin lists and creates agents and technicians") {
  AdminFixture f;
  auto list = f.get("/api/v1/users", f.admin).json();
  CHECK(list.size() == 3);
  CHECK(f.post("/api/v1/users", f.admin, {{"name", "zoe"}, {"role", "technician"}, {"password", "long-enough-1"}})
            .status == 200);
  CHECK(f.login("zoe", "long-enough-1").csrf.size() > 0);
  auto r = f.post("/api/v1/users", f.admin, {{"name", "x"}, {"role", "boss"}, {"password", "long-enough-1"}});
  CHECK(r.status == 400);
  CHECK(r.error() == "role must be admin, agent or technician");
  CHECK(f.post("/api/v1/users", f.admin, {{"name", "y"}, {"role", "agent"}, {"password", "short"}}).status == 400);
  CHECK(f.post("/api/v1/users", f.admin, {{"name", "y"}}).error() ==
        "a user needs string fields name, role and password");
  // A name taken is a conflict, told before any hashing.
  auto taken = f.post("/api/v1/users", f.admin, {{"name", "zoe"}, {"role", "agent"}, {"password", "long-enough-1"}});
  CHECK(taken.status == 409);
  CHECK(taken.error() == "user 'zoe' exists");
}

TEST_CASE("diagnostics, departments and agents") {
  AdminFixture f;
  auto d = f.get("/api/v1/diagnostics", f.tech).json();
  CHECK(d["version"] == "test");
  auto deps = f.get("/api/v1/departments", f.agent).json();
  REQUIRE(deps.size() == 2);
  CHECK(deps[0]["id"] == "billing");
  CHECK(deps[1]["name"] == "Support");
  auto agents = f.get("/api/v1/agents", f.admin).json();
  std::set<std::string> ids;
  for (auto& a : agents) ids.insert(a["id"]);
  CHECK(ids == std::set<std::string>{"ana", "root"});  // technicians take no conversations
}

TEST_CASE("rules: the active set, and a text tested against it") {
  AdminFixture f;
  auto rules = f.get("/api/v1/rules", f.tech).json();
  REQUIRE(rules["rules"].is_array());
  CHECK(rules["rules"].size() > 0);
  CHECK(rules["fallback_threshold"].is_number());
  auto& r0 = rules["rules"][0];
  CHECK(r0.contains("id"));
  CHECK(r0["patterns"].is_array());
  auto v = f.post("/api/v1/rules/test", f.admin, {{"text", "I want a REFUND now"}}).json();
  CHECK(v["handoff"] == true);
  CHECK(v["trigger"] == "keyword");
  CHECK(v["rule"].is_string());
  CHECK(v["priority"].is_number());
  REQUIRE(v["spans"].size() >= 1);
  CHECK(v["spans"][0]["text"] == "REFUND");
  auto none = f.post("/api/v1/rules/test", f.admin, {{"text", "good morning"}}).json();
  CHECK(none["handoff"] == false);
  CHECK(none["spans"].empty());
  CHECK(f.post("/api/v1/rules/test", f.admin, {{"txt", "x"}}).error() ==
        "a rule test needs a string field 'text'");
  CHECK(f.call("POST", "/api/v1/rules/test", f.admin, "text=x").status == 400);
}

TEST_CASE("stats: handoff rate by trigger, channel and day; time to first human reply") {
  AdminFixture f;
  auto a = f.ingest("sms", "e1", "+1", "I want a refund");
  f.ingest("sms", "e2", "+2", "hello there");
  f.ingest("whatsapp", "w1", "+3", "can I talk to a human");
  f.ingest("whatsapp", "w2", "+4", "what are your hours");
  f.on_io([&] { f.clock.advance(60'000); return 0; });
  CHECK(f.post("/api/v1/conversations/" + std::to_string(a) + "/messages", f.agent,
               {{"text", "hi"}}).status == 200);
  auto s = f.get("/api/v1/stats", f.admin);
  REQUIRE(s.status == 200);
  auto j = s.json();
  CHECK(j["conversations"] == 4);
  CHECK(j["handoffs"] == 2);
  CHECK(j["rate"].get<double>() == doctest::Approx(0.5));
  CHECK(j["by_trigger"]["keyword"] == 1);
  CHECK(j["by_trigger"]["user_request"] == 1);
  CHECK(j["by_channel"]["sms"]["handoffs"] == 1);
  CHECK(j["by_channel"]["whatsapp"]["conversations"] == 2);
  REQUIRE(j["by_day"].size() == 14);
  CHECK(j["by_day"][13]["conversations"] == 4);
  CHECK(j["by_day"][13]["handoffs"] == 2);
  CHECK(j["first_reply"]["count"] == 1);
  CHECK(j["first_reply"]["median_ms"] == 60'000);
  CHECK(j["first_reply"]["p90_ms"] == 60'000);
  CHECK(j["first_reply"]["unanswered"] == 1);
}

TEST_CASE("api: unread counted on the server, cleared by the answerer's view") {
  AdminFixture f;
  auto id = f.ingest("whatsapp", "u1", "+31", "I want to talk to a human");
  f.ingest("whatsapp", "u2", "+31", "hello??");
  const std::string path = "/api/v1/conversations/" + std::to_string(id);
  CHECK(f.get(path, f.agent).json()["unread"] == 2);
  CHECK(f.post(path + "/seen", f.tech, nlohmann::json::object()).status == 403);
  CHECK(f.get(path, f.agent).json()["unread"] == 2);
  auto r = f.post(path + "/seen", f.agent, nlohmann::json::object());
  CHECK(r.status == 200);
  CHECK(r.json()["changed"] == true);
  CHECK(f.get(path, f.admin).json()["unread"] == 0);
  CHECK(f.post(path + "/seen", f.agent, nlohmann::json::object()).json()["changed"] == false);
  CHECK(f.post("/api/v1/conversations/99999/seen", f.agent, nlohmann::json::object()).status == 404);
  // In the list as well.
  bool listed = false;
  for (const auto& c : f.get("/api/v1/conversations", f.agent).json())
    if (c["id"] == id) listed = c["unread"] == 0;
  CHECK(listed);
}
