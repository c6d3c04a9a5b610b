// services/handoff/compiled_rule_set.h — the one RuleSet implementation: rules + automaton.
// Internal to services/handoff; everyone else sees RuleSet.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "services/handoff/automaton.h"
#include "services/handoff/rule_set.h"

namespace sb::handoff {

class CompiledRuleSet final : public RuleSet {
 public:
  // Validates and compiles. `lines` (optional, one per rule) only enrich error messages.
  static Result<std::shared_ptr<const RuleSet>> create(std::vector<RuleInfo> rules,
                                                       const HandoffSettings& settings,
                                                       const std::set<std::string>& departments,
                                                       const std::vector<int>& lines = {});

  Verdict match(std::string_view text, const MatchContext& ctx = {}) const override;
  int fallback_threshold() const override { return settings_.fallback_threshold; }
  int fallback_priority() const override { return settings_.fallback_priority; }
  std::optional<std::string> fallback_department() const override {
    return settings_.fallback_department;
  }
  std::size_t rule_count() const override { return rules_.size(); }
  std::vector<RuleInfo> rules() const override { return rules_; }
  std::size_t memory_bytes() const override;

 private:
  struct Candidate {
    std::uint32_t rule;
    Span span;
  };
  Span span_of(const Automaton::Hit& hit, const unsigned char* buf, std::size_t n) const;
  void add_frustration(std::string_view text, const MatchContext& ctx,
                       std::vector<Candidate>& out) const;

  std::vector<RuleInfo> rules_;
  HandoffSettings settings_;
  Automaton automaton_;
  std::vector<std::uint32_t> key_rule_begin_;  // key id -> range in key_rules_
  std::vector<std::uint32_t> key_rules_;
  std::vector<std::uint32_t> signal_rules_;  // rules with at least one frustration signal
  bool any_caps_ = false, any_punctuation_ = false, any_repeat_ = false;
};

}  // namespace sb::handoff
