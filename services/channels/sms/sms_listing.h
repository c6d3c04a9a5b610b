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

// Where a message waits in the modem: its storage ("SM" the SIM, "ME" the modem's own memory;
// empty while only one is in use, the one selected at init) and its index there.
struct SlotRef {
  std::string mem;
  int index = -1;
  auto operator<=>(const SlotRef&) const = default;
};
// "3", "SM 3": for logs and dead letters.
std::string describe(const SlotRef& s);

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
// +CMTI: "ME",3 -> {"ME", 3}; the storage is empty when the line names none.
std::optional<SlotRef> indication_slot(std::string_view line);
// The answer to AT+CPMS=? -> the storages messages can be read and deleted in (its first
// list): +CPMS: ("ME","SM"),("ME","SM"),("MT") -> {"ME", "SM"}.
std::vector<std::string> readable_storages(const std::vector<std::string>& lines);
// +CMGS: 17 -> 17 (0..255).
std::optional<int> cmgs_reference(const std::vector<std::string>& lines);

}  // namespace sb::channels::sms
