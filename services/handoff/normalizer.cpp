// services/handoff/normalizer.cpp — case folding and word boundaries without ICU.
//
// Small hand-written tables: the gateways have no ICU, and the scripts our customers write in
// (Latin, Greek, Cyrillic) fold with a handful of ranges.
#include "services/handoff/normalizer.h"

#include <cstring>

namespace sb::handoff {
namespace {

// Decodes one UTF-8 sequence at p (n bytes available). Returns its length, or 0 when the bytes
// are not valid UTF-8 (overlong forms, surrogates and > U+10FFFF included), so the caller can
// treat the single bad byte as a boundary and move on.
std::size_t decode(const unsigned char* p, std::size_t n, char32_t& cp) {
  const unsigned char b0 = p[0];
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  auto cont = [&](std::size_t i) { return i < n && (p[i] & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (!cont(1)) return 0;
    cp = (char32_t(b0 & 0x1F) << 6) | (p[1] & 0x3F);
    return 2;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (b0 == 0xE0 && p[1] < 0xA0) return 0;  // overlong
    if (b0 == 0xED && p[1] > 0x9F) return 0;  // surrogate
    cp = (char32_t(b0 & 0x0F) << 12) | (char32_t(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (b0 == 0xF0 && p[1] < 0x90) return 0;  // overlong
    if (b0 == 0xF4 && p[1] > 0x8F) return 0;  // > U+10FFFF
    cp = (char32_t(b0 & 0x07) << 18) | (char32_t(p[1] & 0x3F) << 12) |
         (char32_t(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    return 4;
  }
  return 0;
}

std::size_t encode(char32_t cp, unsigned char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<unsigned char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<unsigned char>(0xC0 | (cp >> 6));
    out[1] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<unsigned char>(0xE0 | (cp >> 12));
    out[1] = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<unsigned char>(0xF0 | (cp >> 18));
  out[1] = static_cast<unsigned char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
  return 4;
}

bool is_apostrophe(char32_t cp) {
  return cp == U'\'' || cp == U'`' || cp == 0x00B4 || cp == 0x02BC || cp == 0x2018 ||
         cp == 0x2019 || cp == 0x201B || cp == 0x2032;
}

// ASCII: what each byte becomes. Letters fold, digits stay, the apostrophe and backtick are
// ignored, everything else is a boundary.
struct AsciiTable {
  unsigned char to[128];
  constexpr AsciiTable() : to{} {
    for (int c = 0; c < 128; ++c) {
      if (c >= 'a' && c <= 'z') to[c] = static_cast<unsigned char>(c);
      else if (c >= 'A' && c <= 'Z') to[c] = static_cast<unsigned char>(c + 32);
      else if (c >= '0' && c <= '9') to[c] = static_cast<unsigned char>(c);
      else if (c == '\'' || c == '`') to[c] = kIgnore;
      else to[c] = ' ';
    }
  }
};
constexpr AsciiTable kAscii;

}  // namespace

bool is_ascii(std::string_view text) {
  const char* p = text.data();
  std::size_t n = text.size();
  std::size_t i = 0;
  std::uint64_t acc = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    acc |= w;
  }
  for (; i < n; ++i) acc |= static_cast<unsigned char>(p[i]);
  return (acc & 0x8080808080808080ULL) == 0;
}

char32_t fold_code_point(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  if (cp < 0x100) {
    if (cp == 0xB5) return 0x3BC;  // micro sign -> Greek mu
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
    return cp;
  }
  if (cp < 0x180) {  // Latin Extended-A: mostly upper/lower pairs, in two parities
    if (cp == 0x130) return U'i';
    if (cp == 0x178) return 0xFF;
    if (cp == 0x17F) return U's';
    if ((cp <= 0x137 || (cp >= 0x14A && cp <= 0x177)) && cp % 2 == 0) return cp + 1;
    if (((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) && cp % 2 == 1)
      return cp + 1;
    return cp;
  }
  if (cp >= 0x370 && cp < 0x400) {  // Greek
    if (cp == 0x386) return 0x3AC;
    if (cp >= 0x388 && cp <= 0x38A) return cp + 37;
    if (cp == 0x38C) return 0x3CC;
    if (cp == 0x38E || cp == 0x38F) return cp + 63;
    if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) return cp + 32;
    if (cp == 0x3C2) return 0x3C3;  // final sigma folds to sigma
    return cp;
  }
  if (cp >= 0x400 && cp < 0x530) {  // Cyrillic and Cyrillic Supplement
    if (cp <= 0x40F) return cp + 80;
    if (cp <= 0x42F) return cp + 32;
    if ((cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF) ||
        (cp >= 0x4D0 && cp <= 0x52F))
      return cp % 2 == 0 ? cp + 1 : cp;
    if (cp == 0x4C0) return 0x4CF;
    if (cp >= 0x4C1 && cp <= 0x4CE) return cp % 2 == 1 ? cp + 1 : cp;
    return cp;
  }
  return cp;
}

bool is_word_code_point(char32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  if (cp < 0xC0) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;  // NBSP, ¡, «, ©… are not
  if (cp == 0xD7 || cp == 0xF7) return false;                     // × ÷
  if (cp == 0x37E || cp == 0x387) return false;                   // Greek ; and ·
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;  // punctuation, symbols, arrows, dingbats
  if (cp >= 0x2E00 && cp <= 0x2E7F) return false;  // supplemental punctuation
  if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK punctuation
  if (cp >= 0xFE00 && cp <= 0xFE0F) return false;  // variation selectors (emoji presentation)
  if (cp >= 0xFE10 && cp <= 0xFE6F) return false;  // vertical / small forms
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;  // fullwidth punctuation
  if (cp >= 0xFF1A && cp <= 0xFF20) return false;
  if (cp >= 0xFF3B && cp <= 0xFF40) return false;
  if (cp >= 0xFF5B && cp <= 0xFF65) return false;
  if (cp >= 0xFFF0 && cp <= 0xFFFF) return false;   // specials, replacement character
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return false; // emoji, flags, symbols
  if (cp >= 0xE0000 && cp <= 0xE007F) return false; // emoji tag sequences
  if (cp >= 0xD800 && cp <= 0xDFFF) return false;
  return true;
}

namespace {

// kAscii.to for 8 ASCII bytes at once (SWAR; every byte < 0x80, so no carry crosses bytes).
inline std::uint64_t fold_ascii8(std::uint64_t x) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = kOnes * 0x80;
  auto ge = [](std::uint64_t v, unsigned k) { return (v + kOnes * (0x80 - k)) & kHigh; };
  auto is0 = [](std::uint64_t v) { return ~(v + kOnes * 0x7F) & kHigh; };
  const std::uint64_t lo = x | (kOnes * 0x20);
  const std::uint64_t letter = ge(lo, 'a') & ~ge(lo, 'z' + 1);
  const std::uint64_t digit = ge(x, '0') & ~ge(x, '9' + 1);
  const std::uint64_t apos = is0(x ^ (kOnes * '\'')) | is0(x ^ (kOnes * '`'));
  const std::uint64_t keep = ((letter | digit) >> 7) * 0xFF, ign = (apos >> 7) * 0xFF;
  return (lo & keep & ((letter >> 7) * 0xFF)) | (x & keep & ((digit >> 7) * 0xFF)) |
         (kOnes * kIgnore & ign) | (kOnes * ' ' & ~(keep | ign));
}

}  // namespace

void fold_into(std::string_view text, unsigned char* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        w = fold_ascii8(w);
        std::memcpy(out + i, &w, 8);
        i += 8;
        continue;
      }
    }
    if (p[i] < 0x80) {
      out[i] = kAscii.to[p[i]];
      ++i;
      continue;
    }
    char32_t cp = 0;
    const std::size_t len = decode(p + i, n - i, cp);
    if (len == 0) {  // a bad byte is a boundary; resynchronise on the next one
      out[i] = ' ';
      ++i;
      continue;
    }
    if (is_apostrophe(cp)) {
      std::memset(out + i, kIgnore, len);
    } else if (!is_word_code_point(cp)) {
      std::memset(out + i, ' ', len);
    } else if (cp == 0xDF || cp == 0x1E9E) {  // ß, ẞ: "strasse" and "straße" meet
      out[i] = 's';
      out[i + 1] = 's';
      if (len == 3) out[i + 2] = kPad;
    } else {
      char32_t f = fold_code_point(cp);
      if (f == 0x451) f = 0x435;  // ё -> е: Russian is mostly typed without the dots
      unsigned char buf[4];
      const std::size_t flen = encode(f, buf);
      if (flen <= len) {
        std::memcpy(out + i, buf, flen);
        std::memset(out + i + flen, kPad, len - flen);
      } else {
        std::memcpy(out + i, p + i, len);  // never longer: keep the original
      }
    }
    i += len;
  }
}

std::string normalize(std::string_view text) {
  std::string folded(text.size(), '\0');
  fold_into(text, reinterpret_cast<unsigned char*>(folded.data()));
  std::string out;
  out.reserve(folded.size());
  bool pending_space = false;
  for (const char ch : folded) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == kPad || c == kIgnore) continue;
    if (c == ' ') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(ch);
  }
  return out;
}

}  // namespace sb::handoff
