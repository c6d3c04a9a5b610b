// services/handoff/rule_set.h — a compiled, immutable set of trigger rules.
//
// Compiled once (from TOML or the embedded default), then shared read-only: `match` is const,
// allocation-light and safe to call from any thread. Reload builds a new RuleSet (on a worker
// thread: compiling a big set takes seconds) and the event loop swaps its shared_ptr; a set
// that fails to compile never replaces the running one.
//
// ---- Rule format (the `[handoff]` table of the config; also README.md) -------------------
//
//   [handoff]
//   fallback_threshold = 2        # bot fallbacks in a row that hand off (>= 1, default 2)
//   fallback_priority = 40        # priority of a fallback-loop handoff (default 40)
//   fallback_department = "support"   # optional
//   frustration = true            # add the default frustration rule when no rule of kind
//                                 # "frustration" is given (default true)
//   languages = ["en", "es"]      # language packs of the defaults and suppressors (default all)
//   suppressors = true            # negation, "no rush", quotes, ads... cancel matches
//
//   [[handoff.rules]]
//   id = "refund"                 # unique, non-empty
//   kind = "keyword"              # "keyword" | "user_request" | "frustration"
//   patterns = ["refund*", "money back"]   # whole words/phrases; a trailing * = word prefix
//   priority = 50                 # 0..1000, larger = more urgent
//   department = "billing"        # optional; must be a known department
//   agent = "ana"                 # optional; the user the handoff goes to straight away when
//                                 # online with room (else it queues as usual)
//   urgent = false                # optional; urgency rules rank above every other rule and
//                                 # raise the priority of a conversation a human already has
//   signals = ["caps", "punctuation", "repeat"]   # frustration only (default: all three)
//
// Patterns are normalized like the text (normalizer.h: case, accents, width, Turkish i, Arabic
// letter variants folded; apostrophes dropped; punctuation and runs of white space = one
// boundary), so "Cancel my  subscription" and "cancel my subscription" are the same pattern.
// A pattern beginning with '^' must start the message, one ending with '$' must end it
// ("^human$" is the whole message "human!!" but not "human resources"). Patterns in Han,
// kana or Thai are found as substrings, those scripts having no spaces between words. Frustration rules may have patterns ("this is useless")
// besides their signals: "caps" = shouting (>= 8 upper-case letters, >= 80% of the letters),
// "punctuation" = a run of 3+ '!'/'?', "repeat" = the same text as ctx.previous_inbound_text
// (after normalization, at least 4 bytes of it).
//
// When the table has no `rules` (or no [handoff] table exists), the embedded default rules
// apply, with the thresholds given. Refused with an error naming the rule and line: empty or
// boundary-only pattern, duplicate id, unknown kind, unknown department, unknown key, bad type.
//
// ---- Precedence ---------------------------------------------------------------------------
// When several rules match: urgent rules first; then the highest priority; then the kind
// (user_request and keyword before frustration); then the earliest match in the text; then
// the rule listed first. The verdict's spans are all of the winning rule's matches.
// Matches cancelled by a suppressor (suppressor.h) take no part; the verdict lists them.
#pragma once

