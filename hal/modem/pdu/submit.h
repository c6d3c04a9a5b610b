// hal/modem/pdu/submit.h — SMS-SUBMIT encoding (TS 23.040 §9.2.2.2), ready for AT+CMGS in
// PDU mode: "00" (use the SMSC stored in the modem) then the TPDU.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hal/modem/pdu/types.h"
#include "base/result.h"

namespace sb::pdu {

struct SubmitRequest {
  std::string to;    // "+491701234567" (international) or digits as dialled
  std::string text;  // UTF-8
  bool status_report = false;      // TP-SRR: ask for a delivery report
  std::uint8_t message_ref = 0;    // TP-MR; most modems substitute their own counter
  // Concatenation reference shared by all parts of this text; the caller keeps the counter
  // (per recipient is enough) so that a receiver never mixes two messages.
  std::uint16_t concat_ref = 0;
  bool concat_16bit = false;  // IEI 0x08 (one septet / unit less per part) instead of 0x00
  // TP-VP relative format (0xAA = 4 days); nullopt leaves validity to the SMSC.
  std::optional<std::uint8_t> validity = 0xAA;
};

struct EncodedPart {
  std::string hex;               // SMSC octet "00" + TPDU, upper-case hex
  std::size_t tpdu_length = 0;   // octets after the SMSC part: the number AT+CMGS= wants
  Encoding encoding = Encoding::gsm7;
  std::optional<Concat> concat;  // set when the text needed more than one part
};

// One part per SMS, in order. Errors: bad destination, invalid UTF-8, more than 255 parts,
// an 8-bit concat_ref above 255.
Result<std::vector<EncodedPart>> encode_submit(const SubmitRequest& request);

}  // namespace sb::pdu
