// services/admin/action_audit.h — which API calls are agent or admin actions, and the audit
// entry each one leaves (internal to services/admin).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "services/admin/route_table.h"
#include "services/inbox/audit_log.h"

namespace sb::admin {

// The entry for `call` answered by `route`, or nullopt for what is no action: reads, and the
// posts a page makes on its own every few seconds (heartbeat, viewing/typing, a rule test).
std::optional<inbox::AuditEntry> audit_entry(const RouteSpec& route, const Call& call);

// Runs `route` for `call` with its audit entry written in the action's own transaction, or,
// when the action wrote outside the inbox (users, sessions), in the next group commit. A
// refused action (4xx, 5xx) leaves none.
Response run_audited(const RouteSpec& route, Call& call);

// The same for a route answered later: `later`'s reply, wrapped to leave the entry (in the next
// group commit) when the action succeeded.
Later audited_later(const RouteSpec& route, const Call& call, Later later);

// Wraps a login's `reply` so the audit log hears how it ended: "login", or "login_failed" for a
// wrong name or password (a throttled, busy or malformed attempt checked no password).
std::function<void(Response)> audit_login(inbox::Inbox& inbox, const Request& req,
                                          const std::string& peer,
                                          std::function<void(Response)> reply);

}  // namespace sb::admin
