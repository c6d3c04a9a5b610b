// hal/modem/pdu/hex.h — the hex text modems print in PDU mode, to and from octets.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace sb::pdu {

// Accepts upper and lower case; an odd length or a non-hex character is an error that says
// where, so a technician can find the damage in a modem log.
Result<std::vector<std::uint8_t>> hex_to_bytes(std::string_view hex);

// Upper case, as AT+CMGS examples and modems use it.
std::string bytes_to_hex(std::span<const std::uint8_t> bytes);

}  // namespace sb::pdu
