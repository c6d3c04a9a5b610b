// The Inbox's agent-workflow calls, handed to its components: the Inbox opens the transaction
// (workflow_write: the queue is routed and the Events published after the commit), the
// component acts inside it.
#include "services/inbox/tx.h"

namespace sb::inbox {

std::optional<Contact> Inbox::contact(std::uint64_t id) const { return contacts_.contact(id); }

Result<void> Inbox::update_contact(std::uint64_t id, const std::optional<std::string>& name,
                                   const std::optional<std::string>& notes,
                                   const std::vector<std::string>& add_tags,
                                   const std::vector<std::string>& remove_tags,
                                   const std::string& actor) {
  return workflow_write([&](Tx& tx) {
    return contacts_.update_contact(tx, id, name, notes, add_tags, remove_tags, actor);
  });
}

Result<void> Inbox::merge_contacts(std::uint64_t keep, std::uint64_t other,
                                   const std::string& actor) {
  return workflow_write([&](Tx& tx) { return contacts_.merge_contacts(tx, keep, other, actor); });
}

std::vector<Message> Inbox::contact_history(std::uint64_t contact) const {
  return contacts_.contact_history(contact);
}

std::vector<std::uint64_t> Inbox::contact_conversations(std::uint64_t contact) const {
  return contacts_.contact_conversations(contact);
}

}  // namespace sb::inbox
