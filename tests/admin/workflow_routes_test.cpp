// The workflow routes called as the admin router will call them (after the session check):
// 200 for the right role and fields, 403 for a technician writing or a missing CSRF token,
// 400 for bad fields.
#include <doctest/doctest.h>

#include "services/admin/api_routes.h"
#include "services/admin/auth.h"
#include "services/admin/workflow_routes.h"
#include "tests/support/workflow_fixture.h"

using namespace sb;
using nlohmann::json;

namespace {
struct Api : test::WorkflowFixture {
  admin::InboxRoster roster{inbox};
  admin::Auth auth{*store, clock, roster, 1000};
  admin::StatusProvider status = [] { return json{}; };
  std::string peer = "127.0.0.1";
  admin::ApiContext ctx{inbox, auth, metrics, clock, status, peer};
  admin::Session admin_s{"root", *admin::parse_role("admin"), "c1", 0},
      ana{"ana", *admin::parse_role("agent"), "c2", 0},
      tech{"tom", *admin::parse_role("technician"), "c3", 0};

  struct Out {
    int status = 0;
    json body;
  };
  Out call(const admin::Session& s, const std::string& method, const std::string& target,
           const json& body = nullptr, bool csrf = true) {
    admin::Request req;
    req.method(admin::http::string_to_verb(method));
    req.target(target);
    req.version(11);
    if (csrf) req.set("X-CSRF-Token", s.csrf);
    if (!body.is_null()) req.body() = body.dump();
    req.prepare_payload();
    std::string path = target.substr(0, target.find('?'));
    auto r = admin::workflow_routes(ctx, req, path, s);
    if (!r) return {404, nullptr};
    return {static_cast<int>(r->result_int()), json::parse(r->body(), nullptr, false)};
  }
  // GET through the whole table, for routes outside the workflow's (one conversation).
  Out get(const admin::Session& s, const std::string& path) {
    admin::Request req;
    req.method(admin::http::verb::get);
    req.target(path);
    req.version(11);
    req.prepare_payload();
    auto r = admin::session_routes(ctx, req, path, s, "token");
    return {static_cast<int>(r.result_int()), json::parse(r.body(), nullptr, false)};
  }
};
}  // namespace

TEST_CASE_FIXTURE(Api, "presence and heartbeat") {
  CHECK(call(ana, "GET", "/api/v1/presence").status == 200);
  CHECK(call(tech, "GET", "/api/v1/presence").status == 200);
  auto r = call(ana, "POST", "/api/v1/presence", {{"presence", "online"}});
  CHECK(r.status == 200);
  CHECK(r.body["presence"] == "online");
  CHECK(inbox.agent("ana")->presence() == "online");
  CHECK(call(tech, "POST", "/api/v1/presence", {{"presence", "online"}}).status == 403);
  CHECK(call(ana, "POST", "/api/v1/presence", {{"presence", "online"}}, false).status == 403);
  CHECK(call(ana, "POST", "/api/v1/presence", {{"presence", "asleep"}}).status == 400);
  CHECK(call(ana, "POST", "/api/v1/presence", {{"presence", 1}}).status == 400);
  CHECK(call(ana, "POST", "/api/v1/presence", {{"presence", "away"}, {"agent", "ben"}}).status == 403);
  CHECK(call(admin_s, "POST", "/api/v1/presence", {{"presence", "away"}, {"agent", "ben"}}).status == 200);
  CHECK(call(admin_s, "POST", "/api/v1/presence", {{"presence", "away"}, {"agent", "zed"}}).status == 400);
  CHECK(call(ana, "POST", "/api/v1/presence/heartbeat", json::object()).status == 200);
  CHECK(call(tech, "POST", "/api/v1/presence/heartbeat", json::object()).status == 403);
  CHECK(call(admin_s, "POST", "/api/v1/presence/heartbeat", json::object()).status == 400);  // not an agent
  CHECK(call(ana, "DELETE", "/api/v1/presence").status == 405);
  auto list = call(ana, "GET", "/api/v1/presence").body;
  CHECK(list.size() == 2);
}

TEST_CASE_FIXTURE(Api, "search") {
  auto c = ingest("sms", "1", "+1", "where is my parcel");
  auto r = call(tech, "GET", "/api/v1/search?q=parc&limit=5");
  CHECK(r.status == 200);
  REQUIRE(r.body["messages"].size() == 1);
  CHECK(r.body["messages"][0]["conversation_id"] == c->conversation_id);
  CHECK(r.body["messages"][0]["snippet"] == "where is my parcel");
  // Whose conversation and which channel: no name known, so the number.
  CHECK(r.body["messages"][0]["contact_name"] == "+1");
  CHECK(r.body["messages"][0]["channel"] == "sms");
  CHECK(call(ana, "GET", "/api/v1/search?q=my+parcel").body["messages"].size() == 1);
  CHECK(call(ana, "GET", "/api/v1/search").status == 400);
  CHECK(call(ana, "GET", "/api/v1/search?q=").status == 400);
  CHECK(call(ana, "GET", "/api/v1/search?q=x&limit=0").status == 400);
  CHECK(call(ana, "GET", "/api/v1/search?q=x&limit=abc").status == 400);
  CHECK(call(ana, "GET", "/api/v1/search?q=" + std::string(300, 'x')).status == 400);
  CHECK(call(ana, "POST", "/api/v1/search?q=x", json::object()).status == 405);
}

