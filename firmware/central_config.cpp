#include "firmware/central_config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <sstream>
#include <vector>

namespace sb::firmware {

Result<Config> merge_central(const Config& local, const switchboard::v1::GatewayConfig& central) {
  const std::string source = "central config v" + std::to_string(central.version());
  toml::table merged;
  try {
    merged = toml::parse(local.text, local.source);
  } catch (const toml::parse_error& e) {
    return fail(local.source + ": " + std::string(e.description()));
  }
  // Each field central sends replaces the local tables it names; only these may come from it.
  struct Field {
    const std::string* text;
    const char* name;
    std::vector<std::string> keys;
  };
  const Field fields[] = {{&central.handoff_toml(), "handoff", {"handoff"}},
                          {&central.departments_toml(), "departments", {"departments"}},
                          {&central.agents_toml(), "agents", {"agents"}},
                          {&central.canned_replies_toml(), "canned_replies", {"canned_replies"}},
                          {&central.bot_toml(), "bot", {"bot"}},
                          {&central.workflow_toml(), "workflow", {"routing", "alerts", "vip", "auto_close", "csat"}}};
  for (const auto& f : fields) {
    if (f.text->empty()) continue;
    toml::table part;
    try {
      part = toml::parse(*f.text, source + " " + f.name);
    } catch (const toml::parse_error& e) {
      std::ostringstream s;
      s << source << ": " << f.name << " section, line " << e.source().begin.line << ": "
        << e.description();
      return fail(s.str());
    }
    // A rule count over the cap is refused before the merge copies the tables twice over.
    if (const auto* rules = part.at_path("handoff.rules").as_array();
        rules && rules->size() > local.limits.rules.rules_max)
      return fail(source + ": handoff.rules: " + std::to_string(rules->size()) +
                  " rules, more than limits.rules_max = " +
                  std::to_string(local.limits.rules.rules_max));
    for (const auto& [k, v] : part)
      if (std::find(f.keys.begin(), f.keys.end(), k.str()) == f.keys.end())
        return fail(source + ": the " + f.name + " section may not set '" +
                    std::string(k.str()) + "'");
    for (const auto& key : f.keys) {
      // A one-table field is that table (sent empty of it: cleared); the workflow field
      // replaces only the tables it carries.
      if (f.keys.size() > 1 && !part.contains(key)) continue;
      merged.erase(key);
      if (auto* node = part.get(key)) merged.insert(key, *node);
    }
  }
  std::ostringstream text;
  text << merged;
  auto c = parse_config(text.str(), source);
  if (!c) return c.error();
  c->source = local.source;
  c->text = local.text;  // the local file stays what SIGHUP re-reads
  return c;
}

}  // namespace sb::firmware
