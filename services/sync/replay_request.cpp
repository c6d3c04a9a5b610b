#include "services/sync/replay_request.h"

namespace sb::sync {

broker::Accepted handle_replay_request(EventPublisher& events, const std::string& payload) {
  switchboard::v1::ReplayRequest r;
  if (!r.ParseFromString(payload)) return broker::Refusal{"not_protobuf", "not a ReplayRequest"};
  // Refused for the rate: counted and logged by the publisher, not kept as a dead letter (a
  // flood of them would fill the dead letters instead).
  (void)events.replay(r.from_seq(), r.to_seq());
  return std::nullopt;
}

}  // namespace sb::sync
