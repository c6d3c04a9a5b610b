// Filing a conversation under its secondary indexes (see conversation_index.h).
#include "services/inbox/conversation_index.h"

#include <algorithm>

#include "services/common/bytes.h"
#include "services/inbox/lifecycle.h"

namespace sb::inbox {

namespace {
std::string be32(std::uint32_t v) {
  return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                     static_cast<char>(v >> 8), static_cast<char>(v)};
}
bool waits_for_human(const switchboard::store::Conversation& c) {
  return status_of(c) == STATUS_QUEUED || status_of(c) == STATUS_ASSIGNED;
}
// Re-files one index entry: the old key goes, the new one (empty: none) comes.
void refile(store::WriteTxn& w, store::Table t, std::string* stored, const std::string& next) {
  if (*stored == next) return;
  if (!stored->empty()) w.del(t, *stored);
  if (!next.empty()) w.put(t, next, {});
  *stored = next;
}
}  // namespace

std::string queue_prefix(const std::string& department) { return department + '\0'; }
std::string load_prefix(const std::string& agent) { return agent + '\0'; }

std::uint64_t id_of_index_key(std::string_view key) {
  return key.size() < 8 ? 0 : from_be64(key, key.size() - 8);
}

std::int64_t quiet_since(const switchboard::store::Conversation& c) {
  return std::max(c.last_at_ms(), c.created_at_ms());
}

void file_conversation(store::WriteTxn& w, switchboard::store::Conversation& c) {
  std::string queue, load, waiting, idle;
  const Status s = status_of(c);
  const bool quiet = (s == STATUS_BOT || s == STATUS_ASSIGNED) && !c.snoozed() &&
                     c.awaiting_reply_since_ms() == 0 && !c.customer_last();
  if (quiet)
    idle = c.idle_key().empty()
               ? be64(static_cast<std::uint64_t>(quiet_since(c))) + be64(c.id())
               : c.idle_key();
  if (status_of(c) == STATUS_QUEUED) {
    // Higher priority sorts first: the sign bit flipped makes int32 order unsigned order,
    // and the complement reverses it.
    const std::uint32_t p = ~(static_cast<std::uint32_t>(c.priority()) ^ 0x80000000u);
    queue = queue_prefix(c.department()) + be32(p) +
            be64(static_cast<std::uint64_t>(c.queued_at_ms())) + be64(c.id());
  }
  if (status_of(c) == STATUS_ASSIGNED && !c.assignee().empty())
    load = load_prefix(c.assignee()) + be64(c.id());
  if (waits_for_human(c) && c.awaiting_reply_since_ms() > 0)
    waiting = be64(static_cast<std::uint64_t>(c.awaiting_reply_since_ms())) + be64(c.id());
  refile(w, store::Table::route_queue, c.mutable_queue_key(), queue);
  refile(w, store::Table::agent_load, c.mutable_load_key(), load);
  refile(w, store::Table::awaiting_reply, c.mutable_waiting_key(), waiting);
  refile(w, store::Table::idle_since, c.mutable_idle_key(), idle);
}

}  // namespace sb::inbox
