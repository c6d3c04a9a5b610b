// hal/modem/at_reply.h — what one AT command came back with, and what the modem said on its own.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sb::modem {

enum class AtStatus {
  ok,         // OK (or "> " answered and then OK, for AT+CMGS)
  error,      // ERROR without a number (AT+CMEE=1 not in effect, or the modem's own way)
  cme_error,  // +CME ERROR: n (equipment / SIM)
  cms_error,  // +CMS ERROR: n (messaging service; 500 unknown, 322 memory full, …)
  timeout,    // no final result within the command's time
  link_down,  // the port went away, or the engine was stopped / recovering
};

struct AtReply {
  AtStatus status = AtStatus::ok;
  int code = -1;                   // the n of +CME/+CMS ERROR
  std::vector<std::string> lines;  // information lines (without echo and unsolicited ones)
  bool ok() const { return status == AtStatus::ok; }
  // "OK", "+CMS ERROR: 500", "timeout", "link down": for logs and outbound error texts.
  std::string describe() const {
    switch (status) {
      case AtStatus::ok: return "OK";
      case AtStatus::error: return "ERROR";
      case AtStatus::cme_error: return "+CME ERROR: " + std::to_string(code);
      case AtStatus::cms_error: return "+CMS ERROR: " + std::to_string(code);
      case AtStatus::timeout: return "timeout";
      case AtStatus::link_down: return "link down";
    }
    return "?";
  }
};

// An unsolicited result. `pdu` is set for the two-line ones (+CMT, +CDS): the hex line that
// followed, handed on unparsed (the AT engine never reads PDUs).
struct Unsolicited {
  std::string line;
  std::optional<std::string> pdu;
};

}  // namespace sb::modem
