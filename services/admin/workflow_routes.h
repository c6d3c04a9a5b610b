// services/admin/workflow_routes.h — the agent-workflow API: presence and heartbeat,
// search, private notes, canned replies, contacts (profile, tags, merge), queue and targets.
#pragma once

#include <optional>
#include <string>

#include "services/admin/api_routes.h"

namespace sb::admin {

// Answers `path` when it is a workflow route, nullopt otherwise. The session is checked by
// the caller; this checks CSRF on every method but GET/HEAD (again: cheap, and safe whichever
// way the caller orders it) and the role (technicians only read), then the fields (400).
std::optional<Response> workflow_routes(ApiContext& ctx, const Request& req,
                                        const std::string& path, const Session& s);

}  // namespace sb::admin
