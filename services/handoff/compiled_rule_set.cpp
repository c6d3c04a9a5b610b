// services/handoff/compiled_rule_set.cpp — validation, compilation and precedence.
#include "services/handoff/compiled_rule_set.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <tuple>

#include "services/handoff/normalizer.h"

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

// Counts ASCII capitals, '!'/'?' and non-ASCII bytes, 16 bytes at a time with GCC vector
// extensions (SSE2 on x86, NEON on ARM): the per-byte loop cost as much as the whole matcher.
void count_signal_bytes(std::string_view text, std::size_t& upper, std::size_t& marks,
                        std::size_t& high) {
  using V = unsigned char __attribute__((vector_size(16)));
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i + 16 <= n) {
    V up{}, mk{}, hi{};
    // At most 255 blocks per round so the byte counters cannot overflow.
    for (int round = 0; round < 255 && i + 16 <= n; ++round, i += 16) {
      V x;
      std::memcpy(&x, p + i, 16);
      up -= reinterpret_cast<V>((V)(x - (unsigned char)'A') < (unsigned char)26);
      mk -= reinterpret_cast<V>((x == (unsigned char)'!') | (x == (unsigned char)'?'));
      hi -= reinterpret_cast<V>(x >= (unsigned char)0x80);
    }
    for (int k = 0; k < 16; ++k) {
      upper += up[k];
      marks += mk[k];
      high += hi[k];
    }
  }
  for (; i < n; ++i) {
    const unsigned char b = p[i];
    upper += static_cast<unsigned char>(b - 'A') < 26;
    marks += (b == '!') | (b == '?');
    high += b >= 0x80;
  }
}

// Runs of three or more '!'/'?' ("!!!", "???", "?!?").
void punctuation_runs(std::string_view text, std::vector<Span>& out) {
  std::size_t run = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && (text[i] == '!' || text[i] == '?')) {
      ++run;
      continue;
    }
    if (run >= 3) out.push_back(Span{i - run, i});
    run = 0;
  }
}

}  // namespace

Result<std::shared_ptr<const RuleSet>> CompiledRuleSet::create(
    std::vector<RuleInfo> rules, const HandoffSettings& settings,
    const std::set<std::string>& departments, const std::vector<int>& lines) {
  if (settings.fallback_threshold < 1)
    return fail("handoff.fallback_threshold must be at least 1, got " +
                std::to_string(settings.fallback_threshold));
  if (settings.fallback_priority < 0 || settings.fallback_priority > kMaxPriority)
    return fail("handoff.fallback_priority must be 0.." + std::to_string(kMaxPriority));
  if (settings.fallback_department && !departments.count(*settings.fallback_department))
    return fail("handoff.fallback_department: unknown department '" +
                *settings.fallback_department + "'");

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
    const bool signals = r.caps || r.punctuation || r.repeat;
    if (signals && r.kind != TriggerKind::frustration)
      return fail(at + ": signals are only for rules of kind frustration");
    if (r.patterns.empty() && !signals) return fail(at + ": no patterns");
    for (std::size_t p = 0; p < r.patterns.size(); ++p) {
      std::string_view pat = r.patterns[p];
      const std::string pat_at = at + ": pattern " + std::to_string(p + 1);
      if (pat.empty()) return fail(pat_at + " is empty");
      if (pat.back() == '*') pat.remove_suffix(1);
      if (pat.find('*') != std::string_view::npos)
        return fail(pat_at + " (\"" + r.patterns[p] + "\"): '*' is allowed only at the end");
      if (normalize(pat).empty())
        return fail(pat_at + " (\"" + r.patterns[p] + "\") has no letters or digits");
    }
    has_frustration |= r.kind == TriggerKind::frustration;
  }
  if (settings.frustration && !has_frustration) {
    for (auto& d : RuleSet::default_rules()) {
      if (d.kind != TriggerKind::frustration) continue;
      while (ids.count(d.id)) d.id += "_default";
      rules.push_back(std::move(d));
    }
  }

  auto set = std::shared_ptr<CompiledRuleSet>(new CompiledRuleSet());
  set->settings_ = settings;
  // Keys: " word " for whole words, " word" for prefix forms; one key may serve many rules.
  std::map<std::string, std::uint32_t> key_ids;
  std::vector<std::string> keys;
  std::vector<std::vector<std::uint32_t>> users;
  for (std::uint32_t i = 0; i < rules.size(); ++i) {
    const RuleInfo& r = rules[i];
    if (r.caps || r.punctuation || r.repeat) set->signal_rules_.push_back(i);
    set->any_caps_ |= r.caps;
    set->any_punctuation_ |= r.punctuation;
    set->any_repeat_ |= r.repeat;
    for (const auto& raw : r.patterns) {
      std::string_view pat = raw;
      const bool prefix = pat.back() == '*';
      if (prefix) pat.remove_suffix(1);
      // Built by appending: GCC 12 at -O3 warns falsely (-Wrestrict) on " " + std::string.
      std::string key(1, ' ');
      key += normalize(pat);
      if (!prefix) key += ' ';
      auto [it, fresh] = key_ids.emplace(key, static_cast<std::uint32_t>(keys.size()));
      if (fresh) {
        keys.push_back(key);
        users.emplace_back();
      }
      auto& u = users[it->second];
      if (u.empty() || u.back() != i) u.push_back(i);
    }
  }
  set->automaton_ = Automaton::build(keys);
  for (const auto& u : users) {
    set->key_rule_begin_.push_back(static_cast<std::uint32_t>(set->key_rules_.size()));
    set->key_rules_.insert(set->key_rules_.end(), u.begin(), u.end());
  }
  set->key_rule_begin_.push_back(static_cast<std::uint32_t>(set->key_rules_.size()));
  set->rules_ = std::move(rules);
  return std::shared_ptr<const RuleSet>(std::move(set));
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

