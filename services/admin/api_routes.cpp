// The JSON API under /api/v1. Handlers turn requests into inbox calls and records into JSON;
// they know nothing about sockets.
#include "services/admin/api_routes.h"

#include <charconv>

namespace sb::admin {

using nlohmann::json;

namespace {

Response ok_json(const Request& req, const json& j) {
  return make_response(req, http::status::ok, j.dump(), "application/json");
}

// Parses a JSON object body; nullopt (with the 400 in `error`) when it is not one.
std::optional<json> body_json(const Request& req, std::optional<Response>& error) {
  json j = json::parse(req.body(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    error = json_error(req, http::status::bad_request, "the body must be a JSON object");
    return std::nullopt;
  }
  return j;
}

std::optional<std::string> str_field(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<std::string> query(const Request& req, std::string_view key) {
  std::string_view t = sv(req.target());
  auto q = t.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view rest = t.substr(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view part = rest.substr(0, amp);
    auto eq = part.find('=');
    if (part.substr(0, eq) == key) {
      std::string v;
      std::string_view raw = eq == std::string_view::npos ? "" : part.substr(eq + 1);
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '+') {
          v += ' ';
        } else if (raw[i] == '%' && i + 2 < raw.size()) {
          int x = 0;
          std::from_chars(raw.data() + i + 1, raw.data() + i + 3, x, 16);
          v += static_cast<char>(x);
          i += 2;
        } else {
          v += raw[i];
        }
      }
      return v;
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::string session_cookie(const std::string& token, bool clear) {
  return "sb_session=" + (clear ? std::string() : token) +
         "; Path=/; HttpOnly; SameSite=Strict" + (clear ? "; Max-Age=0" : "");
}

Response result_json(const Request& req, const Result<void>& r) {
  if (!r) return json_error(req, http::status::conflict, r.error().message);
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
    if (s2 != std::string_view::npos) p.arg = rest.substr(s2 + 1);
  }
  return p;
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
      return json_error(req, http::status::bad_request, "setup needs token, name and password");
    auto r = ctx.auth.setup(*token, *name, *password);
    if (!r) return json_error(req, http::status::forbidden, r.error().message);
    return ok_json(req, {{"ok", true}});
  }
  if (path == "/api/v1/login" && req.method() == http::verb::post) {
    std::optional<Response> err;
    auto j = body_json(req, err);
    if (!j) return err;
    auto name = str_field(*j, "name"), password = str_field(*j, "password");
    if (!name || !password)
      return json_error(req, http::status::bad_request, "login needs name and password");
    auto token = ctx.auth.login(*name, *password, ctx.peer);
    if (!token) return json_error(req, http::status::unauthorized, token.error().message);
    const Session* s = ctx.auth.session(*token);
    Response res = ok_json(req, {{"name", s->user}, {"role", s->role}, {"csrf", s->csrf}});
    res.set(http::field::set_cookie, session_cookie(*token, false));
    return res;
  }
  if (path == "/api/v1/setup" && req.method() == http::verb::get)
    return ok_json(req, {{"needed", !ctx.auth.has_admin()}});
  return std::nullopt;
}

Response session_routes(ApiContext& ctx, const Request& req, const std::string& path,
                        const Session& s, const std::string& token) {
  const bool read = req.method() == http::verb::get || req.method() == http::verb::head;
  if (!read) {
    auto it = req.find("X-CSRF-Token");
    if (it == req.end() || sv(it->value()) != s.csrf)
      return json_error(req, http::status::forbidden, "missing or wrong X-CSRF-Token");
  }
  const std::int64_t now = ctx.clock.wall_ms();

  if (path == "/api/v1/me" && read)
    return ok_json(req, {{"name", s.user}, {"role", s.role}, {"csrf", s.csrf}});
  if (path == "/api/v1/logout" && req.method() == http::verb::post) {
    Response res = ok_json(req, {{"ok", true}});
    res.set(http::field::set_cookie, session_cookie({}, true));
    ctx.auth.logout(token);
    return res;
  }
  if (path == "/api/v1/conversations" && read) {
    inbox::ConversationFilter f;
    f.status = query(req, "status");
    f.channel = query(req, "channel");
    f.department = query(req, "department");
    f.tag = query(req, "tag");
    f.assignee = query(req, "assignee");
    if (query(req, "mine")) f.assignee = s.user;
    json out = json::array();
    for (const auto& c : ctx.inbox.conversations(f)) out.push_back(conversation_json(c, now));
    return ok_json(req, out);
  }
  if (path == "/api/v1/handoffs" && read) {
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
    for (const auto& c : queued) out.push_back(conversation_json(c, now));
    return ok_json(req, out);
  }
  if (auto p = conv_path(path)) {
    if (s.role == "technician" && !read)
      return json_error(req, http::status::forbidden, "technicians cannot change conversations");
    auto conv = ctx.inbox.conversation(p->id);
    if (!conv) return json_error(req, http::status::not_found, "no such conversation");
    if (p->action.empty() && read) {
      json j = conversation_json(*conv, now);
      json msgs = json::array();
      for (const auto& m : ctx.inbox.history(p->id)) msgs.push_back(message_json(m));
      j["messages"] = msgs;
      return ok_json(req, j);
    }
    if (req.method() == http::verb::delete_ && p->action == "tags" && !p->arg.empty())
      return result_json(req, ctx.inbox.untag(p->id, p->arg, s.user));
    if (req.method() != http::verb::post)
      return json_error(req, http::status::method_not_allowed, "use POST");
    if (p->action == "close") return result_json(req, ctx.inbox.close(p->id, s.user));
    if (p->action == "archive") return result_json(req, ctx.inbox.archive(p->id, s.user));
    if (p->action == "reopen") return result_json(req, ctx.inbox.reopen(p->id, s.user));
    if (p->action == "unassign") return result_json(req, ctx.inbox.unassign(p->id, s.user));
    std::optional<Response> err;
    auto j = body_json(req, err);
    if (!j) return std::move(*err);
    if (p->action == "messages") {
      auto text = str_field(*j, "text");
      if (!text || text->empty())
        return json_error(req, http::status::bad_request, "a reply needs a non-empty text");
      auto id = ctx.inbox.reply(p->id, s.user, *text);
      if (!id) return json_error(req, http::status::conflict, id.error().message);
      return ok_json(req, {{"id", *id}});
    }
    if (p->action == "assign") {
      auto dep = str_field(*j, "department"), agent = str_field(*j, "agent");
      if (!dep && !agent)
        return json_error(req, http::status::bad_request, "assign needs department or agent");
      return result_json(req, ctx.inbox.assign(p->id, dep, agent, s.user));
    }
    if (p->action == "tags") {
      auto tag = str_field(*j, "tag");
      if (!tag) return json_error(req, http::status::bad_request, "tagging needs a tag");
      return result_json(req, ctx.inbox.tag(p->id, *tag, s.user));
    }
    return json_error(req, http::status::not_found, "no such action");
  }
  if (path == "/api/v1/users" && read) {
    json out = json::array();
    for (const auto& u : ctx.auth.users()) out.push_back({{"name", u.name}, {"role", u.role}});
    return ok_json(req, out);
  }
  if (path == "/api/v1/users" && req.method() == http::verb::post) {
    if (s.role != "admin") return json_error(req, http::status::forbidden, "admins only");
    std::optional<Response> err;
    auto j = body_json(req, err);
    if (!j) return std::move(*err);
    auto name = str_field(*j, "name"), role = str_field(*j, "role"),
         password = str_field(*j, "password");
    if (!name || !role || !password)
      return json_error(req, http::status::bad_request, "a user needs name, role and password");
    auto r = ctx.auth.add_user(*name, *role, *password);
    if (!r) return json_error(req, http::status::bad_request, r.error().message);
    return ok_json(req, {{"ok", true}});
  }
  if (path == "/api/v1/diagnostics" && read) return ok_json(req, ctx.status ? ctx.status() : json{});
  return json_error(req, http::status::not_found, "no such API route");
}

}  // namespace sb::admin
