#include "services/admin/roles.h"

#include <array>
#include <string>
#include <utility>

namespace sb::admin {

namespace {
namespace pb = switchboard::store;

const std::array<std::pair<Role, std::string>, 3> kRoleNames{{
    {pb::ROLE_ADMIN, "admin"},
    {pb::ROLE_AGENT, "agent"},
    {pb::ROLE_TECHNICIAN, "technician"},
}};

Role stored_role(Role code, const std::string& legacy) {
  if (code != pb::USER_ROLE_UNSPECIFIED) return code;
  return parse_role(legacy).value_or(pb::USER_ROLE_UNSPECIFIED);
}
}  // namespace

const std::string& role_name(Role r) {
  static const std::string none;
  for (const auto& [role, name] : kRoleNames)
    if (role == r) return name;
  return none;
}

std::optional<Role> parse_role(std::string_view name) {
  for (const auto& [role, n] : kRoleNames)
    if (n == name) return role;
  return std::nullopt;
}

Role role_of(const pb::User& u) { return stored_role(u.role_code(), u.legacy_role()); }
Role role_of(const pb::AdminSession& s) { return stored_role(s.role_code(), s.legacy_role()); }

void assign_role(pb::User& u, Role r) {
  u.set_role_code(r);
  u.clear_legacy_role();
}

void assign_role(pb::AdminSession& s, Role r) {
  s.set_role_code(r);
  s.clear_legacy_role();
}

}  // namespace sb::admin
