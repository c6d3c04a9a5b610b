// The JSON API under /api/v1: the conversation, user and reference routes of the route table.
// Handlers turn requests into inbox calls and records into JSON; they know nothing about sockets.
//
// Roles (enforced by the table, whatever the page shows): admin may do everything; an agent
// works conversations (and reads the departments and agents to assign them to); a technician
// reads conversations, diagnostics and the rules (and may test a text against them).
#include "services/admin/api_routes.h"

#include "services/admin/api_util.h"
#include "services/admin/health.h"
#include "services/admin/route_table.h"
#include "services/admin/stats_view.h"

namespace sb::admin {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxReply = 4096;
constexpr std::size_t kMaxTestText = 4096;

// Secure under HTTPS, so a browser never sends the session over plain HTTP to this host.
std::string session_cookie(const std::string& token, bool clear, bool secure) {
  return "sb_session=" + (clear ? std::string() : token) + "; Path=/; HttpOnly; SameSite=Strict" +
         (secure ? "; Secure" : "") + (clear ? "; Max-Age=0" : "");
}

Response result_json(const Request& req, const Result<void>& r) {
  if (!r) return error_response(req, r.error());
  return ok_json(req, {{"ok", true}});
}

// What a route answered later replies with once its change is done: as result_json.
Auth::Done reply_result(const Request& req, std::function<void(Response)> reply) {
  Request head;
  head.base() = req.base();  // what the answer needs (version, keep-alive), not the password
  return [head = std::move(head), reply = std::move(reply)](Result<void> r) {
    reply(result_json(head, r));
  };
}

std::optional<Response> missing_conversation(Call& c) {
  if (c.ctx.inbox.conversation(c.id)) return std::nullopt;
  return json_error(c.req, http::status::not_found, "no such conversation");
}

Response me(Call& c) {
  return ok_json(c.req, {{"name", c.s.user}, {"role", role_name(c.s.role)}, {"csrf", c.s.csrf}});
}

Response logout(Call& c) {
  Response res = ok_json(c.req, {{"ok", true}});
  res.set(http::field::set_cookie, session_cookie({}, true, c.ctx.tls));
  c.ctx.auth.logout(c.token);
  return res;
}

Response conversation_list(Call& c) {
  inbox::ConversationFilter f;
  if (auto status = query(c.req, "status"); status && !status->empty()) {
    auto s = inbox::parse_status(*status);
    if (!s) return ok_json(c.req, json::array());  // no conversation has a status of that name
    f.status = *s;
  }
  f.channel = query(c.req, "channel");
  f.department = query(c.req, "department");
  f.tag = query(c.req, "tag");
  f.assignee = query(c.req, "assignee");
  if (query(c.req, "mine")) f.assignee = c.s.user;
  f.snoozed = query(c.req, "snoozed").has_value();
  for (auto* v : {&f.channel, &f.department, &f.tag, &f.assignee})
    if (*v && (*v)->empty()) v->reset();  // an empty filter is no filter
  json out = json::array();
  const auto now = c.ctx.clock.wall_ms();
  for (const auto& conv : c.ctx.inbox.conversations(f)) out.push_back(conversation_json(conv, now));
  mark_urgent(out, urgent_rules(c.ctx.inbox.rules()));
  return ok_json(c.req, out);
}

Response handoff_list(Call& c) {
  inbox::ConversationFilter f;
  f.status = inbox::STATUS_QUEUED;
  f.limit = 1000;
  auto queued = c.ctx.inbox.conversations(f);
  // Most urgent first, then longest waiting.
  std::stable_sort(queued.begin(), queued.end(), [](const auto& a, const auto& b) {
    if (a.priority() != b.priority()) return a.priority() > b.priority();
    return a.queued_at_ms() < b.queued_at_ms();
  });
  json out = json::array();
  const auto now = c.ctx.clock.wall_ms();
  for (const auto& conv : queued) out.push_back(conversation_json(conv, now));
  mark_urgent(out, urgent_rules(c.ctx.inbox.rules()));
  return ok_json(c.req, out);
}

Response conversation_one(Call& c) {
  if (auto e = missing_conversation(c)) return std::move(*e);
  const auto conv = c.ctx.inbox.conversation(c.id);
  const auto now = c.ctx.clock.wall_ms();
  json j = conversation_json(*conv, now);
  // The agent answering sees whether the team is open (after-hours replies, a target that
  // counts business time): null where the department keeps no hours.
  const auto& routing = c.ctx.inbox.workflow().departments;
  auto dep = routing.find(conv->department());
  j["department_hours"] = hours_json(dep == routing.end() ? nullptr : &dep->second, now);
  json msgs = json::array();
  for (const auto& msg : c.ctx.inbox.history(c.id)) msgs.push_back(message_json(msg));
  j["messages"] = std::move(msgs);
  mark_urgent(j, urgent_rules(c.ctx.inbox.rules()));
  return ok_json(c.req, j);
}

template <Result<void> (inbox::Inbox::*Action)(std::uint64_t, const std::string&)>
Response conversation_action(Call& c) {
  if (auto e = missing_conversation(c)) return std::move(*e);
  return result_json(c.req, (c.ctx.inbox.*Action)(c.id, c.s.user));
}

Response conversation_untag(Call& c) {
  if (auto e = missing_conversation(c)) return std::move(*e);
  return result_json(c.req, c.ctx.inbox.untag(c.id, c.arg, c.s.user));
}

Response conversation_reply(Call& c) {
  if (auto e = missing_conversation(c)) return std::move(*e);
  std::optional<Response> err;
  auto j = body_json(c.req, err);
  if (!j) return std::move(*err);
  auto text = str_field(*j, "text");
  if (!text || text->empty())
    return bad_request(c.req, "a reply needs a non-empty string field 'text'");
  if (text->size() > kMaxReply) return bad_request(c.req, "a reply is at most 4096 bytes");
  auto mid = c.ctx.inbox.reply(c.id, c.s.user, *text);
  if (!mid) return error_response(c.req, mid.error());
  return ok_json(c.req, {{"id", *mid}});
}

Response conversation_assign(Call& c) {
  if (auto e = missing_conversation(c)) return std::move(*e);
  std::optional<Response> err;
  auto j = body_json(c.req, err);
  if (!j) return std::move(*err);
  auto dep = str_field(*j, "department"), agent = str_field(*j, "agent");
  if (!dep && !agent) return bad_request(c.req, "assign needs a string 'department' or 'agent'");
  if (dep && !c.ctx.inbox.department(*dep))
    return bad_request(c.req, "unknown department '" + *dep + "'");
  if (agent && !c.ctx.inbox.agent(*agent))
    return bad_request(c.req, "unknown agent '" + *agent + "'");
  return result_json(c.req, c.ctx.inbox.assign(c.id, dep, agent, c.s.user));
}

Response conversation_tag(Call& c) {
  if (auto e = missing_conversation(c)) return std::move(*e);
  std::optional<Response> err;
  auto j = body_json(c.req, err);
  if (!j) return std::move(*err);
  auto tag = str_field(*j, "tag");
  if (!tag || tag->empty() || tag->size() > 64)
    return bad_request(c.req, "tagging needs a string 'tag' of 1 to 64 bytes");
  return result_json(c.req, c.ctx.inbox.tag(c.id, *tag, c.s.user));
}

// POST /conversations/{id}/handoff-review {"not_needed": true|false}: one tap from the page.
Response conversation_review(Call& c) {
  if (auto e = missing_conversation(c)) return std::move(*e);
  std::optional<Response> err;
  auto j = body_json(c.req, err);
  if (!j) return std::move(*err);
  if (!j->is_object() || !j->contains("not_needed") || !(*j)["not_needed"].is_boolean())
    return bad_request(c.req, "a handoff review needs a boolean 'not_needed'");
  return result_json(c.req,
                     c.ctx.inbox.review_handoff(c.id, (*j)["not_needed"].get<bool>(), c.s.user));
}

// POST /conversations/{id}/seen: the page has the conversation on screen. Answered once the
// mark is in a commit (or nothing needed marking): {"changed": bool}.
void conversation_seen(Call& c, Later later) {
  if (auto e = missing_conversation(c)) return later.reply(std::move(*e));
  Request head;
  head.base() = c.req.base();
  c.ctx.inbox.mark_seen(c.id, c.s.user,
                        [head = std::move(head), reply = std::move(later.reply)](Result<bool> r) {
                          reply(r ? ok_json(head, {{"changed", *r}})
                                  : error_response(head, r.error()));
                        });
}

Response user_list(Call& c) {
  json out = json::array();
  for (const auto& u : c.ctx.auth.users())
    out.push_back({{"name", u.name}, {"role", role_name(u.role)}, {"disabled", u.disabled}});
  return ok_json(c.req, out);
}

// POST /users/<name>/password {"password"}, /disable {"disabled": bool}, /role {"role"}: each
// ends the user's sessions at once. A new password is hashed off the event loop.
void user_password(Call& c, Later later) {
  std::optional<Response> err;
  auto j = body_json(c.req, err);
  if (!j) return later.reply(std::move(*err));
  auto password = str_field(*j, "password");
  if (!password) return later.reply(bad_request(c.req, "a password reset needs a string 'password'"));
  c.ctx.auth.set_password(c.arg, *password, std::move(later.post),
                          reply_result(c.req, std::move(later.reply)));
}

Response user_disable(Call& c) {
  std::optional<Response> err;
  auto j = body_json(c.req, err);
  if (!j) return std::move(*err);
  auto it = j->find("disabled");
  if (it == j->end() || !it->is_boolean()) return bad_request(c.req, "'disabled' must be true or false");
  if (c.arg == c.s.user && it->get<bool>())
    return json_error(c.req, http::status::conflict, "you cannot disable yourself");
  return result_json(c.req, c.ctx.auth.set_disabled(c.arg, it->get<bool>()));
}

Response user_role(Call& c) {
  std::optional<Response> err;
  auto j = body_json(c.req, err);
  if (!j) return std::move(*err);
  auto role = str_field(*j, "role");
  if (!role) return bad_request(c.req, "a role change needs a string 'role'");
  return result_json(c.req, c.ctx.auth.set_role(c.arg, *role));
}

Response health(Call& c) {
  return ok_json(c.req, health_json(c.ctx.status ? c.ctx.status() : json::object()));
}

void user_add(Call& c, Later later) {
  std::optional<Response> err;
  auto j = body_json(c.req, err);
  if (!j) return later.reply(std::move(*err));
  auto name = str_field(*j, "name"), role = str_field(*j, "role"),
       password = str_field(*j, "password");
  if (!name || !role || !password)
    return later.reply(bad_request(c.req, "a user needs string fields name, role and password"));
  c.ctx.auth.add_user(*name, *role, *password, std::move(later.post),
                      reply_result(c.req, std::move(later.reply)));
}

Response diagnostics(Call& c) {
  return ok_json(c.req, diagnostics_json(c.ctx.status ? c.ctx.status() : json::object(),
                                         c.ctx.log, c.ctx.inbox));
}

// GET /stats[?days=N]: the last N days (1 to 90, default 14), UTC. Answered later: the
// conversations are read in steps on the event loop (report_scan.h).
void stats(Call& c, Later later) {
  int days = 14;
  if (auto q = query(c.req, "days")) {
    auto [p, ec] = std::from_chars(q->data(), q->data() + q->size(), days);
    if (ec != std::errc() || p != q->data() + q->size() || days < 1 || days > 90)
      return later.reply(bad_request(c.req, "'days' is 1 to 90"));
  }
  auto slot = c.ctx.reports ? c.ctx.reports->acquire() : nullptr;
  if (!slot) return later.reply(reports_busy(c.req));
  auto report = std::make_shared<StatsReport>(c.ctx.clock.wall_ms(), days);
  Request head;
  head.base() = c.req.base();
  scan_conversations(
      c.ctx.inbox,
      {std::move(later.post),
       [report](const switchboard::store::Conversation& conv) {
         report->add(conv);
         return true;
       },
       [report, slot, head = std::move(head), reply = std::move(later.reply)](bool sound, bool) {
         if (!sound)
           return reply(json_error(head, http::status::internal_server_error,
                                   "a conversation record does not parse: the database is damaged"));
         reply(ok_json(head, report->to_json()));
       },
       c.ctx.reports->rows_per_step()});
}

Response rules(Call& c) { return ok_json(c.req, rules_json(c.ctx.inbox.rules())); }

Response rules_test(Call& c) {
  std::optional<Response> err;
  auto j = body_json(c.req, err);
  if (!j) return std::move(*err);
  auto text = str_field(*j, "text");
  if (!text) return bad_request(c.req, "a rule test needs a string field 'text'");
  if (text->size() > kMaxTestText) return bad_request(c.req, "a test text is at most 4096 bytes");
  return ok_json(c.req, verdict_json(c.ctx.inbox.rules(), *text));
}

Response departments(Call& c) {
  // Each with its opening hours now, so the page can say "closed, opens Mon 09:00".
  json out = departments_json(c.ctx.inbox);
  const auto now = c.ctx.clock.wall_ms();
  const auto& routing = c.ctx.inbox.workflow().departments;
  for (auto& d : out) {
    auto it = routing.find(d.value("id", ""));
    d["hours"] = hours_json(it == routing.end() ? nullptr : &it->second, now);
  }
  return ok_json(c.req, out);
}
Response agents(Call& c) { return ok_json(c.req, agents_json(c.ctx.inbox)); }

using V = http::verb;
using I = inbox::Inbox;
constexpr RouteSpec kApiRoutes[] = {
    {V::get, "/api/v1/me", kAll, me},
    {V::post, "/api/v1/logout", kAll, logout},
    {V::get, "/api/v1/conversations", kAll, conversation_list},
    {V::get, "/api/v1/handoffs", kAll, handoff_list},
    {V::get, "/api/v1/conversations/{id}", kAll, conversation_one},
    {V::post, "/api/v1/conversations/{id}/close", kWorkers, conversation_action<&I::close>},
    {V::post, "/api/v1/conversations/{id}/archive", kWorkers, conversation_action<&I::archive>},
    {V::post, "/api/v1/conversations/{id}/reopen", kWorkers, conversation_action<&I::reopen>},
    {V::post, "/api/v1/conversations/{id}/unassign", kWorkers, conversation_action<&I::unassign>},
    {V::post, "/api/v1/conversations/{id}/messages", kWorkers, conversation_reply},
    {V::post, "/api/v1/conversations/{id}/assign", kWorkers, conversation_assign},
    {V::post, "/api/v1/conversations/{id}/tags", kWorkers, conversation_tag},
    {V::delete_, "/api/v1/conversations/{id}/tags/{*}", kWorkers, conversation_untag},
    {V::post, "/api/v1/conversations/{id}/handoff-review", kWorkers, conversation_review},
    {V::post, "/api/v1/conversations/{id}/seen", kWorkers, nullptr, conversation_seen},
    {V::get, "/api/v1/users", kAdmin, user_list},
    {V::post, "/api/v1/users", kAdmin, nullptr, user_add},
    {V::post, "/api/v1/users/{}/password", kAdmin, nullptr, user_password},
    {V::post, "/api/v1/users/{}/disable", kAdmin, user_disable},
    {V::post, "/api/v1/users/{}/role", kAdmin, user_role},
    {V::get, "/api/v1/health", kAll, health},
    {V::get, "/api/v1/diagnostics", kOps, diagnostics},
    {V::get, "/api/v1/stats", kAdmin, nullptr, stats},
    {V::get, "/api/v1/rules", kOps, rules},
    {V::post, "/api/v1/rules/test", kOps, rules_test},
    {V::get, "/api/v1/departments", kWorkers, departments},
    {V::get, "/api/v1/agents", kWorkers, agents},
};

}  // namespace

