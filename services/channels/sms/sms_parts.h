// services/channels/sms/sms_parts.h — the SMS channel's durable state in the `sms_parts` table:
// the parts of concatenated messages waiting for their siblings (a reboot between parts loses
// nothing), and the TP-MR of each sent part, to match delivery reports.
//
// Keys: parts are  sender \0 be64(ref) be64(seq) -> be64(arrived wall ms) + PDU hex;
//       references "\0mr" + one octet (the TP-MR) -> be64(message id) + one octet (1: the last
//       part of its message);
//       joined parts "\0dp" + be64(FNV-1a 64 of the PDU hex) -> be64(joined wall ms): the
//       parts of messages already joined and committed, so a modem that stores each SMS twice
//       (SIMCom A7670E, Neoway M590) cannot bring one back as a stray part. A sender is never empty, so the leading \0 keeps the two apart.
//       TP-MR is one octet and wraps after 255: a newer send simply takes the key over.
// Every write is one durable LMDB transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "services/store/store.h"

namespace sb::channels::sms {

struct StoredPart {
  std::string sender;
  std::uint16_t ref = 0;
  std::uint8_t seq = 0;
  std::int64_t arrived_wall_ms = 0;
  std::string pdu;
};

struct SentReference {
  std::uint64_t message_id = 0;
  bool last_part = true;
};

class SmsParts {
 public:
  explicit SmsParts(store::Store& store) : store_(store) {}

  Result<void> put(const StoredPart& part);
  std::vector<StoredPart> all() const;
  Result<void> erase_group(const std::string& sender, std::uint16_t ref);
  // Drops a joined group's parts and remembers their PDUs as joined, in one transaction.
  Result<void> erase_joined_group(const std::string& sender, std::uint16_t ref,
                                  const std::vector<std::string>& pdus, std::int64_t wall_ms);
  // True when a part with exactly this PDU was joined into a committed message.
  bool was_joined(const std::string& pdu) const;
  // Forgets joined parts remembered before `before_wall_ms`; returns how many.
  std::size_t forget_joined_before(std::int64_t before_wall_ms);

  // `mrs` are the references of one message's parts, in order.
  Result<void> put_references(const std::vector<int>& mrs, std::uint64_t message_id);
  std::optional<SentReference> reference(int mr) const;

 private:
  store::Store& store_;
};

}  // namespace sb::channels::sms
