// services/inbox/inbox.h — the one door every message goes through, and every agent action.
//
// Threading: an Inbox lives on the service's io_context thread and is used only from it.
// Durability: every operation is one LMDB write transaction holding the change and the Events
// it causes (appended to the `events` outbox with gap-free sequence numbers). Callers and
// subscribers hear of a change only after its commit is durable.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "services/bot/local_bot.h"
#include "hal/clock/clock.h"
#include "base/log.h"
#include "services/common/metrics.h"
#include "base/result.h"
#include "services/handoff/rule_set.h"
#include "services/inbox/audit_log.h"
#include "services/inbox/canned_replies.h"
#include "services/inbox/component.h"
#include "services/inbox/contacts.h"
#include "services/inbox/inbound.h"
#include "services/inbox/lifecycle.h"
#include "services/inbox/presence.h"
#include "services/inbox/routing.h"
#include "services/inbox/search.h"
#include "services/inbox/workflow_config.h"
#include "services/inbox/write_queue.h"
#include "services/proto/records.pb.h"
#include "services/proto/switchboard.pb.h"
#include "services/store/store.h"

namespace sb::inbox {

// "keyword 'refund' (rule refund)": why a conversation was handed off, for people.
std::string describe_handoff(const switchboard::store::HandoffRecord& h);

// The customer's messages not yet seen by the one who answers; 0 unless queued or assigned.
std::uint32_t unread_of(const Conversation& c);
// A satisfaction answer: the message is one digit 1 to 5, spaces around it allowed.
std::optional<int> csat_answer(std::string_view text);

struct IngestOutcome {
  std::uint64_t conversation_id = 0;
  std::uint64_t message_id = 0;
  std::uint64_t receipt_seq = 0;  // the message_in Event that receipts this message
  bool duplicate = false;         // already stored: receipt again, store nothing
  Status status{};                // the conversation's status after the message
  // A duplicate's stored receipt, to publish again (the source may have lost the first).
  std::optional<switchboard::v1::Event> receipt;
};
using IngestDone = std::function<void(const Result<IngestOutcome>&)>;

// A turn handed to central's bot (bot/request), to be answered with external_bot_reply() or,
// when it stays silent, external_bot_timeout().
struct ExternalBotTurn {
  std::uint64_t conversation_id = 0;
  std::string request_id;
  std::string text;
};

// Every conversation record read in steps on the inbox's thread (store/stepped_scan.h), for
// reports over the whole table: `add` hears each (false stops the scan), then `done` whether
// every record was read (false: a record does not parse, a read failed, or `add` stopped it;
// `stopped_early` tells which).
struct ConversationSteps {
  std::function<void(std::function<void()>)> post;
  std::function<bool(const Conversation&)> add;
  std::function<void(bool sound, bool stopped_early)> done;
  std::size_t rows_per_step = 1000;
};

struct ConversationFilter {
  std::optional<Status> status;
  std::optional<std::string> channel, department, tag, assignee;
  bool snoozed = false;  // the snoozed ones only (the lists leave them out otherwise)
  std::size_t limit = 200;
};

class Inbox {
 public:
  // `post` runs a function later on the inbox's thread; group commit uses it to gather the
  // ingests that arrive while a commit is in flight into the next one.
  using Post = std::function<void(std::function<void()>)>;
  using Subscriber = std::function<void(const std::vector<Event>&)>;

  // The search index's last batch does not survive a crash; it is indexed again at
  // construction, or (`resume_search_now` false) when the owner calls resume_search_index():
  // the service does so once the page walk has found data.mdb sound, since the re-indexing
  // reads pages the walk has not vouched for yet.
  Inbox(store::Store& store, const Clock& clock, Log& log, Metrics& metrics, Post post,
        bool resume_search_now = true);
  void resume_search_index();
  // Entries of the search index packed per step when a file from before posting blocks is
  // converted at start (posting_blocks.h).
  static constexpr std::size_t kPackStepEntries = 20000;

