// tests/firmware/limits_config_test.cpp — the [limits] table: defaults, values, refusals, and
// what central's config may not do with it.
#include <doctest/doctest.h>

#include <string>

#include "firmware/central_config.h"
#include "firmware/config.h"
#include "firmware/rules_loader.h"

using namespace sb;

TEST_CASE("[limits]: the defaults, the values given, and a value out of range named") {
  auto d = firmware::parse_config("", "x.toml");
  REQUIRE(d);
  CHECK(d->limits.config_max_bytes == 1u << 20);
  CHECK(d->limits.rules.rules_max == 2000);
  CHECK(d->limits.rules.matcher_max_bytes == 32u << 20);
  CHECK(d->limits.replay_requests_per_minute == 6);

  auto c = firmware::parse_config(
      "[limits]\nconfig_max_kib = 64\nrules_max = 3\npatterns_max = 9\npattern_max_bytes = 12\n"
      "matcher_max_kib = 8192\nreplay_events_per_request = 500\nreplay_requests_per_minute = 2\n"
      "mqtt_in_flight = 10\n",
      "x.toml");
  REQUIRE(c);
  CHECK(c->limits.config_max_bytes == 64u << 10);
  CHECK(c->limits.rules.rules_max == 3);
  CHECK(c->limits.rules.patterns_max == 9);
  CHECK(c->limits.rules.pattern_max_bytes == 12);
  CHECK(c->limits.rules.matcher_max_bytes == 8192u << 10);
  CHECK(c->limits.replay_events_per_request == 500);
  CHECK(c->limits.mqtt_in_flight == 10);

  auto bad = firmware::parse_config("[limits]\nrules_max = 0\n", "x.toml");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("rules_max") != std::string::npos);
  CHECK_FALSE(firmware::parse_config("[limits]\nrules = 5\n", "x.toml"));  // unknown key
}

TEST_CASE("[limits] apply to the local file's rules and to central's; central cannot raise them") {
  const std::string two_rules =
      "[[handoff.rules]]\nid = \"a\"\nkind = \"keyword\"\npatterns = [\"apple\"]\n"
      "[[handoff.rules]]\nid = \"b\"\nkind = \"keyword\"\npatterns = [\"pear\"]\n";
  auto local = firmware::parse_config("[limits]\nrules_max = 1\n[handoff]\n" + two_rules, "l.toml");
  REQUIRE(local);
  auto rules = firmware::load_rules(*local);
  REQUIRE_FALSE(rules);
  CHECK(rules.error().message.find("limits.rules_max = 1") != std::string::npos);

  auto small = firmware::parse_config("[limits]\nrules_max = 1\n", "l.toml");
  REQUIRE(small);
  switchboard::v1::GatewayConfig central;
  central.set_version(2);
  central.set_handoff_toml("[handoff]\n" + two_rules);
  auto merged = firmware::merge_central(*small, central);
  REQUIRE_FALSE(merged);  // refused before the merge copies it
  CHECK(merged.error().message.find("limits.rules_max = 1") != std::string::npos);

  central.set_handoff_toml("[limits]\nrules_max = 100000\n");
  auto raised = firmware::merge_central(*small, central);
  REQUIRE_FALSE(raised);
  CHECK(raised.error().message.find("may not set 'limits'") != std::string::npos);
}
