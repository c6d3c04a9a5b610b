#include "services/admin/action_audit.h"

#include <string_view>
#include <vector>

#include "services/admin/api_util.h"
#include "services/inbox/inbox.h"

namespace sb::admin {

namespace {

constexpr std::size_t kMaxDetail = 200;

// Posts a page sends by itself: no person acted, and each would cost the flash a write.
constexpr std::string_view kNotActions[] = {
    "/api/v1/presence/heartbeat",
    "/api/v1/conversations/{id}/activity",
    "/api/v1/conversations/{id}/seen",
    "/api/v1/rules/test",
};

// Request fields worth keeping: what was chosen, never what was written (texts, passwords).
constexpr const char* kDetailFields[] = {"department", "agent", "tag",   "role",  "disabled",
                                         "presence",   "name",  "other", "until", "shortcut",
                                         "snooze",     "status", "not_needed"};

std::vector<std::string_view> literal_segments(std::string_view pattern) {
  std::vector<std::string_view> out;
  if (pattern.substr(0, 8) == "/api/v1/") pattern.remove_prefix(8);
  while (!pattern.empty()) {
    const auto slash = pattern.find('/');
    std::string_view seg = pattern.substr(0, slash);
    if (!seg.empty() && seg.front() != '{') out.push_back(seg);
    if (slash == std::string_view::npos) break;
    pattern.remove_prefix(slash + 1);
  }
  return out;
}

std::string singular(std::string_view s) {
  if (s.size() > 1 && s.back() == 's') s.remove_suffix(1);
  return std::string(s);
}

// "conversations/{id}/close" -> "close", "conversations/{id}/tags/{*}" DELETE -> "untag",
// "users/{}/role" -> "user.role", "canned/{}" DELETE -> "canned.delete".
std::string action_name(const RouteSpec& route) {
  const auto segs = literal_segments(route.pattern);
  const bool del = route.method == http::verb::delete_;
  if (segs.empty()) return "unknown";
  if (segs[0] == "conversations" && segs.size() >= 2) {
    const std::string_view a = segs[1];
    if (a == "messages") return "reply";
    if (a == "tags") return del ? "untag" : "tag";
    if (a == "notes") return "note";
    if (a == "canned") return "reply_canned";
    std::string out(a);
    for (std::size_t i = 2; i < segs.size(); ++i) out += "." + std::string(segs[i]);
    return del ? out + ".delete" : out;
  }
  std::string out = segs.size() == 1 && segs[0] != "logout" && segs[0] != "presence"
                        ? singular(segs[0]) + (del ? "" : ".save")
                        : singular(segs[0]);
  for (std::size_t i = 1; i < segs.size(); ++i) out += "." + std::string(segs[i]);
  return del ? out + ".delete" : out;
}

std::string detail_of(const Request& req) {
  auto j = nlohmann::json::parse(req.body(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return {};
  std::string out;
  for (const char* key : kDetailFields) {
    auto it = j.find(key);
    if (it == j.end()) continue;
    std::string v;
    if (it->is_string()) v = it->get<std::string>();
    else if (it->is_boolean()) v = it->get<bool>() ? "true" : "false";
    else if (it->is_number()) v = it->dump();
    else continue;
    out += (out.empty() ? "" : " ") + std::string(key) + "=" + v;
  }
  if (out.size() > kMaxDetail) out.resize(kMaxDetail);  // may cut a UTF-8 sequence: json_text mends
  return out;
}

}  // namespace

std::optional<inbox::AuditEntry> audit_entry(const RouteSpec& route, const Call& call) {
  if (route.method == http::verb::get || route.method == http::verb::head) return std::nullopt;
  for (std::string_view p : kNotActions)
    if (p == route.pattern) return std::nullopt;
  inbox::AuditEntry e;
  e.set_actor(call.s.user);
  e.set_address(call.ctx.peer);
  e.set_action(action_name(route));
  const auto segs = literal_segments(route.pattern);
  const std::string kind = segs.empty() ? std::string() : singular(segs[0]);
  if (call.id) e.set_target(kind + " " + std::to_string(call.id));
  else if (!call.arg.empty()) e.set_target(kind + " " + call.arg.substr(0, 128));
  e.set_detail(detail_of(call.req));
  return e;
}

Response run_audited(const RouteSpec& route, Call& call) {
  auto entry = audit_entry(route, call);
  if (!entry) return route.run(call);
  call.ctx.inbox.begin_audit(*entry);
  Response res = route.run(call);
  const bool carried = call.ctx.inbox.end_audit();
  if (!carried && res.result_int() < 300) call.ctx.inbox.audit_later(std::move(*entry));
  return res;
}

Later audited_later(const RouteSpec& route, const Call& call, Later later) {
  auto entry = audit_entry(route, call);
  if (!entry) return later;
  later.reply = [&inbox = call.ctx.inbox, e = std::move(*entry),
                 reply = std::move(later.reply)](Response res) mutable {
    if (res.result_int() < 300) inbox.audit_later(std::move(e));
    reply(std::move(res));
  };
  return later;
}

std::function<void(Response)> audit_login(inbox::Inbox& inbox, const Request& req,
                                          const std::string& peer,
                                          std::function<void(Response)> reply) {
  std::string who;
  auto j = nlohmann::json::parse(req.body(), nullptr, /*allow_exceptions=*/false);
  if (j.is_object() && j.contains("name") && j["name"].is_string())
    who = j["name"].get<std::string>().substr(0, 64);
  return [&inbox, who = std::move(who), peer, reply = std::move(reply)](Response res) {
    const unsigned status = res.result_int();
    if (status == 200 || status == 401) {
      inbox::AuditEntry e;
      e.set_actor(who);
      e.set_address(peer);
      e.set_action(status == 200 ? "login" : "login_failed");
      inbox.audit_later(std::move(e));
    }
    reply(std::move(res));
  };
}

}  // namespace sb::admin
