// services/handoff/compiled_rule_set.cpp — validation, compilation and precedence.
#include "services/handoff/compiled_rule_set.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <tuple>

#include "services/handoff/language_pack.h"
#include "services/handoff/normalizer.h"
#include "services/handoff/signal_counts.h"

namespace sb::handoff {
namespace {

constexpr int kMaxPriority = 1000;

std::string where(const RuleInfo& r, std::size_t index, const std::vector<int>& lines) {
  std::string s = "handoff.rules[" + std::to_string(index) + "]";
  if (!r.id.empty()) s += " (id '" + r.id + "')";
  if (index < lines.size() && lines[index] > 0) s += " at line " + std::to_string(lines[index]);
  return s;
}

// user_request and keyword rank alike, before frustration.
int kind_rank(TriggerKind k) { return k == TriggerKind::frustration ? 1 : 0; }

// Frustration signals over the raw text. Returns the span of shouting (first to last
// upper-case letter) when at least 8 letters are upper case and they are >= 80% of the cased
// letters; a lone "OK" or "SMS" is not shouting.
std::optional<Span> shouting(std::string_view text) {
  std::size_t upper = 0, cased = 0, first = 0, last = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char b = p[i];
    if (b < 0x80) {
      if (b >= 'A' && b <= 'Z') {
        if (upper++ == 0) first = i;
        last = i + 1;
        ++cased;
      } else if (b >= 'a' && b <= 'z') {
        ++cased;
      }
      ++i;
      continue;
    }
    // Two-byte letters cover Latin-1, Latin Extended-A, Greek and Cyrillic.
    if (b >= 0xC2 && b <= 0xDF && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
      const char32_t cp = (char32_t(b & 0x1F) << 6) | (p[i + 1] & 0x3F);
      if (is_word_code_point(cp)) {
        if (fold_code_point(cp) != cp) {
          if (upper++ == 0) first = i;
          last = i + 2;
          ++cased;
        } else if ((cp >= 0xDF && cp <= 0xFF) || (cp >= 0x100 && cp < 0x180) ||
                   (cp >= 0x3AC && cp <= 0x3CE) || (cp >= 0x430 && cp <= 0x45F)) {
          ++cased;
        }
      }
      i += 2;
      continue;
    }
    ++i;
  }
  if (upper >= 8 && upper * 5 >= cased * 4) return Span{first, last};
  return std::nullopt;
}

// The length of a question or exclamation mark at p ("!", "?", and the ¡ ¿ ؟ ！ ？ ‼ ⁇ ⁈ ⁉ of
// other scripts and full-width typing), or 0.
std::size_t mark_at(const unsigned char* p, std::size_t n) {
  if (p[0] == '!' || p[0] == '?') return 1;
  if (n >= 2 && ((p[0] == 0xC2 && (p[1] == 0xA1 || p[1] == 0xBF)) || (p[0] == 0xD8 && p[1] == 0x9F)))
    return 2;
  if (n >= 3 && p[0] == 0xEF && p[1] == 0xBC && (p[2] == 0x81 || p[2] == 0x9F)) return 3;
  if (n >= 3 && p[0] == 0xE2 && ((p[1] == 0x80 && p[2] == 0xBC) || (p[1] == 0x81 && p[2] >= 0x87 && p[2] <= 0x89)))
    return 3;
  return 0;
}

// Runs of three or more marks ("!!!", "???", "?!?", "؟؟؟", "！！！").
void punctuation_runs(std::string_view text, std::vector<Span>& out) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t run = 0, begin = 0;
  for (std::size_t i = 0; i <= n;) {
    const std::size_t len = i < n ? mark_at(p + i, n - i) : 0;
    if (len) {
      if (run++ == 0) begin = i;
      i += len;
      continue;
    }
    if (run >= 3) out.push_back(Span{begin, i});
    run = 0;
    ++i;
  }
}

// The three bytes of a three-byte UTF-8 character at p, packed.
std::uint32_t char3(const unsigned char* p) {
  return (std::uint32_t(p[0]) << 16) | (std::uint32_t(p[1]) << 8) | p[2];
}
std::uint32_t low12(std::uint32_t c3) { return ((c3 >> 8) & 0x3F) << 6 | (c3 & 0x3F); }

