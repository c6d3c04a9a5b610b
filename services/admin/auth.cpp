#include "services/admin/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/random.h>

#include <cerrno>
#include <algorithm>
#include <cstdlib>

#include "services/proto/records.pb.h"

namespace sb::admin {
namespace {

constexpr std::int64_t kSessionIdleMs = 12 * 3600 * 1000;
// A session's last use is written when it moved this much: an agent's page polls every few
// seconds, and a write each time would wear the flash for nothing.
constexpr std::int64_t kSessionWriteEveryMs = 5 * 60 * 1000;
// Logins kept per user (several devices, tabs that logged in again); the oldest go first.
constexpr std::size_t kMaxSessionsPerUser = 32;
// The one throttle bucket of every name that is no account (user names cannot hold brackets).
const std::string kUnknownAccount = "(unknown)";

std::string hex(const unsigned char* p, std::size_t n) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s += d[p[i] >> 4];
    s += d[p[i] & 15];
  }
  return s;
}

std::string derive(const std::string& password, const std::string& salt, std::uint32_t iters) {
  return derive_key(password, salt, iters);
}

std::string session_key(const std::string& token) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(token.data(), token.size(), d, &n, EVP_sha256(), nullptr);
  return hex(d, n);
}

bool valid_name(const std::string& n) {
  if (n.empty() || n.size() > 64) return false;
  for (unsigned char c : n)
    if (!(std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '@')) return false;
  return true;
}

}  // namespace

// The kernel's CSPRNG (getrandom(2)) rather than RAND_bytes: OpenSSL's DRBG set-up costs
// ~3 MiB of resident memory at start for the one setup token (scripts/footprint).
std::string random_token(std::size_t bytes) {
  std::vector<unsigned char> b(bytes);
  std::size_t got = 0;
  while (got < b.size()) {
    ssize_t n = getrandom(b.data() + got, b.size() - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::abort();  // no randomness at all: never hand out a guessable token
    }
    got += static_cast<std::size_t>(n);
  }
  return hex(b.data(), b.size());
}

Auth::Auth(store::Store& store, const Clock& clock, AgentRoster& roster,
           std::uint32_t iterations, LoginLimits limits, std::size_t hash_queue)
    : store_(store), clock_(clock), roster_(roster), iterations_(iterations), throttle_(limits),
      hasher_(hash_queue) {}

void Auth::enrol(const std::string& name, Role role) {
  // A refusal (a full disk) leaves the user without an agent record until their next login
  // asks again: the user itself is made, and nothing is half-written.
  if (role == ROLE_ADMIN || role == ROLE_AGENT) (void)roster_.enrol(name);
}

Auth::~Auth() { alive_.reset(); }

bool Auth::has_admin() const {
  bool found = false;
  store_.read([&](const store::ReadTxn& r) {
    r.scan(store::Table::users, {}, [&](std::string_view, std::string_view v) {
      switchboard::store::User u;
      found = u.ParseFromArray(v.data(), static_cast<int>(v.size())) && role_of(u) == ROLE_ADMIN;
      return !found;
    });
  });
  return found;
}

std::string Auth::setup_token() {
  if (has_admin()) return {};
  if (setup_token_.empty()) setup_token_ = random_token(16);
  return setup_token_;
}

Result<void> Auth::check_setup_token(const std::string& token) const {
  if (setup_token_.empty() || has_admin()) return fail("setup is done: log in instead");
  if (token.size() != setup_token_.size() ||
      CRYPTO_memcmp(token.data(), setup_token_.data(), token.size()) != 0)
    return fail("wrong setup token (it is printed in the service log at start)");
  return {};
}

namespace {
Result<void> check_new_user(const std::string& name, const std::string& role,
                            const std::string& password) {
  if (!valid_name(name)) return fail("a user name is 1-64 letters, digits, . _ - @");
  if (!parse_role(role)) return fail("role must be admin, agent or technician");
  if (password.size() < 10) return fail("a password has at least 10 characters");
  return {};
}

Result<void> check_password(const std::string& password) {
  if (password.size() < 10) return fail("a password has at least 10 characters");
  return {};
}
}  // namespace

