#include "services/sync/central_config_intake.h"

namespace sb::sync {

broker::Accepted CentralConfigIntake::handle(const std::string& payload) {
  if (payload.empty()) return std::nullopt;  // a cleared retained config: keep what runs
  switchboard::v1::GatewayConfig cfg;
  if (!cfg.ParseFromString(payload)) {
    (void)inbox_.record_gateway_event(inbox::Event::CONFIG_REJECTED, "central config",
                                      "not a GatewayConfig");
    return broker::Refusal{"not_protobuf", "not a GatewayConfig"};
  }
  if (cfg.version() != 0 && cfg.version() == applied_version_) return std::nullopt;  // seen it
  auto r = apply_ ? apply_(cfg) : Result<void>(fail("no config handler"));
  if (!r) {
    log_.error("config", "refused central config v", cfg.version(), ": ", r.error().message,
               " (the running config stays)");
    (void)inbox_.record_gateway_event(inbox::Event::CONFIG_REJECTED,
                                      "central config v" + std::to_string(cfg.version()),
                                      r.error().message);
    return std::nullopt;
  }
  applied_version_ = cfg.version();
  log_.notice("config", "applied central config v", cfg.version());
  return std::nullopt;
}

}  // namespace sb::sync
