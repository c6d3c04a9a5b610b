// services/inbox/canned_replies.h — canned replies: short texts an agent sends by shortcut, kept
// in LMDB; the config (and central) upsert them, admins edit them.
//
// Writes happen inside the caller's transaction (a refused one has written nothing); each read
// is one snapshot. The replies live in LMDB only: the component keeps no state of its own.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "services/inbox/component.h"

namespace sb::inbox {

class CannedReplies : private StoreComponent {
 public:
  CannedReplies(store::Store& store, Log& log) : StoreComponent(store, log) {}

  // A shortcut is 1 to 64 bytes without spaces, a text 1 to 4096 bytes.
  Result<void> upsert(Tx& tx, const std::string& shortcut, const std::string& text);
  Result<void> erase(Tx& tx, const std::string& shortcut);
  // The config's canned replies (shortcut, text), written only when they differ from the set
  // the config gave last time: a restart or SIGHUP leaves admins' edits and deletions alone,
  // a changed config section (a new push from central) wins. Returns whether it wrote.
  Result<bool> apply_config(Tx& tx, const std::vector<std::pair<std::string, std::string>>& set);
  std::vector<CannedReply> list() const;  // by shortcut
  // The reply's text with {name} filled from the conversation's contact.
  Result<std::string> expand(const std::string& shortcut, std::uint64_t conversation) const;

};

}  // namespace sb::inbox
