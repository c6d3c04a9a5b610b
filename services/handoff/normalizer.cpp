// services/handoff/normalizer.cpp — folding and word boundaries without ICU.
//
// Small hand-written tables (fold_table.h): the gateways have no ICU, and what our customers
// type folds with a handful of ranges. Two-byte characters are one lookup in a table the
// compiler builds, which keeps non-ASCII text within ~2x the cost of ASCII.
#include "services/handoff/normalizer.h"

#include <bit>
#include <cstring>

#include "services/handoff/fold_table.h"

namespace sb::handoff {
namespace {

using fold_detail::is_unspaced;
using fold_detail::is_word;
using fold_detail::simple_fold;

constexpr fold_detail::TwoByteTable kTwoByteFull(kPad, kIgnore, true);
constexpr fold_detail::TwoByteTable kTwoByteCase(kPad, kIgnore, false);

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
  const std::size_t n = text.size();
  std::size_t i = 0;
  std::uint64_t a = 0, b = 0, c = 0, d = 0;  // four chains: no wait on one OR per word
  for (; i + 32 <= n; i += 32) {
    std::uint64_t w[4];
    std::memcpy(w, p + i, 32);
    a |= w[0];
    b |= w[1];
    c |= w[2];
    d |= w[3];
  }
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    a |= w;
  }
  for (; i < n; ++i) b |= static_cast<unsigned char>(p[i]);
  return ((a | b | c | d) & 0x8080808080808080ULL) == 0;
}

char32_t fold_code_point(char32_t cp) { return simple_fold(cp); }

bool is_word_code_point(char32_t cp) { return is_word(cp, false); }

bool is_unspaced_code_point(char32_t cp) { return is_unspaced(cp); }

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

unsigned fold_into(std::string_view text, unsigned char* out, Fold mode) {
  const bool full = mode == Fold::full;
  const auto& table = full ? kTwoByteFull : kTwoByteCase;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  unsigned flags = 0;
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      const std::uint64_t high = w & 0x8080808080808080ULL;
      if (high == 0) {
        w = fold_ascii8(w);
        std::memcpy(out + i, &w, 8);
        i += 8;
        continue;
      }
      if constexpr (std::endian::native == std::endian::little) {
        // The ASCII bytes before the first high one, without trying 8 at a time again for
        // each of them.
        const std::size_t ascii = static_cast<std::size_t>(__builtin_ctzll(high)) / 8;
        for (const std::size_t end = i + ascii; i < end; ++i) out[i] = kAscii.to[p[i]];
      }
    }
    const unsigned char b0 = p[i];
    if (b0 < 0x80) {
      out[i] = kAscii.to[b0];
      ++i;
      continue;
    }
    // Two-byte characters (Latin, Greek, Cyrillic, Hebrew, Arabic): one table entry each.
    if (b0 >= 0xC2 && b0 <= 0xDF && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
      const auto& e = table.to[((std::size_t(b0 & 0x1F) << 6) | (p[i + 1] & 0x3F)) - 0x80];
      out[i] = e[0];
      out[i + 1] = e[1];
      i += 2;
      continue;
    }
    char32_t cp = 0;
    const std::size_t len = decode(p + i, n - i, cp);
    if (len == 0) {  // a bad byte is a boundary; resynchronise on the next one
      out[i] = ' ';
      ++i;
      continue;
    }
    const char32_t f = fold_detail::fold(cp, full);
    if (f == fold_detail::kIgnoredCp) {
      std::memset(out + i, kIgnore, len);
    } else if (f == fold_detail::kBoundaryCp) {
      std::memset(out + i, ' ', len);
    } else if (f == fold_detail::kDoubleS) {
      out[i] = 's';
      out[i + 1] = 's';
      if (len == 3) out[i + 2] = kPad;
    } else {
      if (fold_detail::is_unspaced(cp)) flags |= kFoldUnspaced;
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
  return flags;
}

std::string normalize(std::string_view text, Fold mode) {
  std::string folded(text.size(), '\0');
  fold_into(text, reinterpret_cast<unsigned char*>(folded.data()), mode);
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
