// services/sync/replay_request.h — the handler of switchboard/<gw>/replay: central asks for
// events again from a sequence number.
#pragma once

#include <string>

#include "services/broker/topic_table.h"
#include "services/sync/event_publisher.h"

namespace sb::sync {

broker::Accepted handle_replay_request(EventPublisher& events, const std::string& payload);

}  // namespace sb::sync
