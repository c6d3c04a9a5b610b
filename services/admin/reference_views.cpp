// What the page shows besides conversations: the trigger rules and a test of a text against
// them, departments and agents.
#include <algorithm>

#include "services/admin/api_routes.h"
#include "services/handoff/verdict.h"

namespace sb::admin {

using nlohmann::json;

json rules_json(const handoff::RuleSet& rs) {
  json rules = json::array();
  for (const auto& r : rs.rules()) {
    json j = {{"id", r.id},
              {"kind", std::string(handoff::to_string(r.kind))},
              {"patterns", r.patterns},
              {"priority", r.priority},
              {"department", r.department ? json(*r.department) : json(nullptr)},
              {"agent", r.agent ? json(*r.agent) : json(nullptr)},
              {"urgent", r.urgent}};
    if (r.kind == handoff::TriggerKind::frustration) {
      json sig = json::array();
      if (r.caps) sig.push_back("caps");
      if (r.punctuation) sig.push_back("punctuation");
      if (r.repeat) sig.push_back("repeat");
      j["signals"] = sig;
    }
    rules.push_back(std::move(j));
  }
  return {{"rules", rules},
          {"fallback_threshold", rs.fallback_threshold()},
          {"fallback_priority", rs.fallback_priority()},
          {"fallback_department",
           rs.fallback_department() ? json(*rs.fallback_department()) : json(nullptr)}};
}

json verdict_json(const handoff::RuleSet& rs, const std::string& text) {
  handoff::Verdict v = rs.match(text);
  json spans = json::array();
  for (const auto& s : v.spans) {
    std::size_t b = std::min(s.begin, text.size()), e = std::min(s.end, text.size());
    spans.push_back({{"begin", b}, {"end", std::max(b, e)}, {"text", text.substr(b, e - b)}});
  }
  if (!v.handoff) return {{"handoff", false}, {"spans", spans}};
  return {{"handoff", true},
          {"trigger", std::string(handoff::to_string(v.trigger))},
          {"rule", v.rule},
          {"priority", v.priority},
          {"urgent", v.urgent},
          {"department", v.department ? json(*v.department) : json(nullptr)},
          {"spans", spans}};
}

json departments_json(const inbox::Inbox& inbox) {
  json out = json::array();
  for (const auto& d : inbox.departments()) out.push_back({{"id", d.id()}, {"name", d.name()}});
  return out;
}

json hours_json(const inbox::DepartmentRouting* routing, std::int64_t now_ms) {
  if (!routing || !routing->hours) return nullptr;
  const auto& h = *routing->hours;
  const bool open = h.open_at(now_ms);
  json out = {{"timezone", h.zone_name}, {"open", open}, {"opens_at_ms", nullptr}, {"opens", nullptr}};
  if (open) return out;
  if (auto next = h.next_open(now_ms)) {
    out["opens_at_ms"] = *next;
    out["opens"] = h.local_text(*next);
  }
  return out;
}

json agents_json(const inbox::Inbox& inbox) {
  json out = json::array();
  for (const auto& a : inbox.agents())
    out.push_back({{"id", a.id()},
                   {"name", a.name()},
                   {"department", a.department().empty() ? json(nullptr) : json(a.department())}});
  return out;
}

}  // namespace sb::admin
