// The agent-workflow API under /api/v1. Roles: admin everything; an agent works
// (presence, notes, canned replies, contacts); a technician only reads.
//   GET  /api/v1/presence                      agents with presence and open conversations
//   POST /api/v1/presence                      {"presence", "agent"?} (another agent: admin)
//   POST /api/v1/presence/heartbeat            the caller's page is open
//   GET  /api/v1/search?q=&limit=              contacts and messages, newest first
//   POST /api/v1/conversations/<id>/notes      {"text"} a private note
//   POST /api/v1/conversations/<id>/canned     {"shortcut"} reply with a canned reply
//   POST /api/v1/conversations/<id>/activity   {"state"} viewing / typing / left, to the others
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
#include <map>

#include "services/admin/api_util.h"
#include "services/admin/route_table.h"

namespace sb::admin {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxQuery = 256;
constexpr std::size_t kMaxNote = 4096;

Response forbidden(const Request& req, const Session& s, const char* needs) {
  return json_error(req, http::status::forbidden,
                    "a " + role_name(s.role) + " may not do this (needs " + needs + ")");
}

std::optional<std::uint64_t> parse_id(std::string_view s) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v == 0) return std::nullopt;
  return v;
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

Response presence_list(Call& c) {
  json out = json::array();
  for (const auto& a : c.ctx.inbox.agents()) {
    inbox::ConversationFilter f;
    f.status = inbox::STATUS_ASSIGNED;
    f.assignee = a.id();
    out.push_back(agent_json(a, c.ctx.inbox.conversations(f).size()));
  }
  return ok_json(c.req, out);
}

Response presence_set(Call& c) {
  std::optional<Response> err;
  auto j = body_json(c.req, err);
  if (!j) return std::move(*err);
  auto presence = str_field(*j, "presence");
  if (!presence || (*presence != "online" && *presence != "away" && *presence != "offline"))
    return bad_request(c.req, "presence needs 'presence': online, away or offline");
  std::string agent = str_field(*j, "agent").value_or(c.s.user);
  if (agent != c.s.user && c.s.role != ROLE_ADMIN)
    return forbidden(c.req, c.s, "admin to set another agent's presence");
  if (!c.ctx.inbox.agent(agent)) return bad_request(c.req, "'" + agent + "' is not an agent");
  auto r = c.ctx.inbox.set_presence(agent, *presence, c.s.user);
  if (!r) return error_response(c.req, r.error());
  return ok_json(c.req, agent_json(*c.ctx.inbox.agent(agent), 0));
}

Response heartbeat(Call& c) {
  if (!c.ctx.inbox.agent(c.s.user)) return bad_request(c.req, "'" + c.s.user + "' is not an agent");
  auto r = c.ctx.inbox.heartbeat(c.s.user);
  if (!r) return error_response(c.req, r.error());
  return ok_json(c.req, {{"presence", c.ctx.inbox.agent(c.s.user)->presence()}});
}

Response search(Call& c) {
  auto q = query(c.req, "q");
  if (!q || q->empty() || q->size() > kMaxQuery)
    return bad_request(c.req, "search needs 'q' of 1 to 256 bytes");
  std::size_t limit = 20;
  if (auto l = query(c.req, "limit")) {
    auto n = parse_id(*l);
    if (!n || *n > 200) return bad_request(c.req, "'limit' is 1 to 200");
    limit = *n;
  }
  auto r = c.ctx.inbox.search(*q, limit);
  json contacts = json::array(), messages = json::array();
  for (const auto& p : r.contacts) contacts.push_back(contact_json(p));
  // Each hit says whose conversation it is and on which channel (one small read per
  // conversation, at most `limit` of them).
  std::map<std::uint64_t, std::pair<std::string, std::string>> who;
  for (const auto& h : r.messages) {
    auto [it, fresh] = who.try_emplace(h.conversation_id);
    if (fresh)
      if (auto conv = c.ctx.inbox.conversation(h.conversation_id))
        it->second = {conv->contact_name().empty() ? conv->contact() : conv->contact_name(),
                      conv->channel()};
    messages.push_back({{"conversation_id", h.conversation_id},
                        {"message_id", h.message_id},
                        {"author", h.author},
                        {"note", h.note},
                        {"at_ms", h.at_ms},
                        {"snippet", h.snippet},
                        {"contact_name", it->second.first},
                        {"channel", it->second.second}});
  }
  return ok_json(c.req, {{"contacts", contacts}, {"messages", messages}});
}

// The body of a POST on an existing conversation; the error to answer otherwise.
std::optional<json> conversation_body(Call& c, std::optional<Response>& err) {
  if (!c.ctx.inbox.conversation(c.id)) {
    err = json_error(c.req, http::status::not_found, "no such conversation");
    return std::nullopt;
  }
  return body_json(c.req, err);
}

