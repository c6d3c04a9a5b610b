// firmware/verbs/report_verbs.h — reports read from the data directory while the service may
// run: the audit log as JSON Lines, conversations and handoff statistics as CSV.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "firmware/config.h"

namespace sb::verbs {

// --since / --until: a UTC date ("2026-11-30", --until takes that day in) or a UTC time
// ("2026-11-30T12:00:00Z"); inbox::parse_range_time reads them.
// The audit log's entries in [since, until) as JSON Lines, oldest first.
int audit_report(const firmware::Config& config, const std::optional<std::string>& since,
                 const std::optional<std::string>& until, std::ostream& out, std::ostream& err);
// `what`: "conversations" (one row each, created in the range) or "handoffs" (per day).
int export_csv(const firmware::Config& config, const std::string& what,
               const std::optional<std::string>& since, const std::optional<std::string>& until,
               std::ostream& out, std::ostream& err);

}  // namespace sb::verbs
