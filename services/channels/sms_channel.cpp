#include "services/channels/sms_channel.h"

#include <boost/asio/post.hpp>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <limits>

#include "services/channels/sms/sms_identity.h"
#include "services/channels/sms/sms_listing.h"

namespace sb::channels {

namespace {

// "2024-05-12T10:00:00+02:00" -> ms since the epoch; 0 when it does not read.
std::int64_t iso_to_ms(const std::optional<std::string>& iso) {
  if (!iso) return 0;
  int y, mo, d, h, mi, s, tzh = 0, tzm = 0;
  char sign = '+';
  if (std::sscanf(iso->c_str(), "%d-%d-%dT%d:%d:%d%c%d:%d", &y, &mo, &d, &h, &mi, &s, &sign,
                  &tzh, &tzm) < 6)
    return 0;
  std::tm t{};
  t.tm_year = y - 1900;
  t.tm_mon = mo - 1;
  t.tm_mday = d;
  t.tm_hour = h;
  t.tm_min = mi;
  t.tm_sec = s;
  std::int64_t secs = static_cast<std::int64_t>(timegm(&t));
  std::int64_t off = (tzh * 60 + tzm) * 60;
  secs += sign == '-' ? off : -off;
  return secs * 1000;
}

std::string sender_of(const pdu::Decoded& d) { return d.sender ? d.sender->text : ""; }

}  // namespace

SmsChannel::SmsChannel(boost::asio::io_context& io, modem::AtEngine& modem,
                       inbox::Inbox& inbox, store::Store& parts_store,
                       inbox::DeadLetters& dead, const Clock& clock, Log& log,
                       Metrics& metrics, SmsOptions options, Ingest ingest)
    : io_(io),
      modem_(modem),
      inbox_(inbox),
      dead_(dead),
      clock_(clock),
      log_(log),
      options_(std::move(options)),
      backoff_{options_.retry_initial_ms, options_.retry_max_ms},
      ingest_(std::move(ingest)),
      parts_(parts_store),
      timer_(io),
      g_ready_(metrics.gauge("switchboard_modem_ready", "1 while the modem is initialized")),
      g_rssi_(metrics.gauge("switchboard_modem_signal_rssi",
                            "Signal quality from AT+CSQ (0..31, 99 unknown)")),
      g_registered_(metrics.gauge("switchboard_modem_registered",
                                  "1 while registered (home or roaming)")),
      c_sent_(metrics.counter("switchboard_sms_out_total", "SMS sent, by result",
                              {{"result", "sent"}})),
      c_failed_(metrics.counter("switchboard_sms_out_total", "SMS sent, by result",
                                {{"result", "failed"}})) {
  if (!ingest_)
    ingest_ = [this](inbox::InboundMessage m, inbox::IngestDone d) {
      inbox_.ingest(std::move(m), std::move(d));
    };
  g_rssi_ = 99;
}

SmsChannel::~SmsChannel() { *alive_ = false; }

void SmsChannel::start() {
  running_ = true;
  modem_.set_listener({[this] { on_ready(); },
                       [this](const std::string&) { g_ready_ = 0; in_flight_.clear(); },
                       [this](const modem::Unsolicited& u) { on_unsolicited(u); }});
  inbox_.subscribe([this, alive = alive_](const std::vector<inbox::Event>& events) {
    if (!*alive || !running_) return;
    for (const auto& e : events)
      if (e.kind() == inbox::Event::MESSAGE_OUT) {
        next_pump_ = 0;  // something to send: look now rather than at the next tick
        boost::asio::post(io_, [this, alive] {
          if (*alive && running_) pump();
        });
        break;
      }
  });
  load_groups();
  modem_.start();
  tick();
}

void SmsChannel::stop() {
  running_ = false;
  timer_.cancel();
  modem_.stop();
}

// One timer drives rescans, health polls, the outbox and the multipart deadlines.
void SmsChannel::tick() {
  if (!running_) return;
  const std::int64_t now = clock_.monotonic_ms();
  if (modem_.ready()) {
    if (now >= next_rescan_) {
      next_rescan_ = now + options_.rescan_ms;
      read_all();
    }
    if (now >= next_health_) {
      next_health_ = now + options_.health_poll_ms;
      poll_health();
    }
    if (now >= next_pump_) {
      next_pump_ = now + options_.pump_ms;
      pump();
    }
  }
  check_groups();
  if (now >= next_forget_) forget_old_joined();
  timer_.expires_after(std::chrono::milliseconds(250));
  timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (!ec && *alive) tick();
  });
}

