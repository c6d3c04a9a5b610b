// The AT engine against the in-memory link: a scripted modem answers each command.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>

#include "hal/modem/at_engine.h"
#include "hal/serial/memory_serial_link.h"

using namespace sb;
using namespace sb::modem;

namespace {

struct Rig {
  boost::asio::io_context io;
  hal::MemorySerialLink link;
  std::FILE* devnull = std::fopen("/dev/null", "w");
  Log log{Level::debug, devnull};
  AtEngine engine;
  // What the scripted modem answers per command (exact text); absent: OK. nullopt: silence.
  std::map<std::string, std::optional<std::string>> answers;
  std::function<void(const std::string&)> on_command;
  std::vector<std::string> seen;
  std::vector<Unsolicited> unsolicited;
  int readies = 0;
  std::string pending_pdu_cmd;

  explicit Rig(AtEngine::Options o = fast())
      : engine(io, link, log, o) {
    engine.set_listener({[this] { readies++; }, [](const std::string&) {},
                         [this](const Unsolicited& u) { unsolicited.push_back(u); }});
  }
  ~Rig() {
    engine.stop();
    std::fclose(devnull);
  }
  static AtEngine::Options fast() {
    AtEngine::Options o;
    o.command_timeout_ms = 300;
    o.send_timeout_ms = 300;
    o.reset_wait_ms = 100;
    o.init_retry_ms = 100;
    return o;
  }
  void serve() {
    std::string w = link.take_written();
    std::size_t pos = 0;
    while (pos < w.size()) {
      if (!pending_pdu_cmd.empty()) {
        auto z = w.find('\x1A', pos);
        if (z == std::string::npos) break;
        std::string pdu = w.substr(pos, z - pos);
        pos = z + 1;
        seen.push_back("PDU " + pdu);
        auto it = answers.find("PDU");
        pending_pdu_cmd.clear();
        link.feed(it != answers.end() ? it->second.value_or("") : "\r\n+CMGS: 7\r\n\r\nOK\r\n");
        continue;
      }
      auto cr = w.find('\r', pos);
      if (cr == std::string::npos) break;
      std::string cmd = w.substr(pos, cr - pos);
      pos = cr + 1;
      seen.push_back(cmd);
      if (on_command) on_command(cmd);
      if (cmd.rfind("AT+CMGS=", 0) == 0) {
        pending_pdu_cmd = cmd;
        link.feed("\r\n> ");
        continue;
      }
      auto it = answers.find(cmd);
      if (it == answers.end()) {
        link.feed(cmd == "AT+CPIN?" ? "\r\n+CPIN: READY\r\n\r\nOK\r\n" : "\r\nOK\r\n");
      } else if (it->second) {
        link.feed(*it->second);
      }
    }
  }
  bool run_until(const std::function<bool()>& done, int ms = 20000) {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < end) {
      serve();
      if (done()) return true;
      io.run_for(std::chrono::milliseconds(5));
    }
    return done();
  }
  int count(const std::string& cmd) const {
    return static_cast<int>(std::count(seen.begin(), seen.end(), cmd));
  }
};

}  // namespace

TEST_CASE("init runs the documented sequence and reports ready") {
  Rig r;
  r.answers["AT+CGMI"] = "\r\nhuawei\r\n\r\nOK\r\n";
  r.engine.start();
  REQUIRE(r.run_until([&] { return r.readies == 1; }));
  std::vector<std::string> want = {"AT", "ATE0", "AT+CMEE=1", "AT+CGMI", "AT+CPIN?",
                                   "AT+CMGF=0", "AT+CPMS=\"SM\",\"SM\",\"SM\"",
                                   "AT+CNMI=2,1,0,1,0", "AT+CSMS?"};
  CHECK(r.seen == want);
  CHECK(r.engine.vendor() == "huawei");
  CHECK(r.engine.sim_state() == "READY");
}

TEST_CASE("the SIM PIN is sent once, and never again after the SIM refused it") {
  AtEngine::Options o = Rig::fast();
  o.sim_pin = "1234";
  Rig r(o);
  r.answers["AT+CPIN?"] = "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n";
  r.answers["AT+CPIN=\"1234\""] = "\r\n+CME ERROR: 16\r\n";
  r.engine.start();
  REQUIRE(r.run_until([&] { return r.count("AT+CPIN?") >= 3; }));
  CHECK(r.count("AT+CPIN=\"1234\"") == 1);
  CHECK(r.engine.sim_state() == "wrong PIN");
  CHECK_FALSE(r.engine.ready());
}

