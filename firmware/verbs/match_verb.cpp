// firmware/verbs/match_verb.cpp — `switchboard match`: would this text hand off, and why?
//
// Output keys are the contract's "match output keys"; --explain adds one more, "explain". With --rules FILE, the file's [handoff]
// table is compiled; its departments are the file's own `departments` list (strings, or tables
// with an `id`) when it has one, otherwise whatever its rules name (a rules file checked on its
// own cannot know the site's departments; `check-config` checks them against the full config).
#include <toml++/toml.h>

#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <string>

#include "firmware/verbs/verbs.h"
#include "services/handoff/rule_set.h"

namespace sb::verbs {
namespace {

std::set<std::string> departments_of(const toml::table& root, const toml::table& handoff) {
  std::set<std::string> out;
  if (const auto* list = root.get_as<toml::array>("departments")) {
    for (const auto& d : *list) {
      if (const auto* s = d.as_string()) out.insert(s->get());
      else if (const auto* t = d.as_table())
        if (const auto* id = t->get_as<std::string>("id")) out.insert(id->get());
    }
    return out;
  }
  if (const auto* rules = handoff.get_as<toml::array>("rules"))
    for (const auto& r : *rules)
      if (const auto* t = r.as_table())
        if (const auto* d = t->get_as<std::string>("department")) out.insert(d->get());
  if (const auto* d = handoff.get_as<std::string>("fallback_department")) out.insert(d->get());
  return out;
}

nlohmann::json to_json(const handoff::Verdict& v) {
  nlohmann::json j;
  j["handoff"] = v.handoff;
  j["trigger"] = v.handoff ? nlohmann::json(std::string(handoff::to_string(v.trigger))) : nullptr;
  j["rule"] = v.handoff ? nlohmann::json(v.rule) : nullptr;
  j["priority"] = v.handoff ? v.priority : 0;
  j["department"] = v.department ? nlohmann::json(*v.department) : nullptr;
  nlohmann::json spans = nlohmann::json::array();
  for (const auto& s : v.spans) spans.push_back({s.begin, s.end});
  j["spans"] = std::move(spans);
  return j;
}

nlohmann::json span_json(const handoff::Span& s) { return nlohmann::json::array({s.begin, s.end}); }

nlohmann::json suppression_json(const handoff::Suppression& s) {
  nlohmann::json j;
  j["rule"] = s.rule;
  j["span"] = span_json(s.span);
  j["reason"] = s.reason;
  j["cue"] = s.cue ? span_json(*s.cue) : nlohmann::json(nullptr);
  return j;
}

// The extra "explain" key: what the matcher compared, every candidate, what was cancelled.
nlohmann::json explain_json(const handoff::Explanation& ex) {
  nlohmann::json j;
  j["normalized"] = ex.normalized;
  nlohmann::json cands = nlohmann::json::array();
  for (const auto& c : ex.candidates) {
    nlohmann::json e;
    e["rule"] = c.rule;
    e["trigger"] = std::string(handoff::to_string(c.kind));
    e["priority"] = c.priority;
    e["urgent"] = c.urgent;
    e["span"] = span_json(c.span);
    e["source"] = c.source;
    e["suppressed"] = c.suppressed ? suppression_json(*c.suppressed) : nlohmann::json(nullptr);
    cands.push_back(std::move(e));
  }
  j["candidates"] = std::move(cands);
  nlohmann::json sup = nlohmann::json::array();
  for (const auto& s : ex.verdict.suppressed) sup.push_back(suppression_json(s));
  j["suppressed"] = std::move(sup);
  return j;
}

}  // namespace

int match(const std::optional<std::string>& rules_file, const std::vector<std::string>& texts,
          std::istream& in, std::ostream& out, std::ostream& err, bool explain) {
  std::shared_ptr<const handoff::RuleSet> rules = handoff::RuleSet::embedded_default();
  if (rules_file) {
    toml::table root;
    try {
      root = toml::parse_file(*rules_file);
    } catch (const toml::parse_error& e) {
      err << *rules_file << ":" << e.source().begin.line << ":" << e.source().begin.column
          << ": " << e.description() << "\n";
      return 2;
    }
    const toml::table* h = root.get_as<toml::table>("handoff");
    if (!h) {
      err << *rules_file << ": no [handoff] table\n";
      return 2;
    }
    auto compiled = handoff::RuleSet::from_toml(*h, departments_of(root, *h));
    if (!compiled) {
      const Error& e = compiled.error();
      err << *rules_file << (e.line ? ":" + std::to_string(e.line) : std::string()) << ": "
          << e.message << "\n";
      return 2;
    }
    rules = compiled.value();
  }
  if (!rules) {
    err << "the embedded handoff rules failed to compile\n";
    return 1;
  }
  // Texts come from people: dump() replaces invalid UTF-8 (only ids/departments are printed).
  auto print = [&](const std::string& text) {
    nlohmann::json j;
    if (explain) {
      const auto ex = rules->explain(text);
      j = to_json(ex.verdict);
      j["explain"] = explain_json(ex);
    } else {
      j = to_json(rules->match(text));
    }
    out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  };
  if (!texts.empty()) {
    for (const auto& t : texts) print(t);
  } else {
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      print(line);
    }
  }
  out.flush();
  return out ? 0 : 1;
}

}  // namespace sb::verbs
