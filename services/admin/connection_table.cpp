#include "services/admin/connection_table.h"

namespace sb::admin {

std::size_t ConnectionTable::open_from(const std::string& address) const {
  auto it = per_address_.find(address);
  return it == per_address_.end() ? 0 : it->second;
}

bool ConnectionTable::evict_oldest_idle(const std::string* address) {
  for (auto it = idle_.begin(); it != idle_.end(); ++it) {
    const Id id = it->second;
    auto c = conns_.find(id);
    if (address && c->second.address != *address) continue;
    auto evict = std::move(c->second.evict);
    remove(id);
    ++evicted_;
    if (evict) evict();
    return true;
  }
  return false;
}

std::optional<ConnectionTable::Id> ConnectionTable::admit(const std::string& address,
                                                          std::function<void()> evict) {
  if (open_from(address) >= max_per_address_ && !evict_oldest_idle(&address)) {
    ++refused_;
    return std::nullopt;
  }
  if (conns_.size() >= max_total_ && !evict_oldest_idle(nullptr)) {
    ++refused_;
    return std::nullopt;
  }
  const Id id = next_id_++;
  const std::uint64_t at = clock_++;
  conns_.emplace(id, Conn{address, std::move(evict), at});
  idle_.insert({at, id});
  ++per_address_[address];
  return id;
}

void ConnectionTable::set_evict(Id id, std::function<void()> evict) {
  if (auto c = conns_.find(id); c != conns_.end()) c->second.evict = std::move(evict);
}

void ConnectionTable::idle(Id id) {
  auto c = conns_.find(id);
  if (c == conns_.end() || c->second.idle_since) return;
  c->second.idle_since = clock_++;
  idle_.insert({c->second.idle_since, id});
}

void ConnectionTable::busy(Id id) {
  auto c = conns_.find(id);
  if (c == conns_.end() || !c->second.idle_since) return;
  idle_.erase({c->second.idle_since, id});
  c->second.idle_since = 0;
}

void ConnectionTable::remove(Id id) {
  auto c = conns_.find(id);
  if (c == conns_.end()) return;
  if (c->second.idle_since) idle_.erase({c->second.idle_since, id});
  auto a = per_address_.find(c->second.address);
  if (a != per_address_.end() && --a->second == 0) per_address_.erase(a);
  conns_.erase(c);
}

}  // namespace sb::admin
