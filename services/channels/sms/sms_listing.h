// services/channels/sms/sms_listing.h — reading the modem's text around PDUs: the slots of
// AT+CMGL / AT+CMGR, the slot of a +CMTI / +CDSI, the reference of +CMGS. The PDUs themselves
// are handed to the codec as they are.
//
// A modem may print an unsolicited line at any moment, also between a +CMGL header and its
// PDU (a Huawei stick's ^DSDORMANT, ^NDISSTAT, ^RSSILVL; a prefix never seen before). So a
// line is taken as a slot's PDU only when it is hex and its length is exactly what the
// header announces (the TPDU length plus the SMSC octets the PDU itself declares); every other
// line is set aside as unsolicited and the listing goes on. A header whose PDU could not be
// found names its slot with an empty PDU: the caller reads it again with AT+CMGR.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb::channels::sms {

struct StoredPdu {
  int index = -1;
  std::string pdu;  // hex, SMSC prefix first; empty: the listing did not carry it readably
};

struct Listing {
  std::vector<StoredPdu> slots;
  std::vector<std::string> set_aside;  // lines that were neither a header nor its PDU
};

// True when `line` is the PDU a header announcing `tpdu_length` octets is followed by.
bool pdu_matches_length(std::string_view line, int tpdu_length);

// "+CMGL: <index>,<stat>,[<alpha>],<length>" each followed by its PDU line.
Listing parse_cmgl(const std::vector<std::string>& lines);
// "+CMGR: <stat>,[<alpha>],<length>" then the PDU; `index` is the slot that was read.
std::optional<StoredPdu> parse_cmgr(const std::vector<std::string>& lines, int index);
// +CMTI: "SM",3 / +CDSI: "SM",3 -> 3.
std::optional<int> indication_index(std::string_view line);
// +CMGS: 17 -> 17 (0..255).
std::optional<int> cmgs_reference(const std::vector<std::string>& lines);

}  // namespace sb::channels::sms
