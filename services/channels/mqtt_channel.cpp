#include "services/channels/mqtt_channel.h"

#include <charconv>


namespace sb::channels {

using switchboard::v1::DeliveryStatus;
using switchboard::v1::InboundMessage;
using switchboard::v1::OutboundMessage;

bool valid_channel_name(std::string_view c) {
  if (c.empty() || c.size() > 32 || c == "sms") return false;
  for (char ch : c)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
      return false;
  return true;
}

MqttChannel::MqttChannel(inbox::Inbox& inbox, broker::Broker& broker, ReceiptAgain receipt_again,
                         const Clock& clock, Log& log, std::string gateway_id,
                         OutboundPolicy policy)
    : inbox_(inbox),
      broker_(broker),
      receipt_again_(std::move(receipt_again)),
      clock_(clock),
      log_(log),
      gateway_id_(std::move(gateway_id)),
      policy_(policy),
      backoff_{policy.retry_initial_ms, policy.retry_max_ms} {}

broker::Accepted MqttChannel::on_inbound(std::string_view channel_name,
                                         const std::string& payload) {
  using broker::Refusal;
  const std::string channel(channel_name);
  if (!valid_channel_name(channel))
    return Refusal{"bad_channel", "channel name '" + channel + "' is not allowed"};
  if (payload.size() > kMaxPayload)
    return Refusal{"oversized", "payload of " + std::to_string(payload.size()) + " bytes"};
  InboundMessage in;
  if (payload.empty() || !in.ParseFromString(payload))
    return Refusal{"not_protobuf", "not an InboundMessage"};
  if (in.external_id().empty())
    return Refusal{"missing_external_id", "InboundMessage without external_id"};
  if (in.sender().empty()) return Refusal{"missing_sender", "InboundMessage without sender"};
  if (in.text().empty() && in.attachments_size() == 0)
    return Refusal{"empty", "InboundMessage without text or attachments"};

  inbox::InboundMessage msg;
  msg.channel = channel;
  msg.external_id = in.external_id();
  msg.sender = in.sender();
  msg.sender_name = in.sender_name();
  msg.text = in.text();
  msg.sent_at_ms = in.sent_at_ms();
  msg.attachments.assign(in.attachments().begin(), in.attachments().end());
  inbox_.ingest(std::move(msg), [this](const Result<inbox::IngestOutcome>& r) {
    if (!r) return;  // not stored: no receipt, so the bridge sends it again
    if (r->duplicate && r->receipt && receipt_again_) receipt_again_(*r->receipt);
  });
  return std::nullopt;
}

broker::Accepted MqttChannel::on_delivery(std::string_view, const std::string& payload) {
  using broker::Refusal;
  DeliveryStatus d;
  if (payload.empty() || payload.size() > kMaxPayload || !d.ParseFromString(payload))
    return Refusal{"not_protobuf", "not a DeliveryStatus"};
  std::uint64_t id = 0;
  auto [p, ec] = std::from_chars(d.id().data(), d.id().data() + d.id().size(), id);
  if (ec != std::errc() || p != d.id().data() + d.id().size())
    return Refusal{"unknown_message", "DeliveryStatus for id '" + d.id() + "'"};
  const inbox::OutboundStatus status =
      d.state() == DeliveryStatus::SENT        ? inbox::OUTBOUND_SENT
      : d.state() == DeliveryStatus::DELIVERED ? inbox::OUTBOUND_DELIVERED
      : d.state() == DeliveryStatus::FAILED    ? inbox::OUTBOUND_FAILED
                                               : switchboard::store::OUTBOUND_STATUS_UNSPECIFIED;
  if (status == switchboard::store::OUTBOUND_STATUS_UNSPECIFIED)
    return Refusal{"bad_state", "DeliveryStatus without a state"};
  if (!inbox_.message(id))
    return Refusal{"unknown_message", "DeliveryStatus for message " + d.id() + ", not stored"};
  attempts_.erase(id);
  // Joins the next group commit. Not stored (a full disk, a full queue): no dead letter, and
  // the message stays due, so it is re-sent and the bridge reports its status again.
  inbox_.set_outbound_status_later(id, status, d.error(), [this, id](const Result<void>& r) {
    if (!r) log_.warn("channels", "delivery status of message ", id, " not stored: ",
                      r.error().message);
  });
  return std::nullopt;
}

namespace {
// The MQTT bridge carries every channel but SMS (the modem's).
const inbox::Inbox::OutboxChannels kBridged{"sms", true};
constexpr std::size_t kPumpBatch = 500;
}  // namespace

void MqttChannel::pump() {
  if (!broker_.connected()) return;
  const std::int64_t now = clock_.monotonic_ms();
  auto waiting = [&](std::uint64_t id) {
    auto it = attempts_.find(id);
    return it != attempts_.end() && it->second.next_mono_ms > now;
  };
  for (const auto& e : inbox_.outbox_due(kBridged, waiting, kPumpBatch))
    if (!send(e, now)) return;
}

void MqttChannel::pump_new(const std::vector<std::uint64_t>& message_ids) {
  if (!broker_.connected()) return;
  const std::int64_t now = clock_.monotonic_ms();
  std::vector<std::uint64_t> unsent;
  for (std::uint64_t id : message_ids)
    if (!attempts_.count(id)) unsent.push_back(id);  // already sent once: the backoff decides
  for (const auto& e : inbox_.outbox_entries(kBridged, unsent))
    if (!send(e, now)) return;
}

bool MqttChannel::send(const inbox::Inbox::OutboxEntry& entry, std::int64_t now) {
  const std::uint64_t id = entry.message_id();
  auto msg = inbox_.message(id);
  auto conv = msg ? inbox_.conversation(msg->conversation_id()) : std::nullopt;
  if (!msg || !conv) return true;
  if (clock_.wall_ms() - entry.created_at_ms() > policy_.fail_after_ms) {
    log_.warn("channels", "message ", id, " on ", entry.channel(),
              ": no delivery status in time, marked failed");
    (void)inbox_.set_outbound_status(id, inbox::OUTBOUND_FAILED,
                                     "no delivery status from the bridge in time");
    attempts_.erase(id);
    return true;
  }
  OutboundMessage out;
  out.set_id(std::to_string(id));
  out.set_channel(conv->channel());
  out.set_recipient(conv->contact());
  out.set_text(msg->text());
  out.set_conversation_id(conv->id());
  out.set_author(msg->author());
  out.set_created_at_ms(msg->at_ms());
  for (const auto& a : msg->attachments()) *out.add_attachments() = a;
  const bool accepted =
      broker_.publish("switchboard/" + gateway_id_ + "/out/" + conv->channel(),
                      out.SerializeAsString(), false, [this](bool) {
                        if (!held_) return;
                        held_ = false;
                        pump();
                      });
  if (!accepted) {
    held_ = true;  // not an attempt: it goes out as soon as there is room
    return false;
  }
  auto& a = attempts_[id];
  a.attempts++;
  a.next_mono_ms = backoff_.next_ms(now, a.attempts);
  return true;
}

}  // namespace sb::channels
