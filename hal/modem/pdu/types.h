// hal/modem/pdu/types.h — the vocabulary shared by the decoder, the encoder and reassembly.
#pragma once

#include <cstdint>
#include <string_view>

namespace sb::pdu {

// TP-MTI as seen by the terminal: what a modem lists from its storage.
enum class MessageType { deliver, submit, status_report };

// The alphabet of the user data (TP-DCS, TS 23.038 §4).
enum class Encoding { gsm7, eight_bit, ucs2 };

// Concatenation information element (TS 23.040 §9.2.3.24.1 / .8): IEI 0x00 carries an
// 8-bit reference, IEI 0x08 a 16-bit one.
struct Concat {
  std::uint16_t ref = 0;
  std::uint8_t total = 0;
  std::uint8_t seq = 0;
  bool wide_ref = false;  // the 16-bit IEI was used
  bool operator==(const Concat&) const = default;
};

// Contract spellings: "deliver", "submit", "status_report" / "gsm7", "8bit", "ucs2".
constexpr std::string_view to_string(MessageType t) {
  switch (t) {
    case MessageType::deliver: return "deliver";
    case MessageType::submit: return "submit";
    case MessageType::status_report: return "status_report";
  }
  return "?";
}

constexpr std::string_view to_string(Encoding e) {
  switch (e) {
    case Encoding::gsm7: return "gsm7";
    case Encoding::eight_bit: return "8bit";
    case Encoding::ucs2: return "ucs2";
  }
  return "?";
}

}  // namespace sb::pdu
