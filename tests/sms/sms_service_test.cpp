// The real `switchboard` binary against the modem simulator on a pty, through the same serial
// code path a gateway uses: SMS in, handoff, reply out as PDU and its delivery report;
// multipart in any order; a missing part; SIGKILL at any moment of the intake; unplug and
// replug; +CMS ERROR on send. What the service stored is read back through `export` or the
// admin API, as a user would.
#include <doctest/doctest.h>

#include <sys/file.h>

#include <algorithm>
#include <random>

#include "hal/modem/pdu/pdu.h"
#include "tests/sim/deliver_pdu.h"
#include "tests/sim/modem_sim.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "tests/sms/gateway.h"

namespace {

using nlohmann::json;
using sb::test::Gateway;
using sb::test::kPassword;
using sb::test::wait_for;

// The texts of the PDUs the modem was asked to send, in order.
std::vector<std::string> sent_texts(const sb::sim::ModemSim& sim) {
  std::vector<std::string> texts;
  for (const auto& p : sim.sent_pdus()) {
    auto d = sb::pdu::decode(p);
    texts.push_back(d ? d->text : "undecodable: " + d.error().message);
  }
  return texts;
}

json conversation(sb::test::HttpClient& c, std::uint64_t id) {
  return c.get("/api/v1/conversations/" + std::to_string(id)).json();
}

std::string outbound_status(sb::test::HttpClient& c, std::uint64_t conv, std::uint64_t msg) {
  json j = conversation(c, conv);
  if (!j.is_object()) return "";
  for (const auto& m : j["messages"])
    if (m["id"] == msg) return m["status"].is_string() ? m["status"].get<std::string>() : "";
  return "";
}

}  // namespace

TEST_CASE("SMS in with 'refund' hands off; the agent's reply goes out as a PDU and is delivered") {
  Gateway g;
  g.sim.set_next_mr(7);
  g.start_and_wait();
  auto api = g.admin();
  g.deliver("+491701111111", "I want a refund for my order");

  json conv;
  REQUIRE(wait_for([&] {
    json list = api.get("/api/v1/handoffs").json();
    if (!list.is_array() || list.empty()) return false;
    conv = list[0];
    return true;
  }));
  INFO(g.log());
  CHECK(conv["channel"] == "sms");
  CHECK(conv["contact"] == "+491701111111");
  CHECK(conv["status"] == "queued");
  CHECK(conv["handoff"]["trigger"] == "keyword");
  CHECK(conv["handoff"]["reason"].get<std::string>().find("refund") != std::string::npos);
  CHECK(wait_for([&] { return g.sim.stored().empty(); }));  // deleted after the commit

  const auto id = conv["id"].get<std::uint64_t>();
  auto r = api.post("/api/v1/conversations/" + std::to_string(id) + "/messages",
                    {{"text", "Sorry about that — refund is on its way 💶"}});
  REQUIRE(r.status == 200);
  const auto msg = r.json()["id"].get<std::uint64_t>();
  // First out: the bot's acknowledgement of the handoff (TP-MR 7); then the reply (TP-MR 8).
  REQUIRE(wait_for([&] { return g.sim.sent_pdus().size() == 2; }));
  CHECK(sent_texts(g.sim)[0].find("person") != std::string::npos);
  auto pdu = sb::pdu::decode(g.sim.sent_pdus()[1]);
  REQUIRE(pdu.ok());
  REQUIRE(pdu->recipient.has_value());
  CHECK(pdu->recipient->text == "+491701111111");
  CHECK(pdu->text == "Sorry about that — refund is on its way 💶");
  CHECK(pdu->encoding == sb::pdu::Encoding::ucs2);
  CHECK(wait_for([&] { return outbound_status(api, id, msg) == "sent"; }));
  CHECK(conversation(api, id)["assignee"] == "ana");  // replying took it from the bot

  g.sim.status_report(sb::sim::build_status_report(8, "+491701111111", 0));
  CHECK(wait_for([&] { return outbound_status(api, id, msg) == "delivered"; }));
}