std::span<const RouteSpec> api_route_table() { return kApiRoutes; }

std::optional<Response> open_routes(ApiContext& ctx, const Request& req, const std::string& path) {
  if (path == "/api/v1/setup" && req.method() == http::verb::get)
    return ok_json(req, {{"needed", !ctx.auth.has_admin()}});
  return std::nullopt;
}

bool setup_route(ApiContext& ctx, const Request& req, const std::string& path,
                 PasswordHasher::Post post, std::function<void(Response)> reply) {
  if (path != "/api/v1/setup" || req.method() != http::verb::post) return false;
  std::optional<Response> err;
  auto j = body_json(req, err);
  if (!j) {
    reply(std::move(*err));
    return true;
  }
  auto token = str_field(*j, "token"), name = str_field(*j, "name"),
       password = str_field(*j, "password");
  if (!token || !name || !password) {
    reply(bad_request(req, "setup needs string fields token, name and password"));
    return true;
  }
  Request head;
  head.base() = req.base();
  ctx.auth.setup(*token, *name, *password, std::move(post),
                 [head = std::move(head), reply = std::move(reply)](Result<void> r) {
                   // Any refusal but a full hashing queue is 403, as a wrong token is.
                   if (!r && r.error().code != ErrorCode::busy)
                     return reply(json_error(head, http::status::forbidden, r.error().message));
                   reply(result_json(head, r));
                 });
  return true;
}

