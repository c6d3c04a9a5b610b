// hal/modem/pdu/gsm7.h — the GSM 7-bit default alphabet and its extension table
// (3GPP TS 23.038 §6.2.1), and septet packing (TS 23.040 §9.2.3.24 for the fill bits).
//
// Septets are kept one per byte (values 0..127) between the alphabet and the packing, so
// that header fill bits and multipart joining work on whole characters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sb::pdu::gsm7 {

inline constexpr std::uint8_t kEscape = 0x1B;

// Septets for one code point: 1 (default table), 2 (escape + extension table), or 0 when
// the GSM alphabet cannot carry it.
std::size_t septets_for(char32_t cp, std::uint8_t out[2]);

// The whole text as septets, or nullopt if any character needs UCS-2.
std::optional<std::vector<std::uint8_t>> to_septets(std::u32string_view text);

// Septets to UTF-8. An escape followed by a code the extension table lacks shows the
// default-table character (23.038 §6.2.1.1); escape-escape shows a space (reserved code);
// a lone escape at the very end is dropped (its partner is in the next part of a multipart
// message, and reassembly joins septets before decoding).
std::string septets_to_utf8(std::span<const std::uint8_t> septets);

// Packs septets LSB first, starting `skip_septets` septets into the output (the room a user
// data header plus its fill bits occupies; those bits are left zero for the caller to fill).
// The result is ceil((skip_septets + septets.size()) * 7 / 8) octets.
std::vector<std::uint8_t> pack(std::span<const std::uint8_t> septets, std::size_t skip_septets = 0);

// Unpacks `count` septets from `octets`. The caller guarantees
// octets.size() >= ceil(count * 7 / 8); bits beyond the octets read as zero regardless.
std::vector<std::uint8_t> unpack(std::span<const std::uint8_t> octets, std::size_t count);

// Octets needed to hold `septets` septets.
constexpr std::size_t octets_for_septets(std::size_t septets) { return (septets * 7 + 7) / 8; }

// Septets a header of `header_octets` octets (UDHL octet included) occupies with fill bits.
constexpr std::size_t header_septets(std::size_t header_octets) {
  return (header_octets * 8 + 6) / 7;
}

}  // namespace sb::pdu::gsm7
