#include <doctest/doctest.h>

#include "firmware/central_config.h"
#include "firmware/config.h"

using namespace sb;

TEST_CASE("workflow config: routing, targets, alerts, vip") {
  auto c = firmware::parse_config(R"(
[routing]
default_department = "support"
away_after_min = 3

[[departments]]
id = "support"
routing = "round_robin"
max_per_agent = 3
targets = [ { min_priority = 0, minutes = 10 }, { min_priority = 90, minutes = 5 } ]

[[departments]]
id = "billing"

[alerts]
sms_to = "+15550100"
interval_min = 20
min_priority = 90

[vip]
enabled = true
priority = 95
)", "test.toml");
  REQUIRE(c.ok());
  const auto& w = c->workflow;
  CHECK(w.default_department == "support");
  CHECK(w.away_after_ms == 3 * 60000);
  CHECK(w.departments.at("support").policy == "round_robin");
  CHECK(w.departments.at("support").max_per_agent == 3);
  REQUIRE(w.departments.at("support").targets.size() == 2);
  CHECK(w.departments.at("support").targets[1].ms == 5 * 60000);
  CHECK(w.departments.at("billing").policy == "manual");
  CHECK(w.alert.sms_to == "+15550100");
  CHECK(w.alert.interval_ms == 20 * 60000);
  CHECK(w.vip.enabled);
  CHECK(w.vip.priority == 95);
  CHECK(w.vip.tag == "VIP");
}

TEST_CASE("workflow config errors name the line and the key") {
  auto bad = [](const char* text) {
    auto c = firmware::parse_config(text, "t.toml");
    REQUIRE_FALSE(c.ok());
    return c.error().message;
  };
  CHECK(bad("[[departments]]\nid = \"s\"\nrouting = \"random\"\n") ==
        "t.toml:3: departments.routing: one of manual, round_robin, least_busy");
  CHECK(bad("[routing]\ndefault_department = \"nowhere\"\n").find("unknown department 'nowhere'") !=
        std::string::npos);
  CHECK(bad("[alerts]\nsms_to = \"call me\"\n").find("alerts.sms_to") != std::string::npos);
  CHECK(bad("[[departments]]\nid = \"s\"\ntargets = [ { min_priority = 0 } ]\n").find("minutes") !=
        std::string::npos);
  CHECK(bad("[vip]\nenabled = true\ncolour = \"gold\"\n").find("vip.colour: unknown key") !=
        std::string::npos);
  CHECK(bad("[[departments]]\nid = \"s\"\nmax_per_agent = -1\n").find("max_per_agent") !=
        std::string::npos);
}

TEST_CASE("central pushes [routing], [alerts] and [vip] with the departments; nothing else") {
  auto local = firmware::parse_config(R"(
[storage]
dir = "/tmp/kept"
[routing]
default_department = "support"
[alerts]
sms_to = "+15550100"
)", "local.toml");
  REQUIRE(local.ok());
  switchboard::v1::GatewayConfig central;
  central.set_version(7);
  central.set_departments_toml(
      "[[departments]]\nid = \"sales\"\nrouting = \"least_busy\"\n"
      "targets = [ { min_priority = 0, minutes = 3 } ]\n");
  central.set_workflow_toml(
      "[routing]\ndefault_department = \"sales\"\n[vip]\nenabled = true\npriority = 99\n");
  auto merged = firmware::merge_central(*local, central);
  REQUIRE(merged.ok());
  CHECK(merged->storage.dir == "/tmp/kept");  // device keys stay local
  CHECK(merged->workflow.default_department == "sales");
  CHECK(merged->workflow.departments.at("sales").policy == "least_busy");
  CHECK(merged->workflow.vip.enabled);
  CHECK(merged->workflow.vip.priority == 99);
  CHECK(merged->workflow.alert.sms_to == "+15550100");  // [alerts] not sent: the local one stays

  central.set_workflow_toml("[alerts]\nsms_to = \"+15550199\"\n[storage]\ndir = \"/tmp/x\"\n");
  auto refused = firmware::merge_central(*local, central);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("may not set 'storage'") != std::string::npos);

  central.set_workflow_toml("[routing]\ndefault_department = \"nowhere\"\n");
  refused = firmware::merge_central(*local, central);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("unknown department 'nowhere'") != std::string::npos);
}

TEST_CASE("[auto_close] and [csat]: off by default, bounded, and pushed by central") {
  auto plain = firmware::parse_config("", "empty.toml");
  REQUIRE(plain.ok());
  CHECK(plain->workflow.auto_close.after_ms == 0);
  CHECK_FALSE(plain->workflow.csat.enabled);
  auto c = firmware::parse_config(R"(
[auto_close]
after_min = 1440
message = "Closed for now: write again any time."
[csat]
enabled = true
question = "Rate us: reply 1 to 5"
window_min = 120
)", "t.toml");
  REQUIRE(c.ok());
  CHECK(c->workflow.auto_close.after_ms == 1440LL * 60000);
  CHECK(c->workflow.auto_close.message == "Closed for now: write again any time.");
  CHECK(c->workflow.csat.enabled);
  CHECK(c->workflow.csat.question == "Rate us: reply 1 to 5");
  CHECK(c->workflow.csat.window_ms == 120LL * 60000);
  auto bad = [](const std::string& text) {
    auto r = firmware::parse_config(text, "t.toml");
    REQUIRE_FALSE(r.ok());
    return r.error().message;
  };
  CHECK(bad("[auto_close]\nafter_min = -5\n").find("auto_close.after_min") != std::string::npos);
  CHECK(bad("[auto_close]\nmessage = \"" + std::string(1025, 'x') + "\"\n").find("auto_close.message") !=
        std::string::npos);
  CHECK(bad("[csat]\nquestion = \"\"\n").find("csat.question") != std::string::npos);
  CHECK(bad("[csat]\nwindow_min = 0\n").find("csat.window_min") != std::string::npos);
  CHECK(bad("[csat]\nstars = 5\n").find("csat.stars: unknown key") != std::string::npos);

  switchboard::v1::GatewayConfig central;
  central.set_version(3);
  central.set_workflow_toml("[auto_close]\nafter_min = 60\n[csat]\nenabled = true\n");
  auto merged = firmware::merge_central(*plain, central);
  REQUIRE(merged.ok());
  CHECK(merged->workflow.auto_close.after_ms == 3'600'000);
  CHECK(merged->workflow.csat.enabled);
}
