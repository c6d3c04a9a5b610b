// tests/sim/vendor_profiles.h — how real modems misbehave, as data the simulator plays. Each
// profile is built from public recordings or descriptions of that device; the source is named
// beside it in vendor_profiles.cpp.
#pragma once

#include <string>
#include <vector>

namespace sb::sim {

struct VendorProfile {
  std::string name = "generic";
  std::string cgmi = "huawei";  // what AT+CGMI answers
  // Printed, one after the other, between a +CMGL header and its PDU line.
  std::vector<std::string> listing_urcs;
  // AT+CPIN? is answered with its information line and no final result.
  bool cpin_without_ok = false;
  // SIM commands (+CPMS, +CMGL, +CMGR, +CMGD) answer +CME ERROR: 14 (SIM busy) for this long
  // after the modem started or the PIN was entered.
  int sim_busy_ms = 0;
  // Every message arriving is stored in two slots.
  bool store_twice = false;
  // After it hands out TP-MR 255, every AT+CMGS is refused with this +CMS ERROR until the
  // modem is reset (AT+CFUN=1,1 or the port is re-opened after a power cycle). 0: off.
  int mr_stall_cms = 0;
  // Slots of the modem's own message memory ("ME"); 0: a modem that has none (AT+CPMS=?
  // lists only "SM"). AT+CPMS="ME" selects it for reading and deleting (<mem1>, 27.005
  // §3.2.2); new messages still go to the SIM, where our init points <mem3>.
  std::size_t me_capacity = 0;
};

VendorProfile generic_profile();
VendorProfile huawei_urc_profile();      // URCs in the middle of an AT+CMGL listing
VendorProfile wavecom_cpin_profile();    // "+CPIN: READY" without OK
VendorProfile sim_busy_profile();        // +CME ERROR: 14 for a while after PIN
VendorProfile stores_twice_profile();    // A7670E / M590: each SMS in two slots
VendorProfile mr_stall_profile();        // Falcom A2: refuses every send after TP-MR 255
VendorProfile own_memory_profile();      // SIMCom: messages in its own memory beside the SIM's

}  // namespace sb::sim
