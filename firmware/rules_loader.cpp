#include "firmware/rules_loader.h"

#include <toml++/toml.h>

namespace sb::firmware {

Result<std::shared_ptr<const handoff::RuleSet>> load_rules(const Config& config) {
  if (!config.handoff) return handoff::RuleSet::embedded_default();
  std::set<std::string> departments;
  for (const auto& d : config.departments) departments.insert(d.id);
  auto r = handoff::RuleSet::from_toml(*config.handoff, departments);
  if (!r) return fail(config.source + ": handoff: " + r.error().message);
  return *r;
}

}  // namespace sb::firmware
