// services/channels/sms/sms_listing.h — reading the modem's text around PDUs: the slots of
// AT+CMGL / AT+CMGR, the slot of a +CMTI / +CDSI, the reference of +CMGS. The PDUs themselves
// are handed to the codec as they are.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb::channels::sms {

struct StoredPdu {
  int index = -1;
  std::string pdu;  // hex, SMSC prefix first
};

// "+CMGL: <index>,<stat>,[<alpha>],<length>" each followed by its PDU line.
std::vector<StoredPdu> parse_cmgl(const std::vector<std::string>& lines);
// "+CMGR: <stat>,[<alpha>],<length>" then the PDU; `index` is the slot that was read.
std::optional<StoredPdu> parse_cmgr(const std::vector<std::string>& lines, int index);
// +CMTI: "SM",3 / +CDSI: "SM",3 -> 3.
std::optional<int> indication_index(std::string_view line);
// +CMGS: 17 -> 17 (0..255).
std::optional<int> cmgs_reference(const std::vector<std::string>& lines);

}  // namespace sb::channels::sms
