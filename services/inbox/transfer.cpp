// Transfer with a note: a conversation handed to a colleague or to a department, with a private
// note for whoever receives it. The note is a note message (never a channel outbox entry) and is
// kept on the conversation so the receiver finds it at the top of the conversation.
#include "services/inbox/tx.h"

namespace sb::inbox {

Result<void> Inbox::transfer(std::uint64_t conversation, const std::optional<std::string>& department,
                             const std::optional<std::string>& agent, const std::string& note,
                             const std::string& actor) {
  if (!department && !agent) return fail("a transfer needs a department or an agent");
  if (note.size() > kMaxTransferNote) return fail("a transfer note is at most 1024 bytes");
  if (actor.empty()) return fail("a transfer needs its author");
  return mutate(conversation, [&](Tx& tx, Conversation& c) -> Result<void> {
    const std::string name = "conversation " + std::to_string(c.id());
    if (!allowed_from(status_of(c), Cause::take))
      return fail(name + " is " + status_name_of(c) + ": reopen it before transferring",
                  ErrorCode::conflict);
    std::string to_department = department.value_or("");
    if (department && !tx.w.get(store::Table::departments, *department))
      return fail("unknown department '" + *department + "'");
    Agent receiver;
    if (agent) {
      if (!tx.w.get_proto(store::Table::agents, *agent, receiver))
        return fail("unknown agent '" + *agent + "'");
      if (status_of(c) == STATUS_ASSIGNED && c.assignee() == *agent)
        return fail(name + " is already with " + *agent, ErrorCode::conflict);
      if (!department) to_department = receiver.department();
    }
    if (status_of(c) == STATUS_BOT) {  // out of the bot's hands: a human handoff, made by a person
      auto* h = c.mutable_handoff();
      h->Clear();
      h->set_trigger("manual");
      h->set_rule("transferred_by_" + actor);
      h->set_priority(c.priority());
      h->set_department(to_department);
      h->set_at_ms(tx.now_ms);
      c.set_awaiting_reply_since_ms(tx.now_ms);
      Event& e = tx.event(Event::HANDOFF, c);
      e.mutable_handoff()->set_trigger("manual");
      e.mutable_handoff()->set_rule(h->rule());
    }
    if (!to_department.empty() || department) c.set_department(to_department);
    std::string to;
    if (agent) {
      set_status(c, STATUS_ASSIGNED);
      c.set_assignee(*agent);
      to = "agent " + *agent;
    } else {
      // Into the department's queue; its routing hands it to a member with room in this same
      // commit, or it waits there (a department at capacity keeps it, it is not refused).
      c.clear_assignee();
      set_status(c, STATUS_QUEUED);
      c.set_queued_at_ms(tx.now_ms);
      to = "department " + to_department;
    }
    c.set_fallback_count(0);
    c.set_transfer_note(note);
    c.set_transfer_by(actor);
    c.set_transfer_at_ms(tx.now_ms);
    tx.system_note(c, "transferred to " + to + " by " + actor);
    if (!note.empty()) {
      Message m;  // never queue_outbound: a note has no channel outbox entry
      m.set_direction("internal");
      m.set_author("agent");
      m.set_author_name(actor);
      m.set_text(note);
      m.set_note(true);
      m.set_transfer_to(to);
      tx.append(c, m);
    }
    Event& e = tx.event(Event::TRANSFERRED, c);
    e.set_department(c.department());
    e.set_assignee(c.assignee());
    e.set_actor(actor);
    e.set_text(note);
    e.set_contact_id(c.contact_id());
    return {};
  });
}

}  // namespace sb::inbox
