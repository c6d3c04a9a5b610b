// services/sync/event_publisher.h — drains the `events` outbox to central, in sequence order.
//
// Events are published as EventBatch at QoS 1 on switchboard/<gw>/events. The outbox boundary
// moves only when the broker has acknowledged a batch and every batch before it. It is kept in
// memory and written to `events_acked` in meta only when it lags the stored one by
// `boundary_lag_events` or `boundary_lag_ms` (and when the publisher is destroyed): a commit per
// acknowledgement would wear the flash for bookkeeping nobody needs durable. After a
// reconnection publishing resumes after the in-memory boundary; after a crash, after the stored
// one, so at most the unacknowledged tail plus that lag goes out again (central deduplicates by
// sequence number). Acknowledged events stay as a replay log, pruned by age and
// count, and a ReplayRequest publishes a range again. Lives on the io_context thread.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "hal/clock/clock.h"
#include "base/log.h"
#include "services/common/metrics.h"
#include "services/proto/switchboard.pb.h"
#include "services/store/store.h"
#include "services/broker/broker.h"

namespace sb::sync {

class EventPublisher {
 public:
  struct Limits {
    std::size_t max_events_per_batch = 1000;
    std::size_t max_batch_bytes = 256 * 1024;
    std::size_t max_in_flight = 16;
    std::int64_t replay_max_age_ms = 72ll * 3600 * 1000;
    std::uint64_t replay_max_events = 1000000;
    // How far the stored boundary may lag the acknowledged one (what a crash re-publishes).
    std::uint64_t boundary_lag_events = 4096;
    std::int64_t boundary_lag_ms = 10'000;
    // A ReplayRequest is bounded: it publishes at most this many events (central asks again
    // from where it got to for more), and requests are taken at most this many a minute (a
    // burst of that many, then one every 60 s / N); the rest are ignored, counted and logged
    // once per episode. Replayed batches share the in-flight window with new ones.
    std::uint64_t replay_max_events_per_request = 10000;
    int replay_requests_per_minute = 6;
  };

  EventPublisher(store::Store& store, broker::Broker& transport, const Clock& clock, Log& log,
                 Metrics& metrics, std::string gateway_id, Limits limits);
  ~EventPublisher();  // stores the boundary (a clean stop re-publishes nothing)
  EventPublisher(const EventPublisher&) = delete;
  EventPublisher& operator=(const EventPublisher&) = delete;

  // New events were committed, or the link came up: publish what is waiting.
  void drain();
  // The connection dropped: what was in flight is published again after reconnection.
  void on_disconnected();
  // Publishes one stored event again right now (a receipt for a duplicate delivery).
  void publish_now(const switchboard::v1::Event& event);
  // central asked for events again from `from_seq` (to `to_seq`, 0 = the latest); false when
  // refused for the request rate.
  bool replay(std::uint64_t from_seq, std::uint64_t to_seq);
  // Stores the outbox boundary once it lags too far (Limits) and then prunes the replay log in
  // the same commit (run from a timer, and at stop).
  void maintain();

  std::uint64_t acked_seq() const { return acked_; }
  std::uint64_t last_seq() const;
  std::uint64_t depth() const { return last_seq() - acked_; }

 private:
  struct InFlight {
    std::uint64_t last_seq;
    bool done = false;
    bool ok = false;
    std::uint64_t generation;
  };
  void on_published(const std::shared_ptr<InFlight>& f);
  // Reads events (from_seq .. up to the limits) into one batch; returns the last seq, 0 if none.
  std::uint64_t read_batch(std::uint64_t from_seq, std::uint64_t to_seq,
                           switchboard::v1::EventBatch& batch) const;
  void persist();

  store::Store& store_;
  broker::Broker& transport_;
  const Clock& clock_;
  Log& log_;
  std::string topic_, gateway_id_;
  Limits limits_;
  std::uint64_t acked_ = 0, persisted_acked_ = 0, sent_ = 0;
  std::int64_t persisted_at_ms_ = 0;  // monotonic
  std::uint64_t generation_ = 0;  // bumps on disconnect: late acks of an old link are ignored
  std::deque<std::shared_ptr<InFlight>> in_flight_;
  std::uint64_t replay_next_ = 0, replay_to_ = 0;
  std::atomic<std::int64_t>& published_;
  std::atomic<std::int64_t>& batches_;
  std::size_t replay_in_flight_ = 0;  // replayed batches not yet acknowledged
  double replay_tokens_;              // requests the rate allows now
  std::int64_t replay_tokens_at_ms_;  // monotonic
  bool replay_refusing_ = false;      // in an episode of refused requests (logged once)
  std::atomic<std::int64_t>& replay_refused_;
};

}  // namespace sb::sync
