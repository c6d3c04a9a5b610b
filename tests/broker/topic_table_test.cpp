#include <doctest/doctest.h>

#include <vector>

#include "services/broker/memory_broker.h"
#include "services/broker/topic_table.h"

using namespace sb;

TEST_CASE("each topic reaches its own handler; a wildcard passes its level") {
  broker::TopicTable t("switchboard/gw1/");
  std::vector<std::string> seen;
  t.add("in/+", [&](std::string_view level, const std::string& p) -> broker::Accepted {
    seen.push_back("in:" + std::string(level) + ":" + p);
    return std::nullopt;
  });
  t.add("replay", [&](std::string_view level, const std::string& p) -> broker::Accepted {
    CHECK(level.empty());
    seen.push_back("replay:" + p);
    return std::nullopt;
  });
  t.add("bot/reply", [&](std::string_view, const std::string&) -> broker::Accepted {
    return broker::Refusal{"not_protobuf", "not a BotReply"};
  });
  CHECK(t.subscriptions() ==
        std::vector<std::string>{"switchboard/gw1/in/+", "switchboard/gw1/replay",
                                 "switchboard/gw1/bot/reply"});

  CHECK_FALSE(t.dispatch("switchboard/gw1/in/whatsapp", "a"));
  CHECK_FALSE(t.dispatch("switchboard/gw1/replay", "b"));
  CHECK(seen == std::vector<std::string>{"in:whatsapp:a", "replay:b"});

  auto refused = t.dispatch("switchboard/gw1/bot/reply", "x");
  REQUIRE(refused);
  CHECK(refused->kind == "not_protobuf");
}

TEST_CASE("topics of other gateways, without a handler, or deeper than '+' are refused") {
  broker::TopicTable t("switchboard/gw1/");
  int calls = 0;
  t.add("in/+", [&](std::string_view, const std::string&) -> broker::Accepted {
    ++calls;
    return std::nullopt;
  });
  t.add("config", [&](std::string_view, const std::string&) -> broker::Accepted {
    ++calls;
    return std::nullopt;
  });
  CHECK(t.dispatch("switchboard/gw2/in/whatsapp", "")->kind == "foreign_topic");
  CHECK(t.dispatch("switchboard/gw1/nothing", "")->kind == "unknown_topic");
  CHECK(t.dispatch("switchboard/gw1/in/", "")->kind == "unknown_topic");      // empty level
  CHECK(t.dispatch("switchboard/gw1/in/a/b", "")->kind == "unknown_topic");   // two levels
  CHECK(t.dispatch("switchboard/gw1/config/x", "")->kind == "unknown_topic");
  CHECK(t.dispatch("switchboard/gw1/configs", "")->kind == "unknown_topic");
  CHECK(t.dispatch("switchboard/gw1", "")->kind == "foreign_topic");
  CHECK(calls == 0);
}

TEST_CASE("the memory broker refuses while down and hands out acknowledgements in order") {
  broker::MemoryBroker b;
  std::vector<int> acks;
  b.up = false;
  CHECK_FALSE(b.publish("t", "x", false, [&](bool) { acks.push_back(-1); }));
  b.up = true;
  REQUIRE(b.publish("t", "1", false, [&](bool ok) { acks.push_back(ok ? 1 : 0); }));
  REQUIRE(b.publish("u", "2", true, [&](bool ok) { acks.push_back(ok ? 2 : 0); }));
  CHECK(acks.empty());
  CHECK(b.ack(true));
  CHECK(b.ack(false));
  CHECK_FALSE(b.ack());
  CHECK(acks == std::vector<int>{1, 0});
  CHECK(b.published("u").size() == 1);
  CHECK(b.published("u")[0].retained);
}
