// services/sync/central_config_intake.h — the handler of switchboard/<gw>/config: the retained
// GatewayConfig central pushes.
//
// A version already applied is skipped (the broker re-delivers the retained config on every
// connection); one that the applier refuses leaves the running config alone and is recorded
// as a CONFIG_REJECTED Event naming why. Applying it (merging with the local file, validating,
// storing) is the firmware's: only it knows the config format.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "base/log.h"
#include "base/result.h"
#include "services/broker/topic_table.h"
#include "services/inbox/inbox.h"

namespace sb::sync {

class CentralConfigIntake {
 public:
  using Apply = std::function<Result<void>(const switchboard::v1::GatewayConfig&)>;

  CentralConfigIntake(inbox::Inbox& inbox, Log& log, Apply apply)
      : inbox_(inbox), log_(log), apply_(std::move(apply)) {}

  broker::Accepted handle(const std::string& payload);

 private:
  inbox::Inbox& inbox_;
  Log& log_;
  Apply apply_;
  std::uint64_t applied_version_ = 0;
};

}  // namespace sb::sync
