#include "services/inbox/audit_log.h"

#include <algorithm>

#include "services/common/bytes.h"

namespace sb::inbox {

std::uint64_t append_audit(store::WriteTxn& w, const AuditEntry& e, std::size_t cap) {
  cap = std::max<std::size_t>(cap, 1);
  const std::uint64_t n = w.next_id("audit_seq");
  w.put_proto(store::Table::audit, be64(n), e);
  if (n <= cap) return n;
  // Keys are numbers in order, so everything below n - cap + 1 is beyond the cap. Usually that
  // is the one oldest entry; after the cap was lowered it is many, taken a slice at a time.
  const std::uint64_t first_kept = n - cap + 1;
  std::vector<std::string> drop;
  w.scan(store::Table::audit, {}, [&](std::string_view k, std::string_view) {
    if (k.size() != 8 || from_be64(k) >= first_kept) return false;
    drop.emplace_back(k);
    return drop.size() < kAuditTrimPerAppend;
  });
  for (const auto& k : drop) w.del(store::Table::audit, k);
  return n;
}

std::vector<std::pair<std::uint64_t, AuditEntry>> recent_audit(const store::ReadTxn& r,
                                                                std::size_t limit,
                                                                std::uint64_t before) {
  std::vector<std::pair<std::uint64_t, AuditEntry>> out;
  if (limit == 0 || before == 1) return out;
  const std::string from = before == 0 ? std::string(8, '\xff') : be64(before - 1);
  r.scan_back(store::Table::audit, from, [&](std::string_view k, std::string_view v) {
    AuditEntry e;
    if (k.size() != 8 || !e.ParseFromArray(v.data(), static_cast<int>(v.size()))) return true;
    out.emplace_back(from_be64(k), std::move(e));
    return out.size() < limit;
  });
  return out;
}

bool each_audit(const store::ReadTxn& r, std::int64_t since_ms, std::int64_t until_ms,
                const std::function<bool(std::uint64_t n, const AuditEntry&)>& visit) {
  bool sound = true;
  r.scan(store::Table::audit, {}, [&](std::string_view k, std::string_view v) {
    AuditEntry e;
    if (k.size() != 8 || !e.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
      sound = false;
      return false;
    }
    // Entries are in the order they were written; the wall clock may have stepped back
    // between two, so the range is checked on every one rather than ended at the first past it.
    if (e.at_ms() < since_ms || e.at_ms() >= until_ms) return true;
    return visit(from_be64(k), e);
  });
  return sound;
}

}  // namespace sb::inbox

// --- The inbox's side: entries in the action's own transaction ---
#include "services/inbox/inbox.h"

namespace sb::inbox {

void Inbox::begin_audit(AuditEntry e) {
  audit_ = std::move(e);
  audit_written_ = false;
}

bool Inbox::end_audit() {
  audit_.reset();
  return std::exchange(audit_written_, false);
}

bool Inbox::audit_in(store::WriteTxn& w, std::int64_t now_ms) {
  if (!audit_ || audit_written_) return false;
  AuditEntry e = *audit_;
  e.set_at_ms(now_ms);
  append_audit(w, e, audit_cap_);
  return true;
}

void Inbox::audit_later(AuditEntry e) {
  e.set_at_ms(clock_.wall_ms());
  const std::size_t bytes = 64 + e.ByteSizeLong();
  write_later(
      bytes,
      [e = std::move(e), cap = audit_cap_](store::WriteTxn& w) -> Result<void> {
        append_audit(w, e, cap);
        return {};
      },
      [&log = log_](const Result<void>& r) {
        if (!r) log.warn("audit", "cannot keep an audit entry: ", r.error().message);
      });
}

}  // namespace sb::inbox
