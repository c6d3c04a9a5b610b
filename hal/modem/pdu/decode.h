// hal/modem/pdu/decode.h — reading what a modem lists in PDU mode (AT+CMGL / AT+CMGR / +CDS):
// SMS-DELIVER, SMS-STATUS-REPORT and (stored outgoing) SMS-SUBMIT, with the SMSC prefix.
//
// Pure and total: any input yields a Decoded or an error saying which field is wrong and
// where; every length is checked before it is followed, so malformed input never reads out of
// bounds. Trailing octets after the user data are ignored (some modems pad).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hal/modem/pdu/address.h"
#include "hal/modem/pdu/types.h"
#include "base/result.h"

namespace sb::pdu {

struct Decoded {
  MessageType type = MessageType::deliver;
  std::optional<std::string> smsc;       // "+31624000000"; nullopt when the prefix is 00
  std::optional<Address> sender;         // deliver: TP-OA
  std::optional<Address> recipient;      // submit: TP-DA; status report: TP-RA
  std::string text;                      // UTF-8, exact
  std::optional<std::string> timestamp;  // deliver and status report: TP-SCTS, ISO 8601
  Encoding encoding = Encoding::gsm7;
  std::optional<Concat> concat;
  std::uint8_t message_ref = 0;                // submit and status report: TP-MR
  std::uint8_t status = 0;                     // status report: TP-ST
  std::optional<std::string> discharge_time;   // status report: TP-DT, ISO 8601
  bool status_report_requested = false;        // deliver: TP-SRI; submit: TP-SRR
  std::uint8_t protocol_id = 0;                // TP-PID
  std::uint8_t data_coding = 0;                // TP-DCS as received
  // Payload after the user data header: septets (one per octet) for gsm7, octets for ucs2
  // and 8bit. The raw data of an 8-bit message; what reassembly joins.
  std::vector<std::uint8_t> user_data;
};

// `hex` as the modem prints it (SMSC prefix first); no surrounding whitespace.
Result<Decoded> decode(std::string_view hex);

// The same from octets.
Result<Decoded> decode_octets(std::span<const std::uint8_t> pdu);

}  // namespace sb::pdu
