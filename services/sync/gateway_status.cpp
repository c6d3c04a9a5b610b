#include "services/sync/gateway_status.h"

namespace sb::sync {

std::string status_topic(const std::string& gateway_id) {
  return "switchboard/" + gateway_id + "/status";
}

std::string status_payload(const std::string& gateway_id,
                           switchboard::v1::GatewayStatus::State state, std::int64_t at_ms,
                           std::uint64_t last_seq, std::uint64_t outbox_depth) {
  switchboard::v1::GatewayStatus s;
  s.set_gateway_id(gateway_id);
  s.set_state(state);
  s.set_version(SWITCHBOARD_VERSION);
  s.set_at_ms(at_ms);
  s.set_last_seq(last_seq);
  s.set_outbox_depth(outbox_depth);
  return s.SerializeAsString();
}

}  // namespace sb::sync
