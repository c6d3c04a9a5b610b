// services/admin/login_throttle.h — how many password guesses an account and an address get.
//
// Promises: within any `window_ms`, at most `per_account` attempts on one account, and at most
// `per_address` attempts from one address, end in failure, whatever the other accounts and
// addresses do. An attempt counts as a failure from the moment it is admitted (so a burst of
// parallel guesses cannot all pass the check before the first one fails) until succeeded()
// takes it back. A success takes back only its own attempt: it resets nothing, for its own
// account, for another account, or for the address (a good login to one's own account must not
// buy guesses on another's). Memory is bounded: accounts are the caller's known users plus one
// shared bucket for names that do not exist; addresses are capped at `max_addresses`, beyond
// which the newcomers share one bucket.
//
// Reference: OWASP ASVS 4.0 V2.2.1 (anti-automation against brute force and credential
// testing, with soft limits rather than a permanent lockout).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>

namespace sb::admin {

struct LoginLimits {
  int per_account = 10;
  int per_address = 30;
  std::int64_t window_ms = 60 * 1000;
  std::size_t max_addresses = 4096;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(LoginLimits limits = {}) : limits_(limits) {}

  // 0 when the attempt may go ahead (it now counts as a failure), else the milliseconds until
  // one may (the attempt is not counted).
  std::int64_t admit(const std::string& account, const std::string& address, std::int64_t now_ms);
  // The attempt admitted at `admitted_ms` was right: it no longer counts.
  void succeeded(const std::string& account, const std::string& address,
                 std::int64_t admitted_ms);

  const LoginLimits& limits() const { return limits_; }

 private:
  using Times = std::deque<std::int64_t>;
  Times& bucket(std::map<std::string, Times>& m, const std::string& key, std::size_t cap,
                std::int64_t now_ms);
  void expire(Times& t, std::int64_t now_ms) const;
  static void take_back(Times& t, std::int64_t at);

  LoginLimits limits_;
  std::map<std::string, Times> accounts_, addresses_;
};

}  // namespace sb::admin
