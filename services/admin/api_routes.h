// services/admin/api_routes.h — the JSON API's handlers (internal to services/admin).
#pragma once

#include <nlohmann/json.hpp>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include "services/admin/admin_router.h"
#include "services/admin/report_scan.h"

namespace sb::admin {

struct ApiContext {
  inbox::Inbox& inbox;
  Auth& auth;
  Metrics& metrics;
  const Clock& clock;
  const StatusProvider& status;
  const std::string& peer;
  bool tls = false;          // served over HTTPS: cookies are Secure
  const Log* log = nullptr;  // for the diagnostics' recent warnings and errors
  // Pushes who is viewing or typing in a conversation to the open live streams (none: dropped).
  std::function<void(const nlohmann::json&)> activity = {};
  // The reports (statistics, exports) running now, capped; none: such a route answers 503.
  ReportSlots* reports = nullptr;
};

// Routes that need no session and answer at once (setup's GET); nullopt when `path` is not one of them.
std::optional<Response> open_routes(ApiContext& ctx, const Request& req, const std::string& path);
// POST /api/v1/setup, answered later (the first admin's password is hashed off the event
// loop): true when it is setup's POST; `reply` then runs once, on the io_context thread.
bool setup_route(ApiContext& ctx, const Request& req, const std::string& path,
                 PasswordHasher::Post post, std::function<void(Response)> reply);
// POST /api/v1/login, answered later (the password is checked off the event loop): true when
// `path` is login; `reply` then runs once, on the io_context thread.
bool login_route(ApiContext& ctx, const Request& req, const std::string& path,
                 PasswordHasher::Post post, std::function<void(Response)> reply);
// Everything else, through the route table (route_table.h); the session is checked already.
// Then, in this order: routing (404/405),
// CSRF on every method but GET/HEAD (403), the role (403), the handler (400 for bad input).
Response session_routes(ApiContext& ctx, const Request& req, const std::string& path,
                        const Session& s, const std::string& token);

nlohmann::json event_json(const inbox::Event& e);
nlohmann::json conversation_json(const inbox::Conversation& c, std::int64_t now_ms);
nlohmann::json message_json(const inbox::Message& m);
// The ids of the rules configured urgent; mark_urgent sets "urgent" on a conversation's JSON
// (or on each of a list's): true only when an urgent rule handed it off, whatever its priority.
std::set<std::string> urgent_rules(const handoff::RuleSet& rules);
void mark_urgent(nlohmann::json& j, const std::set<std::string>& urgent);
std::string gunzip(const unsigned char* data, std::size_t size);

// reference_views.cpp: rules, a test of a text against them, departments, agents (the
// statistics are stats_view.h).
nlohmann::json rules_json(const handoff::RuleSet& rules);
nlohmann::json verdict_json(const handoff::RuleSet& rules, const std::string& text);
nlohmann::json departments_json(const inbox::Inbox& inbox);
// A department's opening hours now: {"timezone", "open", "opens_at_ms", "opens"} ("Mon 09:00"
// in the department's own time; null when it never opens), or null without hours.
nlohmann::json hours_json(const inbox::DepartmentRouting* routing, std::int64_t now_ms);
nlohmann::json agents_json(const inbox::Inbox& inbox);

// diagnostics_view.cpp: the status report with the recent warnings and errors (from `log`, if
// any) and the newest dead letters added, for technicians.
nlohmann::json diagnostics_json(nlohmann::json status, const Log* log,
                                const inbox::Inbox& inbox);

}  // namespace sb::admin