TEST_CASE("unsolicited lines in the middle of a response stay out of it") {
  Rig r;
  r.engine.start();
  REQUIRE(r.run_until([&] { return r.engine.ready(); }));
  r.answers["AT+CMGL=4"] =
      "\r\n+CMGL: 0,0,,5\r\n^RSSI: 17\r\n0011223344AA\r\n+CMTI: \"SM\",4\r\n"
      "\r\n^BOOT:1,0,0,0,72\r\n+CDS: 6\r\n07912143658709\r\n+CMGL: 1,0,,5\r\n"
      "0011223344BB\r\n^MODE: 5,4\r\nOK\r\n";
  std::optional<AtReply> got;
  r.engine.command("AT+CMGL=4", [&](const AtReply& a) { got = a; });
  REQUIRE(r.run_until([&] { return got.has_value(); }));
  CHECK(got->ok());
  std::vector<std::string> want = {"+CMGL: 0,0,,5", "0011223344AA", "+CMGL: 1,0,,5",
                                   "0011223344BB"};
  CHECK(got->lines == want);
  REQUIRE(r.unsolicited.size() == 2);
  CHECK(r.unsolicited[0].line == "+CMTI: \"SM\",4");
  CHECK(r.unsolicited[1].line == "+CDS: 6");
  CHECK(*r.unsolicited[1].pdu == "07912143658709");
}

TEST_CASE("+CMS ERROR and +CME ERROR are final results with their numbers") {
  Rig r;
  r.engine.start();
  REQUIRE(r.run_until([&] { return r.engine.ready(); }));
  r.answers["PDU"] = "\r\n+CMS ERROR: 500\r\n";
  std::optional<AtReply> got;
  r.engine.send_pdu("AT+CMGS=12", "0011AABB", [&](const AtReply& a) { got = a; });
  REQUIRE(r.run_until([&] { return got.has_value(); }));
  CHECK(got->status == AtStatus::cms_error);
  CHECK(got->code == 500);
  CHECK(r.count("PDU 0011AABB") == 1);
  r.answers.erase("PDU");
  got.reset();
  r.engine.send_pdu("AT+CMGS=12", "0011AABB", [&](const AtReply& a) { got = a; });
  REQUIRE(r.run_until([&] { return got.has_value(); }));
  CHECK(got->ok());
  CHECK(got->lines == std::vector<std::string>{"+CMGS: 7"});
}

TEST_CASE("a timeout answers the command and the next one goes on") {
  Rig r;
  r.engine.start();
  REQUIRE(r.run_until([&] { return r.engine.ready(); }));
  r.answers["AT+CSQ"] = std::nullopt;
  std::optional<AtReply> first, second;
  r.engine.command("AT+CSQ", [&](const AtReply& a) { first = a; });
  r.engine.command("AT+COPS?", [&](const AtReply& a) { second = a; });
  REQUIRE(r.run_until([&] { return second.has_value(); }));
  CHECK(first->status == AtStatus::timeout);
  CHECK(second->ok());
  CHECK(r.engine.recoveries() == 0);
}

TEST_CASE("a silent modem is re-opened, then reset, and initialized again") {
  Rig r;
  r.engine.start();
  REQUIRE(r.run_until([&] { return r.engine.ready(); }));
  bool silent = true;
  for (const char* c : {"AT", "ATE0", "AT+CSQ"}) r.answers[c] = std::nullopt;
  r.on_command = [&](const std::string& c) {
    if (c == "AT+CFUN=1,1") {  // the reset brings it back
      silent = false;
      r.answers.clear();
    }
  };
  int failed = 0;
  for (int i = 0; i < 3; ++i)
    r.engine.command("AT+CSQ", [&](const AtReply& a) { failed += !a.ok(); });
  REQUIRE(r.run_until([&] { return !silent && r.engine.ready(); }));
  CHECK(failed == 3);
  CHECK(r.link.reopens >= 2);
  CHECK(r.count("AT+CFUN=1,1") == 1);
  CHECK(r.engine.recoveries() == 2);
  CHECK(r.readies == 2);
}

TEST_CASE("a restart line makes the engine initialize again; link loss fails what waits") {
  Rig r;
  r.engine.start();
  REQUIRE(r.run_until([&] { return r.readies == 1; }));
  r.link.feed("\r\nRDY\r\n");
  REQUIRE(r.run_until([&] { return r.readies == 2; }));
  CHECK(r.count("ATE0") == 2);
  r.answers["AT+CSQ"] = std::nullopt;
  std::optional<AtReply> got;
  r.engine.command("AT+CSQ", [&](const AtReply& a) { got = a; });
  r.serve();
  r.link.unplug();
  REQUIRE(got);
  CHECK(got->status == AtStatus::link_down);
}

TEST_CASE("AT+CPIN? answered without a final OK (Wavecom): the line is the answer") {
  Rig r;
  r.answers["AT+CPIN?"] = "\r\n+CPIN: READY\r\n";  // and nothing more, ever
  r.engine.start();
  REQUIRE(r.run_until([&] { return r.engine.ready(); }));
  CHECK(r.engine.sim_state() == "READY");
  CHECK(r.engine.recoveries() == 0);
  CHECK(r.count("AT+CMGF=0") == 1);
}

