#include "services/sync/mqtt_link.h"

#include <boost/asio/post.hpp>
#include <mqtt/async_client.h>
#include <nlohmann/json.hpp>

#include "services/sync/transport.h"

namespace sb::sync {

namespace asio = boost::asio;
using switchboard::v1::GatewayStatus;

// Paho's side: its threads call these callbacks; each posts into the io_context at once.
struct MqttLink::Paho final : Transport, mqtt::callback {
  Paho(MqttLink& link) : link(link) {}

  bool connected() const override { return up; }
  bool publish(const std::string& topic, std::string payload, bool retained,
               std::function<void(bool)> done) override {
    if (!up || !client) return false;
    try {
      auto msg = mqtt::make_message(topic, std::move(payload), 1, retained);
      auto tok = client->publish(msg);
      // The acknowledgement comes on a Paho thread; hand it to the loop.
      auto listener = std::make_shared<Listener>(link.io_, std::move(done));
      listener->self = listener;  // lives until Paho has called it
      tok->set_action_callback(*listener);
      if (tok->is_complete()) listener->finish(tok->get_return_code() == 0);
      return true;
    } catch (const mqtt::exception& e) {
      link.log_.warn("mqtt", "publish on ", topic, " failed: ", e.what());
      return false;
    }
  }

  struct Listener : mqtt::iaction_listener {
    Listener(asio::io_context& io, std::function<void(bool)> done)
        : io(io), done(std::move(done)) {}
    void on_success(const mqtt::token&) override { finish(true); }
    void on_failure(const mqtt::token&) override { finish(false); }
    void finish(bool ok) {
      if (fired.exchange(true)) return;
      asio::post(io, [d = std::move(done), ok] { d(ok); });
      asio::post(io, [keep = std::move(self)] {});  // released on the loop, after Paho is done
    }
    asio::io_context& io;
    std::function<void(bool)> done;
    std::atomic<bool> fired{false};
    std::shared_ptr<Listener> self;
  };

  // mqtt::callback, on Paho's threads.
  void connected(const std::string&) override {
    asio::post(link.io_, [this] { link.on_connected(); });
  }
  void connection_lost(const std::string& cause) override {
    asio::post(link.io_, [this, cause] { link.on_lost(cause); });
  }
  void message_arrived(mqtt::const_message_ptr msg) override {
    asio::post(link.io_, [this, topic = msg->get_topic(), payload = msg->to_string()] {
      link.on_message(topic, payload);
    });
  }
  void delivery_complete(mqtt::delivery_token_ptr) override {}

