// tests/sms/sms_fixture.h — the SMS channel wired as in the service: a real Inbox on a temp
// LMDB, the Linux serial link on the simulator's pty, the AT engine, one io_context; plus
// run_until() that turns the loop until a condition holds (20 s at most: a slow machine
// waits, never fails).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdio>

#include "hal/clock/fake_clock.h"
#include "hal/clock/system_clock.h"
#include "hal/modem/at_engine.h"
#include "hal/serial/linux_serial_link.h"
#include "services/inbox/dead_letters.h"
#include "services/channels/sms_channel.h"
#include "services/inbox/inbox.h"
#include "tests/sim/deliver_pdu.h"
#include "tests/sim/modem_sim.h"
#include "tests/support/temp_dir.h"

namespace sb::test {

struct SmsRig {
  TempDir dir;
  boost::asio::io_context io;
  hal::SystemClock system_clock;
  const Clock& clock;  // the system's, or a test's FakeClock
  std::FILE* devnull = std::fopen("/dev/null", "w");
  Log log{Level::debug, std::getenv("SMS_TEST_LOG") ? stderr : devnull};
  Metrics metrics;
  std::unique_ptr<store::Store> store = store::Store::open(dir.sub("db")).value();
  inbox::Inbox inbox{*store, clock, log, metrics,
                     [this](std::function<void()> f) { boost::asio::post(io, std::move(f)); }};
  inbox::DeadLetters dead{inbox, clock, log, metrics};
  sim::ModemSim sim{{dir.sub("modem"), 20, "huawei", ""}};
  hal::LinuxSerialLink link{io, {dir.sub("modem"), 115200, 100}};
  modem::AtEngine engine{io, link, log, engine_options()};
  // Tests flip this to make the inbox door refuse (as a full disk would).
  bool refuse_ingest = false;
  std::unique_ptr<channels::SmsChannel> channel;

  explicit SmsRig(channels::SmsOptions o = options(), const Clock* fake_clock = nullptr)
      : clock(fake_clock ? *fake_clock : system_clock) {
    REQUIRE(sim.start().ok());
    channel = std::make_unique<channels::SmsChannel>(
        io, engine, inbox, *store, dead, clock, log, metrics, o,
        [this](inbox::InboundMessage m, inbox::IngestDone done) {
          if (refuse_ingest) return done(fail("test: refused"));
          inbox.ingest(std::move(m), std::move(done));
        });
  }
  ~SmsRig() {
    channel->stop();
    channel.reset();
    io.poll();
    sim.stop();
    std::fclose(devnull);
  }
  static channels::SmsOptions options() {
    channels::SmsOptions o;
    o.part_wait_ms = 1000;
    o.rescan_ms = 1000;
    o.health_poll_ms = 1000;
    o.pump_ms = 200;
    o.retry_initial_ms = 100;
    o.retry_max_ms = 400;
    return o;
  }
  static modem::AtEngine::Options engine_options() {
    modem::AtEngine::Options o;
    o.command_timeout_ms = 2000;
    o.send_timeout_ms = 3000;
    o.reset_wait_ms = 300;
    o.init_retry_ms = 300;
    return o;
  }
  void start() {
    channel->start();
    REQUIRE(run_until([&] { return engine.ready(); }));
  }
  bool run_until(const std::function<bool()>& done, int ms = 20000) {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < end) {
      if (done()) return true;
      io.run_for(std::chrono::milliseconds(10));
    }
    return done();
  }
  // Runs the loop for a while (to show that something does NOT happen).
  void settle(int ms) { run_until([] { return false; }, ms); }

  std::vector<inbox::Conversation> sms_conversations() {
    inbox::ConversationFilter f;
    f.channel = "sms";
    return inbox.conversations(f);
  }
  std::vector<inbox::Message> inbound(const std::string& text_part = "") {
    std::vector<inbox::Message> out;
    for (const auto& c : sms_conversations())
      for (const auto& m : inbox.history(c.id()))
        if (m.direction() == "in" && m.text().find(text_part) != std::string::npos)
          out.push_back(m);
    return out;
  }
  void deliver(const std::string& from, const std::string& text, std::uint8_t ref = 42,
               bool indicate = true) {
    sim::DeliverSpec s;
    s.from = from;
    s.text = text;
    s.concat_ref = ref;
    for (const auto& p : sim::build_deliver(s)) sim.deliver(p, indicate);
  }
};

}  // namespace sb::test
