// services/handoff/default_rules.cpp — the rule set embedded in the binary, built from the
// language packs (language_pack.h).
//
// Department-free on purpose: the departments of a site are configured, and a default must
// never name one that does not exist. Urgency outranks everything ("Emergency" beats "How do
// I login? talk to a human"): the word urgent, dangers (fire, gas, flood, injury), security
// (stolen card, fraud, hacked account) and outages of the customer's business are all
// urgent rules.
#include <algorithm>
#include <string>
#include <vector>

#include "services/handoff/compiled_rule_set.h"
#include "services/handoff/language_pack.h"

namespace sb::handoff {
namespace {

// "talk to someone", "speak with a human", "chat to an agent", ... in the usual typings.
void add_english_person_requests(std::vector<std::string>& out) {
  const char* verbs[] = {"talk", "speak", "chat", "talking", "speaking", "connect me"};
  const char* preps[] = {"to", "with", "2", "w"};
  const char* whom[] = {"someone",    "somebody",      "a human",   "human",      "a person",
                        "a real person", "an agent",   "agent",     "a live agent", "a human being",
                        "an operator", "a representative", "a rep", "a real human", "staff",
                        "a manager",  "an actual person", "a real agent", "ur agent",
                        "your agent", "customer service", "support"};
  for (const char* v : verbs)
    for (const char* p : preps)
      for (const char* w : whom) out.push_back(std::string(v) + " " + p + " " + w);
  for (const char* s :
       {"real person", "real human", "live agent", "live person", "live human", "human agent",
        "representative", "customer service representative", "operator please", "agent please",
        "human please", "person please", "i want a human", "i need a human", "get me a human",
        "is there a human", "are you a bot", "are you a robot", "not a bot", "dont want the bot",
        "dont want a bot", "dont want to talk to a bot", "stop the bot", "no more bot",
        "no bot", "want a person", "need a person", "need to talk to someone"})
    out.push_back(s);
}

struct DefaultRule {
  const char* id;
  TriggerKind kind;
  int priority;
  bool urgent;
  Phrases LanguagePack::*phrases;
};

constexpr DefaultRule kDefaults[] = {
    {"urgent", TriggerKind::keyword, 100, true, &LanguagePack::urgent},
    {"danger", TriggerKind::keyword, 100, true, &LanguagePack::danger},
    {"security", TriggerKind::keyword, 100, true, &LanguagePack::security},
    {"outage", TriggerKind::keyword, 100, true, &LanguagePack::outage},
    {"ask_for_human", TriggerKind::user_request, 80, false, &LanguagePack::ask_for_human},
    {"cancel", TriggerKind::keyword, 60, false, &LanguagePack::cancel},
    {"refund", TriggerKind::keyword, 50, false, &LanguagePack::refund},
    {"complaint", TriggerKind::keyword, 50, false, &LanguagePack::complaint},
    {"frustration", TriggerKind::frustration, 10, false, &LanguagePack::frustration},
};

}  // namespace

const std::vector<const LanguagePack*>& language_packs() {
  static const std::vector<const LanguagePack*> packs = {
      &pack_en(), &pack_es(), &pack_pt(), &pack_fr(), &pack_de(), &pack_it(), &pack_nl(),
      &pack_tr(), &pack_ar(), &pack_ru(), &pack_pl(), &pack_hi(), &pack_id(), &pack_zh(), &pack_el()};
  return packs;
}

Result<std::vector<const LanguagePack*>> select_packs(const std::vector<std::string>& codes) {
  if (codes.empty()) return language_packs();
  std::vector<const LanguagePack*> out;
  for (const auto& c : codes) {
    auto it = std::find_if(language_packs().begin(), language_packs().end(),
                           [&](const LanguagePack* p) { return p->code == c; });
    if (it == language_packs().end()) {
      std::string known;
      for (const auto* p : language_packs()) {
        if (!known.empty()) known += ' ';
        known += p->code;
      }
      return fail("handoff.languages: unknown language '" + c + "' (known: " + known + ")");
    }
    if (std::find(out.begin(), out.end(), *it) == out.end()) out.push_back(*it);
  }
  return out;
}

std::vector<std::string> RuleSet::language_codes() {
  std::vector<std::string> out;
  for (const auto* p : language_packs()) out.emplace_back(p->code);
  return out;
}

Result<std::vector<RuleInfo>> RuleSet::default_rules_for(const std::vector<std::string>& languages) {
  auto packs = select_packs(languages);
  if (!packs) return packs.error();
  std::vector<RuleInfo> rules;
  for (const auto& d : kDefaults) {
    RuleInfo r;
    r.id = d.id;
    r.kind = d.kind;
    r.priority = d.priority;
    r.urgent = d.urgent;
    if (d.kind == TriggerKind::frustration) r.caps = r.punctuation = r.repeat = true;
    for (const auto* p : *packs) {
      if (p->code == "en" && d.kind == TriggerKind::user_request)
        add_english_person_requests(r.patterns);
      for (const auto ph : p->*d.phrases) r.patterns.emplace_back(ph);
    }
    // Phrases shared by two languages ("urgente", "fraude") are listed once.
    std::vector<std::string> unique;
    for (auto& ph : r.patterns)
      if (std::find(unique.begin(), unique.end(), ph) == unique.end()) unique.push_back(std::move(ph));
    r.patterns = std::move(unique);
    if (r.patterns.empty() && !r.caps) continue;
    rules.push_back(std::move(r));
  }
  return rules;
}

std::vector<RuleInfo> RuleSet::default_rules() { return default_rules_for({}).value(); }

std::shared_ptr<const RuleSet> RuleSet::embedded_default() {
  // Compiled once and immutable afterwards; tests prove the defaults compile.
  static const std::shared_ptr<const RuleSet> set = [] {
    auto r = CompiledRuleSet::create(default_rules(), HandoffSettings{}, {});
    return r.ok() ? r.value() : nullptr;
  }();
  return set;
}

}  // namespace sb::handoff