Result<void> Auth::add_user(const std::string& name, const std::string& role,
                            const std::string& password) {
  if (auto ok = check_new_user(name, role, password); !ok) return ok;
  std::string salt = random_token(16);
  return store_user(name, *parse_role(role), salt, derive(password, salt, iterations_));
}

Result<void> Auth::store_user(const std::string& name, Role role,
                              const std::string& salt, const std::string& hash) {
  switchboard::store::User u;
  u.set_name(name);
  assign_role(u, role);
  u.set_salt(salt);
  u.set_iterations(iterations_);
  u.set_hash(hash);
  auto r = store_.write([&](store::WriteTxn& w) -> Result<void> {
    if (w.get(store::Table::users, name))
      return fail("user '" + name + "' exists", ErrorCode::conflict);
    w.put_proto(store::Table::users, name, u);
    return {};
  });
  if (r) enrol(name, role);
  return r;
}

void Auth::hash_then(const std::string& password, PasswordHasher::Post post,
                     std::function<Result<void>(const std::string&, const std::string&)> write,
                     Done done) {
  std::string salt = random_token(16);
  auto finish = [alive = std::weak_ptr<bool>(alive_), salt, write = std::move(write),
                 done](std::string hash) {
    if (!alive.expired()) done(write(salt, hash));
  };
  if (!hasher_.submit(password, salt, iterations_, std::move(post), std::move(finish)))
    done(fail("busy checking other passwords: try again in a few seconds", ErrorCode::busy));
}

void Auth::setup(const std::string& token, const std::string& name, const std::string& password,
                 PasswordHasher::Post post, Done done) {
  if (auto ok = check_setup_token(token); !ok) return done(ok);
  if (auto ok = check_new_user(name, role_name(ROLE_ADMIN), password); !ok) return done(ok);
  hash_then(password, std::move(post),
            [this, token, name](const std::string& salt, const std::string& hash) -> Result<void> {
              // Checked again: another setup may have finished while this one was hashed.
              if (auto ok = check_setup_token(token); !ok) return ok;
              auto r = store_user(name, ROLE_ADMIN, salt, hash);
              if (r) setup_token_.clear();
              return r;
            },
            std::move(done));
}

void Auth::add_user(const std::string& name, const std::string& role,
                    const std::string& password, PasswordHasher::Post post, Done done) {
  if (auto ok = check_new_user(name, role, password); !ok) return done(ok);
  // Told before the hashing, not after it, when the name is taken.
  if (user(name)) return done(fail("user '" + name + "' exists", ErrorCode::conflict));
  hash_then(password, std::move(post),
            [this, name, role](const std::string& salt, const std::string& hash) {
              return store_user(name, *parse_role(role), salt, hash);
            },
            std::move(done));
}

std::vector<UserInfo> Auth::users() const {
  std::vector<UserInfo> out;
  store_.read([&](const store::ReadTxn& r) {
    r.scan(store::Table::users, {}, [&](std::string_view, std::string_view v) {
      switchboard::store::User u;
      if (u.ParseFromArray(v.data(), static_cast<int>(v.size())))
        out.push_back({u.name(), role_of(u), u.disabled()});
      return true;
    });
  });
  return out;
}

std::optional<UserInfo> Auth::user(const std::string& name) const {
  std::optional<UserInfo> out;
  store_.read([&](const store::ReadTxn& r) {
    switchboard::store::User u;
    if (r.get_proto(store::Table::users, name, u))
      out = UserInfo{u.name(), role_of(u), u.disabled()};
  });
  return out;
}

