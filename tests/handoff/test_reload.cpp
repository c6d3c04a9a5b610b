// tests/handoff/test_reload.cpp — swapping rule sets while other threads match.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "services/handoff/rule_set_holder.h"

using namespace sb::handoff;

namespace {
RuleInfo keyword(std::string id, std::vector<std::string> patterns, int priority) {
  RuleInfo r;
  r.id = std::move(id);
  r.kind = TriggerKind::keyword;
  r.patterns = std::move(patterns);
  r.priority = priority;
  return r;
}
}  // namespace

TEST_CASE("rule reload under concurrent matching") {
  RuleInfo a = keyword("a", {"apple"}, 1);
  RuleInfo b = keyword("b", {"apple"}, 2);
  auto set_a = RuleSet::compile({a}, HandoffSettings{}, {});
  auto set_b = RuleSet::compile({b}, HandoffSettings{}, {});
  REQUIRE(set_a.ok());
  REQUIRE(set_b.ok());

  RuleSetHolder holder(set_a.value());
  std::atomic<bool> stop{false};
  std::atomic<long> seen_a{0}, seen_b{0}, wrong{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        const Verdict v = holder.match("an apple a day");
        if (v.rule == "a" && v.priority == 1) ++seen_a;
        else if (v.rule == "b" && v.priority == 2) ++seen_b;
        else ++wrong;  // a torn or half-built set would show here
      }
    });
  }
  for (int i = 0; i < 2000; ++i) {
    // A fresh compile each time, so old sets are really freed while readers may hold them.
    auto next = RuleSet::compile({i % 2 ? a : b}, HandoffSettings{}, {});
    REQUIRE(next.ok());
    holder.replace(next.value());
    if (i % 100 == 0) std::this_thread::yield();
  }
  // A failed compile leaves the running set in place.
  auto bad = RuleSet::compile({keyword("x", {}, 1)}, HandoffSettings{}, {});
  CHECK_FALSE(bad.ok());
  const auto before = holder.current();
  holder.replace(nullptr);
  CHECK(holder.current() == before);
  stop = true;
  for (auto& r : readers) r.join();
  CHECK(wrong.load() == 0);
  CHECK(seen_a.load() + seen_b.load() > 0);
}