// Whether a normalized pattern holds a character of a script written without spaces.
bool has_unspaced(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    if ((p[i] & 0xF0) != 0xE0) continue;
    const char32_t cp = (char32_t(p[i] & 0x0F) << 12) | (char32_t(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
    if (is_unspaced_code_point(cp)) return true;
  }
  return false;
}

// A pattern as written: '^' anchors it to the start of the message, '$' to the end, a
// trailing '*' makes its last word a prefix.
struct ParsedPattern {
  std::string_view body;
  bool prefix = false, start = false, end = false;
};
ParsedPattern parse_pattern(std::string_view p) {
  ParsedPattern out;
  if (!p.empty() && p.front() == '^') {
    out.start = true;
    p.remove_prefix(1);
  }
  if (!p.empty() && p.back() == '$') {
    out.end = true;
    p.remove_suffix(1);
  }
  if (!p.empty() && p.back() == '*') {
    out.prefix = true;
    p.remove_suffix(1);
  }
  out.body = p;
  return out;
}

}  // namespace

bool valid_agent_name(std::string_view name) {
  return !name.empty() && name.size() <= kMaxAgentName &&
         std::none_of(name.begin(), name.end(),
                      [](unsigned char ch) { return ch < 0x20 || ch == 0x7F; });
}

Result<std::shared_ptr<const RuleSet>> CompiledRuleSet::create(
    std::vector<RuleInfo> rules, const HandoffSettings& settings,
    const std::set<std::string>& departments, const std::vector<int>& lines,
    const RuleLimits& limits) {
  if (settings.fallback_threshold < 1)
    return fail("handoff.fallback_threshold must be at least 1, got " +
                std::to_string(settings.fallback_threshold));
  if (settings.fallback_priority < 0 || settings.fallback_priority > kMaxPriority)
    return fail("handoff.fallback_priority must be 0.." + std::to_string(kMaxPriority));
  if (settings.fallback_department && !departments.count(*settings.fallback_department))
    return fail("handoff.fallback_department: unknown department '" +
                *settings.fallback_department + "'");
  auto packs = select_packs(settings.languages);
  if (!packs) return packs.error();

  std::set<std::string> ids;
  bool has_frustration = false;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const RuleInfo& r = rules[i];
    const std::string at = where(r, i, lines);
    if (r.id.empty()) return fail(at + ": empty id");
    if (!ids.insert(r.id).second) return fail(at + ": duplicate id '" + r.id + "'");
    if (r.kind != TriggerKind::keyword && r.kind != TriggerKind::user_request &&
        r.kind != TriggerKind::frustration)
      return fail(at + ": kind '" + std::string(to_string(r.kind)) +
                  "' cannot be a text rule (use user_request, keyword or frustration)");
    if (r.priority < 0 || r.priority > kMaxPriority)
      return fail(at + ": priority must be 0.." + std::to_string(kMaxPriority));
    if (r.department && !departments.count(*r.department))
      return fail(at + ": unknown department '" + *r.department + "'");
    // Users live in the database, not the config: only the name's shape is checked here; a
    // name no user has queues the handoff as if none were given (the history says so).
    if (r.agent && !valid_agent_name(*r.agent))
      return fail(at + ": agent must be a user name of 1 to " + std::to_string(kMaxAgentName) +
                  " bytes without control characters");
    const bool signals = r.caps || r.punctuation || r.repeat;
    if (signals && r.kind != TriggerKind::frustration)
      return fail(at + ": signals are only for rules of kind frustration");
    if (r.patterns.empty() && !signals) return fail(at + ": no patterns");
    for (std::size_t p = 0; p < r.patterns.size(); ++p) {
      const std::string pat_at = at + ": pattern " + std::to_string(p + 1);
      if (r.patterns[p].empty()) return fail(pat_at + " is empty");
      const ParsedPattern pp = parse_pattern(r.patterns[p]);
      if (pp.body.find('*') != std::string_view::npos)
        return fail(pat_at + " (\"" + r.patterns[p] + "\"): '*' is allowed only at the end");
      if (normalize(pp.body, Fold::full).empty())
        return fail(pat_at + " (\"" + r.patterns[p] + "\") has no letters or digits");
    }
    has_frustration |= r.kind == TriggerKind::frustration;
  }
  if (settings.frustration && !has_frustration) {
    auto defaults = RuleSet::default_rules_for(settings.languages);
    if (!defaults) return defaults.error();
    for (auto& d : defaults.value()) {
      if (d.kind != TriggerKind::frustration) continue;
      while (ids.count(d.id)) d.id += "_default";
      rules.push_back(std::move(d));
    }
  }

  // Every pattern byte can become a state of the trie (about 26 bytes with its edge) plus its
  // copy in the key list; the dense rows are a fixed budget. An upper bound, so a set that
  // passes here can still be refused after the build, but one that would take the memory
  // is never built.
  if (limits.matcher_max_bytes != RuleLimits::unlimited().matcher_max_bytes) {
    std::size_t pattern_bytes = 0;
    for (const auto& r : rules)
      for (const auto& p : r.patterns) pattern_bytes += p.size() + 2;
    const std::size_t bound = Automaton::kDefaultDenseBudget + pattern_bytes * 40;
    if (bound > limits.matcher_max_bytes)
      return fail("handoff: the rules' " + std::to_string(pattern_bytes) +
                  " pattern bytes could need " + std::to_string(bound >> 10) +
                  " KiB of matcher, more than limits.matcher_max_kib = " +
                  std::to_string(limits.matcher_max_bytes >> 10));
  }
  auto set = std::shared_ptr<CompiledRuleSet>(new CompiledRuleSet());
  set->settings_ = settings;
  set->compile(std::move(rules));
  if (settings.suppressors) {
    auto sup = Suppressors::build(packs.value());
    if (!sup) return sup.error();
    set->suppressors_ = sup.value();
  }
  if (const std::size_t m = set->memory_bytes(); m > limits.matcher_max_bytes)
    return fail("handoff: the compiled matcher holds " + std::to_string(m >> 10) +
                " KiB, more than limits.matcher_max_kib = " +
                std::to_string(limits.matcher_max_bytes >> 10));
  return std::shared_ptr<const RuleSet>(std::move(set));
}

