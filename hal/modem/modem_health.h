// hal/modem/modem_health.h — what the admin page's diagnostics and /metrics say about the
// modem: signal, registration, operator, SIM. Parsed from the answers to AT+CSQ, AT+CREG?,
// AT+COPS? and AT+CPIN? (pure functions; the SMS channel polls).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sb::modem {

struct ModemHealth {
  int rssi = 99;                 // 0..31, 99 unknown (27.007 +CSQ)
  std::optional<int> rssi_dbm;   // -113 + 2*rssi
  int registration = -1;         // +CREG stat: 1 home, 5 roaming, 2 searching, 3 denied, 0 not
  std::string registration_text; // "home", "roaming", "searching", "denied", "not registered"
  std::string operator_name;     // +COPS long/short/numeric name as the modem gives it
  std::string sim_state;         // "READY", "SIM PIN", "not inserted", …
  bool registered() const { return registration == 1 || registration == 5; }
};

// Each reads the information lines of its command and updates `h`; unknown shapes leave it.
void read_csq(const std::vector<std::string>& lines, ModemHealth& h);
void read_creg(const std::vector<std::string>& lines, ModemHealth& h);
void read_cops(const std::vector<std::string>& lines, ModemHealth& h);
void read_cpin(const std::vector<std::string>& lines, ModemHealth& h);

}  // namespace sb::modem