  void set_rules(std::shared_ptr<const handoff::RuleSet> rules) { rules_ = std::move(rules); }
  void set_bot(std::shared_ptr<const bot::LocalBot> bot) { bot_ = std::move(bot); }
  const handoff::RuleSet& rules() const { return *rules_; }
  // Called with the Events of every commit, after it is durable, in sequence order.
  void subscribe(Subscriber s) { subscribers_.push_back(std::move(s)); }
  // Called after the commit with each turn for central's bot (channels in bot.external_channels).
  void on_external_bot_turn(std::function<void(const ExternalBotTurn&)> f) {
    external_bot_ = std::move(f);
  }

  // Commits `msg` (deduplicated on channel + external id) with the handoff verdict, the bot's
  // answer and the Events they cause; `done` runs after the commit is durable, and only then
  // may the caller acknowledge its source. Many ingests share one commit under load (the write
  // queue: write_queue.h). Refused without waiting (ErrorCode::busy or disk_full, `done` run
  // through `post`) while the queue or the disk is full: the source keeps the message.
  void ingest(InboundMessage msg, IngestDone done);
  // Commits everything waiting in the write queue now, batch after batch (at shutdown, and in
  // tests); the service's loop commits one batch per turn through `post`.
  void flush();
  std::size_t pending() const { return queue_.size(); }
  std::size_t pending_bytes() const { return queue_.bytes(); }
  void set_write_limits(WriteLimits limits) { queue_.set_limits(limits); }
  // Runs a function after `ms` milliseconds on the inbox's thread. With it and a
  // `commit_window_ms` in the limits, a batch smaller than `window_writes` waits that long for
  // company before it commits; without it every batch commits on the next turn.
  using PostAfter = std::function<void(std::int64_t ms, std::function<void()>)>;
  void set_commit_timer(PostAfter after) { post_after_ = std::move(after); }

  // A write of the inbox's own tables by a machine-rate writer outside the inbox (the dead
  // letters), in the next group commit. `write` must refuse before it writes anything, or
  // write and succeed. `done` (may be empty) runs after the commit with its result.
  void write_later(std::size_t bytes, std::function<Result<void>(store::WriteTxn&)> write,
                   std::function<void(const Result<void>&)> done);

  // Agent actions. Each is one transaction; a refused one changes nothing and says why.
  Result<std::uint64_t> reply(std::uint64_t conversation, const std::string& agent,
                              const std::string& text);
  Result<void> assign(std::uint64_t conversation, const std::optional<std::string>& department,
                      const std::optional<std::string>& agent, const std::string& actor);
  Result<void> unassign(std::uint64_t conversation, const std::string& actor);
  // Hands the conversation to `agent` (assigned to them; with no `department`, into theirs) or
  // to `department` (into its queue, which its routing drains as members have room: a
  // department at capacity keeps it waiting, nothing is refused). `note` (may be empty, up to
  // kMaxTransferNote bytes) is private: a note in the history and on the conversation for the
  // receiver until it closes, in the TRANSFERRED Event, never on the customer's channel.
  static constexpr std::size_t kMaxTransferNote = 1024;
  Result<void> transfer(std::uint64_t conversation, const std::optional<std::string>& department,
                        const std::optional<std::string>& agent, const std::string& note,
                        const std::string& actor);
  Result<void> tag(std::uint64_t conversation, const std::string& tag, const std::string& actor);
  Result<void> untag(std::uint64_t conversation, const std::string& tag,
                     const std::string& actor);
  Result<void> close(std::uint64_t conversation, const std::string& actor);
  Result<void> archive(std::uint64_t conversation, const std::string& actor);
  Result<void> reopen(std::uint64_t conversation, const std::string& actor);
  // Out of the lists until `until_ms` (wall time; 0: until the customer writes again). A
  // message from the customer wakes it sooner; the timer (workflow_tick) wakes the due ones.
  // Woken, it comes back first in the lists until an agent answers or closes it.
  Result<void> snooze(std::uint64_t conversation, std::int64_t until_ms, const std::string& actor);
  Result<void> unsnooze(std::uint64_t conversation, const std::string& actor);
  // An agent's verdict on the conversation's handoff (handoff_review.cpp): `not_needed` marks it
  // as one the bot could have handled; false takes the mark back. Refused without a handoff or
  // when the verdict is already so.
  Result<void> review_handoff(std::uint64_t conversation, bool not_needed,
                              const std::string& actor);
  // `viewer` has the conversation on screen (unread.cpp): its customer messages so far count as
  // read when `viewer` is the assignee, or anyone while it waits unassigned. It joins the next
  // group commit (a page reports views at human rate; no commit of its own); `done` gets
  // whether anything changed. Unread is inbound_count - seen_inbound_count while the conversation
  // is queued or assigned (unread_of).
  void mark_seen(std::uint64_t conversation, const std::string& viewer,
                 std::function<void(Result<bool>)> done);
  // A channel reports on an outbound message (sent / delivered / failed).
  Result<void> set_outbound_status(std::uint64_t message, OutboundStatus status,
                                   const std::string& error = {});
  // The same through the write queue, for reports that arrive at machine rate (a bridge's
  // delivery statuses): it joins the next group commit; `done` runs after it.
  void set_outbound_status_later(std::uint64_t message, OutboundStatus status,
                                 const std::string& error,
                                 std::function<void(const Result<void>&)> done);

