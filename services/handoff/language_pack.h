// services/handoff/language_pack.h — the phrases of one language, as data.
//
// A pack holds, per default rule, the phrases people of that language really type (written
// here by speakers' usage, checked against public customer-service pages of the language),
// and the cues the suppressors look for (suppressor.h). Patterns use the rule format's syntax
// (rule_set.h): whole words, a trailing '*' for a word prefix, '^'/'$' to anchor a phrase to
// the start/end of the message. Accents, case, width and letter variants need not be spelled
// out: the normalizer folds them ("suscripción" also finds "suscripcion").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace sb::handoff {

using Phrases = std::vector<std::string_view>;

struct LanguagePack {
  std::string_view code;  // ISO 639-1 ("en", "zh", ...)
  // Rules (default_rules.cpp gives their ids, kinds and priorities).
  Phrases urgent = {};         // the word "urgent" and its kin
  Phrases danger = {};         // emergencies: fire, gas, flood, injury
  Phrases security = {};       // stolen or lost card, fraud, account hacked
  Phrases outage = {};         // the customer's business cannot work (power, payments, systems)
  Phrases ask_for_human = {};  // requests for a person
  Phrases cancel = {};
  Phrases refund = {};
  Phrases complaint = {};      // complaints, lawyers, authorities
  Phrases frustration = {};    // repeated asking, insults at the service
  // Suppressor cues (suppressor.h says what each cancels).
  Phrases negation_before = {};  // "don't want to" + match
  Phrases negation_after = {};   // match + "istemiyorum" / "nahi chahiye"
  Phrases negation_next = {};    // a bare "not"/"nicht" right before the match, no word between
  Phrases calm = {};             // "no rush", "not urgent"
  Phrases narrative = {};        // "had an" + urgency word: a story, not an emergency now
  Phrases thanks = {};           // thanks and praise: their "!!!" is joy
  Phrases marketing = {};        // advertising copy
};

// The packs built in, in a fixed order (codes: en es pt fr de it nl tr ar ru pl hi id zh el).
const std::vector<const LanguagePack*>& language_packs();

// The packs of the given codes (empty = all), or an error naming the unknown code.
Result<std::vector<const LanguagePack*>> select_packs(const std::vector<std::string>& codes);

const LanguagePack& pack_en();
const LanguagePack& pack_es();
const LanguagePack& pack_pt();
const LanguagePack& pack_fr();
const LanguagePack& pack_de();
const LanguagePack& pack_it();
const LanguagePack& pack_nl();
const LanguagePack& pack_tr();
const LanguagePack& pack_ar();
const LanguagePack& pack_ru();
const LanguagePack& pack_pl();
const LanguagePack& pack_hi();
const LanguagePack& pack_id();
const LanguagePack& pack_zh();
const LanguagePack& pack_el();

}  // namespace sb::handoff
