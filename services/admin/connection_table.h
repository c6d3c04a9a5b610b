// services/admin/connection_table.h — the admin server's open connections, counted globally and
// per client address, and which one gives way when a cap is reached.
//
// Promises: never more than `max_total` connections, nor more than `max_per_address` from one
// address, are registered at once. A newcomer over a cap takes the place of the connection that
// has waited longest for a request (an idle keep-alive, a client that connected and sent
// nothing): that one is evicted. A connection with a request in hand or a live stream is never
// evicted; when no idle one is left the newcomer is refused. So a crowd of idle connections,
// from one address or many, cannot keep a real request (a /healthz probe, the page) out.
// Runs on the io_context thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

namespace sb::admin {

class ConnectionTable {
 public:
  using Id = std::uint64_t;

  ConnectionTable(std::size_t max_total, std::size_t max_per_address)
      : max_total_(max_total), max_per_address_(max_per_address) {}

  // Registers a connection from `address`, evicting an idle one where a cap needs it; nullopt
  // when it must be refused. A new connection counts as idle. `evict` closes it (it is then
  // already forgotten here).
  std::optional<Id> admit(const std::string& address, std::function<void()> evict);
  void set_evict(Id id, std::function<void()> evict);
  void idle(Id id);  // waiting for a request: may be evicted
  void busy(Id id);  // a request in hand or a stream: kept
  void remove(Id id);  // gone (a no-op for an evicted one)

  std::size_t open() const { return conns_.size(); }
  std::size_t open_from(const std::string& address) const;
  std::uint64_t evicted() const { return evicted_; }
  std::uint64_t refused() const { return refused_; }

 private:
  struct Conn {
    std::string address;
    std::function<void()> evict;
    std::uint64_t idle_since = 0;  // 0: busy
  };
  bool evict_oldest_idle(const std::string* address);

  std::size_t max_total_, max_per_address_;
  Id next_id_ = 1;
  std::uint64_t clock_ = 1, evicted_ = 0, refused_ = 0;
  std::unordered_map<Id, Conn> conns_;
  std::set<std::pair<std::uint64_t, Id>> idle_;  // oldest first
  std::map<std::string, std::size_t> per_address_;
};

// Holds one registration and removes it when the connection object goes.
class ConnectionSlot {
 public:
  ConnectionSlot(std::shared_ptr<ConnectionTable> table, ConnectionTable::Id id)
      : table_(std::move(table)), id_(id) {}
  ~ConnectionSlot() {
    if (table_) table_->remove(id_);
  }
  ConnectionSlot(ConnectionSlot&& o) noexcept : table_(std::move(o.table_)), id_(o.id_) {}
  ConnectionSlot& operator=(ConnectionSlot&&) = delete;
  ConnectionSlot(const ConnectionSlot&) = delete;

  void idle() {
    if (table_) table_->idle(id_);
  }
  void busy() {
    if (table_) table_->busy(id_);
  }
  void set_evict(std::function<void()> evict) {
    if (table_) table_->set_evict(id_, std::move(evict));
  }

 private:
  std::shared_ptr<ConnectionTable> table_;
  ConnectionTable::Id id_;
};

}  // namespace sb::admin