Result<std::shared_ptr<const CompiledRuleSet>> CompiledRuleSet::create_plain(
    std::vector<RuleInfo> rules) {
  for (const auto& r : rules)
    for (const auto& p : r.patterns)
      if (p.empty() || normalize(parse_pattern(p).body, Fold::full).empty())
        return fail("cue '" + p + "' of " + r.id + " has no letters or digits");
  auto set = std::shared_ptr<CompiledRuleSet>(new CompiledRuleSet());
  set->settings_.frustration = false;
  set->settings_.suppressors = false;
  set->compile(std::move(rules));
  return std::shared_ptr<const CompiledRuleSet>(std::move(set));
}

void CompiledRuleSet::compile(std::vector<RuleInfo> rules) {
  // Keys: " word " for whole words, " word" for prefix forms; one key may serve many rules,
  // each with its own anchors.
  std::map<std::string, std::uint32_t> key_ids;
  std::vector<std::string> keys;
  std::vector<std::vector<std::uint32_t>> users;
  for (std::uint32_t i = 0; i < rules.size(); ++i) {
    const RuleInfo& r = rules[i];
    if (r.caps || r.punctuation || r.repeat) signal_rules_.push_back(i);
    any_caps_ |= r.caps;
    any_punctuation_ |= r.punctuation;
    any_repeat_ |= r.repeat;
    for (const auto& raw : r.patterns) {
      const ParsedPattern pp = parse_pattern(raw);
      if (std::string norm = normalize(pp.body, Fold::full); has_unspaced(norm)) {
        std::erase(norm, ' ');
        const auto* b = reinterpret_cast<const unsigned char*>(norm.data());
        if ((b[0] & 0xF0) == 0xE0) {
          unspaced_.push_back(UnspacedKey{char3(b), std::move(norm), i});
          continue;
        }
        // A pattern that begins with a spaced script stays a whole-word key.
      }
      // Built by appending: GCC 12 at -O3 warns falsely (-Wrestrict) on " " + std::string.
      std::string key(1, ' ');
      key += normalize(pp.body, Fold::full);
      if (!pp.prefix) key += ' ';
      auto [it, fresh] = key_ids.emplace(key, static_cast<std::uint32_t>(keys.size()));
      if (fresh) {
        keys.push_back(key);
        users.emplace_back();
      }
      const std::uint32_t entry = i | (pp.start ? kAnchorStart : 0) | (pp.end ? kAnchorEnd : 0);
      auto& u = users[it->second];
      if (std::find(u.begin(), u.end(), entry) == u.end()) u.push_back(entry);
    }
  }
  automaton_ = Automaton::build(keys);
  std::stable_sort(unspaced_.begin(), unspaced_.end(),
                   [](const UnspacedKey& a, const UnspacedKey& b) { return a.first < b.first; });
  for (const auto& k : unspaced_) {
    const std::uint32_t bit = low12(k.first);
    unspaced_filter_[bit >> 6] |= std::uint64_t{1} << (bit & 63);
  }
  for (const auto& u : users) {
    key_rule_begin_.push_back(static_cast<std::uint32_t>(key_rules_.size()));
    key_rules_.insert(key_rules_.end(), u.begin(), u.end());
  }
  key_rule_begin_.push_back(static_cast<std::uint32_t>(key_rules_.size()));
  rules_ = std::move(rules);
}