TEST_CASE_FIXTURE(Api, "notes") {
  auto c = ingest("sms", "1", "+1", "hello");
  const std::string path = "/api/v1/conversations/" + std::to_string(c->conversation_id) + "/notes";
  const auto outbox_before = outbox().size();
  auto r = call(ana, "POST", path, {{"text", "VIP customer, be nice"}});
  CHECK(r.status == 200);
  CHECK(inbox.message(r.body["id"].get<std::uint64_t>())->note());
  CHECK(outbox().size() == outbox_before);
  CHECK(call(tech, "POST", path, {{"text", "x"}}).status == 403);
  CHECK(call(ana, "POST", path, {{"text", ""}}).status == 400);
  CHECK(call(ana, "POST", path, {{"note", "x"}}).status == 400);
  CHECK(call(ana, "POST", path, json::array()).status == 400);
  CHECK(call(ana, "POST", "/api/v1/conversations/999/notes", {{"text", "x"}}).status == 404);
  CHECK(call(ana, "GET", path).status == 405);
  CHECK(call(ana, "GET", "/api/v1/conversations/1").status == 404);  // not a workflow route
}

TEST_CASE_FIXTURE(Api, "canned replies") {
  CHECK(call(admin_s, "POST", "/api/v1/canned", {{"shortcut", "/hi"}, {"text", "Hi {name}!"}}).status == 200);
  CHECK(call(ana, "POST", "/api/v1/canned", {{"shortcut", "/x"}, {"text", "x"}}).status == 403);
  CHECK(call(tech, "POST", "/api/v1/canned", {{"shortcut", "/x"}, {"text", "x"}}).status == 403);
  CHECK(call(admin_s, "POST", "/api/v1/canned", {{"shortcut", "/x"}}).status == 400);
  CHECK(call(admin_s, "POST", "/api/v1/canned", {{"shortcut", "a b"}, {"text", "x"}}).status == 400);
  std::optional<Result<inbox::IngestOutcome>> c;
  inbox.ingest({"whatsapp", "1", "+1", "Ana", "hi", 0, {}}, [&](const auto& r) { c = r; });
  run_posted();
  const auto id = std::to_string((*c)->conversation_id);
  auto list = call(tech, "GET", "/api/v1/canned?conversation=" + id);
  CHECK(list.status == 200);
  CHECK(list.body[0]["expanded"] == "Hi Ana!");
  CHECK(call(ana, "GET", "/api/v1/canned?conversation=999").status == 400);
  auto sent = call(ana, "POST", "/api/v1/conversations/" + id + "/canned", {{"shortcut", "/hi"}});
  CHECK(sent.status == 200);
  CHECK(sent.body["text"] == "Hi Ana!");
  CHECK(call(ana, "POST", "/api/v1/conversations/" + id + "/canned", {{"shortcut", "/nope"}}).status == 400);
  CHECK(call(tech, "POST", "/api/v1/conversations/" + id + "/canned", {{"shortcut", "/hi"}}).status == 403);
  CHECK(call(ana, "DELETE", "/api/v1/canned/%2Fhi").status == 403);
  CHECK(call(admin_s, "DELETE", "/api/v1/canned/%2Fhi").status == 200);
  CHECK(call(admin_s, "DELETE", "/api/v1/canned/%2Fhi").status == 404);
}

TEST_CASE_FIXTURE(Api, "contacts: read, tag, merge") {
  auto a = ingest("sms", "1", "+34600111222", "late order");
  auto b = ingest("whatsapp", "2", "34600111222", "hello again");
  const auto pa = inbox.conversation(a->conversation_id)->contact_id();
  const auto pb = inbox.conversation(b->conversation_id)->contact_id();
  const std::string path = "/api/v1/contacts/" + std::to_string(pb);
  auto r = call(tech, "GET", path);
  CHECK(r.status == 200);
  CHECK(r.body["addresses"].size() == 1);
  CHECK(call(ana, "POST", path, {{"add_tags", {"VIP"}}, {"name", "Ana"}}).status == 200);
  CHECK(call(tech, "POST", path, {{"add_tags", {"VIP"}}}).status == 403);
  CHECK(call(ana, "POST", path, {{"add_tags", "VIP"}}).status == 400);
  CHECK(call(ana, "POST", path, {{"name", 3}}).status == 400);
  CHECK(call(ana, "POST", path, json::object()).status == 400);
  CHECK(call(ana, "GET", "/api/v1/contacts/999").status == 404);
  CHECK(call(ana, "POST", path + "/merge", {{"other", "x"}}).status == 400);
  CHECK(call(ana, "POST", path + "/merge", {{"other", 999}}).status == 400);
  CHECK(call(tech, "POST", path + "/merge", {{"other", pa}}).status == 403);
  auto m = call(ana, "POST", path + "/merge", {{"other", pa}});
  CHECK(m.status == 200);
  CHECK(m.body["addresses"].size() == 2);
  auto merged = call(ana, "GET", path).body;
  CHECK(merged["conversations"].size() == 2);
  std::vector<std::string> texts;
  for (const auto& msg : merged["history"])
    if (msg["author"] == "contact") texts.push_back(msg["text"]);
  CHECK(texts == std::vector<std::string>{"late order", "hello again"});
}

