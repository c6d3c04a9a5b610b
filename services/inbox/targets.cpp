// Response targets: per department (and per priority) how long a conversation may wait for
// its first human reply after a handoff. Past it, the conversation is marked (field, Event,
// a line in its history) and counted in /metrics; where configured, the on-call number gets
// an SMS, at most one per interval, queued as an outbound message of a system conversation
// on channel "sms" so it is as durable as any reply. Where a department keeps opening hours,
// only those count as waiting, and its late conversations alert only while it is open (urgent
// ones count all time and alert at any hour).
#include <limits>

#include "services/inbox/tx.h"

namespace sb::inbox {

namespace {
std::string duration(std::int64_t ms) {
  if (ms < 60000) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms / 60000) + " min";
}
constexpr const char* kAlertLastKey = "oncall_alert_last_ms";
}  // namespace

std::int64_t Inbox::target_ms(const Conversation& c) const {
  const DepartmentRouting* r = department_routing(c);
  if (!r) return 0;
  std::int64_t best = 0;
  int best_priority = std::numeric_limits<int>::min();
  for (const auto& t : r->targets)
    if (t.min_priority <= c.priority() && t.min_priority >= best_priority) {
      best = t.ms;
      best_priority = t.min_priority;
    }
  return best;
}

std::vector<Conversation> Inbox::awaiting_reply() const {
  std::vector<Conversation> out;
  snapshot([&](const store::ReadTxn& r) {
    r.scan(store::Table::awaiting_reply, {}, [&](std::string_view k, std::string_view) {
      Conversation c;
      if (r.get_proto(store::Table::conversations, be64(id_of_index_key(k)), c))
        out.push_back(std::move(c));
      return out.size() < 1000;
    });
  });
  return out;
}

bool Inbox::check_targets(Tx& tx) {
  std::vector<std::uint64_t> ids;  // oldest wait first
  tx.w.scan(store::Table::awaiting_reply, {}, [&](std::string_view k, std::string_view) {
    ids.push_back(id_of_index_key(k));
    return true;
  });
  std::int64_t over = 0, alertable = 0;
  std::int64_t alert_target = std::numeric_limits<std::int64_t>::max();
  for (std::uint64_t id : ids) {
    Conversation c;
    if (!tx.load(id, c)) continue;
    const std::int64_t target = target_ms(c);
    if (target <= 0) continue;
    // Marked late stays late (waiting time only grows): the business-time walk over the days
    // it waited is done only for those not yet marked.
    const std::int64_t waited = c.over_target() ? target : waited_ms(c, tx.now_ms);
    if (waited < target) continue;
    ++over;
    // Outside its department's hours a late conversation waits for the morning, unless urgent.
    const DepartmentRouting* r = department_routing(c);
    const bool staffed = !r || !r->hours || r->hours->open_at(tx.now_ms) ||
                         c.priority() >= workflow_.alert.urgent_priority;
    if (c.priority() >= workflow_.alert.min_priority && staffed) {
      ++alertable;
      alert_target = std::min(alert_target, target);
    }
    if (c.over_target()) continue;
    c.set_over_target(true);
    const std::string text = "waiting " + duration(waited) + ", over the " + duration(target) + " target";
    tx.system_note(c, text);
    Event& e = tx.event(Event::TARGET_MISSED, c);
    e.set_text(text);
    e.set_department(c.department());
    e.set_assignee(c.assignee());
    e.set_contact_id(c.contact_id());
    tx.save(c);
    metrics_.counter("switchboard_response_targets_missed_total",
                     "Conversations that waited past their first-reply target")++;
  }
  metrics_.gauge("switchboard_conversations_over_target",
                 "Conversations now waiting past their first-reply target") = over;

  const auto& alert = workflow_.alert;
  if (alert.sms_to.empty() || alertable == 0) return false;
  const std::int64_t mono = clock_.monotonic_ms();
  if (last_alert_mono_ && mono - *last_alert_mono_ < alert.interval_ms) return false;
  // Across a restart only the stored wall time remembers the last alert: a crash loop must
  // not page someone on every start.
  if (!last_alert_mono_) {
    const auto last = static_cast<std::int64_t>(tx.w.peek_counter(kAlertLastKey));
    if (last && tx.now_ms >= last && tx.now_ms - last < alert.interval_ms) return false;
  }
  std::string text = std::to_string(alertable) + (alert.min_priority > 0 ? " urgent" : "") +
                     (alertable == 1 ? " conversation" : " conversations") + " waiting over " +
                     duration(alert_target);
  send_alert(tx, text);
  tx.w.set_counter(kAlertLastKey, static_cast<std::uint64_t>(tx.now_ms));
  return true;
}

void Inbox::send_alert(Tx& tx, const std::string& text) {
  // The on-call number's conversation: found like any contact's, so a reply lands there.
  const std::string ck = contact_key("sms", workflow_.alert.sms_to);
  Conversation c;
  bool found = false;
  if (auto id = tx.w.get(store::Table::conv_by_contact, ck)) found = tx.load(from_be64(*id), c);
  if (!found) {
    c.set_id(tx.w.next_id("conversation_id"));
    c.set_channel("sms");
    c.set_contact(workflow_.alert.sms_to);
    c.set_contact_name("on-call alerts");
    set_status(c, STATUS_CLOSED);  // nothing for an agent to do here
    c.set_created_at_ms(tx.now_ms);
    c.add_tags("oncall-alerts");
    tx.w.put(store::Table::conv_by_contact, ck, be64(c.id()));
    tx.event(Event::CONVERSATION_OPENED, c);
  }
  tx.queue_outbound(c, "system", "on-call alert", text);
  tx.save(c);
  metrics_.counter("switchboard_oncall_alerts_total", "On-call SMS alerts queued")++;
}

}  // namespace sb::inbox
