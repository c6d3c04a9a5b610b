// services/handoff/fold_table.h — what each code point becomes before matching (internal to
// services/handoff; the promise is normalizer.h's).
//
// Everything here is constexpr so the table for the two-byte UTF-8 range (U+0080..U+07FF:
// Latin-1, Latin Extended, Greek, Cyrillic, Hebrew, Arabic) is built by the compiler and
// fold_into reads one entry per character instead of deciding per character.
#pragma once

#include <array>
#include <cstdint>

namespace sb::handoff::fold_detail {

// fold() results that are not characters.
inline constexpr char32_t kBoundaryCp = 0xFFFFFFFE;  // becomes spaces
inline constexpr char32_t kIgnoredCp = 0xFFFFFFFD;   // read as if absent
inline constexpr char32_t kDoubleS = 0xFFFFFFFC;     // ß, ẞ: "ss"

constexpr bool is_apostrophe(char32_t cp) {
  return cp == U'\'' || cp == U'`' || cp == 0x00B4 || cp == 0x02BC || cp == 0x2018 ||
         cp == 0x2019 || cp == 0x201B || cp == 0x2032;
}

// Marks and joiners that sit inside words: combining accents (a decomposed "é"), the soft
// hyphen, zero-width (non-)joiners (Persian, Hindi), Arabic tatweel and harakat (vowel marks
// are optional in Arabic and most people leave them out), the Devanagari nukta ("ज़" = "ज").
constexpr bool is_ignored_mark(char32_t cp) {
  return cp == 0x00AD || (cp >= 0x0300 && cp <= 0x036F) || cp == 0x0640 ||
         (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 || (cp >= 0x200B && cp <= 0x200D) ||
         cp == 0x2060 || cp == 0xFEFF || cp == 0x093C;
}

// `full`: the matcher's folding; otherwise the case-only folding the search index was built
// with (its terms are stored, so they must not change under it).
constexpr bool is_word(char32_t cp, bool full = true) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  if (cp < 0xC0) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;  // NBSP, ¡, «, ©… are not
  if (cp == 0xD7 || cp == 0xF7) return false;                     // × ÷
  if (cp == 0x37E || cp == 0x387) return false;                   // Greek ; and ·
  if (full && (cp == 0x589 || (cp >= 0x5BE && cp <= 0x5C6 && cp != 0x5BF && cp != 0x5C1 && cp != 0x5C2 &&
                      cp != 0x5C4 && cp != 0x5C5)))
    return false;                                                 // Armenian/Hebrew punctuation
  if (full && (cp == 0x60C || cp == 0x61B || cp == 0x61F || (cp >= 0x66A && cp <= 0x66D) || cp == 0x6D4))
    return false;                                                 // Arabic , ; ? % .
  if (full && (cp == 0x964 || cp == 0x965)) return false;         // Devanagari danda
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

// Scripts written without spaces between words (Han, kana, Thai): their patterns are found
// as substrings, not as whole words.
constexpr bool is_unspaced(char32_t cp) {
  return (cp >= 0x0E00 && cp <= 0x0E7F) || (cp >= 0x3040 && cp <= 0x30FF) ||
         (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
         (cp >= 0xF900 && cp <= 0xFAFF);
}

// Simple case folding (ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic).
constexpr char32_t simple_fold(char32_t cp) {
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

// Base letters of U+00C0..U+017F without their accents ('.' = keep the folded letter).
// People type "suscripcion", "czlowiekiem", "kundigen" as often as the accented forms.
inline constexpr char kLatinBase[] =
    "aaaaaa.ceeeeiiii"  // C0 À..Ï (Æ kept)
    "dnooooo.ouuuuy.."  // D0 Ð..ß (× Þ ß handled elsewhere)
    "aaaaaa.ceeeeiiii"  // E0
    "dnooooo.ouuuuy.y"  // F0
    "aaaaaaccccccccdd"  // 100 Ā..ď
    "ddeeeeeeeeeegggg"  // 110
    "gggghhhhiiiiiiii"  // 120
    "ii..jjkkklllllll"  // 130 İ ı (Ĳ ĳ kept)
    "lllnnnnnnn..oooo"  // 140 (Ŋ ŋ kept)
    "oo..rrrrrrssssss"  // 150 (Œ œ kept)
    "ssttttttuuuuuuuu"  // 160
    "uuuuwwyyyzzzzzzs";  // 170

constexpr char32_t strip_accents(char32_t f) {
  if (f >= 0xC0 && f < 0x180 && kLatinBase[f - 0xC0] != '.') return char32_t(kLatinBase[f - 0xC0]);
  switch (f) {
    case 0x1A1: return U'o';  // ơ (Vietnamese)
    case 0x1B0: return U'u';  // ư
    case 0x219: case 0x21B: return f == 0x219 ? U's' : U't';  // ș ț (Romanian)
    case 0x3AC: return 0x3B1;  // Greek tonos and dialytika: ά έ ή ί ό ύ ώ ϊ ϋ ΐ ΰ
    case 0x3AD: return 0x3B5;
    case 0x3AE: return 0x3B7;
    case 0x3AF: case 0x3CA: case 0x390: return 0x3B9;
    case 0x3CC: return 0x3BF;
    case 0x3CD: case 0x3CB: case 0x3B0: return 0x3C5;
    case 0x3CE: return 0x3C9;
    case 0x451: return 0x435;  // ё -> е: Russian is mostly typed without the dots
    default: return f;
  }
}

// Arabic (and Persian/Urdu) letters that are written interchangeably in chat.
constexpr char32_t arabic_variant(char32_t cp) {
  switch (cp) {
    case 0x622: case 0x623: case 0x625: case 0x671: return 0x627;  // آ أ إ ٱ -> ا
    case 0x629: return 0x647;                                      // ة -> ه
    case 0x649: case 0x6CC: return 0x64A;                          // ى ی -> ي
    case 0x6A9: return 0x643;                                      // ک -> ك
    default: return cp;
  }
}

// What one code point becomes: a folded code point, or kBoundaryCp / kIgnoredCp / kDoubleS.
// Case-only (`full` false): case, ß and ё only, as the first normalizer did.
constexpr char32_t fold(char32_t cp, bool full = true) {
  if (!full) {
    if (is_apostrophe(cp)) return kIgnoredCp;
    if (!is_word(cp, false)) return kBoundaryCp;
    if (cp == 0xDF || cp == 0x1E9E) return kDoubleS;
    const char32_t f = simple_fold(cp);
    return f == 0x451 ? 0x435 : f;
  }
  if (is_apostrophe(cp) || is_ignored_mark(cp)) return kIgnoredCp;
  if (cp == 0xDF || cp == 0x1E9E) return kDoubleS;  // "strasse" and "straße" meet
  if (cp == 0x131) return U'i';                      // Turkish dotless ı (İ folds to i too)
  if (cp >= 0x660 && cp <= 0x669) return U'0' + (cp - 0x660);  // Arabic-Indic digits
  if (cp >= 0x6F0 && cp <= 0x6F9) return U'0' + (cp - 0x6F0);  // Persian digits
  if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width forms -> ASCII
  if (cp < 0x80) {
    if (cp == '\'' || cp == '`') return kIgnoredCp;
    return is_word(cp) ? simple_fold(cp) : kBoundaryCp;
  }
  if (!is_word(cp)) return kBoundaryCp;
  return arabic_variant(strip_accents(simple_fold(cp)));
}

// Two output bytes per two-byte character U+0080..U+07FF (what fold_into writes in its place).
struct TwoByteTable {
  std::array<std::array<unsigned char, 2>, 0x780> to{};
  constexpr TwoByteTable(unsigned char pad, unsigned char ignore, bool full) {
    for (char32_t cp = 0x80; cp < 0x800; ++cp) {
      const char32_t f = fold(cp, full);
      auto& e = to[cp - 0x80];
      if (f == kBoundaryCp) e = {' ', ' '};
      else if (f == kIgnoredCp) e = {ignore, ignore};
      else if (f == kDoubleS) e = {'s', 's'};
      else if (f < 0x80) e = {static_cast<unsigned char>(f), pad};
      else if (f < 0x800)
        e = {static_cast<unsigned char>(0xC0 | (f >> 6)), static_cast<unsigned char>(0x80 | (f & 0x3F))};
      else  // never longer than the original; cannot happen in this range
        e = {static_cast<unsigned char>(0xC0 | (cp >> 6)), static_cast<unsigned char>(0x80 | (cp & 0x3F))};
    }
  }
};

}  // namespace sb::handoff::fold_detail
