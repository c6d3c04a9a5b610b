// services/handoff/suppressor.h — what cancels a match, each time with a reason to show.
//
// A keyword engine's false alarms come from a handful of shapes, each undone here:
//   negation   "I don't want to cancel", "no need to talk to a person", "iptal etmek
//              istemiyorum": a negation cue within 3 words before the match (or, for
//              languages that negate after the verb, within 2 words after; a bare "kein"/
//              "не"/"nie" only right before it);
//   calm       "no rush, not urgent": cancels urgent rules anywhere in the message;
//   narrative  "my mum had an emergency", "hubo una urgencia": a past/third-party cue within
//              2 words before an urgent rule's match;
//   quoted     the match lies inside quotation marks ("…", “…”, «…», „…“, 「…」) or on a
//              line quoted with '>', and the message has words outside the quotation;
//   marketing  advertising copy ("click here", "buy now", links): one cue cancels shouting
//              and "!!!", two cancel every match;
//   thanks     "Thanks!!!", "¡Gracias!!!": shouting or "!!!" within 3 words of thanks/praise;
//   phone_number  a match inside a phone number ("+49 30 1234567").
// Cues come from the language packs selected (language_pack.h). The cue scan runs only
// when there is something to cancel, so the common no-match message pays nothing for it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "services/handoff/verdict.h"

namespace sb::handoff {

struct LanguagePack;
class CompiledRuleSet;

class Suppressors {
 public:
  // What a candidate match is, as far as suppressors care.
  enum class Source : std::uint8_t { pattern, caps, punctuation, repeat };
  struct Subject {
    Span span;
    Source source = Source::pattern;
    bool urgent = false;
  };
  struct Reason {
    const char* reason;
    std::optional<Span> cue;
  };

  static Result<std::shared_ptr<const Suppressors>> build(
      const std::vector<const LanguagePack*>& packs);

  // The cues found in one message (raw text plus the buffer the matcher read: raw ASCII or
  // fold_into's output, same length), ready to judge its candidates.
  class Scan {
   public:
    std::optional<Reason> judge(const Subject& s) const;

   private:
    friend class Suppressors;
    struct CueHit {
      std::uint8_t kind;
      Span span;
    };
    std::string_view text_;
    const unsigned char* buf_ = nullptr;
    std::vector<CueHit> cues_;
    std::vector<Span> quotes_;  // quoted regions (only when words lie outside them)
    std::vector<Span> phones_;
    int marketing_ = 0;
  };
  Scan scan(std::string_view text, const unsigned char* buf, unsigned fold_flags) const;

  std::size_t memory_bytes() const;
  ~Suppressors();

 private:
  Suppressors() = default;
  std::shared_ptr<const CompiledRuleSet> cues_;
  std::vector<std::uint8_t> kind_of_rule_;  // cue rule index -> cue kind
};

}  // namespace sb::handoff