Span CompiledRuleSet::span_of(const Automaton::Hit& hit, const unsigned char* buf,
                              std::size_t n) const {
  const std::string& key = automaton_.key(hit.key);
  const bool prefix = key.back() != ' ';
  auto cls = [&](std::size_t i) { return automaton_.byte_class(buf[i]); };
  // `p` = one past the last byte of the key's last word character.
  std::size_t p = prefix ? hit.end + 1 : hit.end;
  std::size_t last = key.size() - (prefix ? 1 : 2);  // index of the key's last word byte
  if (!prefix)
    while (p > 0 && cls(p - 1) == Automaton::kIgnoreClass) --p;
  std::size_t end = p;
  if (prefix) {  // a prefix form highlights the whole word it began
    while (end < n && cls(end) != Automaton::kSpace) ++end;
    while (end > p && cls(end - 1) == Automaton::kIgnoreClass && buf[end - 1] != kPad) --end;
  }
  while (end < n && buf[end] == kPad) ++end;  // the rest of a folded character
  // Walk the key backwards over the text to find where it began.
  for (std::size_t j = last; j >= 1 && p > 0; --j) {
    if (key[j] == ' ') {
      while (p > 0 && (cls(p - 1) == Automaton::kSpace || cls(p - 1) == Automaton::kIgnoreClass))
        --p;
    } else {
      while (p > 0 && cls(p - 1) == Automaton::kIgnoreClass) --p;
      if (p > 0) --p;
    }
  }
  return Span{p, end};
}

void CompiledRuleSet::add_unspaced(const unsigned char* buf, std::size_t n,
                                   std::vector<Candidate>& out) const {
  for (std::size_t i = 0; i + 2 < n;) {
    if ((buf[i] & 0xF0) != 0xE0) {
      ++i;
      continue;
    }
    const std::uint32_t c = char3(buf + i);
    const std::uint32_t bit = low12(c);
    if (unspaced_filter_[bit >> 6] >> (bit & 63) & 1) {
      auto it = std::lower_bound(unspaced_.begin(), unspaced_.end(), c,
                                 [](const UnspacedKey& k, std::uint32_t v) { return k.first < v; });
      for (; it != unspaced_.end() && it->first == c; ++it) {
        // The key's bytes in order; padding and ignored bytes of the folded text (a
        // full-width letter folded to ASCII, an apostrophe) are skipped.
        const std::string& key = it->bytes;
        std::size_t p = i, j = 0;
        while (j < key.size() && p < n) {
          if (buf[p] == kPad || buf[p] == kIgnore) {
            ++p;
            continue;
          }
          if (buf[p] != static_cast<unsigned char>(key[j])) break;
          ++p;
          ++j;
        }
        if (j < key.size()) continue;
        while (p < n && buf[p] == kPad) ++p;
        out.push_back(Candidate{it->rule, Span{i, p}});
      }
    }
    i += 3;
  }
}