TEST_CASE("SIM busy (+CME ERROR: 14) on AT+CPMS is asked again; never the modem's storage") {
  Rig r;
  const std::string sm = "AT+CPMS=\"SM\",\"SM\",\"SM\"";
  r.answers[sm] = "\r\n+CME ERROR: 14\r\n";
  int asked = 0;
  r.on_command = [&](const std::string& c) {
    if (c == sm && ++asked == 3) r.answers.erase(sm);  // the SIM is done reading its files
  };
  r.engine.start();
  REQUIRE(r.run_until([&] { return r.engine.ready(); }));
  CHECK(asked == 3);
  CHECK(r.count("AT+CPMS=\"ME\",\"ME\",\"ME\"") == 0);
}

TEST_CASE("a SIM storage refused for another reason falls back to the modem's storage") {
  Rig r;
  r.answers["AT+CPMS=\"SM\",\"SM\",\"SM\""] = "\r\n+CMS ERROR: 302\r\n";
  r.engine.start();
  REQUIRE(r.run_until([&] { return r.engine.ready(); }));
  CHECK(r.count("AT+CPMS=\"ME\",\"ME\",\"ME\"") == 1);
}

TEST_CASE("send refusals climb the ladder: re-init, reset command, re-open, then reset again") {
  AtEngine::Options o = Rig::fast();
  o.reset_command = "AT^RESET";
  Rig r(o);
  r.engine.start();
  REQUIRE(r.run_until([&] { return r.readies == 1; }));
  const int opens = r.link.opens;
  r.engine.recover_from_refusals("+CMS ERROR: 500");
  REQUIRE(r.run_until([&] { return r.readies == 2; }));
  CHECK(r.count("ATE0") == 2);
  CHECK(r.count("AT^RESET") == 0);
  CHECK(r.link.opens == opens);
  r.engine.recover_from_refusals("+CMS ERROR: 500");
  REQUIRE(r.run_until([&] { return r.readies == 3; }));
  CHECK(r.count("AT^RESET") == 1);
  r.engine.recover_from_refusals("+CMS ERROR: 500");
  REQUIRE(r.run_until([&] { return r.readies == 4; }));
  CHECK(r.count("AT^RESET") == 1);
  CHECK(r.link.reopens >= 2);  // after the reset, and the ladder's own re-open
  r.engine.recover_from_refusals("+CMS ERROR: 500");
  REQUIRE(r.run_until([&] { return r.readies == 5; }));
  CHECK(r.count("AT^RESET") == 2);
  r.engine.note_working();  // a send went: the next trouble starts from the bottom again
  r.engine.recover_from_refusals("+CMS ERROR: 500");
  REQUIRE(r.run_until([&] { return r.readies == 6; }));
  CHECK(r.count("AT^RESET") == 2);
}

TEST_CASE("command_next from a done is the very next command sent, ahead of those waiting") {
  Rig r;
  r.engine.start();
  REQUIRE(r.run_until([&] { return r.engine.ready(); }));
  r.seen.clear();
  std::vector<std::string> order;
  r.engine.command("AT+CPMS=\"ME\"", [&](const AtReply& a) {
    order.push_back("CPMS " + a.describe());
    r.engine.command_next("AT+CMGD=3", [&](const AtReply& b) { order.push_back("CMGD " + b.describe()); });
  });
  r.engine.command("AT+CPMS=\"SM\"", [&](const AtReply&) { order.push_back("SM"); });
  REQUIRE(r.run_until([&] { return order.size() == 3; }));
  CHECK(r.seen == std::vector<std::string>{"AT+CPMS=\"ME\"", "AT+CMGD=3", "AT+CPMS=\"SM\""});
  CHECK(order == std::vector<std::string>{"CPMS OK", "CMGD OK", "SM"});
}

TEST_CASE("command_next while the modem is initialized again is not sent") {
  Rig r;
  r.answers["AT+CGMI"] = "\r\nQuectel\r\n\r\nOK\r\n";  // whose restart line is RDY
  r.engine.start();
  REQUIRE(r.run_until([&] { return r.engine.ready(); }));
  // The modem restarts while the selection is in flight: what it selected is gone.
  r.answers["AT+CPMS=\"ME\""] = "\r\nRDY\r\n\r\nOK\r\n";
  std::optional<AtReply> second;
  r.engine.command("AT+CPMS=\"ME\"", [&](const AtReply&) {
    r.engine.command_next("AT+CMGD=3", [&](const AtReply& b) { second = b; });
  });
  REQUIRE(r.run_until([&] { return second.has_value(); }));
  CHECK(second->status == AtStatus::link_down);
  REQUIRE(r.run_until([&] { return r.readies == 2; }));  // initialized again
  CHECK(r.count("AT+CMGD=3") == 0);
}
