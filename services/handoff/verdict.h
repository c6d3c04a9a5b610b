// services/handoff/verdict.h — what the handoff engine says about one inbound text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb::handoff {

// Why a conversation went to a human. Names match CONTRACT.md's `trigger` strings.
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

struct Verdict {
  bool handoff = false;
  TriggerKind trigger = TriggerKind::keyword;  // meaningful only when handoff
  std::string rule;                            // the winning rule's id
  int priority = 0;                            // larger = more urgent
  std::optional<std::string> department;
  std::vector<Span> spans;  // of the winning rule's matches, in text order
  bool urgent = false;      // the winning rule is an urgency rule (raises a human's priority)
};

// What the matcher may know besides the text (for frustration's "the same message again").
struct MatchContext {
  std::string_view previous_inbound_text;
};

}  // namespace sb::handoff