  // Central's bot answered a turn: "reply", "fallback" or "escalate" (to `department`, because
  // of `reason`). A reply to a turn that is no longer waiting (timed out, a human took over)
  // is dropped: the conversation has moved on.
  Result<void> external_bot_reply(std::uint64_t conversation, const std::string& request_id,
                                  const std::string& action, const std::string& text,
                                  const std::string& department, const std::string& reason);
  // The same through the write queue (central's bot answers at the rate customers write).
  void external_bot_reply_later(std::uint64_t conversation, std::string request_id,
                                std::string action, std::string text, std::string department,
                                std::string reason,
                                std::function<void(const Result<void>&)> done);
  // Central's bot was silent: the local bot answers the waiting turn.
  Result<void> external_bot_timeout(std::uint64_t conversation, const std::string& request_id);

  // A gateway-level Event (no conversation), e.g. CONFIG_REJECTED with its reason.
  Result<void> record_gateway_event(Event::Kind kind, const std::string& text,
                                    const std::string& error);

  // --- The audit log (audit_log.h, audit_log.cpp) ---
  // Opens the record of one agent or admin action: the first inbox transaction that commits
  // while it is open carries `e` (stamped with that transaction's time), so the action and its
  // record are one commit. end_audit() closes it and says whether a transaction carried it; an
  // action that wrote elsewhere (users, sessions) hands the entry to audit_later() instead.
  // Only on the inbox's thread, around one synchronous action.
  void begin_audit(AuditEntry e);
  bool end_audit();
  // The entry (stamped now) in the next group commit: logins, user and config changes.
  void audit_later(AuditEntry e);
  // Entries kept; the oldest go beyond it.
  void set_audit_cap(std::size_t n) { audit_cap_ = n; }
  std::size_t audit_cap() const { return audit_cap_; }

  Result<void> upsert_department(const std::string& id, const std::string& name);
  Result<void> upsert_agent(const std::string& id, const std::string& name,
                            const std::string& department);
  // Puts a user who can take conversations (an admin or an agent) on the roster: their agent
  // record is made, with an AGENT_ADDED Event, unless it exists (an agent the config names keeps
  // its department, name and presence). True when it wrote; no commit when there is nothing to do.
  Result<bool> enrol_agent(const std::string& user);

