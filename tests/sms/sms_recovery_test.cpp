// The modem going away: unplug/replug, silence until re-open, silence until reset; health.
#include <doctest/doctest.h>

#include "tests/sms/sms_fixture.h"

using namespace sb;
using namespace sb::test;

TEST_CASE("unplug and replug recover by themselves; what came meanwhile is read") {
  SmsRig r;
  r.start();
  r.deliver("+491702000001", "before unplug");
  REQUIRE(r.run_until([&] { return r.inbound("before unplug").size() == 1; }));
  r.sim.unplug();
  REQUIRE(r.run_until([&] { return !r.engine.ready(); }));
  r.settle(300);
  REQUIRE(r.sim.replug().ok());
  r.deliver("+491702000001", "after replug", 43, false);
  REQUIRE(r.run_until([&] { return r.inbound("after replug").size() == 1; }));
  CHECK(r.engine.ready());
}

TEST_CASE("a modem silent until the port is re-opened comes back") {
  SmsRig r;
  r.start();
  r.sim.set_silence(sim::ModemSim::Silence::until_reopen);
  r.deliver("+491702000002", "while silent");
  REQUIRE(r.run_until([&] { return r.inbound("while silent").size() == 1; }, 60000));
  CHECK(r.engine.recoveries() >= 1);
}

TEST_CASE("a modem silent until AT+CFUN=1,1 is reset and comes back") {
  SmsRig r;
  r.start();
  r.sim.set_silence(sim::ModemSim::Silence::until_reset);
  r.deliver("+491702000003", "needs a reset");
  REQUIRE(r.run_until([&] { return r.inbound("needs a reset").size() == 1; }, 90000));
  CHECK(r.sim.count_commands("AT+CFUN=1,1") >= 1);
}

TEST_CASE("health is polled and exposed as JSON and gauges") {
  SmsRig r;
  r.start();
  REQUIRE(r.run_until([&] { return r.channel->health().operator_name == "Sim Mobile"; }));
  auto j = r.channel->status_json();
  CHECK(j["ready"] == true);
  CHECK(j["signal"]["rssi"] == 20);
  CHECK(j["registration"] == "home");
  CHECK(j["sim"] == "READY");
  CHECK(r.metrics.value("switchboard_modem_signal_rssi") == 20);
  CHECK(r.metrics.value("switchboard_modem_registered") == 1);
}
