// Search::search: contacts and message text through the inverted index (search_index.h).
#include "services/inbox/message_log.h"
#include "services/inbox/search.h"
#include "services/inbox/search_index.h"

namespace sb::inbox {

SearchResult Search::search(const std::string& query, std::size_t limit) const {
  SearchResult out;
  const ParsedQuery q = parse_query(query);
  if (q.exact.empty() && q.prefix.empty()) return out;
  snapshot([&](const store::ReadTxn& r) {
    auto load_message = [&](std::uint64_t id, Message& m) { return get_message(r, id, m); };
    auto message_terms = [&](std::uint64_t id) {
      Message m;
      return load_message(id, m) ? search_terms(m.text()) : std::vector<std::string>{};
    };
    for (std::uint64_t id :
         find_ids(r, store::Table::search_terms, store::Table::messages, q, limit, message_terms)) {
      Message m;
      if (!load_message(id, m) || m.author() == "system") continue;
      MessageHit h;
      h.conversation_id = m.conversation_id();
      h.message_id = id;
      h.author = m.author();
      h.note = m.note();
      h.at_ms = m.at_ms();
      h.snippet = snippet(m.text(), q);
      out.messages.push_back(std::move(h));
    }
    auto contact_terms = [&](std::uint64_t id) {
      Contact c;
      if (!r.get_proto(store::Table::contacts, be64(id), c)) return std::vector<std::string>{};
      return std::vector<std::string>(c.indexed_terms().begin(), c.indexed_terms().end());
    };
    for (std::uint64_t id :
         find_ids(r, store::Table::contact_terms, store::Table::contacts, q, limit, contact_terms)) {
      Contact c;
      if (r.get_proto(store::Table::contacts, be64(id), c) && c.merged_into() == 0)
        out.contacts.push_back(std::move(c));
    }
  });
  return out;
}

}  // namespace sb::inbox
