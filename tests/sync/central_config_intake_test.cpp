// tests/sync/central_config_intake_test.cpp — central's config: the size cap, one applying at
// a time with the latest waiting, and refusals remembered across restarts (a real LMDB file).
#include <doctest/doctest.h>

#include "services/sync/central_config_intake.h"
#include "tests/support/inbox_fixture.h"

using namespace sb;

namespace {

struct IntakeFixture : test::InboxFixture {
  // The applies asked for, each with its `done`, answered by the test.
  std::vector<std::pair<std::uint64_t, std::function<void(Result<void>)>>> asked;
  sync::CentralConfigIntake::Apply apply() {
    return [this](const switchboard::v1::GatewayConfig& c, std::function<void(Result<void>)> d) {
      asked.emplace_back(c.version(), std::move(d));
    };
  }
  static std::string config(std::uint64_t version, std::string handoff = "[handoff]\n") {
    switchboard::v1::GatewayConfig c;
    c.set_version(version);
    c.set_handoff_toml(std::move(handoff));
    return c.SerializeAsString();
  }
  std::vector<inbox::Event> rejections() {
    std::vector<inbox::Event> out;
    for (const auto& e : events)
      if (e.kind() == inbox::Event::CONFIG_REJECTED) out.push_back(e);
    return out;
  }
};

}  // namespace

TEST_CASE_FIXTURE(IntakeFixture, "a payload over the size cap is refused unread, naming the cap") {
  sync::CentralConfigIntake intake(inbox, *store, log, apply(), 4096);
  CHECK_FALSE(intake.handle(config(1, std::string(5000, '#'))));
  CHECK(asked.empty());
  REQUIRE(rejections().size() == 1);
  CHECK(rejections()[0].error().find("limits.config_max_kib = 4") != std::string::npos);
  // The same payload again (the broker's re-delivery): no second event.
  CHECK_FALSE(intake.handle(config(1, std::string(5000, '#'))));
  CHECK(rejections().size() == 1);
  // One under the cap goes to the applier.
  CHECK_FALSE(intake.handle(config(2)));
  CHECK(asked.size() == 1);
}

TEST_CASE_FIXTURE(IntakeFixture, "a refused config is remembered across restarts and never applied again") {
  {
    sync::CentralConfigIntake intake(inbox, *store, log, apply());
    intake.handle(config(3, "[handoff]\nbad"));
    REQUIRE(asked.size() == 1);
    asked[0].second(fail("handoff.rules: 100000 rules, more than limits.rules_max = 2000"));
    CHECK_FALSE(intake.busy());
    REQUIRE(rejections().size() == 1);
    CHECK(rejections()[0].error().find("limits.rules_max") != std::string::npos);
  }
  asked.clear();
  sync::CentralConfigIntake restarted(inbox, *store, log, apply());
  restarted.handle(config(3, "[handoff]\nbad"));  // the retained copy, after the restart
  CHECK(asked.empty());
  CHECK(rejections().size() == 1);
  restarted.handle(config(4));  // a new one from central is tried
  CHECK(asked.size() == 1);
}

TEST_CASE_FIXTURE(IntakeFixture, "one applying at a time; the latest arrival waits, older ones are dropped") {
  sync::CentralConfigIntake intake(inbox, *store, log, apply());
  intake.handle(config(1));
  CHECK(intake.busy());
  intake.handle(config(2));
  intake.handle(config(3));
  REQUIRE(asked.size() == 1);
  asked[0].second({});
  REQUIRE(asked.size() == 2);  // the waiting one started
  CHECK(asked[1].first == 3);
  asked[1].second({});
  CHECK_FALSE(intake.busy());
  intake.handle(config(3));  // applied already: skipped
  CHECK(asked.size() == 2);
}

TEST_CASE_FIXTURE(IntakeFixture, "an applying cut short by a crash counts as refused at the next start") {
  // The process dies while the config compiles: its intake is never destroyed (kept in static
  // storage, still reachable, so no leak is reported), the store keeps what it wrote.
  alignas(sync::CentralConfigIntake) static unsigned char crashed[sizeof(sync::CentralConfigIntake)];
  auto* dying = new (crashed) sync::CentralConfigIntake(inbox, *store, log, apply());
  dying->handle(config(5, "[handoff]\n# big"));
  REQUIRE(dying->busy());
  asked.clear();

  sync::CentralConfigIntake restarted(inbox, *store, log, apply());
  REQUIRE(rejections().size() == 1);
  CHECK(rejections()[0].error().find("stopped while applying") != std::string::npos);
  restarted.handle(config(5, "[handoff]\n# big"));  // the broker's re-delivery
  CHECK(asked.empty());
  restarted.handle(config(6));  // a new one from central is tried
  REQUIRE(asked.size() == 1);
}

TEST_CASE_FIXTURE(IntakeFixture, "an orderly stop while applying forgets the applying") {
  {
    sync::CentralConfigIntake intake(inbox, *store, log, apply());
    intake.handle(config(6));
    REQUIRE(intake.busy());
  }
  asked.clear();
  sync::CentralConfigIntake restarted(inbox, *store, log, apply());
  CHECK(rejections().empty());
  restarted.handle(config(6));
  CHECK(asked.size() == 1);
}