#include <memory>
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "services/handoff/verdict.h"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace sb::handoff {

// One rule as configured; also what rules() returns for the admin page and `match` tools.
struct RuleInfo {
  std::string id;
  TriggerKind kind = TriggerKind::keyword;  // user_request, keyword or frustration
  std::vector<std::string> patterns;        // as written (e.g. "refund*")
  int priority = 0;
  std::optional<std::string> department;
  // A named person (an account manager): the inbox assigns the handoff to this user when they
  // are online and under their department's cap; otherwise it queues as without it.
  std::optional<std::string> agent;
  bool urgent = false;
  // Frustration only: which signals are on.
  bool caps = false;
  bool punctuation = false;
  bool repeat = false;
};

// Settings of the [handoff] table besides its rules.
struct HandoffSettings {
  int fallback_threshold = 2;
  int fallback_priority = 40;
  std::optional<std::string> fallback_department;
  bool frustration = true;
  // Language packs of the default rules and of the suppressors' cues ("en", "zh", ...);
  // empty = all built in (RuleSet::language_codes()).
  std::vector<std::string> languages;
  // Whether suppressors (suppressor.h) may cancel matches; off = every match hands off.
  bool suppressors = true;
};

// Caps on what a config may ask the matcher to hold, so that a config from central (or a bad
// local file) cannot exhaust a small gateway's memory: a set over any of them is refused with
// an error naming the cap's key in the [limits] table (README "Configuration").
struct RuleLimits {
  std::size_t rules_max = 2000;            // [[handoff.rules]] tables
  std::size_t patterns_max = 20000;        // patterns of all rules together
  std::size_t pattern_max_bytes = 256;     // one pattern, as written
  std::size_t matcher_max_bytes = 32u << 20;  // the compiled matcher (memory_bytes())
  static RuleLimits unlimited() {
    const std::size_t n = static_cast<std::size_t>(-1);
    return {n, n, n, n};
  }
};

// What one candidate match looked like and, when it was cancelled, why (for `match
// --explain` and the admin page's "why").
struct ExplainedCandidate {
  std::string rule;
  TriggerKind kind = TriggerKind::keyword;
  int priority = 0;
  bool urgent = false;
  Span span;
  std::string source;  // "pattern", "caps", "punctuation" or "repeat"
  std::optional<Suppression> suppressed;
};

struct Explanation {
  std::string normalized;  // the text as the matcher compares it (normalize())
  std::vector<ExplainedCandidate> candidates;
  Verdict verdict;
};

class RuleSet {
 public:
  // Parses and compiles the `[handoff]` section of a config (the table that holds it; a root
  // table with a `handoff` sub-table is accepted too). `departments` are the known department
  // ids; a rule naming another is refused. Errors name the rule id / key, line and why; a
  // set over `limits` is refused before the expensive part (the count and sizes are checked
  // before compiling, the matcher's size before and after building it).
  static Result<std::shared_ptr<const RuleSet>> from_toml(const toml::table& handoff,
                                                          const std::set<std::string>& departments,
                                                          const RuleLimits& limits = {});
  // The default rule set embedded in the binary (department-free; see default_rules.cpp).
  static std::shared_ptr<const RuleSet> embedded_default();
  // Compiles rules given as values (used by from_toml, the defaults, tests and benchmarks).
  // An empty `rules` is a valid set that never matches. No limits: callers hold the rules.
  static Result<std::shared_ptr<const RuleSet>> compile(std::vector<RuleInfo> rules,
                                                        const HandoffSettings& settings,
                                                        const std::set<std::string>& departments);
  // The embedded default rules as values (to list them, or to extend them): every language.
  static std::vector<RuleInfo> default_rules();
  // The default rules with the phrases of the given language packs only (empty = all);
  // an unknown code is an error naming the known ones.
  static Result<std::vector<RuleInfo>> default_rules_for(const std::vector<std::string>& languages);
  // The codes of the built-in language packs.
  static std::vector<std::string> language_codes();

  virtual ~RuleSet() = default;
  virtual Verdict match(std::string_view text, const MatchContext& ctx = {}) const = 0;
  // The same verdict with every candidate and what cancelled it.
  virtual Explanation explain(std::string_view text, const MatchContext& ctx = {}) const = 0;
  // Consecutive bot fallbacks that hand off (default 2) and the priority/department to use.
  virtual int fallback_threshold() const = 0;
  virtual int fallback_priority() const = 0;
  virtual std::size_t rule_count() const = 0;
  virtual std::optional<std::string> fallback_department() const { return std::nullopt; }
  // The rules in precedence-independent config order, for the admin page ("why would this hand
  // off?") and `switchboard match`. Plain values: the caller renders them as it likes.
  virtual std::vector<RuleInfo> rules() const { return {}; }
  // Approximate heap bytes held by the compiled matcher (for the benchmark and diagnostics).
  virtual std::size_t memory_bytes() const { return 0; }
};

// "user_request" -> TriggerKind::user_request, etc. (all kinds of verdict.h).
std::optional<TriggerKind> trigger_kind_from_string(std::string_view name);

// Whether `name` could be a user's id, for a rule or a bot flow that names the agent who gets
// the handoff: 1 to kMaxAgentName bytes, no control characters. Users live in the database, so
// whether one has that name is known only when the handoff happens.
constexpr std::size_t kMaxAgentName = 64;
bool valid_agent_name(std::string_view name);

}  // namespace sb::handoff
