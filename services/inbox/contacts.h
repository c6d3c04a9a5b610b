// services/inbox/contacts.h — contacts as people: one profile per person across channels,
// found by any of their addresses, searchable by name and address, mergeable by an agent.
//
// Writes happen inside the caller's transaction (a refused one has written nothing); each read
// is one snapshot. Profiles live in LMDB only: the component keeps no state of its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "services/inbox/component.h"
#include "services/inbox/inbound.h"

namespace sb::inbox {

class Contacts : private StoreComponent {
 public:
  Contacts(store::Store& store, Log& log) : StoreComponent(store, log) {}

  // The person behind `msg`'s sender, made sure of for `c`: the conversation's own contact
  // (followed through merges), else the one holding the address, else a new profile. The
  // channel's display name fills an empty profile name; an agent's edit is never overwritten.
  void ensure_contact(Tx& tx, Conversation& c, const InboundMessage& msg);

  std::optional<Contact> contact(std::uint64_t id) const;
  // Name (up to 256 bytes), notes (up to 8192), tags added and removed (1 to 64 bytes, any
  // case); a CONTACT_UPDATED Event when anything changed. Refused for a merged profile.
  Result<void> update_contact(Tx& tx, std::uint64_t id, const std::optional<std::string>& name,
                              const std::optional<std::string>& notes,
                              const std::vector<std::string>& add_tags,
                              const std::vector<std::string>& remove_tags,
                              const std::string& actor);
  // Folds `other` into `keep`: addresses, tags, notes and conversations; `other` remains as a
  // tombstone pointing at `keep`.
  Result<void> merge_contacts(Tx& tx, std::uint64_t keep, std::uint64_t other,
                              const std::string& actor);
  // Every message of every conversation of the person, in order (the merged view).
  std::vector<Message> contact_history(std::uint64_t contact) const;
  std::vector<std::uint64_t> contact_conversations(std::uint64_t contact) const;

 private:
  std::vector<Message> history(std::uint64_t conversation) const;
};

}  // namespace sb::inbox
