#include "services/sync/event_publisher.h"

#include <algorithm>

#include "services/common/bytes.h"

namespace sb::sync {

using switchboard::v1::Event;
using switchboard::v1::EventBatch;

EventPublisher::EventPublisher(store::Store& store, broker::Broker& transport, const Clock& clock,
                               Log& log, Metrics& metrics, std::string gateway_id, Limits limits)
    : store_(store),
      transport_(transport),
      clock_(clock),
      log_(log),
      topic_("switchboard/" + gateway_id + "/events"),
      gateway_id_(std::move(gateway_id)),
      limits_(limits),
      published_(metrics.counter("switchboard_events_published_total",
                                 "Events published to central (first time and replays)")),
      batches_(metrics.counter("switchboard_event_batches_published_total",
                               "EventBatch messages published to central")),
      replay_tokens_(limits.replay_requests_per_minute),
      replay_tokens_at_ms_(clock.monotonic_ms()),
      replay_refused_(metrics.counter("switchboard_replay_requests_refused_total",
                                      "ReplayRequests ignored for arriving too often")) {
  store_.read([&](const store::ReadTxn& r) {
    if (auto v = r.get(store::Table::meta, "events_acked")) acked_ = from_be64(*v);
  });
  persisted_acked_ = sent_ = acked_;
  persisted_at_ms_ = clock_.monotonic_ms();
  metrics.gauge_fn("switchboard_outbox_depth", "Events committed but not yet acknowledged by the broker",
                   [this] { return static_cast<double>(depth()); });
}

EventPublisher::~EventPublisher() {
  if (acked_ != persisted_acked_) persist();
}

std::uint64_t EventPublisher::last_seq() const {
  std::uint64_t last = 0;
  store_.read([&](const store::ReadTxn& r) {
    if (auto v = r.get(store::Table::meta, "event_seq")) last = from_be64(*v);
  });
  return last;
}

std::uint64_t EventPublisher::read_batch(std::uint64_t from_seq, std::uint64_t to_seq,
                                         EventBatch& batch) const {
  std::uint64_t last = 0;
  std::size_t bytes = 0;
  batch.set_gateway_id(gateway_id_);
  store_.read([&](const store::ReadTxn& r) {
    r.scan(store::Table::events, be64(from_seq), [&](std::string_view k, std::string_view v) {
      std::uint64_t seq = from_be64(k);
      if (to_seq && seq > to_seq) return false;
      Event* e = batch.add_events();
      if (!e->ParseFromArray(v.data(), static_cast<int>(v.size()))) {
        batch.mutable_events()->RemoveLast();
        return true;
      }
      last = seq;
      bytes += v.size();
      return batch.events_size() < static_cast<int>(limits_.max_events_per_batch) &&
             bytes < limits_.max_batch_bytes;
    });
  });
  return last;
}

void EventPublisher::drain() {
  while (transport_.connected() && in_flight_.size() + replay_in_flight_ < limits_.max_in_flight) {
    // Replays go first: central is waiting to close a gap.
    const bool replaying = replay_next_ != 0;
    std::uint64_t from = replaying ? replay_next_ : sent_ + 1;
    EventBatch batch;
    std::uint64_t last = read_batch(from, replaying ? replay_to_ : 0, batch);
    if (replaying) {
      replay_next_ = (last == 0 || (replay_to_ && last >= replay_to_)) ? 0 : last + 1;
      if (last == 0) continue;
    } else if (last == 0) {
      return;
    }
    auto f = std::make_shared<InFlight>(InFlight{replaying ? 0 : last, false, false, generation_});
    const int n = batch.events_size();
    bool accepted = transport_.publish(
        topic_, batch.SerializeAsString(), false, [this, f, replaying](bool ok) {
          if (replaying) {
            if (f->generation != generation_) return;
            replay_in_flight_--;
            if (!ok) return on_disconnected();
            return drain();
          }
          f->done = true;
          f->ok = ok;
          on_published(f);
        });
    if (!accepted) return;
    if (replaying) replay_in_flight_++;
    published_ += n;
    batches_++;
    if (!replaying) {
      sent_ = last;
      in_flight_.push_back(f);
    }
  }
}

void EventPublisher::on_published(const std::shared_ptr<InFlight>& f) {
  if (f->generation != generation_) return;
  if (!f->ok) {
    on_disconnected();
    return;
  }
  // The boundary moves over a contiguous prefix of acknowledged batches only.
  while (!in_flight_.empty() && in_flight_.front()->done && in_flight_.front()->ok) {
    acked_ = std::max(acked_, in_flight_.front()->last_seq);
    in_flight_.pop_front();
  }
  drain();
}

void EventPublisher::on_disconnected() {
  generation_++;
  in_flight_.clear();
  replay_in_flight_ = 0;
  sent_ = acked_;
}

void EventPublisher::publish_now(const Event& event) {
  EventBatch batch;
  batch.set_gateway_id(gateway_id_);
  *batch.add_events() = event;
  if (transport_.publish(topic_, batch.SerializeAsString(), false, [](bool) {})) published_++;
}

bool EventPublisher::replay(std::uint64_t from_seq, std::uint64_t to_seq) {
  const double per_minute = limits_.replay_requests_per_minute;
  const std::int64_t now = clock_.monotonic_ms();
  replay_tokens_ = std::min(per_minute, replay_tokens_ + (now - replay_tokens_at_ms_) *
                                                             per_minute / 60'000.0);
  replay_tokens_at_ms_ = now;
  if (replay_tokens_ < 1) {
    replay_refused_++;
    if (!replay_refusing_)
      log_.warn("sync", "replay requests arrive more often than ",
                limits_.replay_requests_per_minute, " a minute: ignoring them for now");
    replay_refusing_ = true;
    return false;
  }
  replay_tokens_ -= 1;
  replay_refusing_ = false;
  if (from_seq == 0) from_seq = 1;
  const std::uint64_t cap = from_seq + limits_.replay_max_events_per_request - 1;
  if (to_seq == 0 || to_seq > cap) to_seq = cap;
  if (to_seq < from_seq) return true;
  log_.info("sync", "central asked for events from ", from_seq, ": replaying up to ", to_seq);
  replay_next_ = from_seq;
  replay_to_ = to_seq;
  drain();
  return true;
}

void EventPublisher::maintain() {
  const bool lags_far = acked_ - persisted_acked_ >= limits_.boundary_lag_events;
  const bool lags_long = acked_ != persisted_acked_ &&
                         clock_.monotonic_ms() - persisted_at_ms_ >= limits_.boundary_lag_ms;
  if (lags_far || lags_long) persist();
}

void EventPublisher::persist() {
  const std::int64_t cutoff = clock_.wall_ms() - limits_.replay_max_age_ms;
  const std::uint64_t last = last_seq();
  const std::uint64_t keep_from =
      last > limits_.replay_max_events ? last - limits_.replay_max_events : 0;
  const std::uint64_t acked = acked_;
  auto r = store_.write([&](store::WriteTxn& w) -> Result<void> {
    if (acked != persisted_acked_) w.put(store::Table::meta, "events_acked", be64(acked));
    // Only acknowledged events leave; each pass removes a bounded number to keep it short.
    std::vector<std::string> doomed;
    w.scan(store::Table::events, {}, [&](std::string_view k, std::string_view v) {
      std::uint64_t seq = from_be64(k);
      if (seq > acked || doomed.size() >= 5000) return false;
      Event e;
      bool old = seq <= keep_from || (e.ParseFromArray(v.data(), static_cast<int>(v.size())) &&
                                      e.at_ms() < cutoff);
      if (!old) return false;
      doomed.emplace_back(k);
      return true;
    });
    for (const auto& k : doomed) w.del(store::Table::events, k);
    return {};
  });
  persisted_at_ms_ = clock_.monotonic_ms();  // a failure is tried again after the same lag
  if (r)
    persisted_acked_ = acked;
  else
    log_.warn("sync", "cannot persist the outbox boundary: ", r.error().message);
}

}  // namespace sb::sync
