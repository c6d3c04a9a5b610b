// services/inbox/inbound.h — what every channel adapter hands to the inbox.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "services/proto/switchboard.pb.h"

namespace sb::inbox {

struct InboundMessage {
  std::string channel;      // "sms", or the MQTT channel name
  std::string external_id;  // unique per channel; the idempotency key
  std::string sender;       // the contact's address on that channel
  std::string sender_name;
  std::string text;
  std::int64_t sent_at_ms = 0;
  std::vector<switchboard::v1::Attachment> attachments;
};

}  // namespace sb::inbox
