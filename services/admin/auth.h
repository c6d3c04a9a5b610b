// services/admin/auth.h — local users, sessions and the first-run setup token.
//
// No default password exists: while no admin account exists, a one-time setup token is made at
// start (and printed by the caller) with which the first admin is created. Passwords are stored
// as PBKDF2-HMAC-SHA256 (OpenSSL) with a per-user salt. Sessions are kept in the store (under the
// token's SHA-256, never the token), so a restart logs nobody out; they end after 12 hours idle
// as before (the last use is written at most every 5 minutes, sparing the flash); each has its
// own CSRF token. A session lasts only while
// its user's record is unchanged: disabling a user, resetting the password or changing the role
// (here or from another process, the CLI, on the same database) ends it at the next request.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hal/clock/clock.h"
#include "base/result.h"
#include "services/admin/agent_roster.h"
#include "services/admin/login_throttle.h"
#include "services/admin/password_hasher.h"
#include "services/admin/roles.h"
#include "services/store/store.h"

namespace switchboard::store {
class User;
}

namespace sb::admin {

struct Session {
  std::string user;
  Role role = switchboard::store::USER_ROLE_UNSPECIFIED;
  std::string csrf;
  std::int64_t last_seen_mono_ms = 0;
  std::uint32_t generation = 0;  // the user record's when the session began
  std::int64_t written_wall_ms = 0;  // last use as the store has it
};

struct UserInfo {
  std::string name;
  Role role = switchboard::store::USER_ROLE_UNSPECIFIED;
  bool disabled = false;
};

// How a login ended. `retry_after_s` is set for throttled and busy.
struct LoginOutcome {
  enum class Kind { ok, wrong, throttled, busy } kind = Kind::wrong;
  std::string token;  // the new session's, when ok
  std::int64_t retry_after_s = 0;
  std::string message;
};

std::string random_token(std::size_t bytes = 24);

class Auth {
 public:
  static constexpr std::uint32_t kIterations = 210000;  // OWASP's figure for PBKDF2-SHA256

  // `hash_queue`: logins whose password check may wait for the hashing thread at once.
  // `roster` hears of every user who can take conversations (agent_roster.h).
  Auth(store::Store& store, const Clock& clock, AgentRoster& roster,
       std::uint32_t iterations = kIterations, LoginLimits limits = {},
       std::size_t hash_queue = 4);
  ~Auth();

  bool has_admin() const;
  // Makes (or returns) the one-time setup token while no admin exists; empty once one does.
  std::string setup_token();
  // add_user and set_password hash on the calling thread: for the CLI, never the event loop.
  // A `role` here is a role's name (roles.h), as the page and the CLI give it.
  Result<void> add_user(const std::string& name, const std::string& role,
                        const std::string& password);
  std::vector<UserInfo> users() const;
  // Changes to an existing user; each ends the user's sessions at once. The last enabled admin
  // cannot be disabled or lose the admin role (someone must be able to manage the rest).
  Result<void> set_password(const std::string& name, const std::string& password);
  Result<void> set_disabled(const std::string& name, bool disabled);
  Result<void> set_role(const std::string& name, const std::string& role);
  std::optional<UserInfo> user(const std::string& name) const;

  // For the event loop: setup creates the first admin with the setup token (the token is then
  // spent); add_user and set_password as above. The input is checked at once, the new
  // password is hashed on the hashing thread, and `done` runs later through `post` (on the
  // caller's thread) with the outcome. When the hashing queue is full, `done` runs at once
  // with ErrorCode::busy and nothing is hashed. `done` never runs after the Auth is gone.
  using Done = std::function<void(Result<void>)>;
  void setup(const std::string& token, const std::string& name, const std::string& password,
             PasswordHasher::Post post, Done done);
  void add_user(const std::string& name, const std::string& role, const std::string& password,
                PasswordHasher::Post post, Done done);
  void set_password(const std::string& name, const std::string& password,
                    PasswordHasher::Post post, Done done);

  // Checks a password on the hashing thread and calls `done` (through `post`, so on the
  // caller's thread) with the outcome; throttled (LoginThrottle: per account and per address)
  // or busy (the hashing queue is full) answer at once, without hashing. Call on the thread
  // that owns this Auth; `done` never runs after the Auth is gone.
  void login(const std::string& name, const std::string& password, const std::string& peer,
             PasswordHasher::Post post, std::function<void(LoginOutcome)> done);
  // The live session of `token`, or null (unknown, idle too long, or its user changed).
  const Session* session(const std::string& token);
  void logout(const std::string& token);
  // Whether `token`'s session is still held in memory (not logged out, not ended by a change
  // to its user seen so far). A cheap check that refreshes nothing: for open live streams.
  bool holds(const std::string& token) const { return sessions_.count(token) != 0; }

 private:
  store::Store& store_;
  const Clock& clock_;
  AgentRoster& roster_;
  std::uint32_t iterations_;
  // Puts an admin or agent on the roster (a technician is never on it).
  void enrol(const std::string& name, Role role);
  // Applies `change` to user `name`'s record, raises its generation and ends its sessions.
  Result<void> change_user(const std::string& name,
                           const std::function<Result<void>(switchboard::store::User&)>& change);
  // The stored forms of a new user and of a new password, from a finished hash.
  Result<void> store_user(const std::string& name, Role role,
                          const std::string& salt, const std::string& hash);
  Result<void> store_password(const std::string& name, const std::string& salt,
                              const std::string& hash);
  Result<void> check_setup_token(const std::string& token) const;
  // Hashes `password` with a new salt on the hashing thread, then runs `write(salt, hash)` and
  // hands its result to `done` (both through `post`); busy at once when the queue is full.
  void hash_then(const std::string& password, PasswordHasher::Post post,
                 std::function<Result<void>(const std::string&, const std::string&)> write,
                 Done done);
  bool other_enabled_admin(const store::WriteTxn& w, const std::string& name) const;
  // The stored session of a token not in memory (a restart since), or null.
  const Session* restore(const std::string& token);
  void persist(const std::string& token, const Session& s);
  void forget(const std::string& token);

  std::string setup_token_;
  std::map<std::string, Session> sessions_;
  LoginThrottle throttle_;
  PasswordHasher hasher_;
  // Expires with this Auth: a hash finishing after it is gone finds it expired.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace sb::admin
