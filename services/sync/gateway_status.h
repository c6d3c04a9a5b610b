// services/sync/gateway_status.h — the retained GatewayStatus on switchboard/<gw>/status: online
// when the link comes up, offline at a clean stop and as the broker's last will.
#pragma once

#include <cstdint>
#include <string>

#include "services/proto/switchboard.pb.h"

namespace sb::sync {

std::string status_topic(const std::string& gateway_id);
std::string status_payload(const std::string& gateway_id,
                           switchboard::v1::GatewayStatus::State state, std::int64_t at_ms,
                           std::uint64_t last_seq, std::uint64_t outbox_depth);

}  // namespace sb::sync
