// hal/modem/pdu/user_data_header.h — TP-UDH (TS 23.040 §9.2.3.24): the information elements
// in front of the text when TP-UDHI is set. Only concatenation is interpreted; other elements
// (ports, language shift tables, ...) are walked over and ignored.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "hal/modem/pdu/types.h"
#include "base/result.h"

namespace sb::pdu {

struct UserDataHeader {
  std::optional<Concat> concat;
};

// `ies` is the header without its UDHL octet. An element whose length runs past the header is
// an error; a concatenation element with total 0 or seq outside 1..total is ignored, as
// 23.040 tells receivers to do.
Result<UserDataHeader> parse_user_data_header(std::span<const std::uint8_t> ies);

// The whole header (UDHL octet first) carrying one concatenation element.
std::vector<std::uint8_t> concat_header(const Concat& c);

}  // namespace sb::pdu
