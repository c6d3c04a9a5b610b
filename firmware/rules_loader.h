// firmware/rules_loader.h — the handoff rules a config asks for: its [handoff] table compiled
// against its departments within its [limits], or the embedded default when it has none.
#pragma once

#include <memory>

#include "firmware/config.h"
#include "services/handoff/rule_set.h"

namespace sb::firmware {

Result<std::shared_ptr<const handoff::RuleSet>> load_rules(const Config& config);

}  // namespace sb::firmware
