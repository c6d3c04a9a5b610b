// services/broker/broker.h — what channels, sync and central's bot need of a broker
// connection: publish at QoS 1 and know whether the link is up. A real one (paho_broker.h) and a
// test double (memory_broker.h) implement it. Every callback runs on the io_context thread.
#pragma once

#include <functional>
#include <string>

namespace sb::broker {

class Broker {
 public:
  virtual ~Broker() = default;
  virtual bool connected() const = 0;
  // Publishes at QoS 1; `done(true)` once the broker has acknowledged it, `done(false)` if the
  // connection failed first (the caller re-sends after reconnection). Returns false, without
  // calling `done`, when not connected or when too many publishes await acknowledgement (the
  // caller tries again later; an acknowledgement is the moment room returns).
  virtual bool publish(const std::string& topic, std::string payload, bool retained,
                       std::function<void(bool)> done) = 0;
};

}  // namespace sb::broker
