// services/broker/memory_broker.h — a Broker that keeps what is published in memory, for tests.
// The test decides whether the link is up and hands out the broker's acknowledgements, one by
// one or all at once (`auto_ack`), so ordering and failure paths can be driven exactly.
#pragma once

#include <deque>
#include <string>

#include "services/broker/broker.h"

namespace sb::broker {

class MemoryBroker final : public Broker {
 public:
  struct Sent {
    std::string topic;
    std::string payload;
    bool retained = false;
    std::function<void(bool)> done;
  };

  bool up = true;
  bool auto_ack = false;  // acknowledge each publish at once
  // Publishes unacknowledged at once before publish() refuses (as PahoBroker's window does).
  std::size_t window = static_cast<std::size_t>(-1);
  std::deque<Sent> sent;  // not yet acknowledged (all of them when auto_ack is off)
  std::deque<Sent> acked;

  bool connected() const override { return up; }
  bool publish(const std::string& topic, std::string payload, bool retained,
               std::function<void(bool)> done) override {
    if (!up || sent.size() >= window) return false;
    sent.push_back({topic, std::move(payload), retained, std::move(done)});
    if (auto_ack) ack_all(true);
    return true;
  }
  // Acknowledges (or fails) the oldest unacknowledged publish; false when there is none.
  bool ack(bool ok = true) {
    if (sent.empty()) return false;
    Sent s = std::move(sent.front());
    sent.pop_front();
    auto done = std::move(s.done);
    acked.push_back(std::move(s));
    if (done) done(ok);
    return true;
  }
  void ack_all(bool ok = true) {
    while (ack(ok)) {
    }
  }
  // Everything published so far, acknowledged or not, oldest first, on `topic` (all if empty).
  std::deque<Sent> published(const std::string& topic = {}) const {
    std::deque<Sent> out;
    for (const auto* q : {&acked, &sent})
      for (const Sent& s : *q)
        if (topic.empty() || s.topic == topic) out.push_back({s.topic, s.payload, s.retained, {}});
    return out;
  }
};

}  // namespace sb::broker
