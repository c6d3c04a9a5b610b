// firmware/central_link.h — wires the gateway's MQTT side onto the io_context: the broker
// connection (Paho), its topic table, the event publisher, the bridged channels, central's bot,
// central's config and the dead letters of everything refused.
//
// Topics (under switchboard/<gw>/): in/+ and delivery/+ to the bridged channels, bot/reply to
// central's bot, replay to the publisher, config to central config intake; everything refused
// is kept as a dead letter. Lives on the io_context thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "base/log.h"
#include "hal/clock/clock.h"
#include "services/broker/paho_broker.h"
#include "services/broker/topic_table.h"
#include "services/channels/external_bot.h"
#include "services/channels/mqtt_channel.h"
#include "services/common/metrics.h"
#include "services/inbox/dead_letters.h"
#include "services/inbox/inbox.h"
#include "services/sync/central_config_intake.h"
#include "services/sync/event_publisher.h"

namespace sb::firmware {

struct Config;

class CentralLink {
 public:
  struct Options {
    std::string uri;  // empty: no broker; events wait in the outbox
    std::string gateway_id = "gw-local";
    std::string username, password, ca_file, cert_file, key_file;
    int keepalive_s = 30;
    channels::OutboundPolicy outbound;
    sync::EventPublisher::Limits limits;
    int bot_timeout_ms = 5000;
    std::size_t config_max_bytes = sync::CentralConfigIntake::kDefaultMaxBytes;
    std::size_t max_in_flight = 100;  // publishes awaiting acknowledgement (PahoBroker)
    static Options from(const Config& c);
  };

  // `store` is the inbox's: the event publisher reads the events the inbox's commits append,
  // and the config intake keeps its own settings keys.
  CentralLink(boost::asio::io_context& io, inbox::Inbox& inbox, store::Store& store,
              const Clock& clock, Log& log,
              Metrics& metrics, Options options, sync::CentralConfigIntake::Apply apply_config);
  ~CentralLink();

  void start();
  // Publishes the offline status, persists the outbox boundary, disconnects.
  void stop();
  nlohmann::json status_json() const;

 private:
  void on_connected();
  void on_lost(const std::string& why);
  void on_message(const std::string& topic, const std::string& payload);
  void tick();
  std::string prefix() const { return "switchboard/" + options_.gateway_id + "/"; }

  boost::asio::io_context& io_;
  const Clock& clock_;
  Log& log_;
  Options options_;
  broker::PahoBroker broker_;
  inbox::DeadLetters dead_;
  sync::EventPublisher events_;
  channels::MqttChannel channel_;
  channels::ExternalBot external_bot_;
  sync::CentralConfigIntake config_;
  broker::TopicTable topics_;
  boost::asio::steady_timer timer_;
  bool pump_posted_ = false;
  bool stopped_ = false;
  std::vector<std::uint64_t> new_outbound_;  // queued by commits since the last pump_new
};

}  // namespace sb::firmware
