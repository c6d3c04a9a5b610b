#include <doctest/doctest.h>

#include <deque>

#include "services/broker/memory_broker.h"
#include "services/common/bytes.h"
#include "services/sync/event_publisher.h"
#include "services/sync/replay_request.h"
#include "tests/support/inbox_fixture.h"

using namespace sb;

namespace {

// The EventBatch sequence numbers published so far and not yet acknowledged, in order.
std::vector<std::uint64_t> seqs(const broker::MemoryBroker& t) {
  std::vector<std::uint64_t> out;
  for (const auto& s : t.sent) {
    switchboard::v1::EventBatch batch;
    REQUIRE(batch.ParseFromString(s.payload));
    for (const auto& e : batch.events()) out.push_back(e.seq());
  }
  return out;
}

struct PublisherFixture : test::InboxFixture {
  broker::MemoryBroker t;  // acknowledgements handed out by the test, one by one
  sync::EventPublisher::Limits limits() {
    sync::EventPublisher::Limits l;
    l.max_events_per_batch = 3;
    l.max_in_flight = 2;
    return l;
  }
  void messages(int n, int from = 0) {
    for (int i = from; i < from + n; ++i)
      REQUIRE(ingest("whatsapp", "p" + std::to_string(i), "+1" + std::to_string(i), "hello").ok());
  }
};

}  // namespace

TEST_CASE_FIXTURE(PublisherFixture, "events go out in order, batched, with a bounded window") {
  messages(3);  // at least 3 events for the first (opened, in, out), 2 for each next one
  sync::EventPublisher p(*store, t, clock, log, metrics, "gw-t", limits());
  REQUIRE(p.last_seq() >= 7);
  p.drain();
  REQUIRE(t.sent.size() == 2);  // the window is full
  CHECK(t.sent[0].topic == "switchboard/gw-t/events");
  CHECK(seqs(t) == std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6});  // 2 batches of 3, in order
  CHECK(p.acked_seq() == 0);
  CHECK(p.depth() == p.last_seq());
}

TEST_CASE_FIXTURE(PublisherFixture, "the outbox boundary moves only over a contiguous prefix of acks") {
  messages(5);
  sync::EventPublisher p(*store, t, clock, log, metrics, "gw-t", limits());
  REQUIRE(p.last_seq() >= 12);
  p.drain();
  REQUIRE(t.sent.size() == 2);
  t.sent[1].done(true);  // the second batch is acknowledged first
  CHECK(p.acked_seq() == 0);
  t.sent[0].done(true);
  CHECK(p.acked_seq() == 6);
  CHECK(t.sent.size() == 4);  // the window refilled
}

TEST_CASE_FIXTURE(PublisherFixture, "after a disconnection, what was not acknowledged goes out again") {
  messages(3);
  sync::EventPublisher p(*store, t, clock, log, metrics, "gw-t", limits());
  p.drain();
  t.sent[0].done(true);
  p.on_disconnected();
  t.sent[1].done(true);  // a late ack of the old connection changes nothing
  CHECK(p.acked_seq() == 3);
  t.sent.clear();
  p.drain();
  CHECK(seqs(t).front() == 4);
}

TEST_CASE_FIXTURE(PublisherFixture, "the boundary survives a restart; replay publishes a range again") {
  messages(3);
  {
    sync::EventPublisher p(*store, t, clock, log, metrics, "gw-t", limits());
    p.drain();
    t.sent[0].done(true);
    p.maintain();  // persists the boundary
  }
  t.sent.clear();
  sync::EventPublisher again(*store, t, clock, log, metrics, "gw-t", limits());
  CHECK(again.acked_seq() == 3);
  again.drain();
  CHECK(seqs(t).front() == 4);
  t.sent.clear();
  t.up = true;
  again.on_disconnected();
  again.replay(2, 3);
  CHECK(seqs(t).front() == 2);
}

