// hal/modem/pdu/split.h — choosing the alphabet and cutting a long text into parts.
//
// GSM 7-bit when every character is in the default alphabet or its extension table, else
// UCS-2. One part holds 160 septets / 70 UTF-16 units; with a concatenation header
// 153 / 67 (8-bit reference) or 152 / 66 (16-bit). Parts are cut between code points, so an
// escape sequence (€ = ESC 0x65) or a surrogate pair (😀) is never split.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "hal/modem/pdu/types.h"
#include "base/result.h"

namespace sb::pdu {

struct SplitText {
  Encoding encoding = Encoding::gsm7;  // gsm7 or ucs2
  // Each part's payload: septets (one per octet) for gsm7, UTF-16BE octets for ucs2.
  std::vector<std::vector<std::uint8_t>> parts;
};

// Fails on invalid UTF-8 or a text needing more than 255 parts.
Result<SplitText> split_text(std::string_view utf8, bool wide_ref = false);

}  // namespace sb::pdu
