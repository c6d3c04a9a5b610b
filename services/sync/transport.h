// services/sync/transport.h — what the sync publisher and the MQTT channels need of a broker
// connection, so they can be driven by a real one (Paho) or by a test double.
// Every callback runs on the io_context thread.
#pragma once

#include <functional>
#include <string>

namespace sb::sync {

class Transport {
 public:
  virtual ~Transport() = default;
  virtual bool connected() const = 0;
  // Publishes at QoS 1; `done(true)` once the broker has acknowledged it, `done(false)` if the
  // connection failed first (the caller re-sends after reconnection). Returns false, without
  // calling `done`, when not connected.
  virtual bool publish(const std::string& topic, std::string payload, bool retained,
                       std::function<void(bool)> done) = 0;
};

}  // namespace sb::sync
