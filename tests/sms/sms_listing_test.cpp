// The listing parser: a slot's PDU is believed only when it is hex of the announced length;
// every other line is set aside, and a slot whose PDU was not readable is named for AT+CMGR.
#include <doctest/doctest.h>

#include "services/channels/sms/sms_listing.h"

using namespace sb::channels::sms;

namespace {
// A real SMS-DELIVER with SMSC prefix (3GPP TS 23.040 example as modems print it): the
// header announces 28 octets of TPDU after the 8 of the SMSC part.
const std::string kPdu = "07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37";
}  // namespace

TEST_CASE("a URC between header and PDU is set aside; the PDU is still found") {
  auto l = parse_cmgl({"+CMGL: 3,0,,28", "^DSDORMANT:0", kPdu, "+CMGL: 4,1,,28",
                       "^NEVERSEEN: 1", "^RSSILVL:80", kPdu});
  REQUIRE(l.slots.size() == 2);
  CHECK(l.slots[0].index == 3);
  CHECK(l.slots[0].pdu == kPdu);
  CHECK(l.slots[1].index == 4);
  CHECK(l.slots[1].pdu == kPdu);
  CHECK(l.set_aside == std::vector<std::string>{"^DSDORMANT:0", "^NEVERSEEN: 1", "^RSSILVL:80"});
}

TEST_CASE("a line of the wrong length or not hex is never taken as the PDU") {
  const std::string cut = kPdu.substr(0, kPdu.size() - 2);
  auto l = parse_cmgl({"+CMGL: 1,0,,28", cut, "+CMGL: 2,0,,28", "0A1B", "+CMGL: 5,0,,28",
                       "^NDISSTAT: 1,,,\"IPV4\""});
  REQUIRE(l.slots.size() == 3);
  for (const auto& s : l.slots) CHECK(s.pdu.empty());  // each is read again with AT+CMGR
  CHECK(l.set_aside.size() == 3);
}

TEST_CASE("a header with an unreadable length still names its slot") {
  auto l = parse_cmgl({"+CMGL: 9,0,,", kPdu, "+CMGL: x"});
  REQUIRE(l.slots.size() == 1);
  CHECK(l.slots[0].index == 9);
  CHECK(l.slots[0].pdu.empty());
  CHECK(l.set_aside.size() == 2);
}

TEST_CASE("pdu_matches_length counts the SMSC octets the PDU declares") {
  CHECK(pdu_matches_length(kPdu, 28));
  CHECK_FALSE(pdu_matches_length(kPdu, 27));
  CHECK_FALSE(pdu_matches_length("00" + kPdu.substr(16), 29));
  CHECK(pdu_matches_length("00" + kPdu.substr(16), 28));
  CHECK_FALSE(pdu_matches_length("^RSSI:1", 3));
}

TEST_CASE("AT+CMGR: URCs around the PDU, and a miscounted header still gives the hex line") {
  auto s = parse_cmgr({"^HRSSILVL:60", "+CMGR: 0,,28", "^DSDORMANT:0", kPdu}, 7);
  REQUIRE(s.has_value());
  CHECK(s->index == 7);
  CHECK(s->pdu == kPdu);
  auto m = parse_cmgr({"+CMGR: 0,,30", "^RSSILVL:1", kPdu}, 2);
  REQUIRE(m.has_value());
  CHECK(m->pdu == kPdu);
  CHECK_FALSE(parse_cmgr({"+CMGR: 0,,28", "^RSSILVL:1"}, 2).has_value());
  CHECK_FALSE(parse_cmgr({"+CMGR: 0,,0"}, 2).has_value());
  // Broken content under an unreadable length is still handed on (to become a dead letter).
  auto broken = parse_cmgr({"+CMGR: 0,,18446744073709551612", "0791FFFF"}, 4);
  REQUIRE(broken.has_value());
  CHECK(broken->pdu == "0791FFFF");
}

TEST_CASE("AT+CPMS=? as real modems answer it: the storages messages are read from") {
  // A Nokia 6230i (quoted in gnokii's atgen.c), a SIMCom SIM7670G, a SIM-only modem.
  CHECK(readable_storages({R"(+CPMS: ("ME","SM"),("ME","SM"),("MT"))"}) ==
        std::vector<std::string>{"ME", "SM"});
  CHECK(readable_storages({R"(+CPMS: ("ME","MT","SM","SR"),("ME","MT","SM","SR"),("ME","MT","SM","SR"))"}) ==
        std::vector<std::string>{"ME", "MT", "SM", "SR"});
  CHECK(readable_storages({"^RSSI: 12", R"(+CPMS: ("SM"),("SM"),("SM"))"}) ==
        std::vector<std::string>{"SM"});
  CHECK(readable_storages({"+CPMS: garbage"}).empty());
  // Cut short: no list at all, so the channel keeps to the storage selected at init.
  CHECK(readable_storages({R"(+CPMS: ("SM","ME)"}).empty());
  CHECK(readable_storages({}).empty());
}

TEST_CASE("+CMTI names the storage of its slot") {
  auto s = indication_slot(R"(+CMTI: "ME",7)");
  REQUIRE(s);
  CHECK(s->mem == "ME");
  CHECK(s->index == 7);
  CHECK(indication_slot(R"(+CDSI: "SM",0)")->mem == "SM");
  CHECK(indication_slot("+CMTI: SM,3")->mem.empty());  // unquoted: no storage named
  CHECK_FALSE(indication_slot("+CMTI: 3"));
  CHECK_FALSE(indication_slot("+CMTI: \"SM\","));
  CHECK(describe(SlotRef{"ME", 4}) == "ME 4");
  CHECK(describe(SlotRef{"", 4}) == "4");
}
