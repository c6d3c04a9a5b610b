// services/inbox/search.h — contacts and message text found by words, through the inverted
// index (search_index.h) that the inbox's transactions keep: a message is indexed by the commit
// that appends it (Tx::append), a contact by the one that changes its profile.
//
// Each search is one read snapshot; the component keeps no state of its own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "services/inbox/component.h"

namespace sb::inbox {

struct MessageHit {
  std::uint64_t conversation_id = 0;
  std::uint64_t message_id = 0;
  std::string author;
  bool note = false;
  std::int64_t at_ms = 0;
  std::string snippet;
};
struct SearchResult {
  std::vector<Contact> contacts;   // profiles whose name or address matches, newest first
  std::vector<MessageHit> messages;
};

class Search : private StoreComponent {
 public:
  Search(store::Store& store, Log& log) : StoreComponent(store, log) {}

  // Every word must match (the last one as a prefix); newest first; both kinds up to `limit`.
  // The history's "why" lines (author "system") and merged profiles are never hits.
  SearchResult search(const std::string& query, std::size_t limit) const;

};

}  // namespace sb::inbox
