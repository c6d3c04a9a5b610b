// firmware/verbs/report_verbs.h — reports read from the data directory while the service may
// run: the audit log as JSON Lines, conversations and handoff statistics as CSV.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "firmware/config.h"

namespace sb::verbs {

// A --since / --until value: "2026-11-30" (a whole UTC day: --until takes it in) or
// "2026-11-30T12:00:00Z" (an instant). Milliseconds since the epoch, or nullopt when it is
// neither.
std::optional<std::int64_t> parse_report_time(const std::string& v, bool until);

// The audit log's entries in [since, until) as JSON Lines, oldest first.
int audit_report(const firmware::Config& config, const std::optional<std::string>& since,
                 const std::optional<std::string>& until, std::ostream& out, std::ostream& err);
// `what`: "conversations" (one row each, created in the range) or "handoffs" (per day).
int export_csv(const firmware::Config& config, const std::string& what,
               const std::optional<std::string>& since, const std::optional<std::string>& until,
               std::ostream& out, std::ostream& err);

}  // namespace sb::verbs