  MqttLink& link;
  std::unique_ptr<mqtt::async_client> client;
  bool up = false;
};

MqttLink::MqttLink(asio::io_context& io, inbox::Inbox& inbox, const Clock& clock, Log& log,
                   Metrics& metrics, Options options)
    : io_(io),
      inbox_(inbox),
      clock_(clock),
      log_(log),
      metrics_(metrics),
      options_(std::move(options)),
      paho_(std::make_unique<Paho>(*this)),
      dead_(inbox.store(), clock, log, metrics),
      timer_(io) {
  events_ = std::make_unique<EventPublisher>(inbox.store(), *paho_, clock, log, metrics,
                                             options_.gateway_id, options_.limits);
  channel_ = std::make_unique<channels::MqttChannel>(inbox, *paho_, *events_, dead_, clock, log,
                                                     options_.gateway_id, options_.outbound);
  external_bot_ = std::make_unique<bot::ExternalBot>(io, inbox, *paho_, log, options_.gateway_id,
                                                     options_.bot_timeout_ms);
  inbox.on_external_bot_turn([this](const inbox::ExternalBotTurn& t) { external_bot_->ask(t); });
  metrics.gauge_fn("switchboard_mqtt_connected", "1 while connected to the broker",
                   [this] { return paho_->up ? 1.0 : 0.0; });
  inbox.subscribe([this](const std::vector<inbox::Event>& events) {
    events_->drain();
    for (const auto& e : events)
      if (e.kind() == inbox::Event::MESSAGE_OUT && e.channel() != "sms")
        new_outbound_.push_back(e.message_id());
    if (!new_outbound_.empty() && !pump_posted_) {
      pump_posted_ = true;
      asio::post(io_, [this] {
        pump_posted_ = false;
        auto ids = std::move(new_outbound_);
        new_outbound_.clear();
        channel_->pump_new(ids);
      });
    }
  });
}

MqttLink::~MqttLink() { stop(); }

static std::string status_payload(const std::string& gw, GatewayStatus::State state,
                                  std::int64_t now, std::uint64_t last_seq,
                                  std::uint64_t depth) {
  GatewayStatus s;
  s.set_gateway_id(gw);
  s.set_state(state);
  s.set_version(SWITCHBOARD_VERSION);
  s.set_at_ms(now);
  s.set_last_seq(last_seq);
  s.set_outbox_depth(depth);
  return s.SerializeAsString();
}

void MqttLink::start() {
  if (options_.uri.empty()) {
    log_.info("mqtt", "no broker configured: events wait in the outbox");
    return;
  }
  const std::string prefix = "switchboard/" + options_.gateway_id + "/";
  try {
    paho_->client = std::make_unique<mqtt::async_client>(
        options_.uri, "switchboard-" + options_.gateway_id, mqtt::create_options(MQTTVERSION_3_1_1));
    paho_->client->set_callback(*paho_);
    auto opts = mqtt::connect_options_builder()
                    .clean_session(false)  // the broker keeps what arrives while we are away
                    .keep_alive_interval(std::chrono::seconds(options_.keepalive_s))
                    .automatic_reconnect(std::chrono::seconds(1), std::chrono::seconds(30))
                    .max_inflight(1000)
                    .will(mqtt::message(prefix + "status",
                                        status_payload(options_.gateway_id, GatewayStatus::OFFLINE,
                                                       0, 0, 0),
                                        1, true))
                    .finalize();
    if (!options_.username.empty()) opts.set_user_name(options_.username);
    if (!options_.password.empty()) opts.set_password(options_.password);
    if (options_.uri.rfind("ssl://", 0) == 0 || options_.uri.rfind("mqtts://", 0) == 0) {
      mqtt::ssl_options ssl;
      if (!options_.ca_file.empty()) ssl.set_trust_store(options_.ca_file);
      if (!options_.cert_file.empty()) ssl.set_key_store(options_.cert_file);
      if (!options_.key_file.empty()) ssl.set_private_key(options_.key_file);
      ssl.set_enable_server_cert_auth(true);
      opts.set_ssl(ssl);
    }
    paho_->client->connect(opts);
    log_.info("mqtt", "connecting to ", options_.uri, " as switchboard-", options_.gateway_id);
  } catch (const mqtt::exception& e) {
    log_.error("mqtt", "cannot start the MQTT client for ", options_.uri, ": ", e.what());
  }
  tick();
}

void MqttLink::on_connected() {
  paho_->up = true;
  log_.notice("mqtt", "connected to ", options_.uri);
  const std::string prefix = "switchboard/" + options_.gateway_id + "/";
  try {
    auto topics = mqtt::string_collection::create(
        {prefix + "in/+", prefix + "delivery/+", prefix + "replay", prefix + "config",
         prefix + "bot/reply"});
    paho_->client->subscribe(topics, std::vector<int>(5, 1));
  } catch (const mqtt::exception& e) {
    log_.error("mqtt", "subscribe failed: ", e.what());
  }
  paho_->publish(prefix + "status",
                 status_payload(options_.gateway_id, GatewayStatus::ONLINE, clock_.wall_ms(),
                                events_->last_seq(), events_->depth()),
                 true, [](bool) {});
  events_->drain();
  channel_->pump();
}

void MqttLink::on_lost(const std::string& why) {
  if (!paho_->up) return;
  paho_->up = false;
  events_->on_disconnected();
  log_.warn("mqtt", "connection to ", options_.uri, " lost",
            why.empty() ? std::string() : ": " + why, "; reconnecting");
}

void MqttLink::on_message(const std::string& topic, const std::string& payload) {
  const std::string prefix = "switchboard/" + options_.gateway_id + "/";
  if (topic.rfind(prefix, 0) != 0)
    return dead_.record(topic, "foreign_topic", "a topic of another gateway", payload);
  std::string_view rest = std::string_view(topic).substr(prefix.size());
  if (rest.rfind("in/", 0) == 0) return channel_->on_inbound(std::string(rest.substr(3)), payload);
  if (rest.rfind("delivery/", 0) == 0)
    return channel_->on_delivery(std::string(rest.substr(9)), payload);
  if (rest == "replay") {
    switchboard::v1::ReplayRequest r;
    if (!r.ParseFromString(payload))
      return dead_.record(topic, "not_protobuf", "not a ReplayRequest", payload);
    return events_->replay(r.from_seq(), r.to_seq());
  }
  if (rest == "bot/reply") {
    if (!external_bot_->on_reply(payload))
      dead_.record(topic, "not_protobuf", "not a BotReply with a request_id", payload);
    return;
  }
  if (rest == "config") {
    switchboard::v1::GatewayConfig cfg;
    if (payload.empty()) return;  // a cleared retained config: keep what runs
    if (!cfg.ParseFromString(payload)) {
      dead_.record(topic, "not_protobuf", "not a GatewayConfig", payload);
      (void)inbox_.record_gateway_event(inbox::Event::CONFIG_REJECTED, "central config",
                                        "not a GatewayConfig");
      return;
    }
    if (cfg.version() != 0 && cfg.version() == applied_config_version_) return;  // seen it
    auto r = config_handler_ ? config_handler_(cfg) : Result<void>(fail("no config handler"));
    if (!r) {
      log_.error("config", "refused central config v", cfg.version(), ": ", r.error().message,
                 " (the running config stays)");
      (void)inbox_.record_gateway_event(inbox::Event::CONFIG_REJECTED,
                                        "central config v" + std::to_string(cfg.version()),
                                        r.error().message);
      return;
    }
    applied_config_version_ = cfg.version();
    log_.notice("config", "applied central config v", cfg.version());
    return;
  }
  dead_.record(topic, "unknown_topic", "no handler for this topic", payload);
}

void MqttLink::tick() {
  timer_.expires_after(std::chrono::seconds(1));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    events_->maintain();
    events_->drain();
    channel_->pump();
    tick();
  });
}

void MqttLink::stop() {
  timer_.cancel();
  events_->maintain();
  if (!paho_->client) return;
  try {
    if (paho_->up) {
      const std::string prefix = "switchboard/" + options_.gateway_id + "/";
      auto tok = paho_->client->publish(prefix + "status",
                                        status_payload(options_.gateway_id, GatewayStatus::OFFLINE,
                                                       clock_.wall_ms(), events_->last_seq(),
                                                       events_->depth()),
                                        1, true);
      tok->wait_for(std::chrono::milliseconds(500));
    }
    paho_->up = false;
    paho_->client->disconnect()->wait_for(std::chrono::seconds(1));
  } catch (const mqtt::exception&) {
    // Going down anyway; the will announces us offline.
  }
  paho_->client.reset();
}

nlohmann::json MqttLink::status_json() const {
  return {{"uri", options_.uri},
          {"connected", paho_->up},
          {"outbox_depth", events_->depth()},
          {"acked_seq", events_->acked_seq()}};
}

}  // namespace sb::sync
