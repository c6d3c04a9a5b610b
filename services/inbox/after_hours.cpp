// After hours: a customer handed to a person while the department is closed hears so once
// for that closed period (never while the bot still holds the conversation: the bot is
// answering, nobody is waiting). The reply is remembered on the conversation by the end of
// the closed period, so a crash, a restart or more messages in the same night send nothing
// more, and the next closed period is a new one.
#include "services/inbox/tx.h"

namespace sb::inbox {

const DepartmentRouting* Inbox::department_routing(const Conversation& c) const {
  const std::string& dep = c.department().empty() ? workflow_.default_department : c.department();
  auto it = workflow_.departments.find(dep);
  return it == workflow_.departments.end() ? nullptr : &it->second;
}

std::int64_t Inbox::waited_ms(const Conversation& c, std::int64_t now_ms) const {
  const std::int64_t since = c.awaiting_reply_since_ms();
  if (since <= 0 || now_ms <= since) return 0;
  const DepartmentRouting* r = department_routing(c);
  if (!r || !r->hours || c.priority() >= workflow_.alert.urgent_priority) return now_ms - since;
  return r->hours->business_ms(since, now_ms);
}

void Inbox::send_after_hours(Tx& tx, Conversation& c) {
  if (c.awaiting_reply_since_ms() <= 0) return;  // nobody owes this customer a first reply
  if (status_of(c) != STATUS_QUEUED && status_of(c) != STATUS_ASSIGNED) return;
  const DepartmentRouting* r = department_routing(c);
  if (!r || !r->hours || r->after_hours_reply.empty() || r->hours->open_at(tx.now_ms)) return;
  const std::int64_t period = r->hours->next_open(tx.now_ms).value_or(-1);
  if (c.after_hours_sent_for_ms() == period) return;
  c.set_after_hours_sent_for_ms(period);
  tx.queue_outbound(c, "system", "after hours", r->after_hours_reply);
  metrics_.counter("switchboard_after_hours_replies_total",
                   "After-hours replies sent to customers waiting while a department is closed")++;
}

}  // namespace sb::inbox
