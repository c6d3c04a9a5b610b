// firmware/central_config.h — what central pushes on switchboard/<gw>/config.
//
// A GatewayConfig carries TOML sections (handoff, departments, agents, canned replies, bot) in
// the same form as the local file's. Each one given replaces the local file's section; device
// keys (storage, admin, modem, mqtt) only ever come from the local file. The merged config is
// validated as a whole (rules and flows against the departments they name) before anything is
// applied; an invalid one is refused and the running config stays.
#pragma once

#include "firmware/config.h"
#include "services/proto/switchboard.pb.h"

namespace sb::firmware {

Result<Config> merge_central(const Config& local, const switchboard::v1::GatewayConfig& central);

}  // namespace sb::firmware
