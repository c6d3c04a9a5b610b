// services/admin/auth.h — local users, sessions and the first-run setup token.
//
// No default password exists: while no admin account exists, a one-time setup token is made at
// start (and printed by the caller) with which the first admin is created. Passwords are stored
// as PBKDF2-HMAC-SHA256 (OpenSSL) with a per-user salt. Sessions live in memory (a restart logs
// everyone out, which is the safe side); each has its own CSRF token.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hal/clock/clock.h"
#include "base/result.h"
#include "services/store/store.h"

namespace sb::admin {

struct Session {
  std::string user;
  std::string role;  // admin, agent, technician
  std::string csrf;
  std::int64_t last_seen_mono_ms = 0;
};

struct UserInfo {
  std::string name;
  std::string role;
};

bool valid_role(const std::string& role);
std::string random_token(std::size_t bytes = 24);

class Auth {
 public:
  static constexpr std::uint32_t kIterations = 210000;  // OWASP's figure for PBKDF2-SHA256

  Auth(store::Store& store, const Clock& clock, std::uint32_t iterations = kIterations);

  bool has_admin() const;
  // Makes (or returns) the one-time setup token while no admin exists; empty once one does.
  std::string setup_token();
  // Creates the first admin with the setup token; the token is then spent.
  Result<void> setup(const std::string& token, const std::string& name,
                     const std::string& password);

  Result<void> add_user(const std::string& name, const std::string& role,
                        const std::string& password);
  std::vector<UserInfo> users() const;
  std::optional<UserInfo> user(const std::string& name) const;

  // Checks a password; rate-limited per peer address (returns an error saying so).
  Result<std::string> login(const std::string& name, const std::string& password,
                            const std::string& peer);
  const Session* session(const std::string& token);
  void logout(const std::string& token);

 private:
  store::Store& store_;
  const Clock& clock_;
  std::uint32_t iterations_;
  std::string setup_token_;
  std::map<std::string, Session> sessions_;
  struct Attempts {
    int failures = 0;
    std::int64_t window_start_ms = 0;
  };
  std::map<std::string, Attempts> attempts_;
};

}  // namespace sb::admin
