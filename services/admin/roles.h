// services/admin/roles.h — what a user may be (admin, agent, technician) and the names the
// admin page, the CLI and the audit log use for them.
//
// User and session records hold the role as an enum; records written before it hold only its
// name (`legacy_role`), read as they are (never rewritten at start, to spare the flash). Read
// a role through role_of and write it through assign_role, which also drops the old name.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "services/proto/records.pb.h"

namespace sb::admin {

using Role = switchboard::store::UserRole;
using switchboard::store::ROLE_ADMIN;
using switchboard::store::ROLE_AGENT;
using switchboard::store::ROLE_TECHNICIAN;

// "admin", "agent", "technician"; empty for UNSPECIFIED.
const std::string& role_name(Role r);
// The role of a name; none for any other text (an empty one included).
std::optional<Role> parse_role(std::string_view name);

// The enum, or the name an older record holds (UNSPECIFIED when neither names a role).
Role role_of(const switchboard::store::User& u);
Role role_of(const switchboard::store::AdminSession& s);
void assign_role(switchboard::store::User& u, Role r);
void assign_role(switchboard::store::AdminSession& s, Role r);

}  // namespace sb::admin