Response note(Call& c) {
  std::optional<Response> err;
  auto j = conversation_body(c, err);
  if (!j) return std::move(*err);
  auto text = str_field(*j, "text");
  if (!text || text->empty() || text->size() > kMaxNote)
    return bad_request(c.req, "a note needs a string 'text' of 1 to 4096 bytes");
  auto r = c.ctx.inbox.add_note(c.id, c.s.user, *text);
  if (!r) return error_response(c.req, r.error());
  return ok_json(c.req, {{"id", *r}});
}

Response canned_reply(Call& c) {
  std::optional<Response> err;
  auto j = conversation_body(c, err);
  if (!j) return std::move(*err);
  auto shortcut = str_field(*j, "shortcut");
  if (!shortcut || shortcut->empty())
    return bad_request(c.req, "a canned reply needs a string 'shortcut'");
  auto text = c.ctx.inbox.expand_canned(*shortcut, c.id);
  if (!text) return bad_request(c.req, text.error().message);
  auto r = c.ctx.inbox.reply(c.id, c.s.user, *text);
  if (!r) return error_response(c.req, r.error());
  return ok_json(c.req, {{"id", *r}, {"text", *text}});
}

// POST /conversations/<id>/activity {"state": viewing | typing | left}: passed to the other
// pages over the live stream, never stored.
Response activity(Call& c) {
  std::optional<Response> err;
  auto j = conversation_body(c, err);
  if (!j) return std::move(*err);
  auto state = str_field(*j, "state");
  if (!state || (*state != "viewing" && *state != "typing" && *state != "left"))
    return bad_request(c.req, "activity needs 'state': viewing, typing or left");
  if (c.ctx.activity)
    c.ctx.activity({{"conversation_id", c.id}, {"user", c.s.user}, {"state", *state},
                    {"at_ms", c.ctx.clock.wall_ms()}});
  return ok_json(c.req, {{"ok", true}});
}

Response canned_list(Call& c) {
  std::optional<std::uint64_t> conv;
  if (auto q = query(c.req, "conversation")) {
    conv = parse_id(*q);
    if (!conv || !c.ctx.inbox.conversation(*conv))
      return bad_request(c.req, "'conversation' must name an existing conversation");
  }
  json out = json::array();
  for (const auto& r : c.ctx.inbox.canned_replies()) {
    json j = {{"shortcut", r.shortcut()}, {"text", r.text()}};
    if (conv) {
      auto text = c.ctx.inbox.expand_canned(r.shortcut(), *conv);
      j["expanded"] = text ? *text : r.text();
    }
    out.push_back(std::move(j));
  }
  return ok_json(c.req, out);
}

Response canned_upsert(Call& c) {
  std::optional<Response> err;
  auto j = body_json(c.req, err);
  if (!j) return std::move(*err);
  auto shortcut = str_field(*j, "shortcut"), text = str_field(*j, "text");
  if (!shortcut || !text)
    return bad_request(c.req, "a canned reply needs string 'shortcut' and 'text'");
  auto r = c.ctx.inbox.upsert_canned(*shortcut, *text);
  if (!r) return bad_request(c.req, r.error().message);
  return ok_json(c.req, {{"ok", true}});
}

Response canned_delete(Call& c) {
  auto r = c.ctx.inbox.delete_canned(c.arg);
  if (!r) return json_error(c.req, http::status::not_found, r.error().message);
  return ok_json(c.req, {{"ok", true}});
}

Response contact_get(Call& c) {
  auto person = c.ctx.inbox.contact(c.id);
  if (!person) return json_error(c.req, http::status::not_found, "no such contact");
  json j = contact_json(*person);
  json convs = json::array();
  const auto now = c.ctx.clock.wall_ms();
  for (auto cid : c.ctx.inbox.contact_conversations(c.id))
    if (auto conv = c.ctx.inbox.conversation(cid)) convs.push_back(conversation_json(*conv, now));
  j["conversations"] = convs;
  j["history"] = history_json(c.ctx.inbox.contact_history(c.id));
  return ok_json(c.req, j);
}

// The body of a POST on an existing contact; the error to answer otherwise.
std::optional<json> contact_body(Call& c, std::optional<Response>& err) {
  if (!c.ctx.inbox.contact(c.id)) {
    err = json_error(c.req, http::status::not_found, "no such contact");
    return std::nullopt;
  }
  return body_json(c.req, err);
}

