#include "firmware/rules_loader.h"

#include <toml++/toml.h>

namespace sb::firmware {

Result<std::shared_ptr<const handoff::RuleSet>> load_rules(const Config& config) {
  if (!config.handoff) return handoff::RuleSet::embedded_default();
  std::set<std::string> departments;
  for (const auto& d : config.departments) departments.insert(d.id);
  auto r = handoff::RuleSet::from_toml(*config.handoff, departments, config.limits.rules);
  if (!r) {
    // file:line: key: why, as every other section of the config reports.
    const Error& e = r.error();
    return fail(config.source + (e.line ? ":" + std::to_string(e.line) : std::string()) + ": " +
                e.message);
  }
  return *r;
}

}  // namespace sb::firmware
