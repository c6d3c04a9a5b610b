// The agent-workflow API under /api/v1. Roles: admin everything; an agent works
// (presence, notes, canned replies, contacts); a technician only reads.
//   GET  /api/v1/presence                      agents with presence and open conversations
//   POST /api/v1/presence                      {"presence", "agent"?} (another agent: admin)
//   POST /api/v1/presence/heartbeat            the caller's page is open
//   GET  /api/v1/search?q=&limit=              contacts and messages, newest first
//   POST /api/v1/conversations/<id>/notes      {"text"} a private note
//   POST /api/v1/conversations/<id>/canned     {"shortcut"} reply with a canned reply
//   GET  /api/v1/canned[?conversation=<id>]    the list (expanded for a conversation)
//   POST /api/v1/canned                        {"shortcut","text"} (admin)
//   DELETE /api/v1/canned/<shortcut>           (admin)
//   GET  /api/v1/contacts/<id>                 profile, conversations, the merged history
//   POST /api/v1/contacts/<id>                 {"name"?,"notes"?,"add_tags"?,"remove_tags"?}
//   POST /api/v1/contacts/<id>/merge           {"other": id} folds other into <id>
//   GET  /api/v1/queue                         queued conversations per department, policy
//   GET  /api/v1/targets                       conversations owed a reply, with their target
#include "services/admin/workflow_routes.h"

#include <charconv>

#include "services/admin/api_util.h"

namespace sb::admin {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxQuery = 256;
constexpr std::size_t kMaxNote = 4096;

bool reads(const Request& req) {
  return req.method() == http::verb::get || req.method() == http::verb::head;
}
bool is_worker(const Session& s) { return s.role == "admin" || s.role == "agent"; }

Response forbidden(const Request& req, const Session& s, const char* needs) {
  return json_error(req, http::status::forbidden,
                    "a " + s.role + " may not do this (needs " + needs + ")");
}
Response wrong_method(const Request& req, const char* allowed) {
  Response res = json_error(req, http::status::method_not_allowed, std::string("use ") + allowed + " here");
  res.set(http::field::allow, allowed);
  return res;
}

std::optional<std::uint64_t> parse_id(std::string_view s) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v == 0) return std::nullopt;
  return v;
}

// /api/v1/<collection>/<id>[/<action>]
struct Sub {
  std::string id, action;
};
std::optional<Sub> sub_path(const std::string& path, const std::string& collection) {
  const std::string prefix = "/api/v1/" + collection + "/";
  if (path.rfind(prefix, 0) != 0) return std::nullopt;
  std::string rest = path.substr(prefix.size());
  Sub s;
  auto slash = rest.find('/');
  s.id = url_decode(rest.substr(0, slash), false);
  if (slash != std::string::npos) s.action = rest.substr(slash + 1);
  if (s.id.empty() || s.action.find('/') != std::string::npos) return std::nullopt;
  return s;
}

std::optional<std::vector<std::string>> str_list(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return std::vector<std::string>{};
  if (!it->is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& v : *it) {
    if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>().size() > 64)
      return std::nullopt;
    out.push_back(v.get<std::string>());
  }
  return out;
}

json agent_json(const inbox::Agent& a, std::size_t open) {
  return {{"id", a.id()},
          {"name", a.name()},
          {"department", a.department()},
          {"presence", a.presence().empty() ? "offline" : a.presence()},
          {"presence_at_ms", a.presence_at_ms()},
          {"open", open}};
}

json contact_json(const inbox::Contact& p) {
  json addrs = json::array();
  for (const auto& a : p.addresses()) addrs.push_back({{"channel", a.channel()}, {"address", a.address()}});
  return {{"id", p.id()},
          {"name", p.name()},
          {"addresses", addrs},
          {"tags", json(std::vector<std::string>(p.tags().begin(), p.tags().end()))},
          {"notes", p.notes()},
          {"merged_into", p.merged_into() ? json(p.merged_into()) : json(nullptr)}};
}

