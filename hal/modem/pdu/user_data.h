// hal/modem/pdu/user_data.h — TP-DCS, TP-UDL and TP-UD: from octets to text.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hal/modem/pdu/reader.h"
#include "hal/modem/pdu/types.h"
#include "base/result.h"

namespace sb::pdu {

// The alphabet a TP-DCS names (TS 23.038 §4). Compressed text is refused (no phone sends
// it); reserved codings are read as GSM 7-bit, as 23.038 tells receivers to.
Result<Encoding> encoding_from_dcs(std::uint8_t dcs);

struct UserData {
  Encoding encoding = Encoding::gsm7;
  std::optional<Concat> concat;
  // The payload after the header: septets one per octet for gsm7, octets otherwise. Kept so
  // that reassembly can join parts before decoding (a surrogate pair or an escape may span
  // two parts).
  std::vector<std::uint8_t> payload;
  std::string text;  // UTF-8
};

// Reads TP-UDL and TP-UD. For 8-bit data `text` is the octets read as ISO-8859-1, so it is
// valid UTF-8 and loses nothing; `payload` holds the octets themselves.
Result<UserData> read_user_data(Reader& r, std::uint8_t dcs, bool has_header);

// Text of a payload as kept in UserData::payload.
std::string payload_to_text(Encoding encoding, std::span<const std::uint8_t> payload);

}  // namespace sb::pdu
