// services/handoff/language_guess.cpp — one pass over the code points, a vote per sign.
#include "services/handoff/language_guess.h"

#include <array>
#include <cstdint>

namespace sb::handoff {
namespace {

// The languages a sign can point to, in one order.
constexpr std::array<std::string_view, 10> kCodes = {"es", "pt", "de", "tr", "pl",
                                                    "ar", "ru", "hi", "el", "zh"};

int sign_of(char32_t cp) {
  switch (cp) {
    case U'ñ': case U'Ñ': case U'¿': case U'¡': return 0;
    case U'ã': case U'Ã': case U'õ': case U'Õ': return 1;
    case U'ß': case U'ẞ': case U'ä': case U'Ä': return 2;
    case U'ğ': case U'Ğ': case U'ş': case U'Ş': case U'ı': case U'İ': return 3;
    case U'ą': case U'Ą': case U'ę': case U'Ę': case U'ł': case U'Ł': case U'ś': case U'Ś':
    case U'ź': case U'Ź': case U'ż': case U'Ż': case U'ń': case U'Ń': case U'ć': case U'Ć':
      return 4;
    default: break;
  }
  if (cp >= 0x0620 && cp <= 0x064A) return 5;  // Arabic letters
  if (cp >= 0x0400 && cp <= 0x04FF) return 6;  // Cyrillic
  if (cp >= 0x0900 && cp <= 0x097F) return 7;  // Devanagari
  if (cp >= 0x0370 && cp <= 0x03FF) return 8;  // Greek
  if (cp >= 0x4E00 && cp <= 0x9FFF) return 9;  // CJK unified ideographs
  return -1;
}

}  // namespace

std::optional<std::string_view> clear_language(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::uint32_t seen = 0;
  for (std::size_t i = 0; i < n;) {
    const unsigned char b = p[i];
    char32_t cp = b;
    std::size_t len = 1;
    if (b >= 0xC2 && b <= 0xDF && i + 1 < n) {
      cp = (char32_t(b & 0x1F) << 6) | (p[i + 1] & 0x3F);
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF && i + 2 < n) {
      cp = (char32_t(b & 0x0F) << 12) | (char32_t(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
      len = 3;
    }
    if (b >= 0x80) {
      const int s = sign_of(cp);
      if (s >= 0) seen |= 1u << s;
    }
    i += len;
  }
  if (seen == 0 || (seen & (seen - 1)) != 0) return std::nullopt;  // none, or two languages
  return kCodes[static_cast<std::size_t>(__builtin_ctz(seen))];
}

}  // namespace sb::handoff