TEST_CASE_FIXTURE(PublisherFixture, "the replay log is pruned by age and count, never past the boundary") {
  messages(6);
  auto l = limits();
  l.replay_max_age_ms = 60'000;
  l.max_in_flight = 100;
  sync::EventPublisher p(*store, t, clock, log, metrics, "gw-t", l);
  p.drain();
  for (std::size_t i = 0; i < 2; ++i) t.sent[i].done(true);  // events 1..6 acknowledged
  REQUIRE(p.acked_seq() == 6);
  clock.advance(120'000);
  p.maintain();
  std::vector<std::uint64_t> left;
  store->read([&](const store::ReadTxn& r) {
    r.scan(store::Table::events, {}, [&](std::string_view k, std::string_view) {
      left.push_back(from_be64(k));
      return true;
    });
  });
  REQUIRE_FALSE(left.empty());
  CHECK(left.front() == 7);  // old and acknowledged: gone; not yet acknowledged: kept
  CHECK(left.back() == p.last_seq());
}

TEST_CASE_FIXTURE(PublisherFixture, "the stored boundary lags by at most its limits, and is stored at close") {
  messages(10);  // more than 20 events
  auto l = limits();
  l.max_in_flight = 100;
  l.boundary_lag_events = 8;
  l.boundary_lag_ms = 5'000;
  auto stored = [&] {
    std::uint64_t v = 0;
    store->read([&](const store::ReadTxn& r) {
      if (auto s = r.get(store::Table::meta, "events_acked")) v = from_be64(*s);
    });
    return v;
  };
  {
    sync::EventPublisher p(*store, t, clock, log, metrics, "gw-t", l);
    p.drain();
    t.sent[0].done(true);  // 3 events acknowledged: within both limits, nothing is written
    p.maintain();
    CHECK(p.acked_seq() == 3);
    CHECK(stored() == 0);
    clock.advance(5'000);  // ... until it has lagged long enough
    p.maintain();
    CHECK(stored() == 3);
    for (std::size_t i = 1; i < 4; ++i) t.sent[i].done(true);  // 9 more: too far behind
    p.maintain();
    CHECK(stored() == 12);
    t.sent[4].done(true);
    p.maintain();
    CHECK(stored() == 12);
  }
  CHECK(stored() == 15);  // a clean stop re-publishes nothing
}

TEST_CASE_FIXTURE(PublisherFixture, "a replay request is bounded in events, in-flight batches and rate") {
  messages(40);  // 80+ events
  sync::EventPublisher::Limits l = limits();  // 3 events a batch, 2 batches in flight
  l.replay_max_events_per_request = 10;
  l.replay_requests_per_minute = 2;
  sync::EventPublisher p(*store, t, clock, log, metrics, "gw-t", l);
  REQUIRE(p.last_seq() > 80);
  // Central asks for everything (a 2-byte request: from 1, to the latest).
  CHECK(p.replay(1, 0));
  REQUIRE(t.sent.size() == 2);  // the window, not every batch at once
  for (int i = 0; i < 100 && !t.sent.empty(); ++i) {
    CHECK(t.sent.size() <= 2);
    t.ack();
  }
  std::vector<std::uint64_t> order;
  for (const auto& s : t.published()) {
    switchboard::v1::EventBatch batch;
    REQUIRE(batch.ParseFromString(s.payload));
    for (const auto& e : batch.events()) order.push_back(e.seq());
  }
  REQUIRE(order.size() > 11);
  // Events 1..10 replayed, then the stream of new ones (which starts at 1 here, nothing having
  // been acknowledged before): the replay stopped at its cap of 10.
  CHECK(std::vector<std::uint64_t>(order.begin(), order.begin() + 11) ==
        std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1});

  // The rate: a burst of 2 a minute, then refused until time passes.
  t.ack_all();
  CHECK(p.replay(20, 21));
  CHECK_FALSE(p.replay(20, 21));
  CHECK(metrics.value("switchboard_replay_requests_refused_total") == 1);
  clock.advance(30'000);  // one request's worth
  CHECK(p.replay(20, 21));
}

TEST_CASE_FIXTURE(PublisherFixture, "a replay request over its size cap is refused unread") {
  sync::EventPublisher p(*store, t, clock, log, metrics, "gw-t", limits());
  switchboard::v1::ReplayRequest r;
  r.set_from_seq(1);
  std::string big = r.SerializeAsString();
  big.append(sync::kMaxReplayRequestBytes, '\0');  // padding a parser would have to read
  auto refused = sync::handle_replay_request(p, big);
  REQUIRE(refused);
  CHECK(refused->kind == "oversized");
  CHECK_FALSE(sync::handle_replay_request(p, r.SerializeAsString()));
}
