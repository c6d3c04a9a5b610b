// services/handoff/language_guess.h — the language of a message, when it is clear.
//
// Only what is unambiguous among the built-in language packs: a script that one pack alone
// writes in (Arabic, Cyrillic, Devanagari, Greek, Han), or Latin letters that only one of
// them uses (ñ ¿ ¡ Spanish; ã õ Portuguese; ß ä German; ğ ş ı İ Turkish; ą ę ł ś ź ż ń ć
// Polish). A message with signs of two languages, or none (plain English, French, Italian,
// Dutch or Indonesian, Hinglish), has no clear language: the caller keeps its default.
#pragma once

#include <optional>
#include <string_view>

namespace sb::handoff {

// A language pack code ("es", "ru", ...) or nothing.
std::optional<std::string_view> clear_language(std::string_view text);

}  // namespace sb::handoff
