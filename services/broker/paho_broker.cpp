#include "services/broker/paho_broker.h"

#include <atomic>
#include <boost/asio/post.hpp>
#include <deque>
#include <mutex>
#include <vector>
#include <mqtt/async_client.h>

namespace sb::broker {

namespace asio = boost::asio;

// Paho's side: its threads call these callbacks; each posts into the io_context at once.
struct PahoBroker::Paho final : mqtt::callback {
  Paho(asio::io_context& io, Log& log, Options options, Handlers handlers)
      : io(io), log(log), options(std::move(options)), handlers(std::move(handlers)) {}

  // An acknowledgement arrives on a Paho thread; hand it to the loop.
  struct Listener : mqtt::iaction_listener {
    Listener(asio::io_context& io, std::function<void(bool)> done)
        : io(io), done(std::move(done)) {}
    void on_success(const mqtt::token&) override { finish(true); }
    void on_failure(const mqtt::token&) override { finish(false); }
    void finish(bool ok) {
      if (fired.exchange(true)) return;
      asio::post(io, [d = std::move(done), ok] {
        if (d) d(ok);
      });
      asio::post(io, [keep = std::move(self)] {});  // released on the loop, after Paho is done
    }
    asio::io_context& io;
    std::function<void(bool)> done;
    std::atomic<bool> fired{false};
    std::shared_ptr<Listener> self;
  };

  void connected(const std::string&) override {
    asio::post(io, [this] { on_connected(); });
  }
  void connection_lost(const std::string& cause) override {
    asio::post(io, [this, cause] {
      if (!up) return;
      up = false;
      if (handlers.lost) handlers.lost(cause);
    });
  }
  void message_arrived(mqtt::const_message_ptr msg) override {
    // Paho calls this holding its client's lock (a publish from the loop waits for it), so it
    // must never wait for the loop: beyond the cap the message is dropped unhandled instead.
    // Its sender sees no answer and sends again (a bridge re-sends what was not receipted);
    // a retained one (central's config) is always taken, since nobody would send it again.
    const std::size_t bytes = msg->get_topic().size() + msg->get_payload_ref().size();
    std::lock_guard lock(waiting_mutex);
    const bool room = arrivals.empty() ||
                      (arrivals.size() < options.max_waiting_messages &&
                       waiting_bytes + bytes <= options.max_waiting_bytes);
    if (!room && !msg->is_retained()) {
      if (dropped++ == 0)
        asio::post(io, [this] {
          log.warn("mqtt", "the loop is behind: dropping arrivals until it catches up "
                           "(their senders send them again)");
        });
      return;
    }
    if (room) dropped = 0;
    waiting_bytes += bytes;
    arrivals.push_back({msg->get_topic(), msg->to_string()});
    if (!drain_posted) {
      drain_posted = true;
      asio::post(io, [this] { drain(); });
    }
  }
  // On the loop: hands a slice of the arrivals to the handler, then lets other work (the
  // commit those arrivals started) run before the next slice.
  void drain() {
    std::vector<std::pair<std::string, std::string>> slice;
    {
      std::lock_guard lock(waiting_mutex);
      while (!arrivals.empty() && slice.size() < kDrainSlice) {
        waiting_bytes -= arrivals.front().first.size() + arrivals.front().second.size();
        slice.push_back(std::move(arrivals.front()));
        arrivals.pop_front();
      }
      if (arrivals.empty())
        drain_posted = false;
      else
        asio::post(io, [this] { drain(); });
    }
    for (auto& [topic, payload] : slice)
      if (handlers.message) handlers.message(topic, payload);
  }
  void delivery_complete(mqtt::delivery_token_ptr) override {}

  void on_connected() {
    up = true;
    log.notice("mqtt", "connected to ", options.uri);
    try {
      if (!subscriptions.empty()) {
        auto topics = mqtt::string_collection::create(subscriptions);
        client->subscribe(topics, std::vector<int>(subscriptions.size(), 1));
      }
    } catch (const mqtt::exception& e) {
      log.error("mqtt", "subscribe failed: ", e.what());
    }
    if (handlers.connected) handlers.connected();
  }

