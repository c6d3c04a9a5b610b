// firmware/verbs/user_verbs.h — `switchboard user list|passwd|disable|role`: local users,
// changed on the database directly (safe while the service runs: a changed user's sessions in
// the running service end at their next request).
#pragma once

#include <iosfwd>
#include <string>

#include "firmware/config.h"

namespace sb::verbs {

// One line per user: name, role, and "disabled" when it is.
int user_list(const firmware::Config& config, std::ostream& out, std::ostream& err);
// A new password, read from `in` (one line).
int user_passwd(const firmware::Config& config, const std::string& name, std::istream& in,
                std::ostream& err);
// Disables (or, with `enable`, enables again) a user.
int user_disable(const firmware::Config& config, const std::string& name, bool enable,
                 std::ostream& err);
int user_role(const firmware::Config& config, const std::string& name, const std::string& role,
              std::ostream& err);

}  // namespace sb::verbs
