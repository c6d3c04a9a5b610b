// The ingest path: dedupe, conversation, history, handoff verdict, bot answer, Events — one
// transaction per batch of waiting messages (group commit), receipts only after the commit.
#include <algorithm>

#include "services/inbox/posting_blocks.h"
#include "services/inbox/tx.h"

namespace sb::inbox {

using switchboard::store::HandoffRecord;

std::string contact_key(const std::string& channel, const std::string& address) {
  std::string k = channel;
  k += '\0';
  k += address;
  return k;
}

std::string describe_handoff(const HandoffRecord& h) {
  std::string s = h.trigger();
  if (h.trigger() == "keyword" || h.trigger() == "user_request" || h.trigger() == "frustration") {
    if (!h.matched_text().empty()) s += " '" + h.matched_text() + "'";
  }
  if (!h.rule().empty()) s += " (rule " + h.rule() + ")";
  return s;
}

namespace {
// Queues `c` for a human with the reason of `h`.
HandoffRecord record_of(const handoff::Verdict& v, std::string_view text, std::int64_t now) {
  HandoffRecord h;
  h.set_trigger(std::string(handoff::to_string(v.trigger)));
  h.set_rule(v.rule);
  h.set_priority(v.priority);
  if (v.department) h.set_department(*v.department);
  if (v.agent) h.set_agent(*v.agent);
  h.set_at_ms(now);
  if (!v.spans.empty() && v.spans[0].end <= text.size() && v.spans[0].begin < v.spans[0].end) {
    h.set_span_begin(static_cast<std::uint32_t>(v.spans[0].begin));
    h.set_span_end(static_cast<std::uint32_t>(v.spans[0].end));
    h.set_matched_text(std::string(text.substr(v.spans[0].begin, v.spans[0].end - v.spans[0].begin)));
  }
  return h;
}
}  // namespace

Inbox::Inbox(store::Store& store, const Clock& clock, Log& log, Metrics& metrics, Post post,
             bool resume_search_now)
    : store_(store),
      clock_(clock),
      log_(log),
      metrics_(metrics),
      post_(std::move(post)),
      rules_(handoff::RuleSet::embedded_default()),
      bot_(std::make_shared<bot::LocalBot>(bot::BotConfig{})),
      ingested_(metrics.counter("switchboard_ingested_total", "Inbound messages committed")),
      duplicates_(metrics.counter("switchboard_ingest_duplicates_total",
                                  "Inbound messages already stored (receipted again)")),
      refused_(metrics.counter("switchboard_ingest_refused_total",
                               "Inbound messages refused (storage failure or bad input)")),
      commits_(metrics.counter("switchboard_ingest_commits_total",
                               "Write transactions of the ingest path (group commits)")) {
  store_.set_deferred_writer(store::Table::search_terms, write_postings);
  // Before anything is served: an older file's messages move to the id-keyed layout here, in
  // bounded commits (message_log.h), so the write path never meets a half-moved history. Should
  // it stop half way, reads still see both layouts and the next start goes on.
  if (auto moved = upgrade_message_layout(store_); !moved)
    log_.error("inbox", "older message layout not fully converted (histories read both): ",
               moved.error().message);
  else if (*moved)
    log_.info("inbox", "moved ", *moved, " messages to the id-keyed layout");
  if (resume_search_now) resume_search_index();
}

void Inbox::resume_search_index() {
  if (auto r = resume_message_index(store_); !r)
    log_.error("inbox", "search misses the newest messages until restart: ", r.error().message);
  pack_search_index();
}

void Inbox::pack_search_index() {
  // A file indexed one entry per posting is packed into blocks a bounded step at a time, each
  // step its own commit posted on the loop, so ingests go on between steps; queries read both
  // layouts alike meanwhile.
  auto r = pack_postings_step(store_, kPackStepEntries);
  if (!r) {
    log_.error("inbox", "search index stays unpacked until restart: ", r.error().message);
    return;
  }
  if (!*r) post_([this] { pack_search_index(); });
}

namespace {
// What a message costs the queue while it waits: its text, attachments and bookkeeping.
std::size_t bytes_of(const InboundMessage& m) {
  std::size_t n = 256 + m.channel.size() + m.external_id.size() + m.sender.size() +
                  m.sender_name.size() + m.text.size();
  for (const auto& a : m.attachments) n += static_cast<std::size_t>(a.ByteSizeLong());
  return n;
}
}  // namespace

void Inbox::ingest(InboundMessage msg, IngestDone done) {
  struct State {
    InboundMessage msg;
    IngestDone done;
    Result<IngestOutcome> outcome = fail("not applied", ErrorCode::storage);
  };
  const std::size_t bytes = bytes_of(msg);
  auto st = std::make_shared<State>(State{std::move(msg), std::move(done)});
  enqueue(bytes,
          {[this, st](Tx& tx) -> Result<void> {
             st->outcome = apply_ingest(tx, st->msg);
             if (!st->outcome) return st->outcome.error();
             return {};
           },
           [this, st](const Result<void>& r) {
             if (!r) {
               refused_++;
               st->done(r.error());
               return;
             }
             if (st->outcome->duplicate) {
               duplicates_++;
               st->outcome->receipt = receipt(st->msg.channel, st->msg.external_id);
             } else {
               ingested_++;
               metrics_.counter("switchboard_messages_in_total", "Inbound messages by channel",
                                {{"channel", st->msg.channel}})++;
             }
             st->done(st->outcome);
           }});
}

void Inbox::write_later(std::size_t bytes, std::function<Result<void>(store::WriteTxn&)> write,
                        std::function<void(const Result<void>&)> done) {
  enqueue(bytes, {[write = std::move(write)](Tx& tx) { return write(tx.w); },
                  [done = std::move(done)](const Result<void>& r) {
                    if (done) done(r);
                  }});
}

void Inbox::enqueue(std::size_t bytes, Write write) {
  if (auto why = queue_.refusal(bytes, clock_.monotonic_ms())) {
    // Refused at the door: answered on a later turn, as a commit would be.
    post_([done = std::move(write.done), e = std::move(*why)] { done(e); });
    return;
  }
  queue_.push(std::move(write), bytes);
  last_arrival_ms_ = clock_.monotonic_ms();
  schedule_flush();
}

void Inbox::schedule_flush() {
  if (flush_posted_ || queue_.empty()) return;
  const std::int64_t window = queue_.limits().commit_window_ms;
  const std::int64_t gap = queue_.limits().quiet_gap_ms;
  const bool gathering = !queue_.worth_a_commit() || (gap > 0 && !queue_.full_batch());
  if (post_after_ && window > 0 && gathering) {
    // A trickle: let the batch gather for one window (the timer commits what is there then).
    if (!window_open_) {
      window_open_ = true;
      post_after_(window, [this] {
        window_open_ = false;
        if (flush_posted_) return;  // a full batch went first; its turn commits the rest
        commit_batch();
        schedule_flush();
      });
    }
    // Under load: gather on while writes keep coming, commit at the first pause.
    if (queue_.worth_a_commit() && !gap_armed_) wait_for_quiet(gap);
    return;
  }
  flush_posted_ = true;
  post_([this] {
    flush_posted_ = false;
    commit_batch();
    schedule_flush();  // more waited than one batch holds: the next turn takes it
  });
}

void Inbox::wait_for_quiet(std::int64_t delay_ms) {
  gap_armed_ = true;
  // The look goes through `post_`, behind whatever arrived while the loop was busy (a commit
  // holds it): those writes are queued before the pause is judged.
  post_after_(delay_ms, [this] {
    post_([this] {
      gap_armed_ = false;
      if (flush_posted_ || queue_.empty() || !queue_.worth_a_commit()) return;
      const std::int64_t quiet = clock_.monotonic_ms() - last_arrival_ms_;
      const std::int64_t gap = queue_.limits().quiet_gap_ms;
      if (quiet < gap) {
        wait_for_quiet(gap - quiet);  // still arriving: look again when the gap could be over
        return;
      }
      commit_batch();
      schedule_flush();
    });
  });
}

void Inbox::flush() {
  while (commit_batch()) {
  }
}

Result<void> Inbox::run_batch(std::vector<Write>& batch, std::vector<Result<void>>& results,
                              std::vector<Event>& events,
                              std::vector<ExternalBotTurn>& bot_turns) {
  return store_.write([&](store::WriteTxn& w) -> Result<void> {
    results.clear();
    Tx tx(w, clock_.wall_ms());
    for (Write& item : batch) {
      const std::uint64_t before = w.writes();
      const std::size_t events_before = tx.events.size();
      Result<void> r = item.apply(tx);
      // A writer that refused after writing cannot be taken out of the shared transaction:
      // the whole batch fails, and the caller commits its writers one by one.
      if (!r && (w.writes() != before || tx.events.size() != events_before))
        return batch.size() == 1 ? r
                                 : fail("a write refused after writing: " + r.error().message,
                                        ErrorCode::conflict);
      results.push_back(std::move(r));
    }
    routing_.route_queued(tx);  // handoffs of this batch reach an agent in the same commit
    tx.write_events();
    events = std::move(tx.events);
    bot_turns = std::move(tx.bot_requests);
    return {};
  });
}

bool Inbox::commit_batch() {
  std::vector<Write> batch = queue_.take_batch();
  if (batch.empty()) return false;
  std::vector<Result<void>> results;
  std::vector<Event> events;
  std::vector<ExternalBotTurn> bot_turns;
  Result<void> committed = run_batch(batch, results, events, bot_turns);
  commits_++;
  if (!committed && committed.error().code == ErrorCode::conflict && batch.size() > 1) {
    // One writer spoiled the shared transaction: each goes alone, so only it is refused.
    for (Write& item : batch) {
      std::vector<Write> one;
      one.push_back(std::move(item));
      std::vector<Result<void>> r1;
      std::vector<Event> e1;
      std::vector<ExternalBotTurn> t1;
      Result<void> c1 = run_batch(one, r1, e1, t1);
      commits_++;
      queue_.committed(!c1 && c1.error().code == ErrorCode::disk_full, clock_.monotonic_ms());
      one[0].done(c1 && !r1.empty() ? r1[0] : c1);
      publish(std::move(e1));
      for (auto& t : t1) hand_to_bot(t);
    }
    return true;
  }
  const bool disk_full = !committed && committed.error().code == ErrorCode::disk_full;
  queue_.committed(disk_full, clock_.monotonic_ms());
  if (!committed) {
    log_.error("inbox", "refusing ", batch.size(), " write(s), their sources keep them: ",
               committed.error().message);
    for (Write& item : batch) item.done(committed.error());
    // Nothing waiting can be written either: refuse it now rather than hold it in memory.
    if (disk_full)
      for (Write& item : queue_.take_all()) item.done(committed.error());
    return true;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(results[i]);
  publish(std::move(events));
  for (auto& t : bot_turns) hand_to_bot(t);
  return true;
}

void Inbox::hand_to_bot(const ExternalBotTurn& t) {
  if (external_bot_)
    external_bot_(t);
  else
    (void)external_bot_timeout(t.conversation_id, t.request_id);  // nobody to ask: answer here
}

void Inbox::publish(std::vector<Event> events) {
  if (events.empty()) return;
  for (const Event& e : events)
    if (e.kind() == Event::HANDOFF)
      metrics_.counter("switchboard_handoffs_total", "Handoffs to a human by trigger",
                       {{"trigger", e.handoff().trigger()}})++;
  for (auto& s : subscribers_) s(events);
}

Result<IngestOutcome> Inbox::apply_ingest(Tx& tx, const InboundMessage& msg) {
  if (msg.channel.empty()) return fail("inbound message without a channel");
  if (msg.external_id.empty()) return fail("inbound message without an external_id");
  if (msg.sender.empty()) return fail("inbound message without a sender");
  store::WriteTxn& w = tx.w;
  const std::string dedupe_key = contact_key(msg.channel, msg.external_id);
  if (auto seen = w.get(store::Table::dedupe, dedupe_key)) {
    IngestOutcome o;
    o.duplicate = true;
    o.message_id = from_be64(*seen, 0);
    o.receipt_seq = from_be64(*seen, 8);
    if (Message m; get_message(w, o.message_id, m)) o.conversation_id = m.conversation_id();
    return o;
  }

  // Find the contact's conversation; an archived one is history, so a new one starts.
  Conversation c;
  bool is_new = true;
  const std::string ck = contact_key(msg.channel, msg.sender);
  if (auto id = w.get(store::Table::conv_by_contact, ck)) {
    if (tx.load(from_be64(*id), c) && status_of(c) != STATUS_ARCHIVED) is_new = false;
  }
  if (is_new) {
    c = Conversation();
    c.set_id(w.next_id("conversation_id"));
    c.set_channel(msg.channel);
    c.set_contact(msg.sender);
    set_status(c, STATUS_BOT);
    c.set_created_at_ms(tx.now_ms);
    w.put(store::Table::conv_by_contact, ck, be64(c.id()));
    tx.event(Event::CONVERSATION_OPENED, c);
  }
  if (!msg.sender_name.empty()) c.set_contact_name(msg.sender_name);
  contacts_.ensure_contact(tx, c, msg);  // the person behind the address (contacts.h)
  if (c.snoozed()) wake(tx, c, "the customer wrote");
  // The answer to the satisfaction survey, in its window: kept on the closed conversation, which
  // stays closed; neither the bot nor the rules hear it (after_close.cpp).
  const bool csat = take_csat_answer(tx, c, msg);
  if (status_of(c) == STATUS_CLOSED && !csat) {
    set_status(c, STATUS_BOT);
    c.set_fallback_count(0);
    tx.system_note(c, "reopened: the contact wrote again");
    tx.event(Event::REOPENED, c);
  }

  Message m;
  m.set_external_id(msg.external_id);
  m.set_direction("in");
  m.set_author("contact");
  m.set_author_name(msg.sender_name);
  m.set_text(msg.text);
  for (const auto& a : msg.attachments) *m.add_attachments() = a;
  tx.append(c, m);
  Event& in = tx.event(Event::MESSAGE_IN, c);
  in.set_external_id(msg.external_id);
  in.set_message_id(m.id());
  in.set_text(msg.text);
  in.set_author("contact");
  for (const auto& a : msg.attachments) *in.add_attachments() = a;
  const std::size_t in_index = tx.events.size() - 1;
  const std::uint64_t receipt_seq = in.seq();
  w.put(store::Table::dedupe, dedupe_key, be64(m.id()) + be64(receipt_seq));
  IngestOutcome o;
  o.conversation_id = c.id();
  o.message_id = m.id();
  o.receipt_seq = receipt_seq;
  if (csat) {
    tx.system_note(c, "satisfaction: " + std::to_string(c.csat_score()) + " of 5");
    Event& e = tx.event(Event::CSAT_ANSWERED, c);
    e.set_text(std::to_string(c.csat_score()));
    e.set_message_id(m.id());
    e.set_assignee(c.assignee());
    e.set_department(c.department());
    tx.save(c);
    tx.events[in_index].set_status(status_name_of(c));
    o.status = status_of(c);
    return o;
  }

  // A VIP's conversation goes straight to a human, before the bot or the rules speak.
  const bool bot_speaks = bot_->speaks_on(c.channel());
  if (apply_vip_rule(tx, c) && bot_speaks && !bot_->handoff_notice(c.channel(), msg.text).empty())
    tx.queue_outbound(c, "bot", "bot", bot_->handoff_notice(c.channel(), msg.text));

  // The handoff verdict, then what it does to the conversation (by the conversation's status).
  handoff::Verdict v = rules_->match(msg.text, {c.last_inbound_text()});
  c.set_last_inbound_text(msg.text);
  c.set_inbound_count(c.inbound_count() + 1);
  if (status_of(c) == STATUS_BOT) {
    if (v.handoff) {
      queue_for_human(tx, c, record_of(v, msg.text, tx.now_ms));
      if (bot_speaks && !bot_->handoff_notice(c.channel(), msg.text).empty())
        tx.queue_outbound(c, "bot", "bot", bot_->handoff_notice(c.channel(), msg.text));
    } else if (bot_->external_on(c.channel())) {
      // Central's bot answers first; the local bot steps in if it is silent (timeout).
      c.set_bot_request_id(std::to_string(m.id()));
      tx.bot_requests.push_back({c.id(), c.bot_request_id(), msg.text});
    } else if (bot_speaks) {
      apply_bot_response(tx, c, bot_->respond(msg.text, is_new, flow_state(c), c.channel()));
    }
  } else if (v.handoff && v.priority > c.priority() &&
             (status_of(c) == STATUS_QUEUED || (status_of(c) == STATUS_ASSIGNED && v.urgent))) {
    // With a human (or waiting for one): a more urgent message raises the priority, never
    // hands back to the bot.
    HandoffRecord h = record_of(v, msg.text, tx.now_ms);
    c.set_priority(v.priority);
    tx.system_note(c, "priority raised to " + std::to_string(v.priority) + ": " +
                          describe_handoff(h));
    Event& e = tx.event(Event::PRIORITY_RAISED, c);
    e.mutable_handoff()->set_trigger(h.trigger());
    e.mutable_handoff()->set_rule(h.rule());
    e.mutable_handoff()->set_priority(h.priority());
    e.mutable_handoff()->set_matched_text(h.matched_text());
  }
  // Waiting for a person while the department is closed: told so once (after_hours.cpp).
  send_after_hours(tx, c);
  tx.save(c);
  tx.events[in_index].set_status(status_name_of(c));
  o.status = status_of(c);
  return o;
}

}  // namespace sb::inbox
