// Diagnostics for technicians: the last warnings and errors the service logged (a bounded ring
// in the Log) and the newest dead letters, through the real API.
#include <doctest/doctest.h>

#include "services/inbox/dead_letters.h"
#include "tests/admin/tls_fixture.h"

using namespace sb;
using namespace sb::test;
using nlohmann::json;

TEST_CASE("the Log keeps the last warnings and errors only, newest first, bounded") {
  std::FILE* devnull = std::fopen("/dev/null", "w");
  Log log(Level::debug, devnull);
  log.info("x", "info is not a problem");
  log.notice("x", "neither is a notice");
  CHECK(log.recent_problems().empty());
  for (int i = 0; i < 30; ++i) log.error("modem", "failure ", i);
  log.warn("mqtt", "connection lost");
  auto recent = log.recent_problems();
  REQUIRE(recent.size() == Log::kRecentKept);
  CHECK(recent[0].level == Level::warning);
  CHECK(recent[0].component == "mqtt");
  CHECK(recent[0].message == "connection lost");
  CHECK(recent[0].at_ms > 0);
  CHECK(recent[1].message == "failure 29");
  CHECK(recent.back().message == "failure 11");
  log.error("big", std::string(10'000, 'x'));
  CHECK(log.recent_problems()[0].message.size() == Log::kRecentMessageMax);
  std::fclose(devnull);
}

TEST_CASE("diagnostics show a recent error and a dead letter, as data that is safe to render") {
  AdminStack s(false);
  s.log.error("modem", "SIM not ready: \xff\xfe");  // bytes that are not UTF-8
  s.log.info("x", "info is not shown");
  inbox::DeadLetters dead(s.inbox, s.clock, s.log, s.metrics);
  const std::string payload = std::string("\x01\x02<img src=x onerror=alert(1)>", 30);
  s.on_io([&] {
    dead.record("switchboard/gw/in/whatsapp", "not_protobuf", "not a protobuf message", payload);
    return 0;
  });
  auto tech = s.login("tom", "tech-pass-1");
  auto r = s.connect()->request("GET", "/api/v1/diagnostics", tech.cookie);
  REQUIRE(r.status == 200);
  json d = r.json();
  CHECK(d["version"] == "test");  // the status report is still there

  REQUIRE(d["recent_errors"].is_array());
  bool sim = false, info = false;
  for (const auto& e : d["recent_errors"]) {
    CHECK(e["at_ms"].is_number());
    const std::string msg = e["message"];
    if (e["component"] == "modem" && e["level"] == "error") {
      sim = msg.find("SIM not ready") != std::string::npos;
      CHECK(msg.find("\xEF\xBF\xBD") != std::string::npos);  // replaced, not dropped
    }
    info = info || msg.find("info is not shown") != std::string::npos;
  }
  CHECK(sim);
  CHECK_FALSE(info);
  // Recording the dead letter logged a warning too, after the error: newest first.
  CHECK(d["recent_errors"][0]["component"] == "channels");

  REQUIRE(d["dead_letters"].is_array());
  REQUIRE(d["dead_letters"].size() == 1);
  const auto& dl = d["dead_letters"][0];
  CHECK(dl["source"] == "switchboard/gw/in/whatsapp");
  CHECK(dl["reason"] == "not a protobuf message");
  CHECK(dl["at_ms"] == s.clock.wall_ms());
  CHECK(dl["payload_bytes"] == payload.size());
  const std::string hex = dl["payload_hex"];
  CHECK(hex.substr(0, 8) == "01023c69");  // the payload only as hex: nothing to render
}

TEST_CASE("dead letters: the newest first, at most the asked number") {
  AdminStack s(false);
  inbox::DeadLetters dead(s.inbox, s.clock, s.log, s.metrics);
  s.on_io([&] {
    for (int i = 0; i < 5; ++i) {
      dead.record("src-" + std::to_string(i), "kind", "reason", "x");
      s.clock.advance(2000);  // past the 20-a-second cap
    }
    s.inbox.flush();  // dead letters join the next group commit
    return 0;
  });
  auto three = inbox::DeadLetters::recent(*s.store, 3);
  REQUIRE(three.size() == 3);
  CHECK(three[0].source() == "src-4");
  CHECK(three[2].source() == "src-2");
  CHECK(inbox::DeadLetters::recent(*s.store, 0).empty());
  CHECK(dead.recent(10).size() == 5);
}
