#include "firmware/verbs/report_verbs.h"

#include <ctime>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>

#include "firmware/verbs/data_verbs.h"
#include "services/inbox/audit_log.h"
#include "services/inbox/conversation_csv.h"

namespace sb::verbs {

namespace {

// The range, or exit status 2 with the one line naming the bad argument.
bool range(const char* verb, const std::optional<std::string>& since,
           const std::optional<std::string>& until, std::int64_t& from, std::int64_t& to,
           std::ostream& err) {
  from = 0;
  to = std::numeric_limits<std::int64_t>::max();
  if (since) {
    auto v = inbox::parse_range_time(*since, false);
    if (!v) {
      err << "switchboard " << verb << ": --since '" << *since
          << "' is not a date (2026-11-30) or a UTC time (2026-11-30T12:00:00Z)\n";
      return false;
    }
    from = *v;
  }
  if (until) {
    auto v = inbox::parse_range_time(*until, true);
    if (!v) {
      err << "switchboard " << verb << ": --until '" << *until
          << "' is not a date (2026-11-30) or a UTC time (2026-11-30T12:00:00Z)\n";
      return false;
    }
    to = *v;
  }
  return true;
}

int damaged(const char* verb, const firmware::Config& config, const store::Store& st, int rc,
            std::ostream& err) {
  err << "switchboard " << verb << ": "
      << (rc ? st.data_file_error(rc)
             : config.storage.dir + "/data.mdb is damaged: a record does not parse; stop the "
                                    "service and restore the last backup")
      << '\n';
  return 1;
}

}  // namespace

int audit_report(const firmware::Config& config, const std::optional<std::string>& since,
                 const std::optional<std::string>& until, std::ostream& out, std::ostream& err) {
  std::int64_t from = 0, to = 0;
  if (!range("audit", since, until, from, to, err)) return 2;
  auto st = open_checked(config, "audit", err);
  if (!st) return 1;
  int rc = 0;
  bool sound = true;
  bool read = st->read([&](const store::ReadTxn& r) {
    sound = inbox::each_audit(r, from, to, [&](std::uint64_t n, const inbox::AuditEntry& e) {
      nlohmann::json j = {{"n", n},
                          {"at", inbox::iso_utc_ms(e.at_ms())},
                          {"actor", e.actor()},
                          {"address", e.address()},
                          {"action", e.action()},
                          {"target", e.target()},
                          {"detail", e.detail()}};
      out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
      return static_cast<bool>(out);
    });
    rc = r.rc();
  });
  if (!read || !sound) return damaged("audit", config, *st, rc, err);
  out.flush();
  return out ? 0 : 1;
}

int export_csv(const firmware::Config& config, const std::string& what,
               const std::optional<std::string>& since, const std::optional<std::string>& until,
               std::ostream& out, std::ostream& err) {
  if (what != "conversations" && what != "handoffs") {
    err << "switchboard export: --what must be conversations or handoffs\n";
    return 2;
  }
  std::int64_t from = 0, to = 0;
  if (!range("export", since, until, from, to, err)) return 2;
  auto st = open_checked(config, "export", err);
  if (!st) return 1;
  int rc = 0;
  bool sound = true;
  bool read = st->read([&](const store::ReadTxn& r) {
    if (what == "handoffs") {
      out << inbox::handoff_stats_csv(r, from, to);
    } else {
      out << inbox::conversation_csv_header();
      sound = inbox::each_conversation_csv(r, from, to, [&](const std::string& row) {
        out << row;
        return static_cast<bool>(out);
      });
    }
    rc = r.rc();
  });
  if (!read || !sound) return damaged("export", config, *st, rc, err);
  out.flush();
  return out ? 0 : 1;
}

}  // namespace sb::verbs
