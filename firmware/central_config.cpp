#include "firmware/central_config.h"

#include <toml++/toml.h>

#include <sstream>

namespace sb::firmware {

Result<Config> merge_central(const Config& local, const switchboard::v1::GatewayConfig& central) {
  const std::string source = "central config v" + std::to_string(central.version());
  toml::table merged;
  try {
    merged = toml::parse(local.text, local.source);
  } catch (const toml::parse_error& e) {
    return fail(local.source + ": " + std::string(e.description()));
  }
  // Each section central sends replaces the local one; only these keys may come from it.
  const std::pair<const std::string*, const char*> sections[] = {
      {&central.handoff_toml(), "handoff"},
      {&central.departments_toml(), "departments"},
      {&central.agents_toml(), "agents"},
      {&central.canned_replies_toml(), "canned_replies"},
      {&central.bot_toml(), "bot"}};
  for (const auto& [text, key] : sections) {
    if (text->empty()) continue;
    toml::table part;
    try {
      part = toml::parse(*text, source + " " + key);
    } catch (const toml::parse_error& e) {
      std::ostringstream s;
      s << source << ": " << key << " section, line " << e.source().begin.line << ": "
        << e.description();
      return fail(s.str());
    }
    for (const auto& [k, v] : part)
      if (k.str() != key)
        return fail(source + ": the " + key + " section may not set '" + std::string(k.str()) + "'");
    merged.erase(key);
    if (auto* node = part.get(key)) merged.insert(key, *node);
  }
  std::ostringstream text;
  text << merged;
  auto c = parse_config(text.str(), source);
  if (!c) return c.error();
  c->source = local.source;
  c->text = local.text;  // the local file stays what SIGHUP re-reads
  return c;
}

}  // namespace sb::firmware