  // Reads (a snapshot each).
  std::optional<Conversation> conversation(std::uint64_t id) const;
  std::vector<Message> history(std::uint64_t conversation) const;
  std::vector<Conversation> conversations(const ConversationFilter& filter) const;
  std::optional<Message> message(std::uint64_t id) const;
  std::optional<Event> event(std::uint64_t seq) const;
  // The message_in Event that receipts (channel, external_id), if the message is stored.
  std::optional<Event> receipt(const std::string& channel, const std::string& external_id) const;

  // --- Listings (listing_reads.cpp): whole small tables and bounded pages of the big ones,
  //     for the admin views and diagnostics; each from one snapshot unless said otherwise ---
  using Department = switchboard::store::Department;
  std::vector<Department> departments() const;  // by id
  std::optional<Department> department(const std::string& id) const;
  // Up to `limit` audit entries (number, entry), newest first, numbered below `before` (0:
  // from the newest).
  std::vector<std::pair<std::uint64_t, AuditEntry>> audit_page(std::size_t limit,
                                                               std::uint64_t before) const;
  // The newest `n` dead letters, newest first (dead_letters.h keeps them).
  std::vector<switchboard::store::DeadLetter> dead_letters(std::size_t n) const;
  // Starts the stepped read of every conversation; the first step runs through `scan.post`
  // too. The inbox must outlive the scan.
  void conversations_in_steps(ConversationSteps scan) const;

  // --- The channel outbox (channel_outbox.cpp): outbound messages waiting for their channel
  //     adapter. An entry leaves it when the adapter reports the message's status
  //     (set_outbound_status, or set_outbound_status_later at machine rate): that is the mark.
  using OutboxEntry = switchboard::store::ChannelOutboxEntry;
  // The channels an adapter sends for: `name` alone, or (`all_but`) every channel but `name`
  // (the MQTT bridge carries every channel but "sms").
  struct OutboxChannels {
    std::string name;
    bool all_but = false;
    bool covers(std::string_view channel) const { return (channel == name) != all_but; }
  };
  // The adapter's own schedule: true while the message waits for its next try (backoff).
  using OutboxWaiting = std::function<bool(std::uint64_t message_id)>;
  // Entries of `channels` due now (not `waiting`), oldest message first, at most `limit`; one
  // read snapshot.
  std::vector<OutboxEntry> outbox_due(const OutboxChannels& channels, const OutboxWaiting& waiting,
                                      std::size_t limit) const;
  // The entries of `channels` among `message_ids` that are still in the outbox, in the order
  // given (the messages a commit just queued); one read snapshot, one lookup per id.
  std::vector<OutboxEntry> outbox_entries(const OutboxChannels& channels,
                                          const std::vector<std::uint64_t>& message_ids) const;

  // --- Agent workflow: handed to the components (inbox_workflow.cpp): contacts.h,
  //     canned_replies.h, routing.h, presence.h, search.h; and notes_canned.cpp,
  //     targets.cpp ---
  void set_workflow(WorkflowConfig w) { workflow_ = std::move(w); }
  const WorkflowConfig& workflow() const { return workflow_; }

  // Every word must match (the last one as a prefix); newest first; both kinds up to `limit`.
  SearchResult search(const std::string& query, std::size_t limit) const;

  // A private note: in the history (author "agent", note set), a NOTE_ADDED Event, never a
  // channel outbox entry.
  Result<std::uint64_t> add_note(std::uint64_t conversation, const std::string& agent,
                                 const std::string& text);

  // Canned replies are kept in LMDB: the config (and central) upsert them, admins edit them.
  Result<void> upsert_canned(const std::string& shortcut, const std::string& text);
  Result<void> delete_canned(const std::string& shortcut);
  // The config's canned replies (shortcut, text), written only when they differ from the set
  // the config gave last time: a restart or SIGHUP leaves admins' edits and deletions alone,
  // a changed config section (a new push from central) wins. Returns whether it wrote.
  Result<bool> apply_config_canned(const std::vector<std::pair<std::string, std::string>>& set);
  std::vector<CannedReply> canned_replies() const;
  // The reply's text with {name} filled from the conversation's contact.
  Result<std::string> expand_canned(const std::string& shortcut, std::uint64_t conversation) const;
  Result<std::uint64_t> reply_canned(std::uint64_t conversation, const std::string& agent,
                                     const std::string& shortcut);