TEST_CASE("multipart in any order, with a lost indication, 7-bit and UCS-2") {
  Gateway g("rescan_s = 1\n");
  const std::string latin(400, 'x');
  const std::string emoji = "Grüße 👋 " + std::string(120, 'y') + " ünïcödé 😀 end";
  sb::sim::DeliverSpec a;
  a.from = "+491702222222";
  a.text = "Start " + latin + " stop";
  a.concat_ref = 1;
  sb::sim::DeliverSpec b;
  b.from = "+491703333333";
  b.text = emoji;
  b.concat_ref = 200;
  auto pa = sb::sim::build_deliver(a), pb = sb::sim::build_deliver(b);
  REQUIRE(pa.size() == 3);
  REQUIRE(pb.size() >= 2);
  g.sim.deliver(pa[2]);
  g.sim.deliver(pb[1]);
  g.start_and_wait();
  g.sim.deliver(pa[0], false);  // its +CMTI is lost: the rescan finds it
  g.sim.deliver(pb[0]);
  for (std::size_t i = 2; i < pb.size(); ++i) g.sim.deliver(pb[i]);
  g.sim.deliver(pa[1]);

  REQUIRE(wait_for([&] { return g.inbound_texts().size() == 2; }, 30000));
  auto texts = g.inbound_texts();
  INFO(g.log());
  CHECK(std::count(texts.begin(), texts.end(), a.text) == 1);
  CHECK(std::count(texts.begin(), texts.end(), emoji) == 1);
  CHECK(wait_for([&] { return g.sim.stored().empty(); }));
}

TEST_CASE("a long message whose last part never comes goes in after part_wait_s, marked") {
  Gateway g("part_wait_s = 2\n");
  sb::sim::DeliverSpec s;
  s.from = "+491704444444";
  s.text = "Ünicode start " + std::string(150, 'z') + " — the end never arrives";
  auto parts = sb::sim::build_deliver(s);
  REQUIRE(parts.size() >= 3);
  g.start_and_wait();
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) g.sim.deliver(parts[i]);
  REQUIRE(wait_for([&] { return g.inbound_texts().size() == 1; }, 30000));
  const std::string text = g.inbound_texts()[0];
  CHECK(text.rfind("Ünicode start ", 0) == 0);
  CHECK(text.find("[…]") != std::string::npos);
  CHECK(text.find("never arrives") == std::string::npos);
}

TEST_CASE("SIGKILL at random moments of the intake loses and duplicates nothing") {
  Gateway g("rescan_s = 1\n");
  std::mt19937 rng(12345);
  std::vector<std::string> texts;
  // Each cycle: messages arrive (some indications lost), the service starts, and is killed
  // somewhere between opening the port, reading, committing and deleting.
  for (int cycle = 0; cycle < 12; ++cycle) {
    for (int k = 0; k < 3; ++k) {
      texts.push_back("kill test " + std::to_string(cycle) + "." + std::to_string(k));
      g.deliver("+4917055500" + std::to_string(k), texts.back(), rng() % 3 != 0,
                static_cast<std::uint8_t>(texts.size()));
    }
    g.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 700));
    g.stop(SIGKILL);
  }
  g.start_and_wait();
  REQUIRE(wait_for(
      [&] { return g.sim.stored().empty() && g.sim.waiting_in_network() == 0; }, 60000));
  INFO(g.log());
  auto got = g.inbound_texts();
  CHECK(got.size() == texts.size());
  for (const auto& t : texts) CHECK_MESSAGE(std::count(got.begin(), got.end(), t) == 1, t);
}