TEST_CASE_FIXTURE(Api, "queue and targets") {
  auto w = inbox.workflow();
  w.default_department = "support";
  w.departments["support"].targets = {{0, 5 * 60 * 1000}};
  inbox.set_workflow(w);
  auto id = handoff("+1");
  clock.advance(6 * 60 * 1000);
  inbox.workflow_tick();
  auto q = call(tech, "GET", "/api/v1/queue");
  CHECK(q.status == 200);
  bool found = false;
  for (const auto& d : q.body)
    if (d["department"] == "support") found = d["queued"].size() == 1 && d["policy"] == "manual";
  CHECK(found);
  auto t = call(ana, "GET", "/api/v1/targets");
  CHECK(t.status == 200);
  REQUIRE(t.body.size() == 1);
  CHECK(t.body[0]["over_target"] == true);
  CHECK(t.body[0]["target_ms"] == 300000);
  CHECK(call(ana, "POST", "/api/v1/targets", json::object()).status == 405);
  (void)id;
}

TEST_CASE_FIXTURE(Api, "creating the user of a configured agent keeps the agent's department") {
  REQUIRE(inbox.upsert_agent("eve", "Eve", "support").ok());
  REQUIRE(auth.add_user("eve", "agent", "eve-password-1").ok());
  REQUIRE(inbox.agent("eve"));
  CHECK(inbox.agent("eve")->department() == "support");
  CHECK(inbox.agent("eve")->name() == "Eve");
  REQUIRE(auth.add_user("fay", "agent", "fay-password-1").ok());  // no config entry: one is made
  REQUIRE(inbox.agent("fay"));
  CHECK(inbox.agent("fay")->department().empty());
}

TEST_CASE_FIXTURE(Api, "the queue says whether a department is open and when it next opens") {
  auto hours = std::make_shared<inbox::BusinessHours>();
  hours->zone_name = "Asia/Kolkata";  // UTC+05:30 all year
  auto z = load_time_zone(hours->zone_name);
  REQUIRE(z.ok());
  hours->zone = *z;
  hours->week[0] = {{9 * 60, 17 * 60}};  // Mondays only
  auto w = inbox.workflow();
  w.default_department = "support";
  w.departments["support"].hours = hours;
  w.departments["support"].targets = {{0, 60 * 60 * 1000}};
  inbox.set_workflow(w);
  // Friday 2026-12-04 12:00 in Kolkata.
  const std::int64_t friday_noon = (days_from_civil(2026, 12, 4) * 86400 + 12 * 3600 - 19800) * 1000;
  clock.set_wall(friday_noon);
  const auto id = handoff("+1");
  clock.advance(2 * 60 * 60 * 1000);
  // The conversation itself carries its department's hours, for the agent answering it.
  auto one = get(ana, "/api/v1/conversations/" + std::to_string(id));
  REQUIRE(one.status == 200);
  CHECK(one.body["department_hours"]["open"] == false);
  CHECK(one.body["department_hours"]["opens"] == "Mon 09:00");
  auto q = call(ana, "GET", "/api/v1/queue");
  REQUIRE(q.status == 200);
  json support, billing;
  for (const auto& d : q.body) (d["department"] == "support" ? support : billing) = d;
  CHECK(billing["hours"].is_null());  // no hours: always open
  REQUIRE(support["hours"].is_object());
  CHECK(support["hours"]["timezone"] == "Asia/Kolkata");
  CHECK(support["hours"]["open"] == false);
  CHECK(support["hours"]["opens"] == "Mon 09:00");
  CHECK(support["hours"]["opens_at_ms"] ==
        (days_from_civil(2026, 12, 7) * 86400 + 9 * 3600 - 19800) * 1000);
  auto t = call(ana, "GET", "/api/v1/targets");
  REQUIRE(t.body.size() == 1);
  CHECK(t.body[0]["waiting_ms"] == 0);  // closed all the while: no business time yet
  clock.set_wall((days_from_civil(2026, 12, 7) * 86400 + 10 * 3600 - 19800) * 1000);  // Monday 10:00
  CHECK(call(ana, "GET", "/api/v1/targets").body[0]["waiting_ms"] == 60 * 60 * 1000);
  q = call(ana, "GET", "/api/v1/queue");
  for (const auto& d : q.body)
    if (d["department"] == "support") {
      CHECK(d["hours"]["open"] == true);
      CHECK(d["hours"]["opens"].is_null());
    }
  CHECK(get(ana, "/api/v1/conversations/" + std::to_string(id)).body["department_hours"]["open"] == true);
}
