#include "services/admin/login_throttle.h"

#include <algorithm>

namespace sb::admin {

namespace {
const std::string kOverflow = "(too many addresses)";
}

void LoginThrottle::expire(Times& t, std::int64_t now_ms) const {
  while (!t.empty() && now_ms - t.front() >= limits_.window_ms) t.pop_front();
}

void LoginThrottle::take_back(Times& t, std::int64_t at) {
  auto it = std::find(t.begin(), t.end(), at);
  if (it != t.end()) t.erase(it);
}

LoginThrottle::Times& LoginThrottle::bucket(std::map<std::string, Times>& m,
                                            const std::string& key, std::size_t cap,
                                            std::int64_t now_ms) {
  auto it = m.find(key);
  if (it != m.end()) return it->second;
  if (m.size() >= cap) {
    // Forget addresses whose failures have all expired before refusing a newcomer its own.
    for (auto i = m.begin(); i != m.end();) {
      expire(i->second, now_ms);
      i = i->second.empty() ? m.erase(i) : std::next(i);
    }
    if (m.size() >= cap) return m[kOverflow];
  }
  return m[key];
}

std::int64_t LoginThrottle::admit(const std::string& account, const std::string& address,
                                  std::int64_t now_ms) {
  // Accounts are bounded by the caller (known users plus one bucket for unknown names); the
  // cap here is only a backstop.
  Times& acc = bucket(accounts_, account, limits_.max_addresses, now_ms);
  Times& addr = bucket(addresses_, address, limits_.max_addresses, now_ms);
  expire(acc, now_ms);
  expire(addr, now_ms);
  std::int64_t wait = 0;
  if (static_cast<int>(acc.size()) >= limits_.per_account)
    wait = std::max(wait, acc.front() + limits_.window_ms - now_ms);
  if (static_cast<int>(addr.size()) >= limits_.per_address)
    wait = std::max(wait, addr.front() + limits_.window_ms - now_ms);
  if (wait > 0) return wait;
  acc.push_back(now_ms);
  addr.push_back(now_ms);
  return 0;
}

void LoginThrottle::succeeded(const std::string& account, const std::string& address,
                              std::int64_t admitted_ms) {
  if (auto it = accounts_.find(account); it != accounts_.end()) take_back(it->second, admitted_ms);
  auto it = addresses_.find(address);
  if (it == addresses_.end()) it = addresses_.find(kOverflow);
  if (it != addresses_.end()) take_back(it->second, admitted_ms);
}

}  // namespace sb::admin
