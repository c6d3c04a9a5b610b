#include "tests/sim/vendor_profiles.h"

namespace sb::sim {

VendorProfile generic_profile() { return {}; }

// Huawei sticks (E3372, E3531, K3765) print ^RSSILVL, ^HRSSILVL, ^NDISSTAT, ^DSDORMANT at any
// moment: ModemManager's src/plugins/huawei/mm-broadband-modem-huawei.c registers a handler
// for each ("\r\n^DSDORMANT:.+\r\n", "\r\n(^NDISSTAT:.+)\r+\n", "\r\n^RSSILVL:\s*(\d+)\r+\n",
// ...) precisely because they land inside other commands' answers. The last line is one no
// table knows: the listing must survive lines it has never seen.
VendorProfile huawei_urc_profile() {
  VendorProfile p;
  p.name = "huawei-urc";
  p.cgmi = "huawei";
  p.listing_urcs = {"^DSDORMANT:0", "^NDISSTAT: 1,,,\"IPV4\"", "^RSSILVL:80", "^HRSSILVL:60",
                    "^NEVERSEEN: 3,\"a line from firmware nobody has catalogued\""};
  return p;
}

// Wavecom (Fastrack M1306B and others): AT+CPIN? answered "+CPIN: READY" and no OK, as
// python-gsmmodem's gsmmodem/modem.py works around (its issue #19, "CPIN: READY without OK").
VendorProfile wavecom_cpin_profile() {
  VendorProfile p;
  p.name = "wavecom-cpin";
  p.cgmi = "WAVECOM MODEM";
  p.cpin_without_ok = true;
  return p;
}

// SIM busy after PIN entry: +CME ERROR: 14 for up to 30 s (Falcom C55 AT manual;
// python-gsmmodem issue #11 retries AT+CPMS on it).
VendorProfile sim_busy_profile() {
  VendorProfile p;
  p.name = "sim-busy";
  p.cgmi = "FALCOM";
  p.sim_busy_ms = 4000;
  return p;
}

// SIMCom A7670E (LilyGo-Modem-Series issue #155) and Neoway M590 (gammu issue #378) store one
// incoming SMS in two slots, both listed by AT+CMGL.
VendorProfile stores_twice_profile() {
  VendorProfile p;
  p.name = "stores-twice";
  p.cgmi = "SIMCOM INCORPORATED";
  p.store_twice = true;
  return p;
}

// Falcom A2: after +CMGS: 255 every send is refused with +CMS ERROR until the modem is power
// cycled (smstools3 forum, topic 498).
VendorProfile mr_stall_profile() {
  VendorProfile p;
  p.name = "mr-stall";
  p.cgmi = "FALCOM";
  p.mr_stall_cms = 500;
  return p;
}

// A modem with message memory of its own beside the SIM's: a SIMCom SIM7670G answers AT+CPMS=?
// with ("ME","SM") for all three roles and had stored its SMS in "ME" by default (a public
// probe log of one: CPMS: "ME",1,10); gnokii's atgen.c quotes a Nokia 6230i's
// ("ME","SM"),("ME","SM"),("MT"). Messages stored there before the gateway selected the SIM
// are stranded unless that memory is read too.
VendorProfile own_memory_profile() {
  VendorProfile p;
  p.name = "own-memory";
  p.cgmi = "SIMCOM INCORPORATED";
  p.me_capacity = 10;
  return p;
}

}  // namespace sb::sim