json history_json(const std::vector<inbox::Message>& msgs) {
  json out = json::array();
  for (const auto& m : msgs) {
    json j = message_json(m);
    j["conversation_id"] = m.conversation_id();
    if (m.note()) j["note"] = true;
    out.push_back(std::move(j));
  }
  return out;
}

std::optional<Response> presence_routes(ApiContext& ctx, const Request& req, const std::string& path,
                                        const Session& s) {
  if (path == "/api/v1/presence") {
    if (reads(req)) {
      json out = json::array();
      for (const auto& a : ctx.inbox.agents()) {
        inbox::ConversationFilter f;
        f.status = "assigned";
        f.assignee = a.id();
        out.push_back(agent_json(a, ctx.inbox.conversations(f).size()));
      }
      return ok_json(req, out);
    }
    if (req.method() != http::verb::post) return wrong_method(req, "GET, POST");
    if (!is_worker(s)) return forbidden(req, s, "admin or agent");
    std::optional<Response> err;
    auto j = body_json(req, err);
    if (!j) return err;
    auto presence = str_field(*j, "presence");
    if (!presence || (*presence != "online" && *presence != "away" && *presence != "offline"))
      return bad_request(req, "presence needs 'presence': online, away or offline");
    std::string agent = str_field(*j, "agent").value_or(s.user);
    if (agent != s.user && s.role != "admin")
      return forbidden(req, s, "admin to set another agent's presence");
    if (!ctx.inbox.agent(agent)) return bad_request(req, "'" + agent + "' is not an agent");
    auto r = ctx.inbox.set_presence(agent, *presence, s.user);
    if (!r) return error_response(req, r.error());
    return ok_json(req, agent_json(*ctx.inbox.agent(agent), 0));
  }
  if (path == "/api/v1/presence/heartbeat") {
    if (req.method() != http::verb::post) return wrong_method(req, "POST");
    if (!is_worker(s)) return forbidden(req, s, "admin or agent");
    if (!ctx.inbox.agent(s.user)) return bad_request(req, "'" + s.user + "' is not an agent");
    auto r = ctx.inbox.heartbeat(s.user);
    if (!r) return error_response(req, r.error());
    return ok_json(req, {{"presence", ctx.inbox.agent(s.user)->presence()}});
  }
  return std::nullopt;
}

std::optional<Response> search_route(ApiContext& ctx, const Request& req, const Session&) {
  if (!reads(req)) return wrong_method(req, "GET");
  auto q = query(req, "q");
  if (!q || q->empty() || q->size() > kMaxQuery)
    return bad_request(req, "search needs 'q' of 1 to 256 bytes");
  std::size_t limit = 20;
  if (auto l = query(req, "limit")) {
    auto n = parse_id(*l);
    if (!n || *n > 200) return bad_request(req, "'limit' is 1 to 200");
    limit = *n;
  }
  auto r = ctx.inbox.search(*q, limit);
  json contacts = json::array(), messages = json::array();
  for (const auto& p : r.contacts) contacts.push_back(contact_json(p));
  for (const auto& h : r.messages)
    messages.push_back({{"conversation_id", h.conversation_id},
                        {"message_id", h.message_id},
                        {"author", h.author},
                        {"note", h.note},
                        {"at_ms", h.at_ms},
                        {"snippet", h.snippet}});
  return ok_json(req, {{"contacts", contacts}, {"messages", messages}});
}

std::optional<Response> conversation_routes(ApiContext& ctx, const Request& req, const Sub& p,
                                            const Session& s) {
  if (p.action != "notes" && p.action != "canned") return std::nullopt;
  auto id = parse_id(p.id);
  if (!id) return std::nullopt;  // not ours: the caller answers 404
  if (req.method() != http::verb::post) return wrong_method(req, "POST");
  if (!is_worker(s)) return forbidden(req, s, "admin or agent");
  if (!ctx.inbox.conversation(*id)) return json_error(req, http::status::not_found, "no such conversation");
  std::optional<Response> err;
  auto j = body_json(req, err);
  if (!j) return err;
  if (p.action == "notes") {
    auto text = str_field(*j, "text");
    if (!text || text->empty() || text->size() > kMaxNote)
      return bad_request(req, "a note needs a string 'text' of 1 to 4096 bytes");
    auto r = ctx.inbox.add_note(*id, s.user, *text);
    if (!r) return error_response(req, r.error());
    return ok_json(req, {{"id", *r}});
  }
  auto shortcut = str_field(*j, "shortcut");
  if (!shortcut || shortcut->empty()) return bad_request(req, "a canned reply needs a string 'shortcut'");
  auto text = ctx.inbox.expand_canned(*shortcut, *id);
  if (!text) return bad_request(req, text.error().message);
  auto r = ctx.inbox.reply(*id, s.user, *text);
  if (!r) return error_response(req, r.error());
  return ok_json(req, {{"id", *r}, {"text", *text}});
}