void SmsChannel::on_ready() {
  g_ready_ = 1;
  in_flight_.clear();  // whatever was half done before is read again from the storage
  listings_ = 0;
  sending_ = false;
  next_health_ = next_pump_ = 0;
  // Which storages hold messages to read: a modem with its own memory beside the SIM may have
  // stored some there (its defaults before our init, or another program's), and would strand
  // them if only the SIM were read. The first rescan waits for the answer.
  storages_.clear();
  next_rescan_ = std::numeric_limits<std::int64_t>::max();
  modem_.command("AT+CPMS=?", [this, alive = alive_](const modem::AtReply& r) {
    if (!*alive) return;
    auto mems = r.ok() ? sms::readable_storages(r.lines) : std::vector<std::string>{};
    const bool sm = std::find(mems.begin(), mems.end(), "SM") != mems.end(),
               me = std::find(mems.begin(), mems.end(), "ME") != mems.end();
    if (sm && me) storages_ = {"SM", "ME"};
    log_.info("sms", "reading messages from ",
              storages_.empty() ? std::string("the storage selected at init")
                                : std::string("the SIM and the modem's memory"));
    next_rescan_ = 0;
  });
  // Messages waiting out the modem's refusals go as soon as it is back (after a recovery).
  for (auto& [id, st] : sends_) st.next_mono = 0;
  boost::asio::post(io_, [this, alive = alive_] {
    if (*alive) tick();
  });
}

void SmsChannel::on_unsolicited(const modem::Unsolicited& u) {
  const std::string& l = u.line;
  if (l.rfind("+CMTI:", 0) == 0 || l.rfind("+CDSI:", 0) == 0) {
    if (auto slot = sms::indication_slot(l)) {
      // With one storage in use, the index is the selected storage's (what it was before).
      if (storages_.empty() ||
          std::find(storages_.begin(), storages_.end(), slot->mem) == storages_.end())
        slot->mem.clear();
      if (!storages_.empty() && slot->mem.empty()) {
        // "SR", "MT" and the like: the rescans read the SIM and the modem's memory anyway.
        log_.debug("sms", "indication for a storage not read directly: ", l);
        return;
      }
      read_slot(*slot);
    }
    return;
  }
  if (u.pdu) {  // +CDS (or +CMT on a modem that ignores our routing)
    auto d = pdu::decode(*u.pdu);
    if (!d) {
      dead_.record("sms " + l, "bad_pdu", d.error().message, *u.pdu);
      return;
    }
    if (d->type == pdu::MessageType::status_report) return on_status_report(*d);
    if (d->type == pdu::MessageType::deliver && !d->concat) {
      // Routed straight to us, never stored: nothing to delete afterwards.
      inbox::InboundMessage m{"sms", sms::single_id(*d), sender_of(*d), "", d->text,
                              iso_to_ms(d->timestamp), {}};
      ingest_(std::move(m), [this](const Result<inbox::IngestOutcome>& r) {
        if (!r) log_.error("sms", "a routed SMS (+CMT) was refused: ", r.error().message);
      });
      return;
    }
    // Routed parts would need the part store without a slot; our AT+CNMI asks for stored
    // messages, so this only happens on a modem that ignores it. Keep it visible.
    dead_.record("sms " + l, "routed_part", "routed (+CMT) message part not handled", *u.pdu);
  }
  log_.debug("sms", "unsolicited: ", l);
}

void SmsChannel::read_all() {
  if (listings_ > 0) return;
  if (storages_.empty()) return list_storage({});
  for (const auto& mem : storages_) list_storage(mem);
}

