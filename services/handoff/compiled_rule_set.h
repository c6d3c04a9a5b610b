// services/handoff/compiled_rule_set.h — the one RuleSet implementation: rules + automaton.
// Internal to services/handoff; everyone else sees RuleSet.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "services/handoff/automaton.h"
#include "services/handoff/rule_set.h"
#include "services/handoff/suppressor.h"

namespace sb::handoff {

class CompiledRuleSet final : public RuleSet {
 public:
  // Validates and compiles. `lines` (optional, one per rule) only enrich error messages.
  // `limits.matcher_max_bytes` is checked against an upper bound before the build and
  // against the real size after it (the other limits are the config reader's).
  static Result<std::shared_ptr<const RuleSet>> create(
      std::vector<RuleInfo> rules, const HandoffSettings& settings,
      const std::set<std::string>& departments, const std::vector<int>& lines = {},
      const RuleLimits& limits = RuleLimits::unlimited());
  // The same, typed, without suppressors of its own (for the suppressors' cue set).
  static Result<std::shared_ptr<const CompiledRuleSet>> create_plain(std::vector<RuleInfo> rules);

  Verdict match(std::string_view text, const MatchContext& ctx = {}) const override;
  Explanation explain(std::string_view text, const MatchContext& ctx = {}) const override;
  int fallback_threshold() const override { return settings_.fallback_threshold; }
  int fallback_priority() const override { return settings_.fallback_priority; }
  std::optional<std::string> fallback_department() const override {
    return settings_.fallback_department;
  }
  std::size_t rule_count() const override { return rules_.size(); }
  std::vector<RuleInfo> rules() const override { return rules_; }
  std::size_t memory_bytes() const override;

  struct Candidate {
    std::uint32_t rule;
    Span span;
    Suppressors::Source source = Suppressors::Source::pattern;
  };
  // Every pattern occurrence in `buf` (raw ASCII text, or fold_into's output with its
  // `fold_flags`), anchors checked.
  void find_patterns(const unsigned char* buf, std::size_t n, unsigned fold_flags,
                     std::vector<Candidate>& out) const;

 private:
  // A pattern in a script written without spaces (Han, kana, Thai), found as a substring of
  // the folded text; indexed by its first (three-byte) character.
  struct UnspacedKey {
    std::uint32_t first;  // the first character's three bytes
    std::string bytes;    // the normalized pattern without spaces
    std::uint32_t rule;
  };
  static constexpr std::uint32_t kAnchorStart = 1u << 31, kAnchorEnd = 1u << 30;
  static constexpr std::uint32_t kRuleMask = kAnchorEnd - 1;

  void compile(std::vector<RuleInfo> rules);
  Verdict evaluate(std::string_view text, const MatchContext& ctx, Explanation* ex) const;
  Span span_of(const Automaton::Hit& hit, const unsigned char* buf, std::size_t n) const;
  bool anchors_hold(std::uint32_t entry, Span s, const unsigned char* buf, std::size_t n) const;
  void add_unspaced(const unsigned char* buf, std::size_t n, std::vector<Candidate>& out) const;
  void add_frustration(std::string_view text, bool ascii, const MatchContext& ctx,
                       std::vector<Candidate>& out) const;

  std::vector<RuleInfo> rules_;
  HandoffSettings settings_;
  Automaton automaton_;
  std::vector<std::uint32_t> key_rule_begin_;  // key id -> range in key_rules_
  std::vector<std::uint32_t> key_rules_;       // rule index | kAnchorStart | kAnchorEnd
  std::vector<UnspacedKey> unspaced_;          // sorted by `first`
  std::uint64_t unspaced_filter_[64] = {};     // bit per first character's low 12 bits
  std::vector<std::uint32_t> signal_rules_;    // rules with at least one frustration signal
  bool any_caps_ = false, any_punctuation_ = false, any_repeat_ = false;
  std::shared_ptr<const Suppressors> suppressors_;  // null when settings_.suppressors is off
};

}  // namespace sb::handoff
