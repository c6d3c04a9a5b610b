// services/admin/api_routes.h — the JSON API's handlers (internal to services/admin).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "services/admin/admin_router.h"

namespace sb::admin {

struct ApiContext {
  inbox::Inbox& inbox;
  Auth& auth;
  Metrics& metrics;
  const Clock& clock;
  const StatusProvider& status;
  const std::string& peer;
};

// Routes that need no session (setup, login); nullopt when `path` is not one of them.
std::optional<Response> open_routes(ApiContext& ctx, const Request& req, const std::string& path);
// Everything else; the session is checked already. CSRF and roles are checked here.
Response session_routes(ApiContext& ctx, const Request& req, const std::string& path,
                        const Session& s, const std::string& token);

nlohmann::json event_json(const inbox::Event& e);
nlohmann::json conversation_json(const inbox::Conversation& c, std::int64_t now_ms);
nlohmann::json message_json(const inbox::Message& m);
std::string gunzip(const unsigned char* data, std::size_t size);

}  // namespace sb::admin
