// services/channels/sms_channel.h — the SMS channel: a modem (through the AT engine) on one
// side, the inbox on the other.
//
// Inbound: on every "ready" (start, re-open, modem restart) and every `rescan_ms` it lists
// the whole storage (AT+CMGL=4: catches indications lost while the port was closed); on
// +CMTI it reads that slot. A single message is ingested with an id derived from its PDU, and
// its slot is deleted (AT+CMGD) only in the ingest's done callback, after the commit is
// durable. A part of a concatenated message is kept in LMDB (sms_parts) first, then deleted;
// when all parts are there, or `part_wait_ms` after the first arrived, the text is ingested
// (gaps shown as `missing_marker`) and the parts dropped after the commit; their PDUs are
// remembered for `joined_memory_ms`, and a later copy of one (modems that store each SMS
// twice) is deleted from the SIM instead of waiting as a stray part. A PDU the codec
// refuses is counted, logged and kept as a dead letter, and deleted only once that is stored.
// A refused ingest leaves the message on the SIM: the next rescan tries again.
//
// Outbound: channel_outbox entries of channel "sms" are encoded (multipart where needed, with
// a status report request) and sent part by part with AT+CMGS; the TP-MRs are stored, then the
// message is marked "sent". A send the network refuses for the message's own sake (+CMS ERROR
// below 300, an invalid PDU) or that gets no answer is retried with backoff and marked
// "failed" after `send_attempts`. A refusal that speaks of the modem's state (+CMS ERROR 300
// and up, 500, ERROR) never fails the message: it waits, and `refusals_before_recovery` of
// them in a row make the engine re-initialize, then reset, then re-open the modem (a Falcom
// A2 refuses every send after TP-MR 255 until it is reset). A delivery report (+CDS) names the TP-MR:
// the last part delivered makes the message "delivered", any part failing permanently makes it
// "failed". A crash after AT+CMGS and before "sent" is committed sends that message again at
// restart (the modem cannot tell whether it went): a duplicate SMS rather than a lost one.
//
// Health: AT+CSQ, AT+CREG?, AT+COPS?, AT+CPIN? every `health_poll_ms`, as JSON and gauges.
// Lives on the io_context thread, like the inbox.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "hal/modem/at_engine.h"
#include "hal/modem/modem_health.h"
#include "hal/modem/pdu/pdu.h"
#include "services/channels/sms/sms_listing.h"
#include "services/inbox/dead_letters.h"
#include "services/channels/sms/sms_parts.h"
#include "services/common/backoff.h"
#include "services/inbox/inbox.h"

namespace sb::channels {

struct SmsOptions {
  std::int64_t part_wait_ms = 10 * 60'000;  // then a message with missing parts goes in marked
  std::string missing_marker = "[…]";
  std::int64_t rescan_ms = 60'000;
  std::int64_t health_poll_ms = 30'000;
  std::int64_t pump_ms = 2'000;             // how often the channel outbox is looked at
  int send_attempts = 3;
  // Modem-side send refusals in a row (see sms_outbound.cpp) before the engine climbs one
  // step of its recovery ladder.
  int refusals_before_recovery = 3;
  std::int64_t retry_initial_ms = 5'000;
  std::int64_t retry_max_ms = 300'000;
  std::string device;                       // for the status JSON only
  // How long the parts of a joined message are remembered, so a modem that stores every SMS
  // twice cannot bring a part back as a stray message after its message was committed.
  std::int64_t joined_memory_ms = 7 * 24 * 3'600'000LL;
};

class SmsChannel {
 public:
  // The door to the inbox; Inbox::ingest in the service (tests may interpose).
  using Ingest = std::function<void(inbox::InboundMessage, inbox::IngestDone)>;

