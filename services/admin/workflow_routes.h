// services/admin/workflow_routes.h — the agent-workflow API: presence and heartbeat,
// search, private notes, canned replies, contacts (profile, tags, merge), queue and targets.
#pragma once

#include <optional>
#include <string>

#include "services/admin/api_routes.h"

namespace sb::admin {

// Answers `path` when it is a workflow route (dispatched through the workflow part of the route
// table, in route_table.h's order of checks), nullopt otherwise. The session is checked by the
// caller.
std::optional<Response> workflow_routes(ApiContext& ctx, const Request& req,
                                        const std::string& path, const Session& s);

}  // namespace sb::admin
