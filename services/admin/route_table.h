// services/admin/route_table.h — the JSON API as one declarative table: {method, path pattern,
// roles, handler}, and the one dispatcher every session route goes through (internal).
//
// Order of checks, the same for every route: the path (404 when no pattern matches), the
// method (405 with Allow naming the methods the path has), CSRF on every method but GET/HEAD
// (403), the role (403), then the handler (400 for bad fields, 404 for a missing record).
// The session itself is checked by the caller before any of this.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "services/admin/api_routes.h"

namespace sb::admin {

enum RoleBit : unsigned { kAdmin = 1, kAgent = 2, kTech = 4 };
constexpr unsigned kAll = kAdmin | kAgent | kTech;
constexpr unsigned kWorkers = kAdmin | kAgent;
constexpr unsigned kOps = kAdmin | kTech;

unsigned role_bit(Role role);

// What a handler is given: the request, the caller and what the pattern captured.
struct Call {
  ApiContext& ctx;
  const Request& req;
  const Session& s;
  const std::string& token;  // the session's cookie value
  std::uint64_t id = 0;      // "{id}": a decimal number above 0
  std::string arg;           // "{}": one segment, or "{*}": the rest of the path (URL-decoded)
};

// How a route answered later (its work runs off the event loop: a password hashed) answers:
// `reply` once, on the io_context thread; `post` hands finished work back to that thread.
struct Later {
  PasswordHasher::Post post;
  std::function<void(Response)> reply;
};

// A pattern is a literal path with at most one "{id}" and one "{}" or trailing "{*}" segment.
// GET routes answer HEAD too.
struct RouteSpec {
  http::verb method;
  const char* pattern;
  unsigned roles;
  Response (*run)(Call&);
  // Set instead of `run` on a route answered later.
  void (*run_later)(Call&, Later) = nullptr;
};

// nullopt when no pattern in `table` matches `path`; otherwise the answer, checked in the
// order above. Given `later`, a route answered later that passes the checks is handed it and
// nullopt returned (it replies through it); without, such a route answers 500.
std::optional<Response> dispatch(std::span<const RouteSpec> table, ApiContext& ctx,
                                 const Request& req, const std::string& path, const Session& s,
                                 const std::string& token, Later* later = nullptr);

// Whether `method` on `path` is a route of `table` answered later.
bool answers_later(std::span<const RouteSpec> table, http::verb method, const std::string& path);

// The routes, by feature: conversations, users and reference views (api_routes.cpp), the
// agents' workflow (workflow_routes.cpp), running a team: audit, exports (team_routes.cpp).
std::span<const RouteSpec> api_route_table();
std::span<const RouteSpec> workflow_route_table();
std::span<const RouteSpec> team_route_table();

}  // namespace sb::admin
