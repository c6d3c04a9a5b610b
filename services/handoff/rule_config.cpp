// services/handoff/rule_config.cpp — the [handoff] TOML table into RuleInfo values.
//
// Structure and types are checked here (with line numbers from toml++); meaning (duplicate
// ids, departments, patterns) is checked by CompiledRuleSet::create, which gets the lines too.
#include <toml++/toml.h>

#include "services/handoff/compiled_rule_set.h"

namespace sb::handoff {
namespace {

// "key: why", with the line of `n` in the input when toml++ knows it (the caller names the file).
Error fail_at(const toml::node& n, std::string what) {
  Error e = fail(std::move(what));
  e.line = static_cast<int>(n.source().begin.line);
  return e;
}

Result<int> get_int(const toml::node& n, const std::string& name) {
  if (!n.is_integer()) return fail_at(n, name + ": must be an integer");
  const auto v = n.as_integer()->get();
  if (v < -1'000'000 || v > 1'000'000) return fail_at(n, name + ": out of range");
  return static_cast<int>(v);
}

Result<std::string> get_string(const toml::node& n, const std::string& name) {
  if (!n.is_string()) return fail_at(n, name + ": must be a string");
  return n.as_string()->get();
}

Result<bool> get_bool(const toml::node& n, const std::string& name) {
  if (!n.is_boolean()) return fail_at(n, name + ": must be true or false");
  return n.as_boolean()->get();
}

Result<std::vector<std::string>> get_strings(const toml::node& n, const std::string& name) {
  const toml::array* arr = n.as_array();
  if (!arr) return fail_at(n, name + ": must be a list of strings");
  std::vector<std::string> out;
  for (const auto& e : *arr) {
    if (!e.is_string()) return fail_at(e, name + ": must be a list of strings");
    out.push_back(e.as_string()->get());
  }
  return out;
}

Result<RuleInfo> parse_rule(const toml::table& t, const std::string& at) {
  RuleInfo r;
  bool have_kind = false;
  std::optional<std::vector<std::string>> signals;
  for (const auto& [k, v] : t) {
    const std::string key(k.str());
    const std::string name = at + "." + key;
    if (key == "id") {
      auto s = get_string(v, name);
      if (!s) return s.error();
      r.id = *s;
    } else if (key == "kind") {
      auto s = get_string(v, name);
      if (!s) return s.error();
      auto kind = trigger_kind_from_string(*s);
      if (!kind || (*kind != TriggerKind::keyword && *kind != TriggerKind::user_request &&
                    *kind != TriggerKind::frustration))
        return fail_at(v, name + ": unknown kind '" + *s +
                    "' (expected user_request, keyword or frustration)");
      r.kind = *kind;
      have_kind = true;
    } else if (key == "patterns") {
      auto s = get_strings(v, name);
      if (!s) return s.error();
      r.patterns = *s;
    } else if (key == "priority") {
      auto i = get_int(v, name);
      if (!i) return i.error();
      r.priority = *i;
    } else if (key == "department") {
      auto s = get_string(v, name);
      if (!s) return s.error();
      r.department = *s;
    } else if (key == "agent") {
      auto s = get_string(v, name);
      if (!s) return s.error();
      r.agent = *s;
    } else if (key == "urgent") {
      auto b = get_bool(v, name);
      if (!b) return b.error();
      r.urgent = *b;
    } else if (key == "signals") {
      auto s = get_strings(v, name);
      if (!s) return s.error();
      signals = *s;
    } else {
      return fail_at(v, name + ": unknown key (expected id, kind, patterns, priority, "
                  "department, agent, urgent, signals)");
    }
  }
  if (!have_kind) return fail_at(t, at + ": missing kind");
  if (r.kind == TriggerKind::frustration) {
    if (!signals) signals = std::vector<std::string>{"caps", "punctuation", "repeat"};
    for (const auto& s : *signals) {
      if (s == "caps") r.caps = true;
      else if (s == "punctuation") r.punctuation = true;
      else if (s == "repeat") r.repeat = true;
      else
        return fail_at(t, at + ".signals: unknown signal '" + s +
                    "' (expected caps, punctuation, repeat)");
    }
  } else if (signals) {
    return fail_at(t, at + ".signals: only rules of kind frustration have signals");
  }
  return r;
}

}  // namespace

Result<std::shared_ptr<const RuleSet>> RuleSet::from_toml(const toml::table& table,
                                                          const std::set<std::string>& departments,
                                                          const RuleLimits& limits) {
  // Accept the root of a config as well as its [handoff] table.
  const toml::table* h = &table;
  if (const auto* sub = table.get_as<toml::table>("handoff")) h = sub;

  HandoffSettings settings;
  std::vector<RuleInfo> rules;
  std::vector<int> lines;
  bool have_rules = false;
  for (const auto& [k, v] : *h) {
    const std::string key(k.str());
    const std::string name = "handoff." + key;
    if (key == "fallback_threshold") {
      auto i = get_int(v, name);
      if (!i) return i.error();
      settings.fallback_threshold = *i;
    } else if (key == "fallback_priority") {
      auto i = get_int(v, name);
      if (!i) return i.error();
      settings.fallback_priority = *i;
    } else if (key == "fallback_department") {
      auto s = get_string(v, name);
      if (!s) return s.error();
      settings.fallback_department = *s;
    } else if (key == "frustration") {
      auto b = get_bool(v, name);
      if (!b) return b.error();
      settings.frustration = *b;
    } else if (key == "languages") {
      auto s = get_strings(v, name);
      if (!s) return s.error();
      settings.languages = *s;
    } else if (key == "suppressors") {
      auto b = get_bool(v, name);
      if (!b) return b.error();
      settings.suppressors = *b;
    } else if (key == "rules") {
      const toml::array* arr = v.as_array();
      if (!arr) return fail_at(v, name + ": must be a list of tables ([[handoff.rules]])");
      if (arr->size() > limits.rules_max)
        return fail_at(v, name + ": " + std::to_string(arr->size()) +
                              " rules, more than limits.rules_max = " +
                              std::to_string(limits.rules_max));
      std::size_t patterns = 0;
      for (std::size_t i = 0; i < arr->size(); ++i) {
        const toml::node& e = (*arr)[i];
        const std::string at = "handoff.rules[" + std::to_string(i) + "]";
        const toml::table* t = e.as_table();
        if (!t) return fail_at(e, at + ": must be a table");
        auto r = parse_rule(*t, at);
        if (!r) return r.error();
        for (const auto& p : r->patterns)
          if (p.size() > limits.pattern_max_bytes)
            return fail_at(*t, at + ".patterns: a pattern of " + std::to_string(p.size()) +
                                   " bytes, more than limits.pattern_max_bytes = " +
                                   std::to_string(limits.pattern_max_bytes));
        patterns += r->patterns.size();
        if (patterns > limits.patterns_max)
          return fail_at(*t, at + ".patterns: more than limits.patterns_max = " +
                                 std::to_string(limits.patterns_max) + " patterns in all rules");
        rules.push_back(std::move(r.value()));
        lines.push_back(static_cast<int>(t->source().begin.line));
      }
      have_rules = !arr->empty();
    } else {
      return fail_at(v, name + ": unknown key (expected fallback_threshold, fallback_priority, "
                        "fallback_department, frustration, languages, suppressors, rules)");
    }
  }
  if (!have_rules) {
    auto defaults = default_rules_for(settings.languages);
    if (!defaults) return defaults.error();
    rules = std::move(defaults.value());
    lines.clear();
    if (!settings.frustration)
      std::erase_if(rules, [](const RuleInfo& r) { return r.kind == TriggerKind::frustration; });
  }
  return CompiledRuleSet::create(std::move(rules), settings, departments, lines, limits);
}

}  // namespace sb::handoff