  asio::io_context& io;
  Log& log;
  Options options;
  Handlers handlers;
  std::vector<std::string> subscriptions;
  std::unique_ptr<mqtt::async_client> client;
  bool up = false;
  static constexpr std::size_t kDrainSlice = 256;
  std::mutex waiting_mutex;
  std::deque<std::pair<std::string, std::string>> arrivals;  // topic, payload; not handled yet
  std::size_t waiting_bytes = 0;
  bool drain_posted = false;
  std::uint64_t dropped = 0;  // in this episode of the loop being behind
  std::size_t in_flight = 0;   // publishes not yet acknowledged (or failed)
  bool window_full = false;    // an episode of refused publishes, logged once
  bool publish_failing = false;  // an episode of Paho refusing publishes, logged once
};

PahoBroker::PahoBroker(asio::io_context& io, Log& log, Options options, Handlers handlers)
    : paho_(std::make_unique<Paho>(io, log, std::move(options), std::move(handlers))) {}

PahoBroker::~PahoBroker() = default;

bool PahoBroker::connected() const { return paho_->up; }

std::size_t PahoBroker::in_flight() const { return paho_->in_flight; }

bool PahoBroker::publish(const std::string& topic, std::string payload, bool retained,
                         std::function<void(bool)> done) {
  Paho& p = *paho_;
  if (!p.up || !p.client) return false;
  if (p.in_flight >= p.options.max_in_flight) {
    if (!p.window_full)
      p.log.info("mqtt", p.in_flight, " publishes await the broker's acknowledgement: "
                 "holding the rest until they arrive");
    p.window_full = true;
    return false;
  }
  try {
    auto msg = mqtt::make_message(topic, std::move(payload), 1, retained);
    auto tok = p.client->publish(msg);
    // The count goes down on the loop's thread, where it is read, before `done` runs.
    auto counted = [&p, done = std::move(done)](bool ok) {
      p.in_flight--;
      if (p.window_full && p.in_flight == 0) {
        p.window_full = false;
        p.log.info("mqtt", "publishing again (", p.in_flight, " awaiting acknowledgement)");
      }
      if (done) done(ok);
    };
    p.in_flight++;
    auto listener = std::make_shared<Paho::Listener>(p.io, std::move(counted));
    listener->self = listener;  // lives until Paho has called it
    tok->set_action_callback(*listener);
    if (tok->is_complete()) listener->finish(tok->get_return_code() == 0);
    p.publish_failing = false;
    return true;
  } catch (const mqtt::exception& e) {
    if (!p.publish_failing)
      p.log.warn("mqtt", "publish on ", topic, " failed: ", e.what(),
                 " (further failures are not logged until a publish succeeds)");
    p.publish_failing = true;
    return false;
  }
}

void PahoBroker::start(std::vector<std::string> subscriptions) {
  const Options& o = paho_->options;
  paho_->subscriptions = std::move(subscriptions);
  try {
    paho_->client = std::make_unique<mqtt::async_client>(o.uri, o.client_id,
                                                         mqtt::create_options(MQTTVERSION_3_1_1));
    paho_->client->set_callback(*paho_);
    auto opts = mqtt::connect_options_builder()
                    .clean_session(false)  // the broker keeps what arrives while we are away
                    .keep_alive_interval(std::chrono::seconds(o.keepalive_s))
                    .automatic_reconnect(std::chrono::seconds(1), std::chrono::seconds(30))
                    .max_inflight(1000)
                    .finalize();
    if (!o.will_topic.empty()) opts.set_will(mqtt::message(o.will_topic, o.will_payload, 1, true));
    if (!o.username.empty()) opts.set_user_name(o.username);
    if (!o.password.empty()) opts.set_password(o.password);
    if (o.uri.rfind("ssl://", 0) == 0 || o.uri.rfind("mqtts://", 0) == 0) {
      mqtt::ssl_options ssl;
      if (!o.ca_file.empty()) ssl.set_trust_store(o.ca_file);
      if (!o.cert_file.empty()) ssl.set_key_store(o.cert_file);
      if (!o.key_file.empty()) ssl.set_private_key(o.key_file);
      ssl.set_enable_server_cert_auth(true);
      opts.set_ssl(ssl);
    }
    paho_->client->connect(opts);
    paho_->log.info("mqtt", "connecting to ", o.uri, " as ", o.client_id);
  } catch (const mqtt::exception& e) {
    paho_->log.error("mqtt", "cannot start the MQTT client for ", o.uri, ": ", e.what());
    paho_->client.reset();
  }
}

void PahoBroker::stop(const std::string& topic, const std::string& payload) {
  if (!paho_->client) return;
  try {
    if (paho_->up && !topic.empty())
      paho_->client->publish(topic, payload, 1, true)->wait_for(std::chrono::milliseconds(500));
    paho_->up = false;
    paho_->client->disconnect()->wait_for(std::chrono::seconds(1));
  } catch (const mqtt::exception&) {
    // Going down anyway; the will announces us offline.
  }
  paho_->client.reset();
}

}  // namespace sb::broker