  // Presence: online, away or offline. Going online (or freeing up) drains the queue by the
  // department's policy; going offline puts the agent's conversations back in the queue.
  Result<void> set_presence(const std::string& agent, const std::string& presence,
                            const std::string& actor);
  // The agent's page is open: an auto-away agent comes back online.
  Result<void> heartbeat(const std::string& agent);
  // The timer: presence timeouts, response targets, the on-call alert. One transaction.
  void workflow_tick();
  std::vector<Agent> agents() const;
  std::optional<Agent> agent(const std::string& id) const;
  // Queued conversations of a department in routing order (priority, then age).
  std::vector<Conversation> queue(const std::string& department) const;
  // Conversations owed a first human reply, and whether they passed their target.
  std::vector<Conversation> awaiting_reply() const;
  std::int64_t target_ms(const Conversation& c) const;
  // How long `c` has waited for its first human reply by `now_ms`: only its department's
  // opening hours count, unless the department has none or `c` is urgent (all time counts).
  std::int64_t waited_ms(const Conversation& c, std::int64_t now_ms) const;
  // The conversation's department's routing (its own, else the default department's).
  const DepartmentRouting* department_routing(const Conversation& c) const;

  // Contacts as people.
  std::optional<Contact> contact(std::uint64_t id) const;
  Result<void> update_contact(std::uint64_t id, const std::optional<std::string>& name,
                              const std::optional<std::string>& notes,
                              const std::vector<std::string>& add_tags,
                              const std::vector<std::string>& remove_tags,
                              const std::string& actor);
  // Folds `other` into `keep`: addresses, tags, notes and conversations; `other` remains as a
  // tombstone pointing at `keep`.
  Result<void> merge_contacts(std::uint64_t keep, std::uint64_t other, const std::string& actor);
  // Every message of every conversation of the person, in order (the merged view).
  std::vector<Message> contact_history(std::uint64_t contact) const;
  std::vector<std::uint64_t> contact_conversations(std::uint64_t contact) const;

 private:
  void pack_search_index();
  // One writer waiting in the write queue: `apply` runs inside the group commit's transaction
  // (refusing before it writes anything, or it fails the whole batch); `done` gets the commit's
  // result, or the writer's own refusal.
  struct Write {
    std::function<Result<void>(Tx&)> apply;
    std::function<void(const Result<void>&)> done;
  };
  void enqueue(std::size_t bytes, Write write);
  // One batch from the queue in one commit; false when nothing waited.
  bool commit_batch();
  Result<void> run_batch(std::vector<Write>& batch, std::vector<Result<void>>& results,
                         std::vector<Event>& events, std::vector<ExternalBotTurn>& bot_turns);
  void schedule_flush();
  void hand_to_bot(const ExternalBotTurn& t);

