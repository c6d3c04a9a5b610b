#include "firmware/verbs/data_verbs.h"

#include <iostream>
#include <nlohmann/json.hpp>

#include "firmware/verbs/verb_roster.h"
#include "hal/clock/system_clock.h"
#include "services/admin/auth.h"
#include "services/common/bytes.h"
#include "services/inbox/conversation_csv.h"
#include "services/inbox/lifecycle.h"
#include "services/inbox/message_log.h"
#include "services/proto/records.pb.h"
#include "services/store/store.h"

namespace sb::verbs {

using nlohmann::json;

namespace {

json nullable(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

}  // namespace

std::unique_ptr<store::Store> open_checked(const firmware::Config& config, const char* verb,
                                           std::ostream& err) {
  store::StoreOptions o;
  o.read_only = true;
  o.check_pages = true;
  auto st = store::Store::open(config.storage.dir, o);
  if (!st) {
    err << "switchboard " << verb << ": " << st.error().message << '\n';
    return nullptr;
  }
  return std::move(*st);
}

int export_data(const firmware::Config& config, std::ostream& out, std::ostream& err) {
  auto st = open_checked(config, "export", err);
  if (!st) return 1;
  // One snapshot for the whole export, so it is consistent while the service writes.
  int read_rc = 0;
  std::string bad_record;  // a record LMDB returned whole that is not what it should be
  bool read = st->read([&](const store::ReadTxn& txn) {
    txn.scan(store::Table::conversations, {}, [&](std::string_view, std::string_view v) {
      switchboard::store::Conversation c;
      if (!c.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
        bad_record = "a conversation record does not parse";
        return false;
      }
      json j = {{"id", c.id()},
                {"channel", c.channel()},
                {"contact", c.contact()},
                {"contact_name", nullable(c.contact_name())},
                {"status", inbox::status_name_of(c)},
                {"priority", c.priority()},
                {"department", nullable(c.department())},
                {"tags", json(std::vector<std::string>(c.tags().begin(), c.tags().end()))},
                {"assignee", nullable(c.assignee())},
                {"handoff", nullptr}};
      if (c.has_handoff() && !c.handoff().trigger().empty())
        j["handoff"] = {{"trigger", c.handoff().trigger()},
                        {"rule", nullable(c.handoff().rule())},
                        {"at", inbox::iso_utc_ms(c.handoff().at_ms())}};
      json msgs = json::array();
      bool damaged = false;
      const auto history = inbox::read_history(txn, c.id(), &damaged);
      if (damaged) {
        bad_record = "a message record of conversation " + std::to_string(c.id()) +
                     " is missing or does not parse";
        return false;
      }
      for (const auto& m : history) {
        msgs.push_back({{"id", m.id()},
                        {"external_id", nullable(m.external_id())},
                        {"direction", m.direction()},
                        {"author", m.author()},
                        {"text", m.text()},
                        {"at", inbox::iso_utc_ms(m.at_ms())},
                        {"status", nullable(inbox::outbound_name_of(m))}});
      }
      j["messages"] = std::move(msgs);
      out << j.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
      return txn.rc() == 0;
    });
    read_rc = txn.rc();
  });
  if (!bad_record.empty()) {
    err << "switchboard export: " << config.storage.dir << "/data.mdb is damaged: " << bad_record
        << "; stop the service and restore the last backup\n";
    return 1;
  }
  if (!read) {
    // A damaged page met half way: what went out is partial, so the export fails.
    err << "switchboard export: " << (read_rc ? st->data_file_error(read_rc)
                                              : "cannot read the database in " + config.storage.dir)
        << '\n';
    return 1;
  }
  out.flush();
  return out ? 0 : 1;
}

int backup(const firmware::Config& config, const std::string& dest, std::ostream& err) {
  auto st = open_checked(config, "backup", err);
  if (!st) return 1;
  auto r = st->backup(dest);
  if (!r) {
    err << "switchboard backup: " << r.error().message << '\n';
    return 1;
  }
  err << "switchboard backup: wrote a compacted copy of " << config.storage.dir << " to " << dest
      << '\n';
  return 0;
}

int verify(const firmware::Config& config, std::ostream& err) {
  const std::string file = config.storage.dir + "/data.mdb";
  // Opening walks every page of the file; then every table is read through LMDB itself, as
  // the service reads it.
  auto st = open_checked(config, "verify", err);
  if (!st) return 1;
  auto entries = st->read_all_tables();
  if (!entries) {
    err << "switchboard verify: " << entries.error().message << '\n';
    return 1;
  }
  err << "switchboard verify: " << file << " is sound (" << *entries << " entries)\n";
  return 0;
}

int user_add(const firmware::Config& config, const std::string& name, const std::string& role,
             std::istream& in, std::ostream& err) {
  if (!admin::parse_role(role)) {
    err << "switchboard user add: --role must be admin, agent or technician\n";
    return 2;
  }
  std::string password;
  std::getline(in, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  auto st = store::Store::open(config.storage.dir);
  if (!st) {
    err << "switchboard user add: " << st.error().message << '\n';
    return 1;
  }
  hal::SystemClock clock;
  VerbRoster roster(**st, clock);
  admin::Auth auth(**st, clock, roster.roster());
  auto r = auth.add_user(name, role, password);
  if (!r) {
    err << "switchboard user add: " << r.error().message << '\n';
    return 2;
  }
  err << "switchboard user add: created " << role << " '" << name << "'\n";
  return 0;
}

}  // namespace sb::verbs
