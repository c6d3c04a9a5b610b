// services/handoff/trigger_kind.cpp — the trigger names central and the page read (a contract).
#include "services/handoff/rule_set.h"
#include "services/handoff/verdict.h"

namespace sb::handoff {

std::string_view to_string(TriggerKind kind) {
  switch (kind) {
    case TriggerKind::user_request: return "user_request";
    case TriggerKind::keyword: return "keyword";
    case TriggerKind::frustration: return "frustration";
    case TriggerKind::fallback_loop: return "fallback_loop";
    case TriggerKind::flow_completion: return "flow_completion";
    case TriggerKind::manual: return "manual";
    case TriggerKind::vip: return "vip";
  }
  return "unknown";
}

std::optional<TriggerKind> trigger_kind_from_string(std::string_view name) {
  for (auto k : {TriggerKind::user_request, TriggerKind::keyword, TriggerKind::frustration,
                 TriggerKind::fallback_loop, TriggerKind::flow_completion, TriggerKind::manual,
                 TriggerKind::vip})
    if (to_string(k) == name) return k;
  return std::nullopt;
}

}  // namespace sb::handoff
