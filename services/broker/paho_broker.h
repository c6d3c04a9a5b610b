// services/broker/paho_broker.h — the gateway's one connection to central's broker, over Paho
// MQTT C++.
//
// Persistent session (clean session off), QoS 1 subscriptions renewed on every connection,
// automatic reconnection with backoff, and a retained last will. Paho's threads only post into
// the io_context; the handlers, and every publish acknowledgement, run on its thread.
// Bounded arrivals: at most `max_waiting_messages` / `max_waiting_bytes` of arrived messages
// wait for the loop; beyond that they are dropped unhandled (logged once an episode), so a
// flood costs no memory; their senders send again what they see no answer to. Retained ones
// (central's config) are always taken. The loop takes arrivals in slices, so the commits they
// start run between slices and the inbox's write queue stays short under a flood.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/log.h"
#include "services/broker/broker.h"

namespace sb::broker {

class PahoBroker final : public Broker {
 public:
  struct Options {
    std::string uri;  // tcp://, ssl:// or mqtts://
    std::string client_id;
    std::string username, password, ca_file, cert_file, key_file;
    int keepalive_s = 30;
    std::string will_topic, will_payload;  // retained; published by the broker if we vanish
    std::size_t max_waiting_messages = 100000;
    std::size_t max_waiting_bytes = 16u << 20;
    // Publishes awaiting the broker's acknowledgement at once. Past it, publish() returns false
    // at once (the callers try again: the event publisher on every acknowledgement, the
    // outbound pump on its next run) instead of overflowing Paho's own buffer, which throws
    // per message; one log line says when a full window begins and one when it has drained.
    std::size_t max_in_flight = 100;
  };
  struct Handlers {
    std::function<void()> connected;  // after the subscriptions are asked for
    std::function<void(const std::string& why)> lost;
    std::function<void(const std::string& topic, const std::string& payload)> message;
  };

  PahoBroker(boost::asio::io_context& io, Log& log, Options options, Handlers handlers);
  ~PahoBroker() override;

  // Starts connecting; `subscriptions` are subscribed at QoS 1 on every connection. A client
  // that cannot even be created (a malformed URI) is logged, and the gateway runs without one.
  void start(std::vector<std::string> subscriptions);
  // Publishes `topic`/`payload` retained (the offline status) while still up, then disconnects;
  // waits at most ~1.5 s in all.
  void stop(const std::string& topic, const std::string& payload);

  bool connected() const override;
  bool publish(const std::string& topic, std::string payload, bool retained,
               std::function<void(bool)> done) override;
  std::size_t in_flight() const;

 private:
  struct Paho;
  std::unique_ptr<Paho> paho_;
};

}  // namespace sb::broker
