#include "services/admin/route_table.h"

#include <charconv>

#include "services/admin/action_audit.h"
#include "services/admin/api_util.h"

namespace sb::admin {

unsigned role_bit(Role role) {
  if (role == ROLE_ADMIN) return kAdmin;
  if (role == ROLE_AGENT) return kAgent;
  if (role == ROLE_TECHNICIAN) return kTech;
  return 0;
}

namespace {

std::string roles_text(unsigned roles) {
  std::string s;
  for (auto [bit, role] :
       {std::pair{kAdmin, ROLE_ADMIN}, {kAgent, ROLE_AGENT}, {kTech, ROLE_TECHNICIAN}})
    if (roles & bit) s += (s.empty() ? "" : " or ") + role_name(role);
  return s;
}

bool reads(http::verb m) { return m == http::verb::get || m == http::verb::head; }

// Matches `path` against `pattern`, filling the captures; false when it does not match.
bool match(std::string_view pattern, std::string_view path, std::uint64_t& id, std::string& arg) {
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern.front() != '/' || path.front() != '/')
      return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const auto pe = pattern.find('/');
    const std::string_view want = pattern.substr(0, pe);
    if (want == "{*}") {
      if (path.empty()) return false;
      arg = url_decode(path, false);
      return true;
    }
    const auto se = path.find('/');
    const std::string_view seg = path.substr(0, se);
    if (want == "{id}") {
      auto [p, ec] = std::from_chars(seg.data(), seg.data() + seg.size(), id);
      if (ec != std::errc() || p != seg.data() + seg.size() || id == 0) return false;
    } else if (want == "{}") {
      if (seg.empty()) return false;
      arg = url_decode(seg, false);
    } else if (want != seg) {
      return false;
    }
    pattern.remove_prefix(want.size());
    path.remove_prefix(seg.size());
  }
  return true;
}

}  // namespace

std::optional<Response> dispatch(std::span<const RouteSpec> table, ApiContext& ctx,
                                 const Request& req, const std::string& path, const Session& s,
                                 const std::string& token, Later* later) {
  const http::verb m = req.method();
  const RouteSpec* found = nullptr;
  std::string allow;
  Call call{ctx, req, s, token, 0, {}};
  for (const RouteSpec& r : table) {
    std::uint64_t id = 0;
    std::string arg;
    if (!match(r.pattern, path, id, arg)) continue;
    if (!allow.empty()) allow += ", ";
    allow += sv(http::to_string(r.method));
    if (found || !(r.method == m || (r.method == http::verb::get && m == http::verb::head)))
      continue;
    found = &r;
    call.id = id;
    call.arg = std::move(arg);
  }
  if (allow.empty()) return std::nullopt;
  if (!found) {
    Response res = json_error(req, http::status::method_not_allowed, "use " + allow + " here");
    res.set(http::field::allow, allow);
    return res;
  }
  if (!reads(m)) {
    auto it = req.find("X-CSRF-Token");
    if (it == req.end() || sv(it->value()) != s.csrf)
      return json_error(req, http::status::forbidden, "missing or wrong X-CSRF-Token");
  }
  if (!(found->roles & role_bit(s.role)))
    return json_error(req, http::status::forbidden,
                      "a " + role_name(s.role) + " may not do this (needs " + roles_text(found->roles) + ")");
  if (found->run) return run_audited(*found, call);
  if (!later)
    return json_error(req, http::status::internal_server_error, "this route answers later only");
  found->run_later(call, audited_later(*found, call, std::move(*later)));
  return std::nullopt;
}

bool answers_later(std::span<const RouteSpec> table, http::verb method, const std::string& path) {
  for (const RouteSpec& r : table) {
    std::uint64_t id = 0;
    std::string arg;
    if (r.run_later && r.method == method && match(r.pattern, path, id, arg)) return true;
  }
  return false;
}

}  // namespace sb::admin