bool login_route(ApiContext& ctx, const Request& req, const std::string& path,
                 PasswordHasher::Post post, std::function<void(Response)> reply) {
  if (path != "/api/v1/login" || req.method() != http::verb::post) return false;
  // Only a JSON body: a form or text/plain post from another site (login CSRF, which plants
  // the attacker's session in the victim's browser) cannot send one without a preflight.
  auto ct = req.find(http::field::content_type);
  std::string_view type = ct == req.end() ? std::string_view() : sv(ct->value());
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (!boost::beast::iequals(boost::beast::string_view(type.data(), type.size()),
                             "application/json")) {
    reply(json_error(req, http::status::unsupported_media_type,
                     "login takes an application/json body"));
    return true;
  }
  std::optional<Response> err;
  auto j = body_json(req, err);
  if (!j) {
    reply(std::move(*err));
    return true;
  }
  auto name = str_field(*j, "name"), password = str_field(*j, "password");
  if (!name || !password) {
    reply(bad_request(req, "login needs string fields name and password"));
    return true;
  }
  Request head;
  head.base() = req.base();  // what the answer needs (version, keep-alive), not the password
  ctx.auth.login(*name, *password, ctx.peer, std::move(post),
                 [head = std::move(head), &auth = ctx.auth, tls = ctx.tls,
                  reply = std::move(reply)](LoginOutcome o) {
                   using K = LoginOutcome::Kind;
                   if (o.kind != K::ok) {
                     Response res = json_error(head,
                                               o.kind == K::throttled ? http::status::too_many_requests
                                               : o.kind == K::busy ? http::status::service_unavailable
                                                                   : http::status::unauthorized,
                                               o.message);
                     if (o.retry_after_s > 0)
                       res.set(http::field::retry_after, std::to_string(o.retry_after_s));
                     return reply(std::move(res));
                   }
                   const Session* s = auth.session(o.token);
                   Response res =
                       ok_json(head, {{"name", s->user}, {"role", role_name(s->role)}, {"csrf", s->csrf}});
                   res.set(http::field::set_cookie, session_cookie(o.token, false, tls));
                   reply(std::move(res));
                 });
  return true;
}

Response session_routes(ApiContext& ctx, const Request& req, const std::string& path,
                        const Session& s, const std::string& token) {
  // Two tables, each path in exactly one of them: the first whose patterns match the path
  // answers it (with 405 too), so asking them in turn is one table.
  for (auto table : {api_route_table(), workflow_route_table(), team_route_table()})
    if (auto r = dispatch(table, ctx, req, path, s, token)) return std::move(*r);
  return json_error(req, http::status::not_found, "no such API route");
}

}  // namespace sb::admin
