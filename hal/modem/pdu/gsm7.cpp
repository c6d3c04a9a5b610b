// hal/modem/pdu/gsm7.cpp
#include "hal/modem/pdu/gsm7.h"

#include <array>

#include "hal/modem/pdu/utf8.h"

namespace sb::pdu::gsm7 {
namespace {

// 23.038 §6.2.1, default alphabet. 0x1B is the escape to the extension table; it maps to no
// character of its own (U+00A0 is only a placeholder and never matched on encode).
constexpr std::array<char32_t, 128> kDefault = {
    U'@',    U'£',    U'$',    U'¥',    U'è',    U'é',    U'ù',    U'ì',
    U'ò',    U'Ç',    U'\n',   U'Ø',    U'ø',    U'\r',   U'Å',    U'å',
    U'Δ',    U'_',    U'Φ',    U'Γ',    U'Λ',    U'Ω',    U'Π',    U'Ψ',
    U'Σ',    U'Θ',    U'Ξ',    U'\u00A0', U'Æ',  U'æ',    U'ß',    U'É',
    U' ',    U'!',    U'"',    U'#',    U'¤',    U'%',    U'&',    U'\'',
    U'(',    U')',    U'*',    U'+',    U',',    U'-',    U'.',    U'/',
    U'0',    U'1',    U'2',    U'3',    U'4',    U'5',    U'6',    U'7',
    U'8',    U'9',    U':',    U';',    U'<',    U'=',    U'>',    U'?',
    U'¡',    U'A',    U'B',    U'C',    U'D',    U'E',    U'F',    U'G',
    U'H',    U'I',    U'J',    U'K',    U'L',    U'M',    U'N',    U'O',
    U'P',    U'Q',    U'R',    U'S',    U'T',    U'U',    U'V',    U'W',
    U'X',    U'Y',    U'Z',    U'Ä',    U'Ö',    U'Ñ',    U'Ü',    U'§',
    U'¿',    U'a',    U'b',    U'c',    U'd',    U'e',    U'f',    U'g',
    U'h',    U'i',    U'j',    U'k',    U'l',    U'm',    U'n',    U'o',
    U'p',    U'q',    U'r',    U's',    U't',    U'u',    U'v',    U'w',
    U'x',    U'y',    U'z',    U'ä',    U'ö',    U'ñ',    U'ü',    U'à',
};

struct Extension {
  std::uint8_t code;
  char32_t cp;
};

// 23.038 §6.2.1.1, the default extension table (after an escape).
constexpr std::array<Extension, 10> kExtension = {{
    {0x0A, U'\f'},
    {0x14, U'^'},
    {0x28, U'{'},
    {0x29, U'}'},
    {0x2F, U'\\'},
    {0x3C, U'['},
    {0x3D, U'~'},
    {0x3E, U']'},
    {0x40, U'|'},
    {0x65, U'€'},
}};

// Reverse map for U+0000..U+00FF, built at compile time: most texts are Latin, and encoding
// asks once per character. 0xFF = not in the default table (it holds no code 0xFF).
constexpr std::array<std::uint8_t, 256> kLatinReverse = [] {
  std::array<std::uint8_t, 256> r{};
  r.fill(0xFF);
  for (std::size_t i = 0; i < kDefault.size(); ++i) {
    if (i != kEscape && kDefault[i] < 0x100) r[kDefault[i]] = static_cast<std::uint8_t>(i);
  }
  return r;
}();

}  // namespace

std::size_t septets_for(char32_t cp, std::uint8_t out[2]) {
  if (cp < 0x100 && kLatinReverse[cp] != 0xFF) {
    out[0] = kLatinReverse[cp];
    return 1;
  }
  for (std::size_t i = 0; i < kDefault.size(); ++i) {
    if (i != kEscape && kDefault[i] == cp) {
      out[0] = static_cast<std::uint8_t>(i);
      return 1;
    }
  }
  for (const Extension& e : kExtension) {
    if (e.cp == cp) {
      out[0] = kEscape;
      out[1] = e.code;
      return 2;
    }
  }
  return 0;
}

std::optional<std::vector<std::uint8_t>> to_septets(std::u32string_view text) {
  std::vector<std::uint8_t> out;
  out.reserve(text.size());
  for (char32_t cp : text) {
    std::uint8_t s[2];
    const std::size_t n = septets_for(cp, s);
    if (n == 0) return std::nullopt;
    out.insert(out.end(), s, s + n);
  }
  return out;
}

std::string septets_to_utf8(std::span<const std::uint8_t> septets) {
  std::string out;
  out.reserve(septets.size());
  for (std::size_t i = 0; i < septets.size(); ++i) {
    const std::uint8_t s = septets[i] & 0x7F;
    if (s != kEscape) {
      append_utf8(out, kDefault[s]);
      continue;
    }
    if (i + 1 == septets.size()) break;  // lone trailing escape: see the header
    const std::uint8_t next = septets[++i] & 0x7F;
    if (next == kEscape) {
      append_utf8(out, U' ');
      continue;
    }
    char32_t cp = kDefault[next];
    for (const Extension& e : kExtension) {
      if (e.code == next) cp = e.cp;
    }
    append_utf8(out, cp);
  }
  return out;
}

std::vector<std::uint8_t> pack(std::span<const std::uint8_t> septets, std::size_t skip_septets) {
  std::vector<std::uint8_t> out(octets_for_septets(skip_septets + septets.size()), 0);
  std::size_t bit = skip_septets * 7;
  for (std::uint8_t s : septets) {
    const unsigned v = s & 0x7Fu;
    const std::size_t byte = bit / 8;
    const unsigned shift = bit % 8;
    out[byte] = static_cast<std::uint8_t>(out[byte] | (v << shift));
    if (shift > 1) out[byte + 1] = static_cast<std::uint8_t>(out[byte + 1] | (v >> (8 - shift)));
    bit += 7;
  }
  return out;
}

std::vector<std::uint8_t> unpack(std::span<const std::uint8_t> octets, std::size_t count) {
  std::vector<std::uint8_t> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t bit = i * 7;
    const std::size_t byte = bit / 8;
    const unsigned shift = bit % 8;
    unsigned v = byte < octets.size() ? octets[byte] >> shift : 0u;
    if (shift > 1 && byte + 1 < octets.size()) v |= static_cast<unsigned>(octets[byte + 1]) << (8 - shift);
    out.push_back(static_cast<std::uint8_t>(v & 0x7F));
  }
  return out;
}

}  // namespace sb::pdu::gsm7