std::optional<Response> canned_routes(ApiContext& ctx, const Request& req, const std::string& path,
                                      const Session& s) {
  if (path == "/api/v1/canned") {
    if (reads(req)) {
      std::optional<std::uint64_t> conv;
      if (auto c = query(req, "conversation")) {
        conv = parse_id(*c);
        if (!conv || !ctx.inbox.conversation(*conv))
          return bad_request(req, "'conversation' must name an existing conversation");
      }
      json out = json::array();
      for (const auto& c : ctx.inbox.canned_replies()) {
        json j = {{"shortcut", c.shortcut()}, {"text", c.text()}};
        if (conv) {
          auto text = ctx.inbox.expand_canned(c.shortcut(), *conv);
          j["expanded"] = text ? *text : c.text();
        }
        out.push_back(std::move(j));
      }
      return ok_json(req, out);
    }
    if (req.method() != http::verb::post) return wrong_method(req, "GET, POST");
    if (s.role != "admin") return forbidden(req, s, "admin");
    std::optional<Response> err;
    auto j = body_json(req, err);
    if (!j) return err;
    auto shortcut = str_field(*j, "shortcut"), text = str_field(*j, "text");
    if (!shortcut || !text) return bad_request(req, "a canned reply needs string 'shortcut' and 'text'");
    auto r = ctx.inbox.upsert_canned(*shortcut, *text);
    if (!r) return bad_request(req, r.error().message);
    return ok_json(req, {{"ok", true}});
  }
  auto p = sub_path(path, "canned");
  if (!p || !p->action.empty()) return std::nullopt;
  if (req.method() != http::verb::delete_) return wrong_method(req, "DELETE");
  if (s.role != "admin") return forbidden(req, s, "admin");
  auto r = ctx.inbox.delete_canned(p->id);
  if (!r) return json_error(req, http::status::not_found, r.error().message);
  return ok_json(req, {{"ok", true}});
}

std::optional<Response> contact_routes(ApiContext& ctx, const Request& req, const Sub& p,
                                       const Session& s) {
  auto id = parse_id(p.id);
  if (!id || (!p.action.empty() && p.action != "merge")) return std::nullopt;
  if (p.action.empty() && reads(req)) {
    auto person = ctx.inbox.contact(*id);
    if (!person) return json_error(req, http::status::not_found, "no such contact");
    json j = contact_json(*person);
    json convs = json::array();
    const auto now = ctx.clock.wall_ms();
    for (auto cid : ctx.inbox.contact_conversations(*id))
      if (auto c = ctx.inbox.conversation(cid)) convs.push_back(conversation_json(*c, now));
    j["conversations"] = convs;
    j["history"] = history_json(ctx.inbox.contact_history(*id));
    return ok_json(req, j);
  }
  if (req.method() != http::verb::post) return wrong_method(req, p.action.empty() ? "GET, POST" : "POST");
  if (!is_worker(s)) return forbidden(req, s, "admin or agent");
  if (!ctx.inbox.contact(*id)) return json_error(req, http::status::not_found, "no such contact");
  std::optional<Response> err;
  auto j = body_json(req, err);
  if (!j) return err;
  if (p.action == "merge") {
    auto it = j->find("other");
    if (it == j->end() || !it->is_number_unsigned() || it->get<std::uint64_t>() == 0)
      return bad_request(req, "merge needs 'other': a contact id");
    if (!ctx.inbox.contact(it->get<std::uint64_t>()))
      return bad_request(req, "no contact " + std::to_string(it->get<std::uint64_t>()));
    auto r = ctx.inbox.merge_contacts(*id, it->get<std::uint64_t>(), s.user);
    if (!r) return error_response(req, r.error());
    return ok_json(req, contact_json(*ctx.inbox.contact(*id)));
  }
  std::optional<std::string> name, notes;
  if (j->contains("name") && !(name = str_field(*j, "name")))
    return bad_request(req, "'name' must be a string");
  if (j->contains("notes") && !(notes = str_field(*j, "notes")))
    return bad_request(req, "'notes' must be a string");
  auto add = str_list(*j, "add_tags"), remove = str_list(*j, "remove_tags");
  if (!add || !remove) return bad_request(req, "'add_tags' and 'remove_tags' are lists of 1 to 64 byte strings");
  if (!name && !notes && add->empty() && remove->empty())
    return bad_request(req, "nothing to change: name, notes, add_tags or remove_tags");
  auto r = ctx.inbox.update_contact(*id, name, notes, *add, *remove, s.user);
  if (!r) return bad_request(req, r.error().message);
  return ok_json(req, contact_json(*ctx.inbox.contact(*id)));
}

