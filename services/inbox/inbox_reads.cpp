// Reads: each from one LMDB snapshot, never blocking the writer.
#include "services/inbox/tx.h"

namespace sb::inbox {

void Inbox::snapshot(const std::function<void(const store::ReadTxn&)>& fn) const {
  read_snapshot(store_, log_, fn);
}

std::optional<Conversation> Inbox::conversation(std::uint64_t id) const {
  std::optional<Conversation> out;
  snapshot([&](const store::ReadTxn& r) {
    Conversation c;
    if (r.get_proto(store::Table::conversations, be64(id), c)) out = std::move(c);
  });
  return out;
}

std::vector<Message> Inbox::history(std::uint64_t conversation) const {
  std::vector<Message> out;
  snapshot([&](const store::ReadTxn& r) { out = read_history(r, conversation); });
  return out;
}

std::vector<Conversation> Inbox::conversations(const ConversationFilter& f) const {
  std::vector<Conversation> out;
  snapshot([&](const store::ReadTxn& r) {
    // Newest first: conversation ids grow with time.
    r.scan_back(store::Table::conversations, {}, [&](std::string_view, std::string_view v) {
      Conversation c;
      if (!c.ParseFromArray(v.data(), static_cast<int>(v.size()))) return true;
      if (c.snoozed() != f.snoozed) return true;
      if (f.status && status_of(c) != *f.status) return true;
      if (f.channel && c.channel() != *f.channel) return true;
      if (f.department && c.department() != *f.department) return true;
      if (f.assignee && c.assignee() != *f.assignee) return true;
      if (f.tag) {
        bool has = false;
        for (const auto& t : c.tags()) has = has || t == *f.tag;
        if (!has) return true;
      }
      out.push_back(std::move(c));
      return out.size() < f.limit;
    });
  });
  return out;
}

std::optional<Message> Inbox::message(std::uint64_t id) const {
  std::optional<Message> out;
  snapshot([&](const store::ReadTxn& r) {
    Message m;
    if (get_message(r, id, m)) out = std::move(m);
  });
  return out;
}

std::optional<Event> Inbox::event(std::uint64_t seq) const {
  std::optional<Event> out;
  snapshot([&](const store::ReadTxn& r) {
    Event e;
    if (r.get_proto(store::Table::events, be64(seq), e)) out = std::move(e);
  });
  return out;
}

std::optional<Event> Inbox::receipt(const std::string& channel,
                                    const std::string& external_id) const {
  std::optional<Event> out;
  snapshot([&](const store::ReadTxn& r) {
    auto seen = r.get(store::Table::dedupe, contact_key(channel, external_id));
    if (!seen) return;
    Event e;
    if (r.get_proto(store::Table::events, be64(from_be64(*seen, 8)), e)) {
      out = std::move(e);
      return;
    }
    // The original Event has left the replay log: the receipt is rebuilt from the message.
    e.set_seq(from_be64(*seen, 8));
    e.set_kind(Event::MESSAGE_IN);
    e.set_channel(channel);
    e.set_external_id(external_id);
    e.set_message_id(from_be64(*seen, 0));
    out = std::move(e);
  });
  return out;
}

}  // namespace sb::inbox
