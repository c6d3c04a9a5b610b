// services/handoff/normalizer.h — makes the matcher see what a person meant.
//
// The normalized copy has EXACTLY the same length as the original text, byte for byte, so a
// position in one is the same position in the other: spans need no offset map, and the hot
// path for ASCII text (the common case on SMS) can skip the copy entirely.
//
// What each input character becomes (always as many bytes as it had):
//   - a word character (letter, digit, mark) -> its case-folded form, padded with kPad;
//     folding covers ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic; ß/ẞ become "ss";
//   - an apostrophe (' ’ ‘ ʼ ‛ ´ `) -> kIgnore bytes: "don’t" reads as "dont";
//   - anything else (white space, line breaks, punctuation, symbols, emoji, control bytes,
//     invalid UTF-8) -> spaces, i.e. word boundaries. Runs of spaces count as one.
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

// Writes text.size() bytes to `out` (see above). Never fails; invalid UTF-8 becomes spaces.
void fold_into(std::string_view text, unsigned char* out);

// The readable form: folded, kPad/kIgnore dropped, each run of boundaries one space, trimmed.
// "Cancel   MY\nSubscription!" -> "cancel my subscription". Used for patterns and for
// comparing a message with the previous one.
std::string normalize(std::string_view text);

// Simple case folding of one code point (ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic).
// Characters without a lowercase form come back unchanged.
char32_t fold_code_point(char32_t cp);

// Whether a (non-apostrophe) code point is part of a word rather than a boundary.
bool is_word_code_point(char32_t cp);

}  // namespace sb::handoff
