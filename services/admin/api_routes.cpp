// The JSON API under /api/v1. Handlers turn requests into inbox calls and records into JSON;
// they know nothing about sockets.
//
// Roles (enforced here, whatever the page shows): admin may do everything; an agent works
// conversations (and reads the departments and agents to assign them to); a technician reads
// conversations, diagnostics and the rules (and may test a text against them).
#include "services/admin/api_routes.h"
#include "services/admin/workflow_routes.h"

#include "services/admin/api_util.h"

namespace sb::admin {

using nlohmann::json;

namespace {

enum RoleBit : unsigned { kAdmin = 1, kAgent = 2, kTech = 4 };
constexpr unsigned kAll = kAdmin | kAgent | kTech;
constexpr unsigned kWorkers = kAdmin | kAgent;
constexpr unsigned kOps = kAdmin | kTech;
constexpr std::size_t kMaxReply = 4096;
constexpr std::size_t kMaxTestText = 4096;

unsigned role_bit(const std::string& role) {
  if (role == "admin") return kAdmin;
  if (role == "agent") return kAgent;
  if (role == "technician") return kTech;
  return 0;
}

std::string roles_text(unsigned roles) {
  std::string s;
  for (auto [bit, name] : {std::pair{kAdmin, "admin"}, {kAgent, "agent"}, {kTech, "technician"}})
    if (roles & bit) s += (s.empty() ? "" : " or ") + std::string(name);
  return s;
}

// Secure under HTTPS, so a browser never sends the session over plain HTTP to this host.
std::string session_cookie(const std::string& token, bool clear, bool secure) {
  return "sb_session=" + (clear ? std::string() : token) + "; Path=/; HttpOnly; SameSite=Strict" +
         (secure ? "; Secure" : "") + (clear ? "; Max-Age=0" : "");
}

Response result_json(const Request& req, const Result<void>& r) {
  if (!r) return error_response(req, r.error());
  return ok_json(req, {{"ok", true}});
}

// /api/v1/conversations/<id>[/<action>[/<arg>]]
struct ConvPath {
  std::uint64_t id = 0;
  std::string action, arg;
};
std::optional<ConvPath> conv_path(const std::string& path) {
  const std::string prefix = "/api/v1/conversations/";
  if (path.rfind(prefix, 0) != 0) return std::nullopt;
  std::string_view rest = std::string_view(path).substr(prefix.size());
  ConvPath p;
  auto slash = rest.find('/');
  auto id = rest.substr(0, slash);
  auto [ptr, ec] = std::from_chars(id.data(), id.data() + id.size(), p.id);
  if (ec != std::errc() || ptr != id.data() + id.size() || p.id == 0) return std::nullopt;
  if (slash != std::string_view::npos) {
    rest.remove_prefix(slash + 1);
    auto s2 = rest.find('/');
    p.action = rest.substr(0, s2);
    if (s2 != std::string_view::npos) p.arg = url_decode(rest.substr(s2 + 1), false);
  }
  return p;
}

bool exists(store::Store& store, store::Table t, const std::string& key) {
  bool found = false;
  store.read([&](const store::ReadTxn& r) { found = r.get(t, key).has_value(); });
  return found;
}

// A route found for the request: who may use it and what it does. `wrong_method` is set when
// the path exists but not with this method.
struct Route {
  unsigned roles = 0;
  std::function<Response()> run;
  const char* wrong_method = nullptr;
};

Route only(const char* allowed) { return Route{kAll, {}, allowed}; }

// The conversation routes: read one, or act on it.
std::optional<Route> conversation_route(ApiContext& ctx, const Request& req, const ConvPath& p,
                                        const Session& s) {
  const auto m = req.method();
  const bool read = m == http::verb::get || m == http::verb::head;
  auto with_conv = [&ctx, &req, id = p.id](auto fn) {
    return [&ctx, &req, id, fn]() -> Response {
      if (!ctx.inbox.conversation(id))
        return json_error(req, http::status::not_found, "no such conversation");
      return fn(id);
    };
  };
  const std::string user = s.user;
  if (p.action.empty()) {
    if (!read) return only("GET");
    return Route{kAll, with_conv([&ctx, &req](std::uint64_t id) {
                   json j = conversation_json(*ctx.inbox.conversation(id), ctx.clock.wall_ms());
                   json msgs = json::array();
                   for (const auto& msg : ctx.inbox.history(id)) msgs.push_back(message_json(msg));
                   j["messages"] = std::move(msgs);
                   return ok_json(req, j);
                 })};
  }
  using Action = Result<void> (inbox::Inbox::*)(std::uint64_t, const std::string&);
  for (auto [name, fn] : {std::pair<const char*, Action>{"close", &inbox::Inbox::close},
                          {"archive", &inbox::Inbox::archive},
                          {"reopen", &inbox::Inbox::reopen},
                          {"unassign", &inbox::Inbox::unassign}}) {
    if (p.action != name || !p.arg.empty()) continue;
    if (m != http::verb::post) return only("POST");
    // Captured by init: clang 14 cannot capture a structured binding.
    return Route{kWorkers, with_conv([&ctx, &req, action = fn, user](std::uint64_t id) {
                   return result_json(req, (ctx.inbox.*action)(id, user));
                 })};
  }
  if (p.action == "tags" && !p.arg.empty()) {
    if (m != http::verb::delete_) return only("DELETE");
    return Route{kWorkers, with_conv([&ctx, &req, tag = p.arg, user](std::uint64_t id) {
                   return result_json(req, ctx.inbox.untag(id, tag, user));
                 })};
  }
  if (!p.arg.empty()) return std::nullopt;
  if (p.action != "messages" && p.action != "assign" && p.action != "tags") return std::nullopt;
  if (m != http::verb::post) return only("POST");
  return Route{kWorkers, with_conv([&ctx, &req, action = p.action, user](std::uint64_t id) {
                 std::optional<Response> err;
                 auto j = body_json(req, err);
                 if (!j) return std::move(*err);
                 if (action == "messages") {
                   auto text = str_field(*j, "text");
                   if (!text || text->empty())
                     return bad_request(req, "a reply needs a non-empty string field 'text'");
                   if (text->size() > kMaxReply)
                     return bad_request(req, "a reply is at most 4096 bytes");
                   auto mid = ctx.inbox.reply(id, user, *text);
                   if (!mid) return error_response(req, mid.error());
                   return ok_json(req, {{"id", *mid}});
                 }
                 if (action == "assign") {
                   auto dep = str_field(*j, "department"), agent = str_field(*j, "agent");
                   if (!dep && !agent)
                     return bad_request(req, "assign needs a string 'department' or 'agent'");
                   if (dep && !exists(ctx.inbox.store(), store::Table::departments, *dep))
                     return bad_request(req, "unknown department '" + *dep + "'");
                   if (agent && !exists(ctx.inbox.store(), store::Table::agents, *agent))
                     return bad_request(req, "unknown agent '" + *agent + "'");
                   return result_json(req, ctx.inbox.assign(id, dep, agent, user));
                 }
                 auto tag = str_field(*j, "tag");
                 if (!tag || tag->empty() || tag->size() > 64)
                   return bad_request(req, "tagging needs a string 'tag' of 1 to 64 bytes");
                 return result_json(req, ctx.inbox.tag(id, *tag, user));
               })};
}

std::optional<Route> resolve(ApiContext& ctx, const Request& req, const std::string& path,
                             const Session& s, const std::string& token) {
  const auto m = req.method();
  const bool get = m == http::verb::get || m == http::verb::head;
  const bool post = m == http::verb::post;
  auto get_route = [&](unsigned roles, std::function<Response()> run) {
    return get ? Route{roles, std::move(run)} : only("GET");
  };
  auto post_route = [&](unsigned roles, std::function<Response()> run) {
    return post ? Route{roles, std::move(run)} : only("POST");
  };

  if (path == "/api/v1/me")
    return get_route(kAll, [&] {
      return ok_json(req, {{"name", s.user}, {"role", s.role}, {"csrf", s.csrf}});
    });
  if (path == "/api/v1/logout")
    return post_route(kAll, [&] {
      Response res = ok_json(req, {{"ok", true}});
      res.set(http::field::set_cookie, session_cookie({}, true, ctx.tls));
      ctx.auth.logout(token);
      return res;
    });
  if (path == "/api/v1/conversations")
    return get_route(kAll, [&] {
      inbox::ConversationFilter f;
      f.status = query(req, "status");
      f.channel = query(req, "channel");
      f.department = query(req, "department");
      f.tag = query(req, "tag");
      f.assignee = query(req, "assignee");
      if (query(req, "mine")) f.assignee = s.user;
      for (auto* v : {&f.status, &f.channel, &f.department, &f.tag, &f.assignee})
        if (*v && (*v)->empty()) v->reset();  // an empty filter is no filter
      json out = json::array();
      const auto now = ctx.clock.wall_ms();
      for (const auto& c : ctx.inbox.conversations(f)) out.push_back(conversation_json(c, now));
      return ok_json(req, out);
    });
  if (path == "/api/v1/handoffs")
    return get_route(kAll, [&] {
      inbox::ConversationFilter f;
      f.status = "queued";
      f.limit = 1000;
      auto queued = ctx.inbox.conversations(f);
      // Most urgent first, then longest waiting.
      std::stable_sort(queued.begin(), queued.end(), [](const auto& a, const auto& b) {
        if (a.priority() != b.priority()) return a.priority() > b.priority();
        return a.queued_at_ms() < b.queued_at_ms();
      });
      json out = json::array();
      const auto now = ctx.clock.wall_ms();
      for (const auto& c : queued) out.push_back(conversation_json(c, now));
      return ok_json(req, out);
    });
  if (auto p = conv_path(path)) return conversation_route(ctx, req, *p, s);
  if (path == "/api/v1/users") {
    if (get)
      return Route{kAdmin, [&] {
                     json out = json::array();
                     for (const auto& u : ctx.auth.users())
                       out.push_back({{"name", u.name}, {"role", u.role}});
                     return ok_json(req, out);
                   }};
    return post_route(kAdmin, [&] {
      std::optional<Response> err;
      auto j = body_json(req, err);
      if (!j) return std::move(*err);
      auto name = str_field(*j, "name"), role = str_field(*j, "role"),
           password = str_field(*j, "password");
      if (!name || !role || !password)
        return bad_request(req, "a user needs string fields name, role and password");
      auto r = ctx.auth.add_user(*name, *role, *password);
      if (!r) return bad_request(req, r.error().message);
      return ok_json(req, {{"ok", true}});
    });
  }
  if (path == "/api/v1/diagnostics")
    return get_route(kOps, [&] {
      return ok_json(req, diagnostics_json(ctx.status ? ctx.status() : json::object(), ctx.log,
                                           ctx.inbox.store()));
    });
  if (path == "/api/v1/stats")
    return get_route(kAdmin, [&] {
      return ok_json(req, stats_json(ctx.inbox.store(), ctx.clock.wall_ms()));
    });
  if (path == "/api/v1/rules")
    return get_route(kOps, [&] { return ok_json(req, rules_json(ctx.inbox.rules())); });
  if (path == "/api/v1/rules/test")
    return post_route(kOps, [&] {
      std::optional<Response> err;
      auto j = body_json(req, err);
      if (!j) return std::move(*err);
      auto text = str_field(*j, "text");
      if (!text) return bad_request(req, "a rule test needs a string field 'text'");
      if (text->size() > kMaxTestText) return bad_request(req, "a test text is at most 4096 bytes");
      return ok_json(req, verdict_json(ctx.inbox.rules(), *text));
    });
  if (path == "/api/v1/departments")
    return get_route(kWorkers, [&] { return ok_json(req, departments_json(ctx.inbox.store())); });
  if (path == "/api/v1/agents")
    return get_route(kWorkers, [&] { return ok_json(req, agents_json(ctx.inbox.store())); });
  return std::nullopt;
}

}  // namespace

std::optional<Response> open_routes(ApiContext& ctx, const Request& req, const std::string& path) {
  if (path == "/api/v1/setup" && req.method() == http::verb::post) {
    std::optional<Response> err;
    auto j = body_json(req, err);
    if (!j) return err;
    auto token = str_field(*j, "token"), name = str_field(*j, "name"),
         password = str_field(*j, "password");
    if (!token || !name || !password)
      return bad_request(req, "setup needs string fields token, name and password");
    auto r = ctx.auth.setup(*token, *name, *password);
    if (!r) return json_error(req, http::status::forbidden, r.error().message);
    return ok_json(req, {{"ok", true}});
  }
  if (path == "/api/v1/setup" && req.method() == http::verb::get)
    return ok_json(req, {{"needed", !ctx.auth.has_admin()}});
  return std::nullopt;
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
                       ok_json(head, {{"name", s->user}, {"role", s->role}, {"csrf", s->csrf}});
                   res.set(http::field::set_cookie, session_cookie(o.token, false, tls));
                   reply(std::move(res));
                 });
  return true;
}

Response session_routes(ApiContext& ctx, const Request& req, const std::string& path,
                        const Session& s, const std::string& token) {
  // Issue 9's routes first: resolve() would answer 404 for their paths. They check CSRF and
  // roles themselves, in the same order as the routes below.
  if (auto w = workflow_routes(ctx, req, path, s)) return std::move(*w);
  auto route = resolve(ctx, req, path, s, token);
  if (!route) return json_error(req, http::status::not_found, "no such API route");
  if (route->wrong_method) {
    Response res = json_error(req, http::status::method_not_allowed,
                              std::string("use ") + route->wrong_method + " here");
    res.set(http::field::allow, route->wrong_method);
    return res;
  }
  const bool read = req.method() == http::verb::get || req.method() == http::verb::head;
  if (!read) {
    auto it = req.find("X-CSRF-Token");
    if (it == req.end() || sv(it->value()) != s.csrf)
      return json_error(req, http::status::forbidden, "missing or wrong X-CSRF-Token");
  }
  if (!(route->roles & role_bit(s.role)))
    return json_error(req, http::status::forbidden,
                      "a " + s.role + " may not do this (needs " + roles_text(route->roles) + ")");
  return route->run();
}

}  // namespace sb::admin