TEST_CASE("SIGKILL after the commit and before the deletion: stored exactly once") {
  Gateway g;
  g.sim.set_delay("AT+CMGD", 600000);  // the deletion never lands while the first run lives
  g.deliver("+491705555555", "refund crash test");
  g.start();
  bool asked = wait_for([&] { return g.sim.count_commands("AT+CMGD") >= 1; }, 30000);
  g.stop(SIGKILL);
  INFO(g.log());
  REQUIRE(asked);  // committed (deletion is only asked after the commit) ...
  CHECK(g.sim.stored().size() == 1);  // ... and not yet deleted

  g.sim.set_delay("AT+CMGD", 0);
  g.start_and_wait();
  REQUIRE(wait_for([&] { return g.sim.stored().empty(); }, 30000));
  g.stop(SIGTERM);
  auto got = g.inbound_texts();
  CHECK(std::count(got.begin(), got.end(), "refund crash test") == 1);
}

TEST_CASE("unplug and replug: the service finds the modem again by itself") {
  Gateway g;
  g.start_and_wait();
  g.deliver("+491706666666", "before the unplug");
  REQUIRE(wait_for([&] { return g.inbound_texts().size() == 1; }));
  g.sim.unplug();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  g.deliver("+491706666666", "while unplugged", true, 2);  // nobody hears the +CMTI
  REQUIRE(g.sim.replug().ok());
  INFO(g.log());
  CHECK(wait_for([&] { return g.inbound_texts().size() == 2; }, 30000));
  g.deliver("+491706666666", "after the replug", true, 3);
  CHECK(wait_for([&] { return g.inbound_texts().size() == 3; }, 30000));
  CHECK(g.sim.stored().empty());
}

// 21 is the network's verdict on the message (fails it after send_attempts); 500 speaks of the
// modem (the message waits; one refusal is simply retried).
TEST_CASE("+CMS ERROR on send: retried with backoff, then marked failed; one refusal recovers") {
  Gateway g("send_attempts = 3\nretry_initial_s = 1\n");
  g.start_and_wait();
  auto api = g.admin();
  g.deliver("+491707777777", "refund please");
  std::uint64_t id = 0;
  REQUIRE(wait_for([&] {
    json list = api.get("/api/v1/handoffs").json();
    if (!list.is_array() || list.empty()) return false;
    id = list[0]["id"];
    return true;
  }));
  const std::string conv = "/api/v1/conversations/" + std::to_string(id) + "/messages";

  // The bot's acknowledgement of the handoff goes out first, unrefused.
  REQUIRE(wait_for([&] { return g.sim.sent_pdus().size() == 1; }));
  g.sim.fail_next_sends(100, 21);
  auto r = api.post(conv, {{"text", "first reply"}});
  REQUIRE(r.status == 200);
  const auto failed = r.json()["id"].get<std::uint64_t>();
  REQUIRE(wait_for([&] { return outbound_status(api, id, failed) == "failed"; }, 30000));
  INFO(g.log());
  CHECK(g.sim.count_commands("AT+CMGS") == 1 + 3);
  CHECK(g.sim.sent_pdus().size() == 1);

  g.sim.fail_next_sends(1, 500);
  r = api.post(conv, {{"text", "second reply"}});
  REQUIRE(r.status == 200);
  const auto sent = r.json()["id"].get<std::uint64_t>();
  CHECK(wait_for([&] { return outbound_status(api, id, sent) == "sent"; }, 30000));
  CHECK(g.sim.count_commands("AT+CMGS") == 1 + 3 + 2);
  REQUIRE(sent_texts(g.sim).size() == 2);
  CHECK(sent_texts(g.sim)[1] == "second reply");
}

TEST_CASE("a port another program holds: a clear error naming it, then the modem once freed") {
  Gateway g;
  // Another program (here: this test, as ModemManager would) holds the port.
  int fd = ::open(g.sim.path().c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
  g.start_and_wait();
  CHECK(wait_for([&] { return g.log().find("port busy") != std::string::npos; }));
  CHECK(g.log().find("test_sms_servic (pid") != std::string::npos);  // the holder, by name
  CHECK(g.sim.count_commands("AT") == 0);
  ::close(fd);
  g.deliver("+491708888888", "after the port was freed");
  INFO(g.log());
  CHECK(wait_for([&] { return g.inbound_texts().size() == 1; }, 30000));
}
