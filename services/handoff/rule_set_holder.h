// services/handoff/rule_set_holder.h — the running rule set, swapped whole on reload.
//
// Ingest calls current() for every message and keeps the shared_ptr for the duration of that
// one match, so a reload (SIGHUP, or a new config from central) never blocks or tears a
// match: readers see either the old set or the new one. A set that failed to compile is never
// stored — the caller only has a RuleSet to store when compile succeeded.
#pragma once

#include <atomic>
#include <memory>
#include <utility>

#include "services/handoff/rule_set.h"

namespace sb::handoff {

class RuleSetHolder {
 public:
  explicit RuleSetHolder(std::shared_ptr<const RuleSet> initial = RuleSet::embedded_default())
      : current_(std::move(initial)) {}

  std::shared_ptr<const RuleSet> current() const { return current_.load(std::memory_order_acquire); }

  // Replaces the set; returns the previous one (freed when its last in-flight match ends).
  std::shared_ptr<const RuleSet> replace(std::shared_ptr<const RuleSet> next) {
    if (!next) return current();
    return current_.exchange(std::move(next), std::memory_order_acq_rel);
  }

  Verdict match(std::string_view text, const MatchContext& ctx = {}) const {
    return current()->match(text, ctx);
  }

 private:
  // C++20 atomic<shared_ptr> (libstdc++ 12): lock-free for readers' purposes, no torn reads.
  std::atomic<std::shared_ptr<const RuleSet>> current_;
};

}  // namespace sb::handoff
