#include "firmware/central_link.h"

#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

#include "firmware/config.h"
#include "services/sync/gateway_status.h"
#include "services/sync/replay_request.h"

namespace sb::firmware {

namespace asio = boost::asio;
using switchboard::v1::GatewayStatus;

CentralLink::Options CentralLink::Options::from(const Config& c) {
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
  o.config_max_bytes = c.limits.config_max_bytes;
  o.limits.replay_max_events_per_request = c.limits.replay_events_per_request;
  o.limits.replay_requests_per_minute = c.limits.replay_requests_per_minute;
  o.max_in_flight = static_cast<std::size_t>(c.limits.mqtt_in_flight);
  return o;
}

namespace {

broker::PahoBroker::Options broker_options(const CentralLink::Options& o) {
  broker::PahoBroker::Options b;
  b.uri = o.uri;
  b.client_id = "switchboard-" + o.gateway_id;
  b.username = o.username;
  b.password = o.password;
  b.ca_file = o.ca_file;
  b.cert_file = o.cert_file;
  b.key_file = o.key_file;
  b.keepalive_s = o.keepalive_s;
  b.max_in_flight = o.max_in_flight;
  b.will_topic = sync::status_topic(o.gateway_id);
  b.will_payload = sync::status_payload(o.gateway_id, GatewayStatus::OFFLINE, 0, 0, 0);
  return b;
}

}  // namespace

CentralLink::CentralLink(asio::io_context& io, inbox::Inbox& inbox, store::Store& store,
                         const Clock& clock, Log& log,
                         Metrics& metrics, Options options,
                         sync::CentralConfigIntake::Apply apply_config)
    : io_(io),
      clock_(clock),
      log_(log),
      options_(std::move(options)),
      broker_(io, log, broker_options(options_),
              {[this] { on_connected(); }, [this](const std::string& why) { on_lost(why); },
               [this](const std::string& topic, const std::string& payload) {
                 on_message(topic, payload);
               }}),
      dead_(inbox, clock, log, metrics),
      events_(store, broker_, clock, log, metrics, options_.gateway_id, options_.limits),
      channel_(inbox, broker_, [this](const inbox::Event& e) { events_.publish_now(e); }, clock,
               log, options_.gateway_id, options_.outbound),
      external_bot_(io, inbox, broker_, log, options_.gateway_id, options_.bot_timeout_ms),
      config_(inbox, store, log, std::move(apply_config), options_.config_max_bytes),
      topics_(prefix()),
      timer_(io) {
  topics_.add("in/+", [this](std::string_view channel, const std::string& payload) {
    return channel_.on_inbound(channel, payload);
  });
  topics_.add("delivery/+", [this](std::string_view channel, const std::string& payload) {
    return channel_.on_delivery(channel, payload);
  });
  topics_.add("replay", [this](std::string_view, const std::string& payload) {
    return sync::handle_replay_request(events_, payload);
  });
  topics_.add("config", [this](std::string_view, const std::string& payload) {
    return config_.handle(payload);
  });
  topics_.add("bot/reply", [this](std::string_view, const std::string& payload) {
    return external_bot_.on_reply(payload);
  });

  inbox.on_external_bot_turn([this](const inbox::ExternalBotTurn& t) { external_bot_.ask(t); });
  metrics.gauge_fn("switchboard_mqtt_connected", "1 while connected to the broker",
                   [this] { return broker_.connected() ? 1.0 : 0.0; });
  inbox.subscribe([this](const std::vector<inbox::Event>& events) {
    events_.drain();
    for (const auto& e : events)
      if (e.kind() == inbox::Event::MESSAGE_OUT && e.channel() != "sms")
        new_outbound_.push_back(e.message_id());
    if (!new_outbound_.empty() && !pump_posted_) {
      pump_posted_ = true;
      asio::post(io_, [this] {
        pump_posted_ = false;
        auto ids = std::move(new_outbound_);
        new_outbound_.clear();
        channel_.pump_new(ids);
      });
    }
  });
}

CentralLink::~CentralLink() { stop(); }

void CentralLink::start() {
  if (options_.uri.empty()) {
    log_.info("mqtt", "no broker configured: events wait in the outbox");
    return;
  }
  broker_.start(topics_.subscriptions());
  tick();
}

void CentralLink::on_connected() {
  broker_.publish(sync::status_topic(options_.gateway_id),
                  sync::status_payload(options_.gateway_id, GatewayStatus::ONLINE,
                                       clock_.wall_ms(), events_.last_seq(), events_.depth()),
                  true, [](bool) {});
  events_.drain();
  channel_.pump();
}

void CentralLink::on_lost(const std::string& why) {
  events_.on_disconnected();
  log_.warn("mqtt", "connection to ", options_.uri, " lost",
            why.empty() ? std::string() : ": " + why, "; reconnecting");
}

void CentralLink::on_message(const std::string& topic, const std::string& payload) {
  if (auto refused = topics_.dispatch(topic, payload))
    dead_.record(topic, refused->kind, refused->reason, payload);
}

void CentralLink::tick() {
  timer_.expires_after(std::chrono::seconds(1));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    events_.maintain();
    events_.drain();
    channel_.pump();
    tick();
  });
}

void CentralLink::stop() {
  if (stopped_) return;
  stopped_ = true;
  timer_.cancel();
  events_.maintain();
  broker_.stop(sync::status_topic(options_.gateway_id),
               sync::status_payload(options_.gateway_id, GatewayStatus::OFFLINE,
                                    clock_.wall_ms(), events_.last_seq(), events_.depth()));
}

nlohmann::json CentralLink::status_json() const {
  return {{"uri", options_.uri},
          {"connected", broker_.connected()},
          {"outbox_depth", events_.depth()},
          {"acked_seq", events_.acked_seq()}};
}

}  // namespace sb::firmware
