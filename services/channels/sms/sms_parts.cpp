#include "services/channels/sms/sms_parts.h"

#include <cctype>

#include "services/common/bytes.h"

namespace sb::channels::sms {

namespace {

std::string group_prefix(const std::string& sender, std::uint16_t ref) {
  return sender + std::string(1, '\0') + be64(ref);
}

const std::string kJoinedPrefix("\0dp", 3);

std::string joined_key(const std::string& pdu) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a: stable across builds and restarts
  for (char c : pdu) {
    h ^= static_cast<unsigned char>(std::toupper(static_cast<unsigned char>(c)));
    h *= 1099511628211ULL;
  }
  return kJoinedPrefix + be64(h);
}

std::string mr_key(int mr) { return std::string("\0mr", 3) + static_cast<char>(mr & 0xff); }

}  // namespace

Result<void> SmsParts::put(const StoredPart& p) {
  if (p.sender.empty()) return fail("an SMS part without a sender cannot be kept");
  return store_.write([&](store::WriteTxn& w) -> Result<void> {
    w.put(store::Table::sms_parts, group_prefix(p.sender, p.ref) + be64(p.seq),
          be64(static_cast<std::uint64_t>(p.arrived_wall_ms)) + p.pdu);
    return {};
  });
}

std::vector<StoredPart> SmsParts::all() const {
  std::vector<StoredPart> out;
  store_.read([&](const store::ReadTxn& r) {
    r.scan(store::Table::sms_parts, std::string_view("\x01", 1),
           [&](std::string_view k, std::string_view v) {
             auto nul = k.find('\0');
             if (nul == std::string_view::npos || k.size() != nul + 17 || v.size() < 8)
               return true;
             StoredPart p;
             p.sender = std::string(k.substr(0, nul));
             p.ref = static_cast<std::uint16_t>(from_be64(k, nul + 1));
             p.seq = static_cast<std::uint8_t>(from_be64(k, nul + 9));
             p.arrived_wall_ms = static_cast<std::int64_t>(from_be64(v));
             p.pdu = std::string(v.substr(8));
             out.push_back(std::move(p));
             return true;
           });
  });
  return out;
}

namespace {
// Deletes every part kept under `prefix` (one group), inside the caller's transaction.
void erase_parts(store::WriteTxn& w, const std::string& prefix) {
  std::vector<std::string> keys;
  w.scan(store::Table::sms_parts, prefix, [&](std::string_view k, std::string_view) {
    if (k.substr(0, prefix.size()) != prefix) return false;
    keys.emplace_back(k);
    return true;
  });
  for (const auto& k : keys) w.del(store::Table::sms_parts, k);
}
}  // namespace

Result<void> SmsParts::erase_group(const std::string& sender, std::uint16_t ref) {
  const std::string prefix = group_prefix(sender, ref);
  return store_.write([&](store::WriteTxn& w) -> Result<void> {
    erase_parts(w, prefix);
    return {};
  });
}

Result<void> SmsParts::erase_joined_group(const std::string& sender, std::uint16_t ref,
                                          const std::vector<std::string>& pdus,
                                          std::int64_t wall_ms) {
  const std::string prefix = group_prefix(sender, ref);
  return store_.write([&](store::WriteTxn& w) -> Result<void> {
    erase_parts(w, prefix);
    for (const auto& p : pdus)
      w.put(store::Table::sms_parts, joined_key(p), be64(static_cast<std::uint64_t>(wall_ms)));
    return {};
  });
}

bool SmsParts::was_joined(const std::string& pdu) const {
  bool found = false;
  store_.read([&](const store::ReadTxn& r) {
    found = r.get(store::Table::sms_parts, joined_key(pdu)).has_value();
  });
  return found;
}

std::size_t SmsParts::forget_joined_before(std::int64_t before_wall_ms) {
  std::vector<std::string> old;
  store_.read([&](const store::ReadTxn& r) {
    r.scan(store::Table::sms_parts, kJoinedPrefix, [&](std::string_view k, std::string_view v) {
      if (k.substr(0, kJoinedPrefix.size()) != kJoinedPrefix) return false;
      if (v.size() >= 8 && static_cast<std::int64_t>(from_be64(v)) < before_wall_ms)
        old.emplace_back(k);
      return true;
    });
  });
  if (old.empty()) return 0;
  auto r = store_.write([&](store::WriteTxn& w) -> Result<void> {
    for (const auto& k : old) w.del(store::Table::sms_parts, k);
    return {};
  });
  return r ? old.size() : 0;
}

Result<void> SmsParts::put_references(const std::vector<int>& mrs, std::uint64_t message_id) {
  return store_.write([&](store::WriteTxn& w) -> Result<void> {
    for (std::size_t i = 0; i < mrs.size(); ++i)
      w.put(store::Table::sms_parts, mr_key(mrs[i]),
            be64(message_id) + std::string(1, i + 1 == mrs.size() ? '\1' : '\0'));
    return {};
  });
}

std::optional<SentReference> SmsParts::reference(int mr) const {
  std::optional<SentReference> out;
  store_.read([&](const store::ReadTxn& r) {
    if (auto v = r.get(store::Table::sms_parts, mr_key(mr)); v && v->size() >= 9)
      out = SentReference{from_be64(*v), (*v)[8] == '\1'};
  });
  return out;
}

}  // namespace sb::channels::sms
