// SMS in: the channel against the simulator over a real pty and the real Linux serial link.
#include <doctest/doctest.h>

#include <algorithm>

#include "tests/sms/sms_fixture.h"

using namespace sb;
using namespace sb::test;

TEST_CASE("an SMS comes in, is committed, and only then deleted from the SIM") {
  SmsRig r;
  r.start();
  r.deliver("+491701234567", "Hello, I want a refund for order 77");
  REQUIRE(r.run_until([&] { return r.inbound("refund").size() == 1; }));
  REQUIRE(r.run_until([&] { return r.sim.stored().empty(); }));
  auto convs = r.sms_conversations();
  REQUIRE(convs.size() == 1);
  CHECK(convs[0].contact() == "+491701234567");
  CHECK(inbox::status_name_of(convs[0]) == "queued");  // the default rules hand "refund" to a human
}

TEST_CASE("messages stored without an indication are found by the listing") {
  SmsRig r;
  r.deliver("+491700000001", "sent while the port was closed", 1, false);
  r.start();
  REQUIRE(r.run_until([&] { return r.inbound("port was closed").size() == 1; }));
  r.deliver("+491700000001", "indication lost", 2, false);
  REQUIRE(r.run_until([&] { return r.inbound("indication lost").size() == 1; }));
  REQUIRE(r.run_until([&] { return r.sim.stored().empty(); }));
}

TEST_CASE("a refused ingest leaves the message on the SIM; it goes in once the door opens") {
  SmsRig r;
  r.refuse_ingest = true;
  r.start();
  r.deliver("+491700000002", "keep me");
  REQUIRE(r.run_until([&] { return r.sim.count_commands("AT+CMGR") >= 1; }));
  r.settle(1500);  // a listing and a retry happen in this time
  CHECK(r.sim.stored().size() == 1);
  CHECK(r.sim.count_commands("AT+CMGD") == 0);
  CHECK(r.inbound().empty());
  r.refuse_ingest = false;
  REQUIRE(r.run_until([&] { return r.sim.stored().empty(); }));
  CHECK(r.inbound("keep me").size() == 1);
}

TEST_CASE("multipart in any order, 7-bit and UCS-2") {
  SmsRig r;
  r.start();
  std::string gsm(400, 'x');
  for (std::size_t i = 0; i < gsm.size(); ++i) gsm[i] = static_cast<char>('a' + i % 26);
  std::string ucs;
  for (int i = 0; i < 30; ++i) ucs += "Привет 😀 ";
  for (auto [text, ref] : {std::pair{gsm, 7}, std::pair{ucs, 8}}) {
    sim::DeliverSpec s;
    s.from = "+491700000003";
    s.text = text;
    s.concat_ref = static_cast<std::uint8_t>(ref);
    auto parts = sim::build_deliver(s);
    REQUIRE(parts.size() >= 3);
    std::reverse(parts.begin(), parts.end());
    std::swap(parts[0], parts[1]);
    for (const auto& p : parts) r.sim.deliver(p);
  }
  REQUIRE(r.run_until([&] { return r.inbound().size() == 2; }));
  CHECK(r.inbound(gsm).size() == 1);
  CHECK(r.inbound(ucs).size() == 1);
  REQUIRE(r.run_until([&] { return r.sim.stored().empty(); }));
  CHECK(r.channel->parts_waiting() == 0);
}

TEST_CASE("a missing last part: what came is delivered after the wait, with the marker") {
  SmsRig r;
  r.start();
  std::string ucs;
  for (int i = 0; i < 20; ++i) ucs += "Ωμέγα " + std::to_string(i) + " ";
  sim::DeliverSpec s;
  s.from = "+491700000004";
  s.text = ucs;
  auto parts = sim::build_deliver(s);
  REQUIRE(parts.size() >= 2);
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) r.sim.deliver(parts[i]);
  REQUIRE(r.run_until([&] { return r.inbound().size() == 1; }));
  auto m = r.inbound().at(0);
  CHECK(m.text().find("[…]") != std::string::npos);
  CHECK(m.text().rfind("Ωμέγα 0 ", 0) == 0);
  CHECK(r.channel->parts_waiting() == 0);
}

TEST_CASE("a broken PDU becomes a dead letter before it leaves the SIM") {
  SmsRig r;
  r.start();
  r.sim.deliver("07911326040000F0040B911346610089F60000208062917314800CC8F71D14969741F977FD07");
  r.sim.deliver("0791FFFF");
  REQUIRE(r.run_until([&] { return r.sim.stored().empty(); }));
  auto dead = r.dead.recent(10);
  CHECK(dead.size() >= 1);
  CHECK(r.metrics.value("switchboard_bad_input_total", {{"kind", "bad_pdu"}}) >= 1);
}

TEST_CASE("vendor chatter flooding the port changes nothing") {
  SmsRig r;
  r.sim.set_flood(true);
  r.start();
  for (int i = 0; i < 5; ++i) r.deliver("+49170000001" + std::to_string(i), "flood " + std::to_string(i));
  REQUIRE(r.run_until([&] { return r.inbound("flood").size() == 5; }));
  REQUIRE(r.run_until([&] { return r.sim.stored().empty(); }));
  CHECK(r.engine.vendor() == "huawei");
}

TEST_CASE("a full SIM: the network holds messages back until slots are freed") {
  SmsRig r;
  r.start();
  for (int i = 0; i < 26; ++i) r.deliver("+4917100000" + std::to_string(10 + i), "full " + std::to_string(i));
  CHECK(r.sim.waiting_in_network() + r.sim.stored().size() <= 26);
  REQUIRE(r.run_until([&] { return r.inbound("full").size() == 26; }));
  REQUIRE(r.run_until([&] { return r.sim.stored().empty() && r.sim.waiting_in_network() == 0; }));
}
