// hal/modem/pdu/timestamp.h — TP-SCTS / TP-DT (TS 23.040 §9.2.3.11): seven swapped-BCD octets,
// the last one the offset from UTC in quarter hours with the sign in bit 3.
#pragma once

#include <span>
#include <string>

#include "hal/modem/pdu/reader.h"
#include "base/result.h"

namespace sb::pdu {

// Reads 7 octets and formats them ISO 8601 with the offset the PDU carries, e.g.
// "2024-03-01T12:34:56+01:00" (years are 20YY). Non-BCD digits or out-of-range fields
// (month 13, minute 61) are errors rather than guessed.
Result<std::string> read_timestamp(Reader& r, const char* field);

}  // namespace sb::pdu