void CompiledRuleSet::add_frustration(std::string_view text, bool ascii, const MatchContext& ctx,
                                      std::vector<Candidate>& out) const {
  std::optional<Span> caps;
  std::vector<Span> punct;
  bool repeat = false;
  // Cheap branch-free counts first: most messages have neither 8 capitals nor 3 '!'/'?'.
  const SignalCounts sc = count_signals(text, ascii);
  if (any_caps_ && sc.upper >= 8) caps = shouting(text);
  if (any_punctuation_ &&
      (sc.marks >= 3 || (sc.high >= 6 && sc.marks + sc.high >= 9 && sc.wide > 0)))
    punctuation_runs(text, punct);
  if (any_repeat_ && !ctx.previous_inbound_text.empty()) {
    const std::string now = normalize(text, Fold::full);
    repeat = now.size() >= 4 && now == normalize(ctx.previous_inbound_text, Fold::full);
  }
  if (!caps && punct.empty() && !repeat) return;
  for (const std::uint32_t r : signal_rules_) {
    const RuleInfo& rule = rules_[r];
    using S = Suppressors::Source;
    if (rule.caps && caps) out.push_back(Candidate{r, *caps, S::caps});
    if (rule.punctuation)
      for (const Span& s : punct) out.push_back(Candidate{r, s, S::punctuation});
    if (rule.repeat && repeat) out.push_back(Candidate{r, Span{0, text.size()}, S::repeat});
  }
}

bool CompiledRuleSet::anchors_hold(std::uint32_t entry, Span s, const unsigned char* buf,
                                   std::size_t n) const {
  auto blank = [&](std::size_t i) {
    const unsigned char c = automaton_.byte_class(buf[i]);
    return c == Automaton::kSpace || c == Automaton::kIgnoreClass;
  };
  if (entry & kAnchorStart)
    for (std::size_t i = 0; i < s.begin; ++i)
      if (!blank(i)) return false;
  if (entry & kAnchorEnd)
    for (std::size_t i = s.end; i < n; ++i)
      if (!blank(i)) return false;
  return true;
}

void CompiledRuleSet::find_patterns(const unsigned char* buf, std::size_t n, unsigned fold_flags,
                                    std::vector<Candidate>& out) const {
  std::vector<Automaton::Hit> hits;
  automaton_.scan(buf, n, hits);
  for (const auto& h : hits) {
    const Span s = span_of(h, buf, n);
    for (std::uint32_t k = key_rule_begin_[h.key]; k < key_rule_begin_[h.key + 1]; ++k) {
      const std::uint32_t e = key_rules_[k];
      if ((e & (kAnchorStart | kAnchorEnd)) && !anchors_hold(e, s, buf, n)) continue;
      out.push_back(Candidate{e & kRuleMask, s});
    }
  }
  if ((fold_flags & kFoldUnspaced) && !unspaced_.empty()) add_unspaced(buf, n, out);
}

