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

Result<void> Inbox::upsert_canned(const std::string& shortcut, const std::string& text) {
  return write_tx([&](Tx& tx) { return canned_.upsert(tx, shortcut, text); }, true);
}

Result<void> Inbox::delete_canned(const std::string& shortcut) {
  return write_tx([&](Tx& tx) { return canned_.erase(tx, shortcut); }, true);
}

Result<bool> Inbox::apply_config_canned(
    const std::vector<std::pair<std::string, std::string>>& set) {
  bool wrote = false;
  auto r = write_tx(
      [&](Tx& tx) -> Result<void> {
        auto w = canned_.apply_config(tx, set);
        if (!w) return w.error();
        wrote = *w;
        return {};
      },
      false);
  if (!r) return r.error();
  return wrote;
}

std::vector<CannedReply> Inbox::canned_replies() const { return canned_.list(); }

Result<std::string> Inbox::expand_canned(const std::string& shortcut,
                                         std::uint64_t conversation) const {
  return canned_.expand(shortcut, conversation);
}

Result<void> Inbox::set_presence(const std::string& agent, const std::string& presence,
                                 const std::string& actor) {
  auto r = workflow_write(
      [&](Tx& tx) { return presence_.set_presence(tx, agent, presence, actor); });
  if (r) presence_.committed(agent, presence);
  return r;
}

Result<void> Inbox::heartbeat(const std::string& agent) {
  auto back = presence_.heartbeat(agent);
  if (!back) return back.error();
  if (!*back) return {};
  auto r = workflow_write([&](Tx& tx) { return presence_.come_back(tx, agent); });
  if (r) presence_.committed(agent, "online");
  return r;
}

std::vector<Agent> Inbox::agents() const { return routing_.agents(); }

std::optional<Agent> Inbox::agent(const std::string& id) const { return routing_.agent(id); }

std::vector<Conversation> Inbox::queue(const std::string& department) const {
  return routing_.queue(department);
}

SearchResult Inbox::search(const std::string& query, std::size_t limit) const {
  return search_.search(query, limit);
}

Result<void> Inbox::write_tx(const std::function<Result<void>(Tx&)>& change, bool carry_audit,
                             bool route) {
  std::vector<Event> events;
  bool audited = false;
  Result<void> r = store_.write([&](store::WriteTxn& w) -> Result<void> {
    Tx tx(w, clock_.wall_ms());
    if (auto ch = change(tx); !ch) return ch;
    if (route) routing_.route_queued(tx);
    if (carry_audit) audited = audit_in(w, tx.now_ms);
    tx.write_events();
    events = std::move(tx.events);
    return {};
  });
  if (r) audit_carried(audited);
  if (r) publish(std::move(events));
  return r;
}

}  // namespace sb::inbox
