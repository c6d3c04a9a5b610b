// Unread counts kept on the server, so they are the same on an agent's phone and laptop and
// survive a reload: a count of the customer's messages on the conversation and the count its
// answerer had seen. One field each on the conversation record, which every inbound message
// rewrites anyway; a view is a small write in the next group commit.
#include "services/inbox/tx.h"

namespace sb::inbox {

std::uint32_t unread_of(const Conversation& c) {
  if (status_of(c) != STATUS_QUEUED && status_of(c) != STATUS_ASSIGNED) return 0;
  return c.inbound_count() > c.seen_inbound_count() ? c.inbound_count() - c.seen_inbound_count()
                                                     : 0;
}

void Inbox::mark_seen(std::uint64_t conversation, const std::string& viewer,
                      std::function<void(Result<bool>)> done) {
  auto changed = std::make_shared<bool>(false);
  enqueue(64, {[conversation, viewer, changed](Tx& tx) -> Result<void> {
                 Conversation c;
                 if (!tx.load(conversation, c))
                   return fail("conversation " + std::to_string(conversation) + " does not exist",
                               ErrorCode::not_found);
                 const bool answerer = status_of(c) == STATUS_ASSIGNED
                                           ? c.assignee() == viewer
                                           : status_of(c) == STATUS_QUEUED;
                 if (!answerer || c.seen_inbound_count() == c.inbound_count()) return {};
                 c.set_seen_inbound_count(c.inbound_count());
                 tx.save(c);
                 *changed = true;
                 return {};
               },
               [changed, done = std::move(done)](const Result<void>& r) {
                 if (!r)
                   done(r.error());
                 else
                   done(*changed);
               }});
}

}  // namespace sb::inbox