Verdict CompiledRuleSet::evaluate(std::string_view text, const MatchContext& ctx,
                                  Explanation* ex) const {
  const std::size_t n = text.size();
  const unsigned char* buf = reinterpret_cast<const unsigned char*>(text.data());
  // ASCII text is read as it is (the byte classes fold it); anything else is folded into a
  // copy of the same length: on the stack for SMS-sized texts, on the heap beyond.
  unsigned char local[1024];
  std::unique_ptr<unsigned char[]> heap;
  unsigned folded = 0;
  const bool ascii = is_ascii(text);
  if (!ascii) {
    unsigned char* out = local;
    if (n > sizeof local) {
      heap = std::make_unique<unsigned char[]>(n);
      out = heap.get();
    }
    folded = fold_into(text, out, Fold::full);
    buf = out;
  }
  std::vector<Candidate> cands;
  find_patterns(buf, n, folded, cands);
  if (!signal_rules_.empty()) add_frustration(text, ascii, ctx, cands);

  Verdict v;
  if (cands.empty()) return v;
  // Precedence (rule_set.h): urgent, priority, kind, position, config order.
  auto rank = [&](const Candidate& c) {
    const RuleInfo& r = rules_[c.rule];
    return std::make_tuple(r.urgent ? 0 : 1, -r.priority, kind_rank(r.kind), c.span.begin, c.rule);
  };
  std::sort(cands.begin(), cands.end(),
            [&](const Candidate& a, const Candidate& b) { return rank(a) < rank(b); });
  std::vector<std::optional<Suppressors::Reason>> why(cands.size());
  if (suppressors_) {
    const auto scan = suppressors_->scan(text, buf, folded);
    for (std::size_t i = 0; i < cands.size(); ++i)
      why[i] = scan.judge({cands[i].span, cands[i].source, rules_[cands[i].rule].urgent});
  }
  const Candidate* best = nullptr;
  for (std::size_t i = 0; i < cands.size(); ++i) {
    if (!why[i]) {
      if (!best) best = &cands[i];
      continue;
    }
    const std::string& id = rules_[cands[i].rule].id;
    const bool seen = std::any_of(v.suppressed.begin(), v.suppressed.end(), [&](const Suppression& s) {
      return s.rule == id && s.reason == why[i]->reason;
    });
    if (!seen && v.suppressed.size() < Verdict::kMaxSuppressed)
      v.suppressed.push_back(Suppression{id, cands[i].span, why[i]->reason, why[i]->cue});
  }
  if (ex) {
    static constexpr const char* kSource[] = {"pattern", "caps", "punctuation", "repeat"};
    for (std::size_t i = 0; i < cands.size(); ++i) {
      const RuleInfo& r = rules_[cands[i].rule];
      ExplainedCandidate e{r.id, r.kind, r.priority, r.urgent, cands[i].span,
                           kSource[static_cast<int>(cands[i].source)], std::nullopt};
      if (why[i]) e.suppressed = Suppression{r.id, cands[i].span, why[i]->reason, why[i]->cue};
      ex->candidates.push_back(std::move(e));
    }
  }
  if (!best) return v;
  const RuleInfo& r = rules_[best->rule];
  v.handoff = true;
  v.trigger = r.kind;
  v.rule = r.id;
  v.priority = r.priority;
  v.department = r.department;
  v.agent = r.agent;
  v.urgent = r.urgent;
  for (std::size_t i = 0; i < cands.size(); ++i)
    if (cands[i].rule == best->rule && !why[i]) v.spans.push_back(cands[i].span);
  std::sort(v.spans.begin(), v.spans.end(),
            [](const Span& a, const Span& b) { return std::tie(a.begin, a.end) < std::tie(b.begin, b.end); });
  v.spans.erase(std::unique(v.spans.begin(), v.spans.end()), v.spans.end());
  return v;
}

Verdict CompiledRuleSet::match(std::string_view text, const MatchContext& ctx) const {
  return evaluate(text, ctx, nullptr);
}

Explanation CompiledRuleSet::explain(std::string_view text, const MatchContext& ctx) const {
  Explanation ex;
  ex.normalized = normalize(text, Fold::full);
  ex.verdict = evaluate(text, ctx, &ex);
  return ex;
}

std::size_t CompiledRuleSet::memory_bytes() const {
  std::size_t m = sizeof(*this) + automaton_.memory_bytes();
  for (const auto& k : unspaced_) m += sizeof(UnspacedKey) + k.bytes.capacity();
  if (suppressors_) m += suppressors_->memory_bytes();
  m += (key_rule_begin_.capacity() + key_rules_.capacity() + signal_rules_.capacity()) * 4;
  for (const auto& r : rules_) {
    m += sizeof(RuleInfo) + r.id.capacity();
    for (const auto& p : r.patterns) m += sizeof(std::string) + p.capacity();
  }
  return m;
}

Result<std::shared_ptr<const RuleSet>> RuleSet::compile(std::vector<RuleInfo> rules,
                                                        const HandoffSettings& settings,
                                                        const std::set<std::string>& departments) {
  return CompiledRuleSet::create(std::move(rules), settings, departments);
}

}  // namespace sb::handoff