void Auth::login(const std::string& name, const std::string& password, const std::string& peer,
                 PasswordHasher::Post post, std::function<void(LoginOutcome)> done) {
  const std::int64_t now = clock_.monotonic_ms();
  switchboard::store::User u;
  bool found = false;
  store_.read([&](const store::ReadTxn& r) {
    found = r.get_proto(store::Table::users, name, u);
  });
  const std::string account = found ? name : kUnknownAccount;
  if (std::int64_t wait_ms = throttle_.admit(account, peer, now)) {
    const std::int64_t s = (wait_ms + 999) / 1000;
    return done({LoginOutcome::Kind::throttled, {}, s,
                 "too many failed logins: try again in " + std::to_string(s) + " s"});
  }
  // Derive even for an unknown user, so timing does not tell which names exist.
  std::string salt = found ? u.salt() : std::string("x");
  const std::uint32_t iters = found ? u.iterations() : iterations_;
  auto check = [this, alive = std::weak_ptr<bool>(alive_), found, u, account, peer, now,
                done](std::string h) {
    if (alive.expired()) return;
    if (!found || h.size() != u.hash().size() ||
        CRYPTO_memcmp(h.data(), u.hash().data(), h.size()) != 0)
      return done({LoginOutcome::Kind::wrong, {}, 0, "wrong user name or password"});
    throttle_.succeeded(account, peer, now);
    if (u.disabled())
      return done({LoginOutcome::Kind::wrong, {}, 0, "this account is disabled (ask an admin)"});
    std::string token = random_token(32);
    Session s{u.name(), role_of(u), random_token(16), clock_.monotonic_ms(), u.generation(),
              clock_.wall_ms()};
    persist(token, s);
    sessions_[token] = s;
    enrol(s.user, s.role);
    done({LoginOutcome::Kind::ok, token, 0, {}});
  };
  if (!hasher_.submit(password, std::move(salt), iters, std::move(post), std::move(check))) {
    throttle_.succeeded(account, peer, now);  // never checked: not a guess
    done({LoginOutcome::Kind::busy, {}, 1, "busy checking other logins: try again in 1 s"});
  }
}

const Session* Auth::session(const std::string& token) {
  if (token.empty() || token.size() > 128) return nullptr;
  auto it = sessions_.find(token);
  if (it == sessions_.end()) {
    if (!restore(token)) return nullptr;
    it = sessions_.find(token);
  }
  const std::int64_t now = clock_.monotonic_ms();
  if (now - it->second.last_seen_mono_ms > kSessionIdleMs) {
    forget(token);
    return nullptr;
  }
  // One small read per request: a change made by another process (the CLI) counts at once.
  switchboard::store::User u;
  bool found = false;
  store_.read([&](const store::ReadTxn& r) {
    found = r.get_proto(store::Table::users, it->second.user, u);
  });
  if (!found || u.disabled() || u.generation() != it->second.generation ||
      role_of(u) != it->second.role) {
    forget(token);
    return nullptr;
  }
  it->second.last_seen_mono_ms = now;
  if (clock_.wall_ms() - it->second.written_wall_ms >= kSessionWriteEveryMs) {
    it->second.written_wall_ms = clock_.wall_ms();
    persist(token, it->second);
  }
  return &it->second;
}

const Session* Auth::restore(const std::string& token) {
  switchboard::store::AdminSession rec;
  bool found = false;
  const std::string key = session_key(token);
  store_.read([&](const store::ReadTxn& r) {
    found = r.get_proto(store::Table::sessions, key, rec);
  });
  if (!found) return nullptr;
  if (clock_.wall_ms() - rec.last_seen_ms() > kSessionIdleMs) {
    forget(token);
    return nullptr;
  }
  auto placed = sessions_.emplace(
      token, Session{rec.user(), role_of(rec), rec.csrf(), clock_.monotonic_ms(), rec.generation(),
                     rec.last_seen_ms()});
  return &placed.first->second;
}

// Best effort: a session that cannot be written (disk full) still works until a restart.
void Auth::persist(const std::string& token, const Session& s) {
  switchboard::store::AdminSession rec;
  rec.set_user(s.user);
  assign_role(rec, s.role);
  rec.set_csrf(s.csrf);
  rec.set_generation(s.generation);
  rec.set_last_seen_ms(s.written_wall_ms);
  const std::string key = session_key(token);
  const std::int64_t now = clock_.wall_ms();
  (void)store_.write([&](store::WriteTxn& w) -> Result<void> {
    // Drop what expired, and this user's oldest beyond the cap.
    std::vector<std::string> gone;
    std::vector<std::pair<std::int64_t, std::string>> mine;
    w.scan(store::Table::sessions, {}, [&](std::string_view k, std::string_view v) {
      switchboard::store::AdminSession o;
      if (!o.ParseFromArray(v.data(), static_cast<int>(v.size())) ||
          now - o.last_seen_ms() > kSessionIdleMs)
        gone.emplace_back(k);
      else if (o.user() == s.user && k != key)
        mine.emplace_back(o.last_seen_ms(), std::string(k));
      return true;
    });
    std::sort(mine.begin(), mine.end());
    for (std::size_t i = 0; i + kMaxSessionsPerUser <= mine.size(); ++i) gone.push_back(mine[i].second);
    for (const auto& k : gone) w.del(store::Table::sessions, k);
    w.put_proto(store::Table::sessions, key, rec);
    return {};
  });
}

