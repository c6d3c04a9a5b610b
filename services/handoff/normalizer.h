// services/handoff/normalizer.h — makes the matcher see what a person meant.
//
// The normalized copy has EXACTLY the same length as the original text, byte for byte, so a
// position in one is the same position in the other: spans need no offset map, and the hot
// path for ASCII text (the common case on SMS) can skip the copy entirely.
//
// What each input character becomes (always as many bytes as it had):
//   - a word character (letter, digit, mark) -> its folded form, padded with kPad. Folding
//     covers case (ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic), accents ("é" = "e",
//     "ł" = "l", Greek tonos; ß/ẞ become "ss"; ё = е), Turkish dotted and dotless i ("İ", "ı"
//     = "i"), full-width forms ("ＨＥＬＰ" = "help"), Arabic letter variants (أ إ آ ٱ = ا,
//     ة = ه, ى = ي) and Arabic-Indic digits;
//   - an apostrophe (' ’ ‘ ʼ ‛ ´ `), a combining accent, Arabic tatweel or harakat, a soft
//     hyphen or zero-width joiner -> kIgnore bytes: "don’t" reads as "dont";
//   - anything else (white space, line breaks, punctuation of any script: ؟ ！ ？ ¡ ¿ 。,
//     symbols, emoji, control bytes, invalid UTF-8) -> spaces, i.e. word boundaries. Runs of
//     spaces count as one.
// Han, kana and Thai are written without spaces: fold_into reports when it saw them
// (kFoldUnspaced) so the matcher can look for patterns in them as substrings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sb::handoff {

// Bytes that never occur in valid UTF-8, so they cannot collide with text.
inline constexpr unsigned char kPad = 0xFF;     // rest of a folded character that got shorter
inline constexpr unsigned char kIgnore = 0xFE;  // an apostrophe: read as if absent

// True when every byte is < 0x80 (then the matcher reads the raw text through a class table).
bool is_ascii(std::string_view text);

inline constexpr unsigned kFoldUnspaced = 1;  // fold_into saw Han, kana or Thai

// `full` is everything above (the matcher and the bot); `case_only` folds case, ß and ё only
// and keeps Arabic/Devanagari punctuation inside words: the search index stores its terms
// with it, so its terms must stay what they were when the index was written.
enum class Fold { case_only, full };

// Writes text.size() bytes to `out` (see above). Never fails; invalid UTF-8 becomes spaces.
// Returns flags (kFoldUnspaced).
unsigned fold_into(std::string_view text, unsigned char* out, Fold mode = Fold::case_only);

// The readable form: folded, kPad/kIgnore dropped, each run of boundaries one space, trimmed.
// "Cancel   MY\nSubscription!" -> "cancel my subscription". Used for patterns and for
// comparing a message with the previous one.
std::string normalize(std::string_view text, Fold mode = Fold::case_only);

// Simple case folding of one code point (ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic).
// Characters without a lowercase form come back unchanged.
char32_t fold_code_point(char32_t cp);

// Whether a (non-apostrophe) code point is part of a word rather than a boundary.
bool is_word_code_point(char32_t cp);

// Whether a code point belongs to a script written without spaces (Han, kana, Thai).
bool is_unspaced_code_point(char32_t cp);

}  // namespace sb::handoff
