// services/inbox/audit_log.h — who did what, when and from where: every agent and admin action
// (logins, replies, assignments, closes, user and config changes) in one LMDB table of bounded
// size. An entry is written in the transaction of the action it describes where the inbox
// writes that action (Inbox::begin_audit), else in the next group commit (Inbox::audit_later):
// the log costs no commit of its own.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "services/proto/records.pb.h"
#include "services/store/store.h"

namespace sb::inbox {

using AuditEntry = switchboard::store::AuditEntry;

// Entries kept unless [audit] max_entries says otherwise (about 100 bytes each).
constexpr std::size_t kAuditDefaultCap = 50000;
// Oldest entries one append drops at most: a lowered cap is reached over the next appends,
// never in one huge transaction.
constexpr std::size_t kAuditTrimPerAppend = 256;

// Appends `e` inside `w` under the next audit number and drops the oldest entries beyond
// `cap` (at least 1). Returns the entry's number.
std::uint64_t append_audit(store::WriteTxn& w, const AuditEntry& e, std::size_t cap);

// Up to `limit` entries, newest first, numbered below `before` (0: from the newest).
std::vector<std::pair<std::uint64_t, AuditEntry>> recent_audit(const store::ReadTxn& r,
                                                                std::size_t limit,
                                                                std::uint64_t before = 0);

// Every entry with since_ms <= at_ms < until_ms, oldest first, until `visit` returns false.
// False when a record does not parse (a damaged file).
bool each_audit(const store::ReadTxn& r, std::int64_t since_ms, std::int64_t until_ms,
                const std::function<bool(std::uint64_t n, const AuditEntry&)>& visit);

}  // namespace sb::inbox
