#include "services/sync/replay_request.h"

namespace sb::sync {

broker::Accepted handle_replay_request(EventPublisher& events, const std::string& payload) {
  // Two sequence numbers: anything near this size is not a ReplayRequest.
  if (payload.size() > kMaxReplayRequestBytes)
    return broker::Refusal{"oversized", "payload of " + std::to_string(payload.size()) + " bytes"};
  switchboard::v1::ReplayRequest r;
  if (!r.ParseFromString(payload)) return broker::Refusal{"not_protobuf", "not a ReplayRequest"};
  // Refused for the rate: counted and logged by the publisher, not kept as a dead letter (a
  // flood of them would fill the dead letters instead).
  (void)events.replay(r.from_seq(), r.to_seq());
  return std::nullopt;
}

}  // namespace sb::sync