void SmsChannel::list_storage(const std::string& mem) {
  ++listings_;
  slot_command({mem, -1}, "AT+CMGL=4", [this, mem, alive = alive_](const modem::AtReply& r) {
    if (!*alive) return;
    listings_ = std::max(0, listings_ - 1);
    if (!r.ok()) {
      log_.warn("sms", "cannot list the stored messages", mem.empty() ? "" : " in " + mem, ": ",
                r.describe());
      return;
    }
    auto listing = sms::parse_cmgl(r.lines);
    for (const auto& l : listing.set_aside)
      log_.debug("sms", "set aside inside the listing: ", l);
    // A slot whose PDU the listing did not carry readably is read on its own first; nothing
    // else is done with it until then.
    for (const auto& s : listing.slots)
      if (s.pdu.empty() && !in_flight_.count({mem, s.index})) read_slot({mem, s.index});
    for (const auto& s : listing.slots)
      if (!s.pdu.empty() && !in_flight_.count({mem, s.index})) handle_stored({mem, s.index}, s.pdu);
  });
}

void SmsChannel::slot_command(const sms::SlotRef& slot, std::string command,
                              modem::AtEngine::Done done) {
  if (slot.mem.empty()) return modem_.command(std::move(command), std::move(done));
  modem_.command("AT+CPMS=\"" + slot.mem + "\"",
                 [this, command = std::move(command), done = std::move(done),
                  alive = alive_](const modem::AtReply& r) mutable {
                   if (!*alive) return;
                   if (!r.ok()) return done(r);
                   modem_.command_next(std::move(command), std::move(done));
                 });
}

void SmsChannel::read_slot(const sms::SlotRef& slot) {
  if (in_flight_.count(slot)) return;
  in_flight_.insert(slot);
  slot_command(slot, "AT+CMGR=" + std::to_string(slot.index),
                 [this, slot, alive = alive_](const modem::AtReply& r) {
                   if (!*alive) return;
                   in_flight_.erase(slot);
                   auto s = r.ok() ? sms::parse_cmgr(r.lines, slot.index) : std::nullopt;
                   if (!s) {
                     // Left on the SIM: the next listing tries again; never deleted unread.
                     if (!r.ok())
                       log_.debug("sms", "slot ", sms::describe(slot), ": ", r.describe());
                     else
                       log_.warn("sms", "slot ", sms::describe(slot),
                                 " answered without a readable PDU; it stays on the SIM");
                     return;
                   }
                   handle_stored(slot, s->pdu);
                 });
}

void SmsChannel::handle_stored(const sms::SlotRef& slot, const std::string& hex) {
  in_flight_.insert(slot);
  auto d = pdu::decode(hex);
  if (!d) return dead_letter(slot, d.error().message, hex);
  switch (d->type) {
    case pdu::MessageType::status_report:
      on_status_report(*d);
      return remove_slot(slot);
    case pdu::MessageType::submit:
      // A message someone stored for sending; not ours to take.
      in_flight_.erase(slot);
      return;
    case pdu::MessageType::deliver:
      if (!d->sender || d->sender->text.empty())
        return dead_letter(slot, "SMS-DELIVER without a sender", hex);
      if (d->concat && d->concat->total > 1) return keep_part(slot, *d, hex);
      return ingest_single(slot, *d);
  }
}

void SmsChannel::ingest_single(const sms::SlotRef& slot, const pdu::Decoded& d) {
  inbox::InboundMessage m{"sms", sms::single_id(d), sender_of(d), "", d.text,
                          iso_to_ms(d.timestamp), {}};
  ingest_(std::move(m), [this, slot, alive = alive_](const Result<inbox::IngestOutcome>& r) {
    if (!*alive) return;
    if (!r) {
      log_.warn("sms", "slot ", sms::describe(slot), " stays on the SIM: the inbox refused it (",
                r.error().message, ")");
      in_flight_.erase(slot);
      return;
    }
    remove_slot(slot);  // committed: now, and only now, the SIM may forget it
  });
}