  Result<IngestOutcome> apply_ingest(Tx& tx, const InboundMessage& msg);
  void queue_for_human(Tx& tx, Conversation& c, const switchboard::store::HandoffRecord& h);
  void apply_bot_response(Tx& tx, Conversation& c, const bot::BotResponse& r);
  static bot::FlowState flow_state(const Conversation& c);
  Result<void> mutate(std::uint64_t conversation,
                      const std::function<Result<void>(Tx&, Conversation&)>& change);
  // Loads the conversation, changes it and saves it, inside the caller's transaction.
  Result<void> change_in(Tx& tx, std::uint64_t conversation,
                         const std::function<Result<void>(Tx&, Conversation&)>& change);
  Result<void> apply_outbound_status(Tx& tx, Conversation& c, std::uint64_t message,
                                     OutboundStatus status, const std::string& error);
  Result<void> apply_external_bot_reply(Tx& tx, Conversation& c, const std::string& request_id,
                                        const std::string& action, const std::string& text,
                                        const std::string& department,
                                        const std::string& reason);
  std::uint64_t conversation_of(std::uint64_t message) const;
  void publish(std::vector<Event> events);
  // Agent workflow internals (inside the caller's transaction).
  bool apply_vip_rule(Tx& tx, Conversation& c);
  bool check_targets(Tx& tx);  // true when it queued the on-call alert
  void send_alert(Tx& tx, const std::string& text);
  // After hours (after_hours.cpp): the department's reply to a customer waiting for a person
  // while it is closed, once per closed period.
  void send_after_hours(Tx& tx, Conversation& c);
  // Snooze (snooze.cpp): wakes `c` inside the caller's transaction; wakes the timed ones due.
  void wake(Tx& tx, Conversation& c, const std::string& why);
  void wake_due(Tx& tx);
  // After a conversation (after_close.cpp): the quiet ones closed (a capped batch a turn), the
  // survey asked at a close, and its answer taken (true: `msg` was the answer, stored on `c`).
  void auto_close_due(Tx& tx);
  void ask_csat(Tx& tx, Conversation& c);
  bool take_csat_answer(Tx& tx, Conversation& c, const InboundMessage& msg);
  Result<void> workflow_write(const std::function<Result<void>(Tx&)>& change);
  // One transaction for `change`, then (`route`) the routing of queues it may have freed room
  // for, carrying the open audit entry when `carry_audit`; its Events are published after the
  // commit. mutate() and workflow_write() are this with routing and the audit entry.
  Result<void> write_tx(const std::function<Result<void>(Tx&)>& change, bool carry_audit,
                        bool route = false);
  // A read snapshot; a failure (rare: the environment itself is broken) is logged and the
  // read sees nothing.
  void snapshot(const std::function<void(const store::ReadTxn&)>& fn) const;
  // Writes the open audit entry into `w` unless a commit carried it already; true when it
  // wrote (the caller marks it carried once its commit succeeds).
  bool audit_in(store::WriteTxn& w, std::int64_t now_ms);
  void audit_carried(bool wrote) { audit_written_ = audit_written_ || wrote; }

  store::Store& store_;
  const Clock& clock_;
  Log& log_;
  Metrics& metrics_;
  Post post_;
  std::shared_ptr<const handoff::RuleSet> rules_;
  std::shared_ptr<const bot::LocalBot> bot_;
  std::vector<Subscriber> subscribers_;
  std::function<void(const ExternalBotTurn&)> external_bot_;
  WriteQueue<Write> queue_;
  bool flush_posted_ = false;
  PostAfter post_after_;
  bool window_open_ = false;  // a timed commit is pending
  bool gap_armed_ = false;    // a check for a pause in arrivals is pending
  std::int64_t last_arrival_ms_ = 0;  // monotonic, of the newest write queued
  void wait_for_quiet(std::int64_t delay_ms);
  std::atomic<std::int64_t>& ingested_;
  std::atomic<std::int64_t>& duplicates_;
  std::atomic<std::int64_t>& refused_;
  std::atomic<std::int64_t>& commits_;
  WorkflowConfig workflow_;
  std::optional<std::int64_t> last_alert_mono_;
  std::optional<AuditEntry> audit_;  // the action running now, while begin_audit() holds it
  bool audit_written_ = false;
  std::size_t audit_cap_ = kAuditDefaultCap;
  // The components (component.h): each acts inside the transaction the Inbox opens.
  Contacts contacts_{store_, log_};
  CannedReplies canned_{store_, log_};
  Routing routing_{store_, log_, workflow_};
  Presence presence_{clock_, workflow_, routing_};
  Search search_{store_, log_};
};

}  // namespace sb::inbox
