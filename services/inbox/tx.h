// services/inbox/tx.h — internal: one write transaction of the inbox, with the Events it
// appends. Every change to a conversation goes through here, so the record, its history and
// its Events can never disagree.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "services/common/bytes.h"
#include "services/inbox/conversation_index.h"
#include "services/inbox/inbox.h"
#include "services/inbox/lifecycle.h"
#include "services/inbox/message_log.h"
#include "services/inbox/search_index.h"

namespace sb::inbox {

std::string contact_key(const std::string& channel, const std::string& address);

class Tx {
 public:
  Tx(store::WriteTxn& w, std::int64_t now_ms) : w(w), now_ms(now_ms) {}

  store::WriteTxn& w;
  std::int64_t now_ms;
  std::vector<Event> events;
  std::vector<ExternalBotTurn> bot_requests;  // for central's bot, told after the commit
  mutable std::map<std::uint64_t, std::string> loaded_;  // records as last read or written
  // The newest message this Tx appended to each conversation: the head of its history chain,
  // which no copy of the record saved later may step back from.
  std::map<std::uint64_t, std::uint64_t> heads_;

  bool load(std::uint64_t id, Conversation& c) const {
    if (!w.get_proto(store::Table::conversations, be64(id), c)) return false;
    loaded_.insert_or_assign(id, c.SerializeAsString());
    return true;
  }
  void save(Conversation& c) {
    if (auto h = heads_.find(c.id()); h != heads_.end() && h->second > c.newest_message_id())
      c.set_newest_message_id(h->second);
    // A change that leaves the record as loaded (a delivery status) writes nothing: the
    // conversation's tables stay out of that commit, which spares the flash.
    if (auto it = loaded_.find(c.id()); it != loaded_.end()) {
      const std::int64_t updated = c.updated_at_ms();
      Conversation before;
      if (before.ParseFromString(it->second)) {
        c.set_updated_at_ms(before.updated_at_ms());
        if (c.SerializeAsString() == it->second) return;
      }
      c.set_updated_at_ms(updated);
    }
    c.set_updated_at_ms(now_ms);
    file_conversation(w, c);  // queue, agent load, awaiting reply follow the status
    w.put_proto(store::Table::conversations, be64(c.id()), c);
    loaded_.insert_or_assign(c.id(), c.SerializeAsString());
  }
  // Appends an Event (filling seq and time) stamped with the conversation it concerns.
  Event& event(Event::Kind kind, const Conversation& c) {
    Event& e = events.emplace_back();
    e.set_seq(w.next_id("event_seq"));
    e.set_kind(kind);
    e.set_at_ms(now_ms);
    e.set_conversation_id(c.id());
    e.set_channel(c.channel());
    e.set_contact(c.contact());
    e.set_status(status_name_of(c));
    e.set_priority(c.priority());
    return e;
  }
  // An Event about no one conversation (a contact, an agent's presence, the gateway).
  Event& gateway_event(Event::Kind kind) {
    Event& e = events.emplace_back();
    e.set_seq(w.next_id("event_seq"));
    e.set_kind(kind);
    e.set_at_ms(now_ms);
    return e;
  }
  // Events are written when the transaction is done, so each carries its final fields.
  // The chain heads are made sure of here too, whichever copy of a record was saved last.
  void write_events() {
    for (const Event& e : events) w.put_proto(store::Table::events, be64(e.seq()), e);
    for (const auto& [conversation, newest] : heads_) keep_newest(w, conversation, newest);
  }
  Message& append(Conversation& c, Message& m) {
    m.set_id(w.next_id("message_id"));
    m.set_conversation_id(c.id());
    m.set_at_ms(now_ms);
    std::uint64_t& head = heads_[c.id()];
    if (head > c.newest_message_id()) c.set_newest_message_id(head);
    put_new_message(w, c, m);
    head = m.id();
    // Searchable once this commits (written to the file in batches: search_index.h); the
    // history's "why" lines are not worth the space.
    if (m.author() != "system") index_message(w, m.id(), m.text());
    if (m.author() != "system" && !m.note()) {
      c.set_last_text(m.text());
      c.set_last_at_ms(now_ms);
      c.set_customer_last(m.direction() == "in");
    }
    return m;
  }
  // A line in the history saying why something happened ("queued: keyword 'refund'").
  void system_note(Conversation& c, const std::string& text) {
    Message m;
    m.set_direction("out");
    m.set_author("system");
    m.set_text(text);
    append(c, m);
  }
  // An outbound message (agent or bot) queued for its channel.
  Message queue_outbound(Conversation& c, const std::string& author,
                         const std::string& author_name, const std::string& text,
                         bool bot_fallback = false) {
    Message m;
    m.set_direction("out");
    m.set_author(author);
    m.set_author_name(author_name);
    m.set_text(text);
    set_outbound(m, OUTBOUND_QUEUED);
    m.set_bot_fallback(bot_fallback);
    append(c, m);
    switchboard::store::ChannelOutboxEntry o;
    o.set_message_id(m.id());
    o.set_channel(c.channel());
    o.set_created_at_ms(now_ms);
    o.set_next_attempt_ms(0);
    w.put_proto(store::Table::channel_outbox, be64(m.id()), o);
    Event& e = event(Event::MESSAGE_OUT, c);
    e.set_message_id(m.id());
    e.set_text(text);
    e.set_author(author);
    e.set_status(outbound_name(OUTBOUND_QUEUED));
    return m;
  }
};

}  // namespace sb::inbox
