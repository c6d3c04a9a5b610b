// firmware/service.h — wires the services onto one io_context and runs them until a signal.
#pragma once

#include <optional>
#include <string>

#include "firmware/config.h"
#include "base/log.h"

namespace sb::firmware {

// Runs the service on `config` until SIGTERM/SIGINT; SIGHUP re-reads `config_path` (if any).
// Returns the process exit code.
int run_service(Config config, std::optional<std::string> config_path, Log& log);

}  // namespace sb::firmware
