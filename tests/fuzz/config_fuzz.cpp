// tests/fuzz/config_fuzz.cpp — libFuzzer over the TOML config reader and the rule compiler:
// the local file's parser (every section), the [handoff] rules within the [limits] caps, and
// the merge of a central config's sections onto a local one.
//
// The first byte picks the mode: 0 = the input is a whole config file; 1 = it is the handoff
// section central sends, merged onto a small local config. Checks, besides "no crash / no
// sanitizer report": a refusal always says why; a config that is accepted compiles its rules or
// refuses them with a reason, and the compiled set stays within its matcher cap.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "firmware/central_config.h"
#include "firmware/config.h"
#include "firmware/rules_loader.h"

using namespace sb;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  Result<firmware::Config> config = fail("unset");
  if (data[0] % 2 == 0) {
    config = firmware::parse_config(text, "fuzz.toml");
  } else {
    static const auto local = firmware::parse_config(
        "[limits]\nrules_max = 50\npatterns_max = 200\n[[departments]]\nid = \"billing\"\n"
        "name = \"Billing\"\n",
        "local.toml");
    if (!local) std::abort();
    switchboard::v1::GatewayConfig central;
    central.set_version(1);
    central.set_handoff_toml(text);
    config = firmware::merge_central(*local, central);
  }
  if (!config) {
    if (config.error().message.empty()) std::abort();
    return 0;
  }
  auto rules = firmware::load_rules(*config);
  if (!rules) {
    if (rules.error().message.empty()) std::abort();
    return 0;
  }
  if (config->handoff && rules.value()->memory_bytes() > config->limits.rules.matcher_max_bytes)
    std::abort();
  (void)rules.value()->match("I want a refund, talk to a human");
  return 0;
}
