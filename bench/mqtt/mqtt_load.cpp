// A load generator that is not the limit (libmosquitto, C): publishes N InboundMessages at QoS 1
// and counts, on the events topic, the distinct external ids receipted by message_in Events and
// all Events received. With --ceiling it publishes the same payloads to a plain topic and counts
// them back through the broker alone: the ceiling for the same publisher and subscriber.
//   mqtt_load PORT GW N [--ceiling]
// Prints one line: "inbound N msgs/s, events M/s" (or "ceiling N msgs/s").
#include <mosquitto.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "services/proto/switchboard.pb.h"

namespace {

struct Counter {
  std::mutex mu;
  std::unordered_set<std::string> receipted;
  std::atomic<long> events{0};
  std::atomic<long> ceiling{0};
  std::string prefix;
};

void on_message(mosquitto*, void* user, const mosquitto_message* m) {
  auto* c = static_cast<Counter*>(user);
  if (std::strstr(m->topic, "/events")) {
    switchboard::v1::EventBatch b;
    if (!b.ParseFromArray(m->payload, m->payloadlen)) return;
    c->events += b.events_size();
    std::lock_guard lock(c->mu);
    for (const auto& e : b.events())
      if (e.kind() == switchboard::v1::Event::MESSAGE_IN && e.external_id().rfind(c->prefix, 0) == 0)
        c->receipted.insert(e.external_id());
  } else {
    c->ceiling++;
  }
}

mosquitto* client(const char* id, int port, Counter* c) {
  mosquitto* m = mosquitto_new(id, true, c);
  mosquitto_max_inflight_messages_set(m, 1000);
  mosquitto_message_callback_set(m, on_message);
  if (mosquitto_connect(m, "127.0.0.1", port, 30) != MOSQ_ERR_SUCCESS) {
    std::fprintf(stderr, "cannot connect to 127.0.0.1:%d\n", port);
    std::exit(1);
  }
  mosquitto_loop_start(m);
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: mqtt_load PORT GW N [--ceiling]\n");
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const std::string gw = argv[2];
  const int n = std::atoi(argv[3]);
  const bool ceiling = argc > 4 && std::strcmp(argv[4], "--ceiling") == 0;
  mosquitto_lib_init();
  Counter c;
  c.prefix = "bench-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "-";
  std::vector<std::string> payloads;
  payloads.reserve(n);
  for (int i = 0; i < n; ++i) {
    switchboard::v1::InboundMessage m;
    m.set_external_id(c.prefix + std::to_string(i));
    m.set_sender("+49151" + std::to_string(1000000 + i % 500));
    m.set_sender_name("Bench");
    m.set_text("load message " + std::to_string(i) + " asking about an order");
    payloads.push_back(m.SerializeAsString());
  }
  const std::string pub_topic = ceiling ? "bench/ceiling/" + c.prefix : "switchboard/" + gw + "/in/whatsapp";
  const std::string sub_topic = ceiling ? pub_topic : "switchboard/" + gw + "/events";
  mosquitto* sub = client(("bench-sub-" + c.prefix).c_str(), port, &c);
  mosquitto_subscribe(sub, nullptr, sub_topic.c_str(), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  mosquitto* pub = client(("bench-pub-" + c.prefix).c_str(), port, &c);
  auto t0 = std::chrono::steady_clock::now();
  for (const auto& p : payloads) {
    while (mosquitto_publish(pub, nullptr, pub_topic.c_str(), static_cast<int>(p.size()), p.data(), 1,
                             false) == MOSQ_ERR_NOMEM)
      std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  auto done = [&] {
    if (ceiling) return c.ceiling.load() >= n;
    std::lock_guard lock(c.mu);
    return static_cast<int>(c.receipted.size()) >= n;
  };
  auto deadline = t0 + std::chrono::seconds(120);
  while (!done() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (ceiling) {
    std::printf("ceiling %.0f msgs/s (%ld of %d)\n", c.ceiling.load() / secs, c.ceiling.load(), n);
  } else {
    std::lock_guard lock(c.mu);
    std::printf("inbound %.0f msgs/s (%zu of %d receipted), events out %.0f/s\n",
                c.receipted.size() / secs, c.receipted.size(), n, c.events.load() / secs);
  }
  mosquitto_loop_stop(pub, true);
  mosquitto_loop_stop(sub, true);
  mosquitto_lib_cleanup();
  return done() ? 0 : 1;
}
