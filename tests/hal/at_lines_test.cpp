#include <doctest/doctest.h>

#include "hal/modem/at_lines.h"
#include "hal/modem/modem_health.h"

using namespace sb::modem;

TEST_CASE("final results are told apart from everything else") {
  CHECK(parse_final("OK")->status == AtStatus::ok);
  CHECK(parse_final("ERROR")->status == AtStatus::error);
  auto cms = parse_final("+CMS ERROR: 322");
  REQUIRE(cms);
  CHECK(cms->status == AtStatus::cms_error);
  CHECK(cms->code == 322);
  CHECK(parse_final("+CME ERROR: SIM PIN required")->code == -1);
  CHECK_FALSE(parse_final("+CMTI: \"SM\",3"));
  CHECK_FALSE(parse_final("OK but not"));
}

TEST_CASE("response prefixes come from the command") {
  CHECK(response_prefix("AT+CPMS=\"SM\",\"SM\",\"SM\"") == "+CPMS:");
  CHECK(response_prefix("AT+CPIN?") == "+CPIN:");
  CHECK(response_prefix("AT^SYSCFG?") == "^SYSCFG:");
  CHECK(response_prefix("ATE0").empty());
}

TEST_CASE("vendor chatter and restarts are data") {
  CHECK(classify("^RSSI: 17", nullptr) == LineKind::chatter);
  CHECK(classify("^RSSI: 17", find_vendor("huawei")) == LineKind::chatter);
  CHECK(classify("+QIND: SMS DONE", find_vendor("Quectel")) == LineKind::chatter);
  CHECK(classify("RDY", find_vendor("Quectel")) == LineKind::restart);
  CHECK(classify("+CPIN: READY", find_vendor("huawei")) == LineKind::restart);
  CHECK(classify("+CMTI: \"SM\",1", nullptr) == LineKind::unsolicited);
  CHECK(classify("+CDS: 25", nullptr) == LineKind::unsolicited_pdu);
  CHECK(classify("0791447728008000", nullptr) == LineKind::other);
  CHECK(find_vendor("Manufacturer: SIMCOM INCORPORATED")->name == "simcom");
}

TEST_CASE("health answers read") {
  ModemHealth h;
  read_csq({"+CSQ: 20,99"}, h);
  read_creg({"+CREG: 0,5"}, h);
  read_cops({"+COPS: 0,0,\"Sim Mobile\",7"}, h);
  read_cpin({"+CPIN: READY"}, h);
  CHECK(h.rssi == 20);
  CHECK(*h.rssi_dbm == -73);
  CHECK(h.registration_text == "roaming");
  CHECK(h.registered());
  CHECK(h.operator_name == "Sim Mobile");
  CHECK(h.sim_state == "READY");
}
