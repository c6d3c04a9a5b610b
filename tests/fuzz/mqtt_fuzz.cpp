// tests/fuzz/mqtt_fuzz.cpp — libFuzzer over every MQTT topic the gateway takes, through the
// same TopicTable and handlers the firmware wires (bridged channels, delivery statuses, replay
// requests, central's config, central's bot replies), on a real Inbox over a real LMDB store in
// a temporary directory, with the in-memory broker double acknowledging every publish after
// each input (one at a time, as a real broker's acknowledgements arrive on the loop).
//
// Input: the first byte picks the topic, the second the channel level, the rest is the payload.
// Checks, besides "no crash / no sanitizer report": every refusal has a kind; central's config
// intake is never left applying; /metrics stays bounded whatever channel names arrive.
#include <stdlib.h>
#include <toml++/toml.h>

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <string>

#include "hal/clock/fake_clock.h"
#include "services/broker/memory_broker.h"
#include "services/broker/topic_table.h"
#include "services/channels/external_bot.h"
#include "services/channels/mqtt_channel.h"
#include "services/inbox/dead_letters.h"
#include "services/sync/central_config_intake.h"
#include "services/sync/event_publisher.h"
#include "services/sync/replay_request.h"

namespace {

using namespace sb;

struct World {
  std::string dir = [] {
    char tmpl[] = "/tmp/sb-mqtt-fuzz.XXXXXX";
    return std::string(mkdtemp(tmpl));
  }();
  FakeClock clock;
  std::FILE* devnull = std::fopen("/dev/null", "w");
  Log log{Level::debug, devnull};
  Metrics metrics;
  std::unique_ptr<store::Store> store = store::Store::open(dir + "/db").value();
  std::deque<std::function<void()>> posted;  // the inbox's group commits
  inbox::Inbox inbox{*store, clock, log, metrics,
                     [this](std::function<void()> f) { posted.push_back(std::move(f)); }};
  boost::asio::io_context io;
  broker::MemoryBroker broker;
  inbox::DeadLetters dead{inbox, clock, log, metrics};
  sync::EventPublisher events{*store, broker, clock, log, metrics, "gw-f", {}};
  channels::MqttChannel channel{inbox, broker,
                                [this](const inbox::Event& e) { events.publish_now(e); },
                                clock, log, "gw-f", channels::OutboundPolicy{}};
  channels::ExternalBot bot{io, inbox, broker, log, "gw-f", 5000};
  // Central's config, applied as the firmware does minus the merge with a local file: the
  // handoff section parsed and compiled within the default limits.
  sync::CentralConfigIntake config{
      inbox, *store, log,
      [](const switchboard::v1::GatewayConfig& c, std::function<void(Result<void>)> done) {
        toml::table t;
        try {
          t = toml::parse(c.handoff_toml());
        } catch (const toml::parse_error& e) {
          return done(fail(std::string(e.description())));
        }
        auto r = handoff::RuleSet::from_toml(t, {"support"});
        if (!r) return done(r.error());
        done({});
      },
      64 * 1024};
  broker::TopicTable topics{"switchboard/gw-f/"};

  World() {
    inbox.set_rules(handoff::RuleSet::embedded_default());
    metrics.known_values("switchboard_messages_in_total", "channel", {"sms", "whatsapp"});
    topics.add("in/+", [this](std::string_view ch, const std::string& p) {
      return channel.on_inbound(ch, p);
    });
    topics.add("delivery/+", [this](std::string_view ch, const std::string& p) {
      return channel.on_delivery(ch, p);
    });
    topics.add("replay", [this](std::string_view, const std::string& p) {
      return sync::handle_replay_request(events, p);
    });
    topics.add("config", [this](std::string_view, const std::string& p) { return config.handle(p); });
    topics.add("bot/reply", [this](std::string_view, const std::string& p) {
      return bot.on_reply(p);
    });
    inbox.on_external_bot_turn([this](const inbox::ExternalBotTurn& t) { bot.ask(t); });
    inbox.subscribe([this](const std::vector<inbox::Event>&) { events.drain(); });
  }
  void settle() {
    while (!posted.empty()) {
      auto f = std::move(posted.front());
      posted.pop_front();
      f();
    }
    io.poll();
    io.restart();
    channel.pump();
    broker.ack_all();
    broker.acked.clear();  // keep the double's memory flat over a long run
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Never destroyed: libFuzzer ends the process with exit(), and a teardown then would only
  // race with what is still posted. Reachable through the reference: not a leak to LSan.
  static World& w = *new World;
  if (size < 2) return 0;
  static const char* const kTopics[] = {"in/", "delivery/", "replay", "config", "bot/reply",
                                        "status", "in/", "events"};
  static const char* const kChannels[] = {"whatsapp", "webchat", "sms", "Bad", "", "a/b", "x"};
  std::string topic = "switchboard/gw-f/";
  topic += kTopics[data[0] % 8];
  if (topic.back() == '/') topic += kChannels[data[1] % 7];
  if (data[0] >= 0xF0) topic = "switchboard/other-gw/in/whatsapp";  // another gateway's
  const std::string payload(reinterpret_cast<const char*>(data) + 2, size - 2);

  if (auto refused = w.topics.dispatch(topic, payload)) {
    if (refused->kind.empty()) abort();
    w.dead.record(topic, refused->kind, refused->reason, payload);
  }
  w.settle();
  if (w.config.busy()) abort();  // `done` runs synchronously here: never left applying
  if (w.metrics.exposition().size() > 256 * 1024) abort();
  return 0;
}
