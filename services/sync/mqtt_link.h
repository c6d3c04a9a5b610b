// services/sync/mqtt_link.h — the gateway's one connection to central's broker (Paho MQTT C++).
//
// Client id switchboard-<gw>, persistent session (clean session off), QoS 1 subscriptions,
// reconnection with backoff, a retained status topic that is also the last will. Paho's threads
// only parse and post work into the io_context; everything else happens on its thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "services/bot/external_bot.h"
#include "services/channels/dead_letters.h"
#include "services/channels/mqtt_channel.h"
#include "hal/clock/clock.h"
#include "base/log.h"
#include "services/common/metrics.h"
#include "services/inbox/inbox.h"
#include "services/sync/event_publisher.h"

namespace sb::sync {

class MqttLink {
 public:
  struct Options {
    std::string uri;  // empty: no broker; events wait in the outbox
    std::string gateway_id = "gw-local";
    std::string username, password, ca_file, cert_file, key_file;
    int keepalive_s = 30;
    channels::OutboundPolicy outbound;
    EventPublisher::Limits limits;
    int bot_timeout_ms = 5000;
    template <typename Config>
    static Options from(const Config& c) {
      Options o;
      o.uri = c.mqtt.uri;
      o.gateway_id = c.gateway_id;
      o.username = c.mqtt.username;
      o.password = c.mqtt.password;
      o.ca_file = c.mqtt.ca_file;
      o.cert_file = c.mqtt.cert_file;
      o.key_file = c.mqtt.key_file;
      o.keepalive_s = c.mqtt.keepalive_s;
      o.outbound.retry_initial_ms = c.outbound.retry_initial_s * 1000ll;
      o.outbound.retry_max_ms = c.outbound.retry_max_s * 1000ll;
      o.outbound.fail_after_ms = c.outbound.fail_after_s * 1000ll;
      o.limits.replay_max_age_ms = c.replay.max_age_h * 3600ll * 1000;
      o.limits.replay_max_events = c.replay.max_events;
      o.bot_timeout_ms = c.bot.external_timeout_ms;
      return o;
    }
  };

  MqttLink(boost::asio::io_context& io, inbox::Inbox& inbox, const Clock& clock, Log& log,
           Metrics& metrics, Options options);
  ~MqttLink();

  // Validates and applies a GatewayConfig from central (firmware knows the config format).
  using ConfigHandler = std::function<Result<void>(const switchboard::v1::GatewayConfig&)>;
  void on_config(ConfigHandler h) { config_handler_ = std::move(h); }

  void start();
  // Publishes the offline status, persists the outbox boundary, disconnects.
  void stop();
  nlohmann::json status_json() const;
  channels::DeadLetters& dead_letters() { return dead_; }

 private:
  struct Paho;
  void on_message(const std::string& topic, const std::string& payload);
  void on_connected();
  void on_lost(const std::string& why);
  void tick();

  boost::asio::io_context& io_;
  inbox::Inbox& inbox_;
  const Clock& clock_;
  Log& log_;
  Metrics& metrics_;
  Options options_;
  std::unique_ptr<Paho> paho_;
  channels::DeadLetters dead_;
  std::unique_ptr<EventPublisher> events_;
  std::unique_ptr<channels::MqttChannel> channel_;
  std::unique_ptr<bot::ExternalBot> external_bot_;
  boost::asio::steady_timer timer_;
  bool pump_posted_ = false;
  std::vector<std::uint64_t> new_outbound_;  // queued by commits since the last pump_new
  ConfigHandler config_handler_;
  std::uint64_t applied_config_version_ = 0;
};

}  // namespace sb::sync
