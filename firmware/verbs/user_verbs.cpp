#include "firmware/verbs/user_verbs.h"

#include <functional>
#include <iostream>

#include "hal/clock/system_clock.h"
#include "firmware/verbs/verb_roster.h"
#include "services/admin/auth.h"

namespace sb::verbs {

namespace {

// Opens the database and runs `fn` with an Auth over it; 1 when the database cannot be opened.
int with_auth(const firmware::Config& config, const char* verb, std::ostream& err,
              const std::function<int(admin::Auth&)>& fn) {
  auto st = store::Store::open(config.storage.dir);
  if (!st) {
    err << "switchboard " << verb << ": " << st.error().message << '\n';
    return 1;
  }
  hal::SystemClock clock;
  VerbRoster roster(**st, clock);
  admin::Auth auth(**st, clock, roster.roster());
  return fn(auth);
}

// 2 for what the user can fix (no such user, a short password), 1 for storage.
int report(const char* verb, const Result<void>& r, const std::string& done, std::ostream& err) {
  if (!r) {
    err << "switchboard " << verb << ": " << r.error().message << '\n';
    return r.error().code == ErrorCode::storage || r.error().code == ErrorCode::disk_full ? 1 : 2;
  }
  err << "switchboard " << verb << ": " << done << '\n';
  return 0;
}

}  // namespace

int user_list(const firmware::Config& config, std::ostream& out, std::ostream& err) {
  return with_auth(config, "user list", err, [&](admin::Auth& auth) {
    for (const auto& u : auth.users())
      out << u.name << '\t' << admin::role_name(u.role) << (u.disabled ? "\tdisabled" : "") << '\n';
    return 0;
  });
}

int user_passwd(const firmware::Config& config, const std::string& name, std::istream& in,
                std::ostream& err) {
  std::string password;
  std::getline(in, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return with_auth(config, "user passwd", err, [&](admin::Auth& auth) {
    return report("user passwd", auth.set_password(name, password),
                  "new password set for '" + name + "'; its sessions ended", err);
  });
}

int user_disable(const firmware::Config& config, const std::string& name, bool enable,
                 std::ostream& err) {
  return with_auth(config, "user disable", err, [&](admin::Auth& auth) {
    return report("user disable", auth.set_disabled(name, !enable),
                  "'" + name + "' " + (enable ? "enabled" : "disabled; its sessions ended"), err);
  });
}

int user_role(const firmware::Config& config, const std::string& name, const std::string& role,
              std::ostream& err) {
  return with_auth(config, "user role", err, [&](admin::Auth& auth) {
    return report("user role", auth.set_role(name, role),
                  "'" + name + "' is now " + role + "; its sessions ended", err);
  });
}

}  // namespace sb::verbs
