// The channel outbox read for its adapters: be64(message id) keys, so a scan walks it in
// message order (oldest first), every channel interleaved.
#include "services/inbox/tx.h"

namespace sb::inbox {

std::vector<Inbox::OutboxEntry> Inbox::outbox_due(const OutboxChannels& channels,
                                                  const OutboxWaiting& waiting,
                                                  std::size_t limit) const {
  std::vector<OutboxEntry> due;
  if (limit == 0) return due;
  snapshot([&](const store::ReadTxn& r) {
    r.scan(store::Table::channel_outbox, {}, [&](std::string_view k, std::string_view v) {
      // The key is the message id: an entry waiting for its next try is passed over before
      // its record is parsed (while a broker is away, most of the outbox waits).
      if (waiting && waiting(from_be64(k))) return true;
      OutboxEntry e;
      if (!e.ParseFromArray(v.data(), static_cast<int>(v.size()))) return true;
      if (!channels.covers(e.channel())) return true;
      due.push_back(std::move(e));
      return due.size() < limit;
    });
  });
  return due;
}

std::vector<Inbox::OutboxEntry> Inbox::outbox_entries(
    const OutboxChannels& channels, const std::vector<std::uint64_t>& message_ids) const {
  std::vector<OutboxEntry> out;
  snapshot([&](const store::ReadTxn& r) {
    for (std::uint64_t id : message_ids) {
      OutboxEntry e;
      if (!r.get_proto(store::Table::channel_outbox, be64(id), e)) continue;
      if (channels.covers(e.channel())) out.push_back(std::move(e));
    }
  });
  return out;
}

}  // namespace sb::inbox
