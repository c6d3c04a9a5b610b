// services/handoff/verdict.h — what the handoff engine says about one inbound text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb::handoff {

// Why a conversation went to a human. Names are the `trigger` strings central and the page read.
enum class TriggerKind {
  user_request,
  keyword,
  frustration,
  fallback_loop,
  flow_completion,
  manual,
  vip,
};

std::string_view to_string(TriggerKind kind);

// A matched region, as byte offsets [begin, end) into the text as the person typed it.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool operator==(const Span&) const = default;
};

// A match that was cancelled, and why: `reason` is one of "negation", "calm", "narrative",
// "quoted", "marketing", "thanks", "phone_number"; `cue` is the span of the words that made
// the decision (for "quoted", the quotation; absent for a whole-text reason).
struct Suppression {
  std::string rule;
  Span span;
  std::string reason;
  std::optional<Span> cue;
};

struct Verdict {
  bool handoff = false;
  TriggerKind trigger = TriggerKind::keyword;  // meaningful only when handoff
  std::string rule;                            // the winning rule's id
  int priority = 0;                            // larger = more urgent
  std::optional<std::string> department;
  std::optional<std::string> agent;  // the winning rule's named agent, if any
  std::vector<Span> spans;  // of the winning rule's matches, in text order
  bool urgent = false;      // the winning rule is an urgency rule (raises a human's priority)
  // Matches that were cancelled (at most kMaxSuppressed, the highest-ranked first), whether
  // or not another rule won: a verdict can always say why something did not hand off.
  std::vector<Suppression> suppressed;
  static constexpr std::size_t kMaxSuppressed = 8;
};

// What the matcher may know besides the text (for frustration's "the same message again").
struct MatchContext {
  std::string_view previous_inbound_text;
};

}  // namespace sb::handoff
