// services/channels/sms_outbound.cpp — the sending half of SmsChannel: the channel outbox to
// AT+CMGS, retries, and delivery reports (see sms_channel.h for the promises).
#include <algorithm>
#include <cstdio>

#include "services/channels/sms/sms_listing.h"
#include "services/channels/sms_channel.h"

namespace sb::channels {

void SmsChannel::pump() {
  if (!running_ || sending_ || !modem_.ready()) return;
  const std::int64_t now = clock_.monotonic_ms();
  auto waiting = [&](std::uint64_t id) {
    auto it = sends_.find(id);
    return it != sends_.end() && it->second.next_mono > now;
  };
  // One at a time: the modem sends one message, part by part, before the next.
  auto due = inbox_.outbox_due({"sms"}, waiting, 1);
  if (!due.empty()) send(due.front().message_id());
}

void SmsChannel::send(std::uint64_t id) {
  auto msg = inbox_.message(id);
  auto conv = msg ? inbox_.conversation(msg->conversation_id()) : std::nullopt;
  if (!msg || !conv) {
    log_.warn("sms", "outbox names message ", id, " which does not exist");
    return;
  }
  pdu::SubmitRequest req;
  req.to = conv->contact();
  req.text = msg->text();
  req.status_report = true;
  // Per message, so two replies to one person never share a reference (256 apart at least).
  req.concat_ref = static_cast<std::uint16_t>(id & 0xff);
  auto parts = pdu::encode_submit(req);
  if (!parts) {
    log_.warn("sms", "message ", id, " cannot be sent: ", parts.error().message);
    c_failed_++;
    sends_.erase(id);
    (void)inbox_.set_outbound_status(id, inbox::OUTBOUND_FAILED, parts.error().message);
    return;
  }
  sending_ = true;
  send_part(id, std::make_shared<std::vector<pdu::EncodedPart>>(std::move(*parts)));
}

void SmsChannel::send_part(std::uint64_t id,
                           std::shared_ptr<std::vector<pdu::EncodedPart>> parts) {
  SendState& s = sends_[id];
  if (s.next_part >= parts->size()) {
    // All parts accepted: keep their references for the delivery reports, then say "sent".
    if (auto r = parts_.put_references(s.mrs, id); !r)
      log_.warn("sms", "delivery reports for message ", id,
                " will not be matched: ", r.error().message);
    if (auto r = inbox_.set_outbound_status(id, inbox::OUTBOUND_SENT); !r)
      log_.warn("sms", "message ", id, " sent but not marked: ", r.error().message);
    c_sent_++;
    sends_.erase(id);
    sending_ = false;
    next_pump_ = 0;
    return;
  }
  const pdu::EncodedPart& p = (*parts)[s.next_part];
  modem_.send_pdu("AT+CMGS=" + std::to_string(p.tpdu_length), p.hex,
                  [this, id, parts, alive = alive_](const modem::AtReply& r) {
                    if (!*alive) return;
                    if (!r.ok()) return send_failed(id, r);
                    refusals_in_a_row_ = 0;
                    modem_.note_working();
                    SendState& s = sends_[id];
                    s.mrs.push_back(sms::cmgs_reference(r.lines).value_or(-1));
                    s.next_part++;
                    send_part(id, parts);
                  });
}

// 27.005 §3.2.5: 300-303 and 310-332 are the modem's or the network's state (ME failure,
// operation not allowed, SIM or memory trouble, no network service, network timeout), 500 is
// "unknown", 512 and above are the manufacturer's own; none says anything about the message.
// Below 300 is the network's verdict on this message (24.011 RP-cause / 23.040 TP-FCS), except
// the temporary ones (38 network out of order, 41 temporary failure, 42 congestion, 47
// resources unavailable); 304/305 are an invalid PDU. Those count against the message.
bool SmsChannel::modem_side_refusal(const modem::AtReply& r) {
  if (r.status != modem::AtStatus::cms_error && r.status != modem::AtStatus::error &&
      r.status != modem::AtStatus::cme_error)
    return false;
  if (r.status != modem::AtStatus::cms_error) return true;
  const int c = r.code;
  if (c == 38 || c == 41 || c == 42 || c == 47) return true;
  if (c < 300 && c >= 0) return false;
  if (c == 304 || c == 305) return false;
  return true;
}

void SmsChannel::send_failed(std::uint64_t id, const modem::AtReply& r) {
  sending_ = false;
  SendState& s = sends_[id];
  if (r.status == modem::AtStatus::link_down) {
    s.next_mono = 0;  // not the message's fault: try again when the modem is back
    return;
  }
  if (modem_side_refusal(r)) {
    // Not this message's fault: it waits (no attempt counted) and goes once the modem sends
    // again; refusals in a row climb the engine's recovery ladder.
    s.refusals++;
    s.next_mono = backoff_.next_ms(clock_.monotonic_ms(), s.refusals);
    if (++refusals_in_a_row_ >= options_.refusals_before_recovery) {
      refusals_in_a_row_ = 0;
      modem_.recover_from_refusals(r.describe());
    }
    log_.info("sms", "message ", id, ": the modem refused it (", r.describe(),
              "); it waits for the modem");
    return;
  }
  s.attempts++;
  if (s.attempts >= options_.send_attempts) {
    log_.warn("sms", "message ", id, " failed after ", s.attempts, " attempts: ",
              r.describe());
    c_failed_++;
    sends_.erase(id);
    (void)inbox_.set_outbound_status(id, inbox::OUTBOUND_FAILED,
                                     "modem refused the message: " + r.describe());
    return;
  }
  s.next_mono = backoff_.next_ms(clock_.monotonic_ms(), s.attempts);
  log_.info("sms", "message ", id, ": ", r.describe(), "; retrying in ",
            (s.next_mono - clock_.monotonic_ms()) / 1000, " s (attempt ", s.attempts, " of ",
            options_.send_attempts, ")");
}

void SmsChannel::on_status_report(const pdu::Decoded& d) {
  auto ref = parts_.reference(d.message_ref);
  if (!ref) {
    log_.info("sms", "delivery report for unknown reference ", static_cast<int>(d.message_ref));
    return;
  }
  // TS 23.040 §9.2.3.15: 0x00-0x1F done (delivered), 0x20-0x3F the SC still tries,
  // 0x40 and above it gave up.
  if (d.status >= 0x20 && d.status < 0x40) return;
  if (d.status < 0x20) {
    if (!ref->last_part) return;
    (void)inbox_.set_outbound_status(ref->message_id, inbox::OUTBOUND_DELIVERED);
    return;
  }
  char code[8];
  std::snprintf(code, sizeof code, "0x%02X", d.status);
  (void)inbox_.set_outbound_status(ref->message_id, inbox::OUTBOUND_FAILED,
                                   std::string("delivery report status ") + code);
}

}  // namespace sb::channels