void SmsChannel::keep_part(const sms::SlotRef& slot, const pdu::Decoded& d, const std::string& hex) {
  if (parts_.was_joined(hex)) {
    // A second copy of a part whose message is already committed (modems that store each
    // SMS twice): it is stored, so its slot may go; kept, it would become a stray part.
    log_.info("sms", "slot ", sms::describe(slot), " holds a copy of a part already joined; deleting it");
    return remove_slot(slot);
  }
  sms::StoredPart p{sender_of(d), d.concat->ref, d.concat->seq, clock_.wall_ms(), hex};
  if (auto r = parts_.put(p); !r) {
    log_.warn("sms", "slot ", sms::describe(slot), " stays on the SIM: cannot keep its part (",
              r.error().message, ")");
    in_flight_.erase(slot);
    return;
  }
  remove_slot(slot);
  Group& g = groups_[{p.sender, p.ref}];
  if (g.parts.empty()) g.deadline_mono = clock_.monotonic_ms() + options_.part_wait_ms;
  g.total = d.concat->total;
  g.parts[p.seq] = hex;
  if (g.parts.size() >= g.total) deliver_group({p.sender, p.ref});
}

void SmsChannel::dead_letter(const sms::SlotRef& slot, const std::string& reason,
                             const std::string& hex) {
  const std::string source = "sms slot " + sms::describe(slot);
  // DeadLetters keeps at most 20 a second and may fail to write: delete only what it kept.
  dead_.record(source, "bad_pdu", reason, hex, [this, slot, alive = alive_](bool kept) {
    if (!*alive) return;
    if (kept)
      remove_slot(slot);
    else
      in_flight_.erase(slot);
  });
}

void SmsChannel::remove_slot(const sms::SlotRef& slot) {
  in_flight_.insert(slot);
  slot_command(slot, "AT+CMGD=" + std::to_string(slot.index),
                 [this, slot, alive = alive_](const modem::AtReply& r) {
                   if (!*alive) return;
                   in_flight_.erase(slot);
                   // Not deleted: the next listing reads it again and the inbox deduplicates.
                   if (!r.ok())
                     log_.warn("sms", "cannot delete slot ", sms::describe(slot), ": ",
                               r.describe());
                 });
}

void SmsChannel::load_groups() {
  const std::int64_t now_wall = clock_.wall_ms(), now_mono = clock_.monotonic_ms();
  for (auto& p : parts_.all()) {
    auto d = pdu::decode(p.pdu);
    if (!d || !d->concat) continue;
    Group& g = groups_[{p.sender, p.ref}];
    g.total = d->concat->total;
    g.parts[p.seq] = p.pdu;
    // Wall time survives a reboot, monotonic time does not; a clock jump only shortens or
    // stretches this one wait, bounded by part_wait_ms either way.
    std::int64_t left =
        std::clamp<std::int64_t>(options_.part_wait_ms - (now_wall - p.arrived_wall_ms), 0,
                                 options_.part_wait_ms);
    if (g.deadline_mono == 0 || now_mono + left < g.deadline_mono) g.deadline_mono = now_mono + left;
  }
  if (!groups_.empty()) log_.info("sms", groups_.size(), " multipart message(s) waiting for parts");
  forget_old_joined();
}

void SmsChannel::check_groups() {
  const std::int64_t now = clock_.monotonic_ms();
  std::vector<GroupKey> due;
  for (auto& [k, g] : groups_)
    if (!g.delivering && (g.parts.size() >= g.total || now >= g.deadline_mono)) due.push_back(k);
  for (const auto& k : due) deliver_group(k);
}

