// services/sync/central_config_intake.h — the handler of switchboard/<gw>/config: the retained
// GatewayConfig central pushes.
//
// A version already applied is skipped (the broker re-delivers the retained config on every
// connection); one that the applier refuses leaves the running config alone and is recorded
// as a CONFIG_REJECTED Event naming why. Applying it (merging with the local file, validating,
// compiling, storing) is the firmware's: only it knows the config format, and it does the slow
// part off the event loop, answering through `done` on the event loop's thread.
//
// Bounds: a payload over `max_bytes` is refused unread (CONFIG_REJECTED naming
// limits.config_max_kib). One config is applied at a time and at most one waits behind it (a
// newer arrival replaces the waiting one: only the latest matters). A refused payload is
// remembered in the store, so its re-delivery after every reconnect and restart is refused by
// its digest alone, without parsing or compiling it again. A payload whose applying was cut
// short (the process died while compiling it) counts as refused at the next start: a config
// that crashes the service cannot crash-loop it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/log.h"
#include "base/result.h"
#include "services/broker/topic_table.h"
#include "services/inbox/inbox.h"
#include "services/store/store.h"

namespace sb::sync {

class CentralConfigIntake {
 public:
  // Applies `cfg`; calls `done` exactly once, on the event loop's thread, with the outcome.
  using Apply = std::function<void(const switchboard::v1::GatewayConfig& cfg,
                                   std::function<void(Result<void>)> done)>;
  static constexpr std::size_t kDefaultMaxBytes = 1u << 20;

  // Reads what a previous run remembered (a refused digest; an applying cut short) from its
  // own keys in `store`'s settings table (the inbox's environment; the inbox records the
  // CONFIG_REJECTED Events).
  CentralConfigIntake(inbox::Inbox& inbox, store::Store& store, Log& log, Apply apply,
                      std::size_t max_bytes = kDefaultMaxBytes);
  // An applying still in flight when the service stops in order is no crash: forget it.
  ~CentralConfigIntake();

  broker::Accepted handle(const std::string& payload);

  // 1 while a config is being applied (for tests and diagnostics).
  bool busy() const { return busy_; }

 private:
  void start(std::string payload, std::string digest);
  void refuse(const std::string& what, const std::string& why, const std::string& digest);
  void remember(const char* key, const std::string& value);

  inbox::Inbox& inbox_;
  store::Store& store_;
  Log& log_;
  Apply apply_;
  std::size_t max_bytes_;
  std::uint64_t applied_version_ = 0;
  std::string refused_digest_;  // of the last refused payload ("" none)
  bool busy_ = false;
  std::optional<std::string> waiting_;  // the latest payload that arrived while busy
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// A short stable digest of a config payload (its size and SHA-256 prefix, hex).
std::string config_digest(const std::string& payload);

}  // namespace sb::sync
