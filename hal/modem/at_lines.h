// hal/modem/at_lines.h — telling the lines a modem prints apart: final result codes, the
// information lines of the running command, and unsolicited results (which arrive whenever the
// modem likes, also in the middle of a response). Vendor quirks are data: a table per vendor
// of the unsolicited prefixes it chatters with and the lines it prints after a restart.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "hal/modem/at_reply.h"

namespace sb::modem {

struct FinalResult {
  AtStatus status;
  int code = -1;
};

// OK / ERROR / +CME ERROR: n / +CMS ERROR: n (also the textual "+CME ERROR: SIM PIN required"
// that modems print before AT+CMEE=1, as code -1). Nullopt for anything else.
std::optional<FinalResult> parse_final(std::string_view line);

// The prefix of the information lines a command answers with: "AT+CPMS=..." -> "+CPMS:",
// "AT^SYSCFG?" -> "^SYSCFG:"; empty for basic commands (ATE0, ATI).
std::string response_prefix(std::string_view command);

struct VendorQuirks {
  std::string_view name;      // "huawei"
  std::string_view match;     // lower-case substring of the AT+CGMI answer
  std::span<const std::string_view> chatter;  // unsolicited prefixes to ignore
  std::span<const std::string_view> restart;  // lines that mean "I have just restarted"
};

// The known vendors, and the generic behaviour every modem gets.
std::span<const VendorQuirks> vendor_table();
const VendorQuirks& generic_quirks();
// The vendor whose `match` is in the AT+CGMI answer, else nullptr.
const VendorQuirks* find_vendor(std::string_view cgmi_answer);

enum class LineKind {
  unsolicited,       // hand to the listener
  unsolicited_pdu,   // +CMT / +CDS: the next line is its PDU
  chatter,           // vendor noise (^RSSI, ^BOOT, +QIND …): ignored
  restart,           // the modem restarted: echo is on again, settings are gone
  other,             // not known as unsolicited: an information line if a command runs
};

// Classifies a line that is neither a final result nor an expected information line of the
// running command. `vendor` null means not identified yet: every vendor's chatter is ignored
// (a Huawei stick floods ^RSSI before it has answered AT+CGMI).
LineKind classify(std::string_view line, const VendorQuirks* vendor);

}  // namespace sb::modem
