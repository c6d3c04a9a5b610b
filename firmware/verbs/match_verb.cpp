// firmware/verbs/match_verb.cpp — `switchboard match`: would this text hand off, and why?
//
// Output keys are CONTRACT.md's "match output keys". With --rules FILE, the file's [handoff]
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

}  // namespace

int match(const std::optional<std::string>& rules_file, const std::vector<std::string>& texts,
          std::istream& in, std::ostream& out, std::ostream& err) {
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
    out << to_json(rules->match(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
        << "\n";
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
