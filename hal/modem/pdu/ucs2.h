// hal/modem/pdu/ucs2.h — the "UCS-2" SMS alphabet, which every phone since ~2010 treats as
// UTF-16BE: characters beyond the BMP (emoji) travel as surrogate pairs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sb::pdu::ucs2 {

// UTF-16 code units one code point needs (1 or 2).
constexpr std::size_t units_for(char32_t cp) { return cp >= 0x10000 ? 2 : 1; }

// Appends `cp` as UTF-16BE octets.
void append(std::vector<std::uint8_t>& out, char32_t cp);

// UTF-16BE octets to UTF-8. A surrogate without its partner becomes U+FFFD (other phones
// split pairs across parts; reassembly joins the octets first so a pair that spans two parts
// still decodes). A trailing odd octet is ignored here; the PDU decoder rejects odd lengths.
std::string to_utf8(std::span<const std::uint8_t> octets);

}  // namespace sb::pdu::ucs2