std::optional<Response> queue_routes(ApiContext& ctx, const Request& req, const std::string& path) {
  const auto now = ctx.clock.wall_ms();
  if (path == "/api/v1/queue") {
    if (!reads(req)) return wrong_method(req, "GET");
    json out = json::array();
    for (const auto& d : departments_json(ctx.inbox.store())) {
      const std::string dep = d.value("id", "");
      auto it = ctx.inbox.workflow().departments.find(dep);
      json q = json::array();
      for (const auto& c : ctx.inbox.queue(dep)) q.push_back(conversation_json(c, now));
      out.push_back({{"department", dep},
                     {"policy", it == ctx.inbox.workflow().departments.end() ? "manual" : it->second.policy},
                     {"max_per_agent", it == ctx.inbox.workflow().departments.end() ? 0 : it->second.max_per_agent},
                     {"queued", q}});
    }
    return ok_json(req, out);
  }
  if (path == "/api/v1/targets") {
    if (!reads(req)) return wrong_method(req, "GET");
    json out = json::array();
    for (const auto& c : ctx.inbox.awaiting_reply()) {
      json j = conversation_json(c, now);
      j["target_ms"] = ctx.inbox.target_ms(c);
      j["waiting_ms"] = now - c.awaiting_reply_since_ms();
      j["over_target"] = c.over_target();
      out.push_back(std::move(j));
    }
    return ok_json(req, out);
  }
  return std::nullopt;
}

}  // namespace

std::optional<Response> workflow_routes(ApiContext& ctx, const Request& req,
                                        const std::string& path, const Session& s) {
  const bool ours = path.rfind("/api/v1/presence", 0) == 0 || path == "/api/v1/search" ||
                    path.rfind("/api/v1/canned", 0) == 0 || path.rfind("/api/v1/contacts/", 0) == 0 ||
                    path == "/api/v1/queue" || path == "/api/v1/targets" ||
                    (path.rfind("/api/v1/conversations/", 0) == 0 &&
                     (path.ends_with("/notes") || path.ends_with("/canned")));
  if (!ours) return std::nullopt;
  if (!reads(req)) {
    auto it = req.find("X-CSRF-Token");
    if (it == req.end() || sv(it->value()) != s.csrf)
      return json_error(req, http::status::forbidden, "missing or wrong X-CSRF-Token");
  }
  if (auto r = presence_routes(ctx, req, path, s)) return r;
  if (path == "/api/v1/search") return search_route(ctx, req, s);
  if (auto p = sub_path(path, "conversations")) return conversation_routes(ctx, req, *p, s);
  if (auto r = canned_routes(ctx, req, path, s)) return r;
  if (auto p = sub_path(path, "contacts")) return contact_routes(ctx, req, *p, s);
  return queue_routes(ctx, req, path);
}

}  // namespace sb::admin