void CompiledRuleSet::add_frustration(std::string_view text, const MatchContext& ctx,
                                      std::vector<Candidate>& out) const {
  std::optional<Span> caps;
  std::vector<Span> punct;
  bool repeat = false;
  // Cheap branch-free counts first: most messages have neither 8 capitals nor 3 '!'/'?'.
  std::size_t upper = 0, marks = 0, high = 0;
  count_signal_bytes(text, upper, marks, high);
  if (any_caps_ && upper + high / 2 >= 8) caps = shouting(text);
  if (any_punctuation_ && marks >= 3) punctuation_runs(text, punct);
  if (any_repeat_ && !ctx.previous_inbound_text.empty()) {
    const std::string now = normalize(text);
    repeat = now.size() >= 4 && now == normalize(ctx.previous_inbound_text);
  }
  if (!caps && punct.empty() && !repeat) return;
  for (const std::uint32_t r : signal_rules_) {
    const RuleInfo& rule = rules_[r];
    if (rule.caps && caps) out.push_back(Candidate{r, *caps});
    if (rule.punctuation)
      for (const Span& s : punct) out.push_back(Candidate{r, s});
    if (rule.repeat && repeat) out.push_back(Candidate{r, Span{0, text.size()}});
  }
}

Verdict CompiledRuleSet::match(std::string_view text, const MatchContext& ctx) const {
  const std::size_t n = text.size();
  const unsigned char* buf = reinterpret_cast<const unsigned char*>(text.data());
  // ASCII text is read as it is (the byte classes fold it); anything else is folded into a
  // copy of the same length: on the stack for SMS-sized texts, on the heap beyond.
  unsigned char local[1024];
  std::unique_ptr<unsigned char[]> heap;
  if (!is_ascii(text)) {
    unsigned char* out = local;
    if (n > sizeof local) {
      heap = std::make_unique<unsigned char[]>(n);
      out = heap.get();
    }
    fold_into(text, out);
    buf = out;
  }
  std::vector<Automaton::Hit> hits;
  automaton_.scan(buf, n, hits);
  std::vector<Candidate> cands;
  for (const auto& h : hits) {
    const Span s = span_of(h, buf, n);
    for (std::uint32_t k = key_rule_begin_[h.key]; k < key_rule_begin_[h.key + 1]; ++k)
      cands.push_back(Candidate{key_rules_[k], s});
  }
  if (!signal_rules_.empty()) add_frustration(text, ctx, cands);

  Verdict v;
  if (cands.empty()) return v;
  // Precedence (rule_set.h): urgent, priority, kind, position, config order.
  auto rank = [&](const Candidate& c) {
    const RuleInfo& r = rules_[c.rule];
    return std::make_tuple(r.urgent ? 0 : 1, -r.priority, kind_rank(r.kind), c.span.begin, c.rule);
  };
  const Candidate* best = &cands[0];
  for (const auto& c : cands)
    if (rank(c) < rank(*best)) best = &c;
  const RuleInfo& r = rules_[best->rule];
  v.handoff = true;
  v.trigger = r.kind;
  v.rule = r.id;
  v.priority = r.priority;
  v.department = r.department;
  v.urgent = r.urgent;
  for (const auto& c : cands)
    if (c.rule == best->rule) v.spans.push_back(c.span);
  std::sort(v.spans.begin(), v.spans.end(),
            [](const Span& a, const Span& b) { return std::tie(a.begin, a.end) < std::tie(b.begin, b.end); });
  v.spans.erase(std::unique(v.spans.begin(), v.spans.end()), v.spans.end());
  return v;
}

std::size_t CompiledRuleSet::memory_bytes() const {
  std::size_t m = sizeof(*this) + automaton_.memory_bytes();
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