void Auth::forget(const std::string& token) {
  sessions_.erase(token);
  const std::string key = session_key(token);
  (void)store_.write([&](store::WriteTxn& w) -> Result<void> {
    w.del(store::Table::sessions, key);
    return {};
  });
}

bool Auth::other_enabled_admin(const store::WriteTxn& w, const std::string& name) const {
  bool found = false;
  w.scan(store::Table::users, {}, [&](std::string_view, std::string_view v) {
    switchboard::store::User o;
    found = o.ParseFromArray(v.data(), static_cast<int>(v.size())) && o.name() != name &&
            role_of(o) == ROLE_ADMIN && !o.disabled();
    return !found;
  });
  return found;
}

Result<void> Auth::change_user(
    const std::string& name, const std::function<Result<void>(switchboard::store::User&)>& change) {
  Role role = switchboard::store::USER_ROLE_UNSPECIFIED;
  auto r = store_.write([&](store::WriteTxn& w) -> Result<void> {
    switchboard::store::User u;
    if (!w.get_proto(store::Table::users, name, u))
      return fail("no user '" + name + "'", ErrorCode::not_found);
    if (auto c = change(u); !c) return c;
    if (role_of(u) != ROLE_ADMIN || u.disabled()) {
      if (!other_enabled_admin(w, name))
        return fail("'" + name + "' is the last enabled admin: add another first",
                    ErrorCode::conflict);
    }
    u.set_generation(u.generation() + 1);
    w.put_proto(store::Table::users, name, u);
    std::vector<std::string> ended;
    w.scan(store::Table::sessions, {}, [&](std::string_view k, std::string_view v) {
      switchboard::store::AdminSession o;
      if (!o.ParseFromArray(v.data(), static_cast<int>(v.size())) || o.user() == name)
        ended.emplace_back(k);
      return true;
    });
    for (const auto& k : ended) w.del(store::Table::sessions, k);
    role = role_of(u);
    return {};
  });
  if (!r) return r;
  std::erase_if(sessions_, [&](const auto& kv) { return kv.second.user == name; });
  enrol(name, role);  // a technician made agent or admin can now be given conversations
  return r;
}

Result<void> Auth::set_password(const std::string& name, const std::string& password) {
  if (auto ok = check_password(password); !ok) return ok;
  std::string salt = random_token(16);
  return store_password(name, salt, derive(password, salt, iterations_));
}

void Auth::set_password(const std::string& name, const std::string& password,
                        PasswordHasher::Post post, Done done) {
  if (auto ok = check_password(password); !ok) return done(ok);
  if (!user(name)) return done(fail("no user '" + name + "'", ErrorCode::not_found));
  hash_then(password, std::move(post),
            [this, name](const std::string& salt, const std::string& hash) {
              return store_password(name, salt, hash);
            },
            std::move(done));
}

Result<void> Auth::store_password(const std::string& name, const std::string& salt,
                                  const std::string& hash) {
  return change_user(name, [&](switchboard::store::User& u) -> Result<void> {
    u.set_salt(salt);
    u.set_iterations(iterations_);
    u.set_hash(hash);
    return {};
  });
}

Result<void> Auth::set_disabled(const std::string& name, bool disabled) {
  return change_user(name, [&](switchboard::store::User& u) -> Result<void> {
    u.set_disabled(disabled);
    return {};
  });
}

Result<void> Auth::set_role(const std::string& name, const std::string& role) {
  const std::optional<Role> r = parse_role(role);
  if (!r) return fail("role must be admin, agent or technician");
  return change_user(name, [&](switchboard::store::User& u) -> Result<void> {
    assign_role(u, *r);
    return {};
  });
}

void Auth::logout(const std::string& token) { forget(token); }

}  // namespace sb::admin
