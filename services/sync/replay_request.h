// services/sync/replay_request.h — the handler of switchboard/<gw>/replay: central asks for
// events again from a sequence number.
#pragma once

#include <cstddef>
#include <string>

#include "services/broker/topic_table.h"
#include "services/sync/event_publisher.h"

namespace sb::sync {

constexpr std::size_t kMaxReplayRequestBytes = 1024;

// Refuses a payload over kMaxReplayRequestBytes unread; the request itself is bounded by the
// publisher (EventPublisher::Limits: events per request, requests a minute).
broker::Accepted handle_replay_request(EventPublisher& events, const std::string& payload);

}  // namespace sb::sync
