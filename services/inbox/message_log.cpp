// Messages keyed by id, each conversation's history a chain through them (message_log.h).
#include "services/inbox/message_log.h"

#include <algorithm>

#include "services/common/bytes.h"

namespace sb::inbox {

using switchboard::store::Conversation;
using switchboard::store::Message;

namespace {
// Whether any message still waits in the older layout (a cheap count from the file's header).
bool older_layout_left(const store::ReadTxn& r) {
  return r.entries(store::Table::messages_v2) > 0;
}
}  // namespace

void put_new_message(store::WriteTxn& w, Conversation& c, Message& m) {
  m.set_previous_id(c.newest_message_id());
  w.put_proto(store::Table::messages, be64(m.id()), m);
  c.set_newest_message_id(m.id());
}

void put_message(store::WriteTxn& w, const Message& m) {
  w.put_proto(store::Table::messages, be64(m.id()), m);
}

bool keep_newest(store::WriteTxn& w, std::uint64_t conversation, std::uint64_t newest) {
  Conversation c;
  if (!w.get_proto(store::Table::conversations, be64(conversation), c)) return false;
  if (c.newest_message_id() >= newest) return true;
  c.set_newest_message_id(newest);
  w.put_proto(store::Table::conversations, be64(conversation), c);
  return true;
}

bool get_message(const store::ReadTxn& r, std::uint64_t id, Message& m) {
  if (r.get_proto(store::Table::messages, be64(id), m)) return true;
  if (!older_layout_left(r)) return false;
  auto conv = r.get(store::Table::message_index, be64(id));
  return conv && r.get_proto(store::Table::messages_v2, std::string(*conv) + be64(id), m);
}

std::vector<Message> read_history(const store::ReadTxn& r, std::uint64_t conversation,
                                  bool* damaged, std::size_t max) {
  std::vector<Message> out;
  auto broken = [&] {
    if (damaged) *damaged = true;
  };
  Conversation c;
  std::uint64_t id =
      r.get_proto(store::Table::conversations, be64(conversation), c) ? c.newest_message_id() : 0;
  while (id != 0 && out.size() < max) {
    Message m;
    if (!r.get_proto(store::Table::messages, be64(id), m)) {
      broken();
      break;
    }
    // Ids only grow along a history: a link that does not go back is damage, never a loop.
    const std::uint64_t previous = m.previous_id();
    if (previous >= id) broken();
    out.push_back(std::move(m));
    if (previous >= id) break;
    id = previous;
  }
  std::reverse(out.begin(), out.end());
  if (older_layout_left(r)) {
    // Messages not moved yet are all older than any moved or new one of the same conversation
    // (the move goes oldest first and leaves nothing behind it), so they go in front.
    std::vector<Message> older;
    const std::string prefix = be64(conversation);
    r.scan(store::Table::messages_v2, prefix, [&](std::string_view k, std::string_view v) {
      if (k.substr(0, 8) != prefix) return false;
      Message m;
      if (m.ParseFromArray(v.data(), static_cast<int>(v.size())))
        older.push_back(std::move(m));
      else
        broken();
      return true;
    });
    if (!older.empty()) {
      older.insert(older.end(), std::make_move_iterator(out.begin()),
                   std::make_move_iterator(out.end()));
      out = std::move(older);
      std::sort(out.begin(), out.end(),
                [](const Message& a, const Message& b) { return a.id() < b.id(); });
      if (out.size() > max) out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(max));
    }
  }
  return out;
}

Result<std::uint64_t> upgrade_message_layout(store::Store& store, std::size_t step) {
  std::uint64_t moved = 0;
  for (bool more = true; more;) {
    std::size_t done = 0;
    auto ok = store.write([&](store::WriteTxn& w) -> Result<void> {
      done = 0;
      std::vector<std::pair<std::string, std::string>> batch;  // older key, record
      w.scan(store::Table::messages_v2, {}, [&](std::string_view k, std::string_view v) {
        batch.emplace_back(k, v);
        return batch.size() < step;
      });
      // Key order is conversation then id: each conversation's messages come oldest first,
      // each chained to the one before (or to what an earlier step moved).
      Conversation c;
      bool have = false;
      auto finish = [&] {
        if (have) w.put_proto(store::Table::conversations, be64(c.id()), c);
        have = false;
      };
      for (const auto& [key, value] : batch) {
        Message m;
        if (key.size() != 16 || !m.ParseFromString(value))
          return fail("a message record of the older layout does not parse (key of " +
                      std::to_string(key.size()) + " bytes)");
        const std::uint64_t conv = from_be64(key, 0);
        if (!have || c.id() != conv) {
          finish();
          c.Clear();
          // A message whose conversation record is gone is kept (readable by id), unchained.
          have = w.get_proto(store::Table::conversations, be64(conv), c);
        }
        if (have && c.newest_message_id() > m.id()) {
          // Newer messages were chained while this one waited (a start that stopped half way,
          // then served): splice it in below the oldest of them that is newer than it.
          std::uint64_t above = c.newest_message_id();
          Message x;
          while (get_message(w, above, x) && x.previous_id() > m.id()) above = x.previous_id();
          if (x.id() == above && x.previous_id() < m.id()) {
            m.set_previous_id(x.previous_id());
            x.set_previous_id(m.id());
            w.put_proto(store::Table::messages, be64(x.id()), x);
          }
        } else {
          m.set_previous_id(have ? c.newest_message_id() : 0);
          if (have) c.set_newest_message_id(m.id());
        }
        w.put_proto(store::Table::messages, be64(m.id()), m);
        w.del(store::Table::messages_v2, key);
        w.del(store::Table::message_index, be64(m.id()));
        ++done;
      }
      finish();
      if (batch.size() < step) {
        // Index entries of messages that were never stored (none are expected) go too.
        std::vector<std::string> left;
        w.scan(store::Table::message_index, {}, [&](std::string_view k, std::string_view) {
          left.emplace_back(k);
          return left.size() < step;
        });
        for (const auto& k : left) w.del(store::Table::message_index, k);
      }
      return {};
    });
    if (!ok) return fail(ok.error().message);
    moved += done;
    more = done == step;
  }
  return moved;
}

}  // namespace sb::inbox
