// services/channels/mqtt_channel.h — the channels central bridges in over MQTT (WhatsApp,
// Instagram, Web Chat, Email, …).
//
// Inbound: an InboundMessage on in/<channel> goes through Inbox::ingest; its receipt is the
// committed message_in Event (published with the commit's Events by central sync), and a
// duplicate's receipt, which the ingest outcome carries, is handed to `receipt_again` at once. Outbound: queued messages of MQTT channels in the channel outbox are published
// on out/<channel> and re-sent with backoff until a DeliveryStatus for their id arrives on
// delivery/<channel>; after `fail_after` without one they are marked failed.
// Lives on the io_context thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "services/broker/broker.h"
#include "services/broker/topic_table.h"
#include "services/common/backoff.h"
#include "services/inbox/inbox.h"

namespace sb::channels {

struct OutboundPolicy {
  std::int64_t retry_initial_ms = 2000;
  std::int64_t retry_max_ms = 300000;
  std::int64_t fail_after_ms = 3600000;
};

class MqttChannel {
 public:
  static constexpr std::size_t kMaxPayload = 256 * 1024;

  // Publishes a stored receipt again (for a duplicate: the bridge may have lost the first).
  using ReceiptAgain = std::function<void(const inbox::Event&)>;

  MqttChannel(inbox::Inbox& inbox, broker::Broker& broker, ReceiptAgain receipt_again,
              const Clock& clock, Log& log, std::string gateway_id, OutboundPolicy policy);

  // The handlers of in/<channel> and delivery/<channel>: `channel` is the topic's last level.
  // A payload that is not what the topic carries is refused (the caller keeps a dead letter).
  broker::Accepted on_inbound(std::string_view channel, const std::string& payload);
  broker::Accepted on_delivery(std::string_view channel, const std::string& payload);
  // Publishes everything due in the channel outbox: first sends and re-sends (a timer runs
  // it, and a (re)connection). Paced by the broker's window: when it is full, the pump stops
  // and runs again on the next acknowledgement, so a burst of outbound messages goes out as
  // fast as the broker acknowledges, never overflowing the client's buffer.
  void pump();
  // Publishes just these new outbound messages (run after the commit that queued them), so a
  // busy gateway does not rescan a long outbox on every commit.
  void pump_new(const std::vector<std::uint64_t>& message_ids);

 private:
  struct Attempt {
    int attempts = 0;
    std::int64_t next_mono_ms = 0;
  };
  // False when the broker holds no more publishes now (nothing was counted as an attempt).
  bool send(const inbox::Inbox::OutboxEntry& entry, std::int64_t now);

  inbox::Inbox& inbox_;
  broker::Broker& broker_;
  ReceiptAgain receipt_again_;
  const Clock& clock_;
  Log& log_;
  std::string gateway_id_;
  OutboundPolicy policy_;
  Backoff backoff_;  // from the policy's retry_initial_ms and retry_max_ms
  std::map<std::uint64_t, Attempt> attempts_;  // by message id
  bool held_ = false;  // a send found the broker's window full: pump on the next acknowledgement
};

bool valid_channel_name(std::string_view channel);

}  // namespace sb::channels
