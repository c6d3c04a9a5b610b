// Private notes and canned replies: the small tools that make an agent's replies fast.
#include "services/inbox/canned_replies.h"
#include "services/inbox/table_records.h"
#include "services/inbox/tx.h"

namespace sb::inbox {

namespace {
constexpr std::size_t kMaxNote = 4096;
constexpr std::size_t kMaxCanned = 4096;

// {name} becomes the contact's name; with no name known, the placeholder and the space before
// it go, so "Hello {name}, ..." reads "Hello, ..." rather than "Hello , ...".
std::string fill_name(std::string text, const std::string& name) {
  const std::string key = "{name}";
  for (std::size_t p = text.find(key); p != std::string::npos; p = text.find(key, p)) {
    std::size_t from = p;
    if (name.empty() && from > 0 && text[from - 1] == ' ') --from;
    text.replace(from, p + key.size() - from, name);
    p = from + name.size();
  }
  return text;
}
}  // namespace

Result<std::uint64_t> Inbox::add_note(std::uint64_t conversation, const std::string& agent,
                                      const std::string& text) {
  if (text.empty()) return fail("a note needs text");
  if (text.size() > kMaxNote) return fail("a note is at most 4096 bytes");
  if (agent.empty()) return fail("a note needs its author");
  std::uint64_t id = 0;
  Result<void> r = mutate(conversation, [&](Tx& tx, Conversation& c) -> Result<void> {
    // Never queue_outbound: a note has no channel outbox entry and no MESSAGE_OUT Event.
    Message m;
    m.set_direction("internal");
    m.set_author("agent");
    m.set_author_name(agent);
    m.set_text(text);
    m.set_note(true);
    tx.append(c, m);
    id = m.id();
    Event& e = tx.event(Event::NOTE_ADDED, c);
    e.set_message_id(m.id());
    e.set_text(text);
    e.set_author("agent");
    e.set_assignee(agent);
    e.set_contact_id(c.contact_id());
    return {};
  });
  if (!r) return r.error();
  return id;
}

Result<void> CannedReplies::upsert(Tx& tx, const std::string& shortcut, const std::string& text) {
  if (shortcut.empty() || shortcut.size() > 64 || shortcut.find_first_of(" \t\r\n") != std::string::npos)
    return fail("a shortcut is 1 to 64 bytes without spaces");
  if (text.empty() || text.size() > kMaxCanned) return fail("a canned reply is 1 to 4096 bytes");
  CannedReply c;
  c.set_shortcut(shortcut);
  c.set_text(text);
  tx.w.put_proto(store::Table::canned_replies, shortcut, c);
  return {};
}

Result<void> CannedReplies::erase(Tx& tx, const std::string& shortcut) {
  if (!tx.w.del(store::Table::canned_replies, shortcut))
    return fail("no canned reply '" + shortcut + "'");
  return {};
}

Result<bool> CannedReplies::apply_config(
    Tx& tx, const std::vector<std::pair<std::string, std::string>>& set) {
  for (const auto& [shortcut, text] : set)
    if (shortcut.empty() || shortcut.size() > 64 ||
        shortcut.find_first_of(" \t\r\n") != std::string::npos || text.empty() ||
        text.size() > kMaxCanned)
      return fail("canned reply '" + shortcut + "': a shortcut is 1 to 64 bytes without spaces, "
                  "a text 1 to 4096 bytes");
  // The set as given, NUL-separated: what the config said last time, kept in meta.
  std::string given;
  for (const auto& [shortcut, text] : set) given += shortcut + '\0' + text + '\0';
  store::WriteTxn& w = tx.w;
  auto last = w.get(store::Table::meta, "config_canned");
  if (last && *last == given) return false;
  for (const auto& [shortcut, text] : set) {
    CannedReply c;
    c.set_shortcut(shortcut);
    c.set_text(text);
    w.put_proto(store::Table::canned_replies, shortcut, c);
  }
  w.put(store::Table::meta, "config_canned", given);
  return true;
}

std::vector<CannedReply> CannedReplies::list() const {
  std::vector<CannedReply> out;
  snapshot([&](const store::ReadTxn& r) { out = records_of<CannedReply>(r, store::Table::canned_replies); });
  return out;
}

Result<std::string> CannedReplies::expand(const std::string& shortcut,
                                          std::uint64_t conversation) const {
  std::optional<CannedReply> reply;
  std::optional<std::string> name;
  snapshot([&](const store::ReadTxn& r) {
    CannedReply c;
    if (r.get_proto(store::Table::canned_replies, shortcut, c)) reply = std::move(c);
    Conversation conv;
    if (!r.get_proto(store::Table::conversations, be64(conversation), conv)) return;
    Contact person;
    // The person's profile name (an agent may have corrected it) over the channel's name.
    if (conv.contact_id() &&
        r.get_proto(store::Table::contacts, be64(conv.contact_id()), person) &&
        !person.name().empty())
      name = person.name();
    else
      name = conv.contact_name();
  });
  if (!reply) return fail("no canned reply '" + shortcut + "'");
  if (!name) return fail("conversation " + std::to_string(conversation) + " does not exist");
  return fill_name(reply->text(), *name);
}

Result<std::uint64_t> Inbox::reply_canned(std::uint64_t conversation, const std::string& agent,
                                          const std::string& shortcut) {
  auto text = canned_.expand(shortcut, conversation);
  if (!text) return text.error();
  return reply(conversation, agent, *text);
}

}  // namespace sb::inbox