Response contact_merge(Call& c) {
  std::optional<Response> err;
  auto j = contact_body(c, err);
  if (!j) return std::move(*err);
  auto it = j->find("other");
  if (it == j->end() || !it->is_number_unsigned() || it->get<std::uint64_t>() == 0)
    return bad_request(c.req, "merge needs 'other': a contact id");
  if (!c.ctx.inbox.contact(it->get<std::uint64_t>()))
    return bad_request(c.req, "no contact " + std::to_string(it->get<std::uint64_t>()));
  auto r = c.ctx.inbox.merge_contacts(c.id, it->get<std::uint64_t>(), c.s.user);
  if (!r) return error_response(c.req, r.error());
  return ok_json(c.req, contact_json(*c.ctx.inbox.contact(c.id)));
}

Response contact_update(Call& c) {
  std::optional<Response> err;
  auto j = contact_body(c, err);
  if (!j) return std::move(*err);
  std::optional<std::string> name, notes;
  if (j->contains("name") && !(name = str_field(*j, "name")))
    return bad_request(c.req, "'name' must be a string");
  if (j->contains("notes") && !(notes = str_field(*j, "notes")))
    return bad_request(c.req, "'notes' must be a string");
  auto add = str_list(*j, "add_tags"), remove = str_list(*j, "remove_tags");
  if (!add || !remove)
    return bad_request(c.req, "'add_tags' and 'remove_tags' are lists of 1 to 64 byte strings");
  if (!name && !notes && add->empty() && remove->empty())
    return bad_request(c.req, "nothing to change: name, notes, add_tags or remove_tags");
  auto r = c.ctx.inbox.update_contact(c.id, name, notes, *add, *remove, c.s.user);
  if (!r) return bad_request(c.req, r.error().message);
  return ok_json(c.req, contact_json(*c.ctx.inbox.contact(c.id)));
}

Response queue(Call& c) {
  const auto now = c.ctx.clock.wall_ms();
  const auto& deps = c.ctx.inbox.workflow().departments;
  const auto urgent = urgent_rules(c.ctx.inbox.rules());
  json out = json::array();
  for (const auto& d : departments_json(c.ctx.inbox)) {
    const std::string dep = d.value("id", "");
    auto it = deps.find(dep);
    json q = json::array();
    for (const auto& conv : c.ctx.inbox.queue(dep)) q.push_back(conversation_json(conv, now));
    mark_urgent(q, urgent);
    out.push_back({{"department", dep},
                   {"policy", it == deps.end() ? "manual" : it->second.policy},
                   {"max_per_agent", it == deps.end() ? 0 : it->second.max_per_agent},
                   {"hours", hours_json(it == deps.end() ? nullptr : &it->second, now)},
                   {"queued", q}});
  }
  return ok_json(c.req, out);
}

Response targets(Call& c) {
  const auto now = c.ctx.clock.wall_ms();
  json out = json::array();
  for (const auto& conv : c.ctx.inbox.awaiting_reply()) {
    json j = conversation_json(conv, now);
    j["target_ms"] = c.ctx.inbox.target_ms(conv);
    j["waiting_ms"] = c.ctx.inbox.waited_ms(conv, now);  // business time where hours are kept
    j["over_target"] = conv.over_target();
    out.push_back(std::move(j));
  }
  mark_urgent(out, urgent_rules(c.ctx.inbox.rules()));
  return ok_json(c.req, out);
}

using V = http::verb;
constexpr RouteSpec kWorkflowRoutes[] = {
    {V::get, "/api/v1/presence", kAll, presence_list},
    {V::post, "/api/v1/presence", kWorkers, presence_set},
    {V::post, "/api/v1/presence/heartbeat", kWorkers, heartbeat},
    {V::get, "/api/v1/search", kAll, search},
    {V::post, "/api/v1/conversations/{id}/notes", kWorkers, note},
    {V::post, "/api/v1/conversations/{id}/canned", kWorkers, canned_reply},
    {V::post, "/api/v1/conversations/{id}/activity", kAll, activity},
    {V::get, "/api/v1/canned", kAll, canned_list},
    {V::post, "/api/v1/canned", kAdmin, canned_upsert},
    {V::delete_, "/api/v1/canned/{}", kAdmin, canned_delete},
    {V::get, "/api/v1/contacts/{id}", kAll, contact_get},
    {V::post, "/api/v1/contacts/{id}", kWorkers, contact_update},
    {V::post, "/api/v1/contacts/{id}/merge", kWorkers, contact_merge},
    {V::get, "/api/v1/queue", kAll, queue},
    {V::get, "/api/v1/targets", kAll, targets},
};

}  // namespace

std::span<const RouteSpec> workflow_route_table() { return kWorkflowRoutes; }

std::optional<Response> workflow_routes(ApiContext& ctx, const Request& req,
                                        const std::string& path, const Session& s) {
  static const std::string no_token;
  return dispatch(kWorkflowRoutes, ctx, req, path, s, no_token);
}

}  // namespace sb::admin
