// services/inbox/write_queue.h — the one queue every machine-rate writer (ingest, delivery
// statuses, central's bot replies, dead letters) waits in for the next group commit.
//
// Promises:
// - A batch taken for one commit holds at most `batch_writes` writes and, past its first write,
//   at most `batch_bytes` bytes (LevelDB caps its group the same way): one commit never grows
//   without bound, however much waits.
// - What waits is capped too (`queue_writes`, `queue_bytes`): a writer beyond the cap is refused
//   at once with ErrorCode::busy, so its source keeps the message and sends it again later
//   (a bridge re-sends what was not receipted, a modem keeps the SMS on its SIM).
// - While the disk is full, writers are refused at once with ErrorCode::disk_full instead of
//   each paying for a commit that must fail; one batch is tried again every
//   `disk_full_retry_ms`, so space that comes back is used within that time.
// - At a trickle, the owner may hold the first write of a batch up to `commit_window_ms` for
//   others to join (see Inbox::set_commit_timer): flash pays per commit, not per message, and a
//   receipt a fraction of a second later costs a bridge nothing. Once `window_writes` wait the
//   batch commits at once: under load batches gather by themselves while a commit is in flight,
//   and a sender that waits for its receipts must not be held to one window per batch.
// - With `quiet_gap_ms` set (and a window), `window_writes` waiting no longer commits at once:
//   the batch goes on gathering while writes keep arriving, and commits when none has arrived
//   for `quiet_gap_ms`, when it is full (`batch_writes` or `batch_bytes`), or when the window
//   that its first write opened ends. A firehose (a backlog after an outage, a burst) so fills
//   big batches, and each commit's copy-on-write of every table it changes is shared by many
//   more messages; a sender that waits for its receipts pauses, and its batch commits
//   `quiet_gap_ms` later instead of a window later.
// Not thread-safe: lives on the inbox's thread. The item type is the inbox's; this holds only
// the bookkeeping, so it is tested on its own.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace sb::inbox {

struct WriteLimits {
  std::size_t batch_writes = 1024;
  std::size_t batch_bytes = 1u << 20;
  std::size_t queue_writes = 4096;
  std::size_t queue_bytes = 16u << 20;
  std::int64_t disk_full_retry_ms = 2000;
  std::int64_t commit_window_ms = 0;
  std::size_t window_writes = 64;
  std::int64_t quiet_gap_ms = 0;
};

template <typename Item>
class WriteQueue {
 public:
  explicit WriteQueue(WriteLimits limits = {}) : limits_(limits) {}

  // Why a write of `bytes` cannot wait now (nullopt: it may). `now_ms` is monotonic.
  std::optional<Error> refusal(std::size_t bytes, std::int64_t now_ms) const {
    if (disk_full_until_ && now_ms < *disk_full_until_)
      return fail("disk full: refusing new writes for now (the source keeps them)",
                  ErrorCode::disk_full);
    if (items_.size() >= limits_.queue_writes || bytes_ + bytes > limits_.queue_bytes)
      return fail("write queue full (" + std::to_string(items_.size()) + " writes, " +
                      std::to_string(bytes_ >> 10) + " KiB waiting): try again later",
                  ErrorCode::busy);
    return std::nullopt;
  }

  void push(Item item, std::size_t bytes) {
    bytes_ += bytes;
    items_.push_back({std::move(item), bytes});
  }

  // The next commit's writes, oldest first, within the batch caps.
  std::vector<Item> take_batch() {
    std::vector<Item> batch;
    std::size_t bytes = 0;
    while (!items_.empty() && batch.size() < limits_.batch_writes &&
           (batch.empty() || bytes + items_.front().bytes <= limits_.batch_bytes)) {
      bytes += items_.front().bytes;
      bytes_ -= items_.front().bytes;
      batch.push_back(std::move(items_.front().item));
      items_.pop_front();
    }
    return batch;
  }

  // Everything waiting, for refusing it all at once (the disk is full).
  std::vector<Item> take_all() {
    std::vector<Item> all;
    all.reserve(items_.size());
    for (auto& w : items_) all.push_back(std::move(w.item));
    items_.clear();
    bytes_ = 0;
    return all;
  }

  // The result of a commit: a full disk closes the door for `disk_full_retry_ms`; any commit
  // that succeeds opens it.
  void committed(bool disk_full, std::int64_t now_ms) {
    if (disk_full)
      disk_full_until_ = now_ms + limits_.disk_full_retry_ms;
    else
      disk_full_until_.reset();
  }

  // Enough waits to be worth a commit now, whatever the window.
  bool worth_a_commit() const {
    return items_.size() >= std::min(limits_.window_writes, limits_.batch_writes) ||
           bytes_ >= limits_.batch_bytes;
  }
  // As much as one commit takes: nothing is gained by waiting.
  bool full_batch() const {
    return items_.size() >= limits_.batch_writes || bytes_ >= limits_.batch_bytes;
  }
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  std::size_t bytes() const { return bytes_; }
  const WriteLimits& limits() const { return limits_; }
  void set_limits(WriteLimits limits) { limits_ = limits; }

 private:
  struct Waiting {
    Item item;
    std::size_t bytes;
  };
  WriteLimits limits_;
  std::deque<Waiting> items_;
  std::size_t bytes_ = 0;
  std::optional<std::int64_t> disk_full_until_;
};

}  // namespace sb::inbox