void SmsChannel::deliver_group(const GroupKey& key) {
  auto it = groups_.find(key);
  if (it == groups_.end() || it->second.delivering) return;
  Group& g = it->second;
  std::vector<pdu::Decoded> decoded;
  std::vector<std::string> hexes;
  for (const auto& [seq, hex] : g.parts)
    if (auto d = pdu::decode(hex)) {
      decoded.push_back(std::move(*d));
      hexes.push_back(hex);
    }
  auto text = pdu::reassemble(decoded, options_.missing_marker);
  if (!text) {
    // Parts that disagree (a reused reference): keep them for the technician, and let go of
    // the parts once every one is kept (else try again a little later).
    if (hexes.empty()) {
      (void)parts_.erase_group(key.first, key.second);
      groups_.erase(it);
      return;
    }
    g.delivering = true;
    auto left = std::make_shared<std::size_t>(hexes.size());
    auto all_kept = std::make_shared<bool>(true);
    for (const auto& h : hexes)
      dead_.record("sms parts " + key.first, "bad_multipart", text.error().message, h,
                   [this, key, alive = alive_, left, all_kept](bool kept) {
                     if (!*alive) return;
                     *all_kept = *all_kept && kept;
                     if (--*left) return;
                     auto g = groups_.find(key);
                     if (g == groups_.end()) return;
                     if (*all_kept) {
                       (void)parts_.erase_group(key.first, key.second);
                       groups_.erase(g);
                     } else {
                       g->second.delivering = false;
                       g->second.deadline_mono = clock_.monotonic_ms() + 5'000;
                     }
                   });
    return;
  }
  if (!text->complete)
    log_.warn("sms", "multipart message from ", key.first, " delivered without part(s) ",
              text->missing.size(), " of ", static_cast<int>(g.total), " after waiting");
  g.delivering = true;
  inbox::InboundMessage m{"sms", sms::multipart_id(key.first, key.second, g.total, hexes),
                          key.first, "", text->text, iso_to_ms(decoded.front().timestamp), {}};
  ingest_(std::move(m), [this, key, alive = alive_](const Result<inbox::IngestOutcome>& r) {
    if (!*alive) return;
    auto it = groups_.find(key);
    if (it == groups_.end()) return;
    if (!r) {
      log_.warn("sms", "multipart message from ", key.first, " kept: ", r.error().message);
      it->second.delivering = false;
      it->second.deadline_mono = clock_.monotonic_ms() + 5'000;  // try again a little later
      return;
    }
    std::vector<std::string> joined;
    for (const auto& [seq, hex] : it->second.parts) joined.push_back(hex);
    if (auto e = parts_.erase_joined_group(key.first, key.second, joined, clock_.wall_ms()); !e)
      log_.warn("sms", "cannot drop delivered parts: ", e.error().message);
    groups_.erase(it);
  });
}

void SmsChannel::forget_old_joined() {
  next_forget_ = clock_.monotonic_ms() + 3'600'000;
  if (auto n = parts_.forget_joined_before(clock_.wall_ms() - options_.joined_memory_ms))
    log_.debug("sms", "forgot ", n, " joined part(s) older than the duplicate window");
}

std::size_t SmsChannel::parts_waiting() const {
  std::size_t n = 0;
  for (const auto& [k, g] : groups_) n += g.parts.size();
  return n;
}

void SmsChannel::poll_health() {
  auto h = std::make_shared<modem::ModemHealth>(health_);
  auto step = [this, h, alive = alive_](void (*read)(const std::vector<std::string>&,
                                                     modem::ModemHealth&),
                                        bool last) {
    return [this, h, alive, read, last](const modem::AtReply& r) {
      if (!*alive) return;
      if (r.ok()) read(r.lines, *h);
      if (!last) return;
      health_ = *h;
      g_rssi_ = health_.rssi;
      g_registered_ = health_.registered() ? 1 : 0;
    };
  };
  modem_.command("AT+CSQ", step(modem::read_csq, false));
  modem_.command("AT+CREG?", step(modem::read_creg, false));
  modem_.command("AT+COPS?", step(modem::read_cops, false));
  modem_.command("AT+CPIN?", step(modem::read_cpin, true));
}

nlohmann::json SmsChannel::status_json() const {
  nlohmann::json signal = {{"rssi", health_.rssi}};
  if (health_.rssi_dbm) signal["dbm"] = *health_.rssi_dbm;
  return {{"device", options_.device},
          {"ready", modem_.ready()},
          {"vendor", modem_.vendor()},
          {"problem", modem_.last_problem()},
          {"recoveries", modem_.recoveries()},
          {"signal", signal},
          {"registration", health_.registration_text},
          {"operator", health_.operator_name},
          {"sim", health_.sim_state.empty() ? modem_.sim_state() : health_.sim_state},
          {"parts_waiting", parts_waiting()}};
}

}  // namespace sb::channels
