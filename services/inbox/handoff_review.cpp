// An agent's verdict on a handoff: "not needed" marks the ones the bot could have handled, so the
// statistics can show each rule's share of false alarms. The mark lives on the conversation's
// handoff record; a new handoff (a new record) starts unmarked.
#include "services/inbox/tx.h"

namespace sb::inbox {

Result<void> Inbox::review_handoff(std::uint64_t conversation, bool not_needed,
                                   const std::string& actor) {
  return mutate(conversation, [&](Tx& tx, Conversation& c) -> Result<void> {
    if (!c.has_handoff() || c.handoff().trigger().empty())
      return fail("conversation " + std::to_string(c.id()) + " was never handed off",
                  ErrorCode::conflict);
    auto* h = c.mutable_handoff();
    if (h->not_needed() == not_needed)
      return fail("conversation " + std::to_string(c.id()) + "'s handoff is already marked " +
                      (not_needed ? "not needed" : "needed"),
                  ErrorCode::conflict);
    h->set_not_needed(not_needed);
    h->set_reviewed_by(actor);
    h->set_reviewed_at_ms(tx.now_ms);
    tx.system_note(c, std::string(not_needed ? "handoff marked not needed by "
                                             : "handoff marked needed again by ") +
                          actor);
    tx.event(Event::HANDOFF_REVIEWED, c).set_text(not_needed ? "not_needed" : "needed");
    return {};
  });
}

}  // namespace sb::inbox
