// services/admin/health.h — the gateway's health in one glance, read from the status report.
#pragma once

#include <nlohmann/json.hpp>

namespace sb::admin {

// From the status report (firmware's StatusProvider: storage, mqtt, modem):
//   {"status": "ok" | "degraded", "reasons": [why, ...],
//    "parts": [{"name": "storage" | "broker" | "modem" | "outbox", "level": "green" | "amber" |
//               "red", "text": for people}, ...],
//    "replies_blocked": bool, "blocked_text": for agents, when blocked}
// A part that is not configured (no broker URI, no modem) is left out. "degraded" while any
// part is red: a configured broker or modem down, or the disk full.
nlohmann::json health_json(const nlohmann::json& status);

}  // namespace sb::admin