  // `parts_store` keeps the parts of concatenated messages and the sent parts' references
  // (sms_parts.h): the channel's own tables, beside the inbox's in one environment.
  SmsChannel(boost::asio::io_context& io, modem::AtEngine& modem, inbox::Inbox& inbox,
             store::Store& parts_store, inbox::DeadLetters& dead, const Clock& clock, Log& log, Metrics& metrics,
             SmsOptions options, Ingest ingest = {});
  ~SmsChannel();
  SmsChannel(const SmsChannel&) = delete;
  SmsChannel& operator=(const SmsChannel&) = delete;

  // Takes over the engine's listener, loads waiting parts, starts the modem and the timers.
  void start();
  void stop();

  nlohmann::json status_json() const;
  const modem::ModemHealth& health() const { return health_; }
  std::size_t parts_waiting() const;

 private:
  struct Group {
    std::uint8_t total = 0;
    std::map<std::uint8_t, std::string> parts;  // seq -> PDU hex
    std::int64_t deadline_mono = 0;
    bool delivering = false;
  };
  struct SendState {
    int attempts = 0;
    std::int64_t next_mono = 0;
    std::size_t next_part = 0;
    std::vector<int> mrs;
    int refusals = 0;  // modem-side refusals (not counted as attempts)
  };
  using GroupKey = std::pair<std::string, std::uint16_t>;

  // Inbound (sms_channel.cpp).
  void on_ready();
  void on_unsolicited(const modem::Unsolicited& u);
  void read_all();
  void list_storage(const std::string& mem);
  void read_slot(const sms::SlotRef& slot);
  void handle_stored(const sms::SlotRef& slot, const std::string& pdu);
  void ingest_single(const sms::SlotRef& slot, const pdu::Decoded& d);
  void keep_part(const sms::SlotRef& slot, const pdu::Decoded& d, const std::string& pdu);
  void dead_letter(const sms::SlotRef& slot, const std::string& reason, const std::string& pdu);
  void remove_slot(const sms::SlotRef& slot);
  // Sends `command` for `slot`'s storage: with more than one in use, selected first
  // (AT+CPMS="<mem>"), the two sent back to back; `done` hears a refused selection as the
  // command's answer.
  void slot_command(const sms::SlotRef& slot, std::string command, modem::AtEngine::Done done);
  void load_groups();
  void check_groups();
  void deliver_group(const GroupKey& key);
  void forget_old_joined();
  void tick();
  void poll_health();

  // Outbound (sms_outbound.cpp).
  void pump();
  void send(std::uint64_t id);
  void send_part(std::uint64_t id, std::shared_ptr<std::vector<pdu::EncodedPart>> parts);
  void send_failed(std::uint64_t id, const modem::AtReply& r);
  static bool modem_side_refusal(const modem::AtReply& r);
  void on_status_report(const pdu::Decoded& d);

  boost::asio::io_context& io_;
  modem::AtEngine& modem_;
  inbox::Inbox& inbox_;
  inbox::DeadLetters& dead_;
  const Clock& clock_;
  Log& log_;
  SmsOptions options_;
  Backoff backoff_;  // from the options' retry_initial_ms and retry_max_ms
  Ingest ingest_;
  sms::SmsParts parts_;
  boost::asio::steady_timer timer_;
  bool running_ = false;
  std::set<sms::SlotRef> in_flight_;  // slots being read, ingested or deleted
  // The storages read on each rescan, when the modem has both the SIM's and its own ("SM",
  // "ME": messages left in either are read); empty: the one selected at init only.
  std::vector<std::string> storages_;
  int listings_ = 0;  // AT+CMGL in flight
  std::map<GroupKey, Group> groups_;
  std::map<std::uint64_t, SendState> sends_;
  bool sending_ = false;
  int refusals_in_a_row_ = 0;  // modem-side send refusals since the last accepted send
  std::int64_t next_rescan_ = 0, next_health_ = 0, next_pump_ = 0, next_forget_ = 0;
  modem::ModemHealth health_;
  std::atomic<std::int64_t>& g_ready_;
  std::atomic<std::int64_t>& g_rssi_;
  std::atomic<std::int64_t>& g_registered_;
  std::atomic<std::int64_t>& c_sent_;
  std::atomic<std::int64_t>& c_failed_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace sb::channels
