// services/handoff/suppressor.cpp — cue scan and the judgement of each candidate.
#include "services/handoff/suppressor.h"

#include <algorithm>
#include <string>

#include "services/handoff/compiled_rule_set.h"
#include "services/handoff/language_pack.h"

namespace sb::handoff {
namespace {

enum Cue : std::uint8_t {
  kNegationBefore,
  kNegationAfter,
  kNegationNext,
  kCalm,
  kNarrative,
  kThanks,
  kMarketing,
  kCueKinds
};

constexpr const char* kCueName[kCueKinds] = {"negation_before", "negation_after", "negation_next",
                                             "calm",            "narrative",      "thanks",
                                             "marketing"};
constexpr Phrases LanguagePack::*kCuePhrases[kCueKinds] = {
    &LanguagePack::negation_before, &LanguagePack::negation_after, &LanguagePack::negation_next,
    &LanguagePack::calm,            &LanguagePack::narrative,      &LanguagePack::thanks,
    &LanguagePack::marketing};

constexpr std::size_t kNegationWindow = 3;   // words between a negation and what it negates
constexpr std::size_t kAfterWindow = 2;      // words between the match and a negation after it
constexpr std::size_t kNarrativeWindow = 2;  // words between "had an" and "emergency"
constexpr std::size_t kThanksWindow = 3;     // words between thanks and its "!!!"

// Words in [a, b) of the matcher's buffer (raw ASCII or folded: boundaries are ASCII
// non-alphanumerics there). A Han/kana character counts as a word: those scripts have no
// spaces, and a negation must sit right by what it negates.
std::size_t words_between(const unsigned char* buf, std::size_t a, std::size_t b) {
  std::size_t words = 0;
  bool in_word = false;
  for (std::size_t i = a; i < b;) {
    const unsigned char c = buf[i];
    if (c >= 0xE3 && c <= 0xE9 && i + 3 <= b) {
      ++words;
      in_word = false;
      i += 3;
      continue;
    }
    const bool boundary = c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                        (c >= '0' && c <= '9') || c == '\'' || c == '`');
    if (boundary) in_word = false;
    else if (!in_word) {
      in_word = true;
      ++words;
    }
    ++i;
  }
  return words;
}

bool inside(Span inner, Span outer) { return inner.begin >= outer.begin && inner.end <= outer.end; }

// Quotation marks as (opening, closing) UTF-8 pairs; '"' opens and closes itself.
constexpr std::pair<std::string_view, std::string_view> kQuotes[] = {
    {"\"", "\""}, {"\u201C", "\u201D"}, {"\u201E", "\u201C"}, {"\u00AB", "\u00BB"},
    {"\u300C", "\u300D"}, {"\u300E", "\u300F"}};

// Quoted regions of the text, only when some word lies outside all of them (a message that
// is nothing but a quotation is the customer's own words in quotes).
std::vector<Span> quoted_regions(std::string_view t) {
  std::vector<Span> out;
  for (const auto& [open, close] : kQuotes) {
    std::size_t from = 0;
    while (true) {
      const std::size_t o = t.find(open, from);
      if (o == std::string_view::npos) break;
      const std::size_t c = t.find(close, o + open.size());
      if (c == std::string_view::npos) break;
      out.push_back(Span{o, c + close.size()});
      from = c + close.size();
    }
  }
  // Lines quoted the e-mail way: "> ..." up to the end of the line.
  for (std::size_t line = 0; line < t.size();) {
    std::size_t i = line;
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
    std::size_t end = t.find('\n', line);
    if (end == std::string_view::npos) end = t.size();
    if (i < t.size() && t[i] == '>') out.push_back(Span{line, end});
    line = end + 1;
  }
  if (out.empty()) return out;
  const auto* p = reinterpret_cast<const unsigned char*>(t.data());
  for (std::size_t i = 0; i < t.size(); ++i) {
    const bool word = p[i] >= 0x80 ? (p[i] & 0xC0) != 0x80 && p[i] != 0xE2 && p[i] != 0xC2
                                   : ((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'z') ||
                                         (p[i] >= '0' && p[i] <= '9');
    if (word && std::none_of(out.begin(), out.end(),
                             [&](const Span& s) { return i >= s.begin && i < s.end; }))
      return out;
  }
  return {};
}

// Phone numbers: runs of digits, spaces, '+', '-', '.', '(' and ')' holding 7+ digits.
std::vector<Span> phone_numbers(std::string_view t) {
  std::vector<Span> out;
  // A text with fewer than 7 digits holds none; counting them (a loop the compiler turns into
  // vector code) is much cheaper than the walk below, which branches on every byte.
  std::size_t digits = 0;
  for (const char c : t) digits += static_cast<unsigned char>(c - '0') < 10;
  if (digits < 7) return out;
  std::size_t i = 0;
  while (i < t.size()) {
    if (!(t[i] == '+' || (t[i] >= '0' && t[i] <= '9') || t[i] == '(')) {
      ++i;
      continue;
    }
    std::size_t j = i, digits = 0, last_digit = i;
    while (j < t.size() && ((t[j] >= '0' && t[j] <= '9') || t[j] == ' ' || t[j] == '+' ||
                            t[j] == '-' || t[j] == '.' || t[j] == '(' || t[j] == ')')) {
      if (t[j] >= '0' && t[j] <= '9') {
        ++digits;
        last_digit = j + 1;
      }
      ++j;
    }
    if (digits >= 7) out.push_back(Span{i, last_digit});
    i = j + 1;
  }
  return out;
}

}  // namespace

Suppressors::~Suppressors() = default;

Result<std::shared_ptr<const Suppressors>> Suppressors::build(
    const std::vector<const LanguagePack*>& packs) {
  std::vector<RuleInfo> rules;
  auto sup = std::shared_ptr<Suppressors>(new Suppressors());
  for (std::uint8_t k = 0; k < kCueKinds; ++k) {
    RuleInfo r;
    r.id = kCueName[k];
    for (const auto* p : packs)
      for (const auto ph : p->*kCuePhrases[k]) r.patterns.emplace_back(ph);
    if (r.patterns.empty()) continue;
    rules.push_back(std::move(r));
    sup->kind_of_rule_.push_back(k);
  }
  auto cues = CompiledRuleSet::create_plain(std::move(rules));
  if (!cues) return cues.error();
  sup->cues_ = cues.value();
  return std::shared_ptr<const Suppressors>(std::move(sup));
}

std::size_t Suppressors::memory_bytes() const {
  return sizeof(*this) + cues_->memory_bytes() + kind_of_rule_.capacity();
}

Suppressors::Scan Suppressors::scan(std::string_view text, const unsigned char* buf,
                                    unsigned fold_flags) const {
  Scan s;
  s.text_ = text;
  s.buf_ = buf;
  std::vector<CompiledRuleSet::Candidate> hits;
  cues_->find_patterns(buf, text.size(), fold_flags, hits);
  for (const auto& h : hits) {
    const std::uint8_t kind = kind_of_rule_[h.rule];
    s.cues_.push_back(Scan::CueHit{kind, h.span});
    s.marketing_ += kind == kMarketing;
  }
  s.quotes_ = quoted_regions(text);
  s.phones_ = phone_numbers(text);
  return s;
}

std::optional<Suppressors::Reason> Suppressors::Scan::judge(const Subject& subj) const {
  const Span sp = subj.span;
  const bool signal = subj.source == Source::caps || subj.source == Source::punctuation;
  for (const Span& q : quotes_)
    if (subj.source != Source::repeat && inside(sp, q)) return Reason{"quoted", q};
  for (const Span& ph : phones_)
    if (subj.source == Source::pattern && inside(sp, ph)) return Reason{"phone_number", ph};
  const CueHit* first_marketing = nullptr;
  for (const auto& c : cues_)
    if (c.kind == kMarketing && (!first_marketing || c.span.begin < first_marketing->span.begin))
      first_marketing = &c;
  if (first_marketing && (marketing_ >= 2 || signal))
    return Reason{"marketing", first_marketing->span};
  for (const auto& c : cues_) {
    const Span cue = c.span;
    switch (c.kind) {
      case kNegationBefore:
      case kNegationNext:
        if (subj.source == Source::pattern && cue.end <= sp.begin) {
          const std::size_t w = words_between(buf_, cue.end, sp.begin);
          if (w <= (c.kind == kNegationNext ? 0 : kNegationWindow)) return Reason{"negation", cue};
        }
        break;
      case kNegationAfter:
        if (subj.source == Source::pattern && cue.begin >= sp.end &&
            words_between(buf_, sp.end, cue.begin) <= kAfterWindow)
          return Reason{"negation", cue};
        break;
      case kCalm:
        if (subj.urgent) return Reason{"calm", cue};
        break;
      case kNarrative:
        if (subj.urgent && cue.end <= sp.begin &&
            words_between(buf_, cue.end, sp.begin) <= kNarrativeWindow)
          return Reason{"narrative", cue};
        break;
      case kThanks:
        if (signal) {
          const bool near = (cue.end <= sp.begin && words_between(buf_, cue.end, sp.begin) <= kThanksWindow) ||
                            (sp.end <= cue.begin && words_between(buf_, sp.end, cue.begin) <= kThanksWindow) ||
                            (cue.begin < sp.end && sp.begin < cue.end);
          if (near) return Reason{"thanks", cue};
        }
        break;
      default:
        break;
    }
  }
  return std::nullopt;
}

}  // namespace sb::handoff
