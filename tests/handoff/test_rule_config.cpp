// tests/handoff/test_rule_config.cpp — the TOML rule format, accepted and refused.
#include <doctest/doctest.h>
#include <toml++/toml.h>

#include <string>

#include "services/handoff/rule_set.h"

using namespace sb::handoff;

namespace {

sb::Result<std::shared_ptr<const RuleSet>> load(std::string_view text,
                                                 const std::set<std::string>& depts = {"billing"}) {
  toml::table t;
  try {
    t = toml::parse(text);
  } catch (const toml::parse_error& e) {
    FAIL("bad test toml: " << e.what());
  }
  return RuleSet::from_toml(t, depts);
}

}  // namespace

TEST_CASE("a configured rule set") {
  auto r = load(R"(
[handoff]
fallback_threshold = 3
fallback_priority = 33
[[handoff.rules]]
id = "refund"
kind = "keyword"
patterns = ["refund*", "money back"]
priority = 50
department = "billing"
[[handoff.rules]]
id = "human"
kind = "user_request"
patterns = ["talk to a human"]
priority = 70
agent = "ana"
)");
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  auto set = r.value();
  CHECK(set->fallback_threshold() == 3);
  CHECK(set->fallback_priority() == 33);
  CHECK(set->rule_count() == 3);  // + the default frustration rule
  Verdict v = set->match("I'd like my money back");
  CHECK(v.rule == "refund");
  CHECK(v.department == std::optional<std::string>("billing"));
  CHECK(v.priority == 50);
  CHECK(set->match("talk to a human").rule == "human");
  CHECK(set->match("talk to a human").agent == std::optional<std::string>("ana"));
  CHECK_FALSE(v.agent);
  CHECK_FALSE(set->match("speak to a human").handoff);  // the defaults are replaced
  CHECK(set->match("WHY DOES NOTHING WORK").trigger == TriggerKind::frustration);
}

TEST_CASE("no rules: the embedded defaults with the given thresholds") {
  auto r = load("[handoff]\nfallback_threshold = 4\nfrustration = false\n");
  REQUIRE(r.ok());
  CHECK(r.value()->fallback_threshold() == 4);
  CHECK(r.value()->match("emergency").rule == "urgent");
  CHECK_FALSE(r.value()->match("WHY DOES NOTHING WORK").handoff);
  auto root = load("[handoff]\n[other]\nx = 1\n");  // the root of a config
  REQUIRE(root.ok());
  CHECK(root.value()->match("speak to a human").handoff);
  auto empty = load("");  // an empty [handoff] table
  REQUIRE(empty.ok());
  CHECK(empty.value()->match("speak to a human").handoff);
}

TEST_CASE("frustration can be configured or switched off") {
  auto r = load(R"(
[handoff]
frustration = false
[[handoff.rules]]
id = "shout"
kind = "frustration"
signals = ["caps"]
priority = 5
[[handoff.rules]]
id = "x"
kind = "keyword"
patterns = ["xyzzy"]
)");
  REQUIRE(r.ok());
  CHECK(r.value()->match("WHY DOES NOTHING WORK").rule == "shout");
  CHECK_FALSE(r.value()->match("why???").handoff);
}

TEST_CASE("bad rule sets are refused with a reason naming the rule") {
  struct Row {
    const char* toml;
    const char* reason;
  };
  const Row rows[] = {
      {"[[handoff.rules]]\nid='a'\nkind='keyword'\npatterns=['']\n", "pattern 1 is empty"},
      {"[[handoff.rules]]\nid='a'\nkind='keyword'\npatterns=['!!!']\n", "no letters or digits"},
      {"[[handoff.rules]]\nid='a'\nkind='keyword'\npatterns=['*']\n", "no letters or digits"},
      {"[[handoff.rules]]\nid='a'\nkind='keyword'\npatterns=['re*und']\n", "only at the end"},
      {"[[handoff.rules]]\nid='a'\nkind='keyword'\npatterns=[]\n", "no patterns"},
      {"[[handoff.rules]]\nid='a'\nkind='keyword'\npatterns=['x']\n[[handoff.rules]]\nid='a'\n"
       "kind='keyword'\npatterns=['y']\n",
       "duplicate id 'a'"},
      {"[[handoff.rules]]\nid='a'\nkind='keywrd'\npatterns=['x']\n", "unknown kind 'keywrd'"},
      {"[[handoff.rules]]\nid='a'\nkind='manual'\npatterns=['x']\n", "unknown kind 'manual'"},
      {"[[handoff.rules]]\nid='a'\nkind='keyword'\npatterns=['x']\ndepartment='sales'\n",
       "unknown department 'sales'"},
      {"[[handoff.rules]]\nid=''\nkind='keyword'\npatterns=['x']\n", "empty id"},
      {"[[handoff.rules]]\nkind='keyword'\npatterns=['x']\n", "empty id"},
      {"[[handoff.rules]]\nid='a'\npatterns=['x']\n", "missing kind"},
      {"[[handoff.rules]]\nid='a'\nkind='keyword'\npatterns='x'\n", "list of strings"},
      {"[[handoff.rules]]\nid='a'\nkind='keyword'\npatterns=['x']\npriority='high'\n",
       "must be an integer"},
      {"[[handoff.rules]]\nid='a'\nkind='keyword'\npatterns=['x']\npriority=5000\n",
       "priority must be"},
      {"[[handoff.rules]]\nid='a'\nkind='keyword'\npatterns=['x']\npriorty=5\n", "unknown key"},
      {"[[handoff.rules]]\nid='a'\nkind='keyword'\npatterns=['x']\nsignals=['caps']\n",
       "only rules of kind frustration"},
      {"[[handoff.rules]]\nid='a'\nkind='frustration'\nsignals=['sulking']\n",
       "unknown signal 'sulking'"},
      {"[handoff]\nfallback_threshold = 0\n", "at least 1"},
      {"[handoff]\nfallback_department = 'nowhere'\n", "unknown department 'nowhere'"},
      {"[handoff]\nrules = 3\n", "list of tables"},
      {"[handoff]\nthreshold = 3\n", "unknown key"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.toml);
    auto r = load(row.toml);
    REQUIRE_FALSE(r.ok());
    CAPTURE(r.error().message);
    CHECK(r.error().message.find(row.reason) != std::string::npos);
  }
  // The rule and its line are named.
  auto r = load("[handoff]\n\n[[handoff.rules]]\nid='refund'\nkind='keyword'\npatterns=['']\n");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("id 'refund'") != std::string::npos);
  CHECK(r.error().message.find("line 3") != std::string::npos);
}

TEST_CASE("rules() lists what was configured, for the admin page") {
  auto set = RuleSet::embedded_default();
  const auto rules = set->rules();
  REQUIRE(rules.size() == set->rule_count());
  CHECK(rules[0].id == "urgent");
  CHECK(rules[0].urgent);
  bool any_prefix = false;
  for (const auto& r : rules)
    if (r.id == "refund")
      for (const auto& p : r.patterns) any_prefix |= p == "refund*";
  CHECK(any_prefix);
}

TEST_CASE("compile() from values; an empty set never matches") {
  auto r = RuleSet::compile({}, [] { HandoffSettings h; h.frustration = false; return h; }(), {});
  REQUIRE(r.ok());
  CHECK_FALSE(r.value()->match("emergency talk to a human").handoff);
  RuleInfo a;
  a.id = "a";
  a.patterns = {"alpha", "Alpha  Beta"};
  a.priority = 1;
  RuleInfo b;  // built fresh: assigning to a copy's id trips GCC 12's false -Wrestrict at -O3
  b.id = "b";
  b.patterns = {"alpha"};
  b.priority = 2;
  auto s = RuleSet::compile({a, b}, HandoffSettings{}, {});
  REQUIRE(s.ok());
  CHECK(s.value()->match("alpha beta").rule == "b");  // shared key, higher priority
}

namespace {

std::string rules_toml(int rules, int patterns_each, std::size_t pattern_bytes) {
  std::string t = "[handoff]\n";
  for (int i = 0; i < rules; ++i) {
    t += "[[handoff.rules]]\nid = \"r" + std::to_string(i) + "\"\nkind = \"keyword\"\npatterns = [";
    for (int p = 0; p < patterns_each; ++p) {
      std::string word = "w" + std::to_string(i) + "x" + std::to_string(p);
      if (word.size() < pattern_bytes) word.append(pattern_bytes - word.size(), 'a');
      t += (p ? ", \"" : "\"") + word + "\"";
    }
    t += "]\n";
  }
  return t;
}

sb::Result<std::shared_ptr<const RuleSet>> load_limited(const std::string& text,
                                                         const RuleLimits& limits) {
  toml::table t = toml::parse(text);
  return RuleSet::from_toml(t, {}, limits);
}

}  // namespace

TEST_CASE("limits: each cap refuses a set over it, naming the cap; a set at the cap compiles") {
  RuleLimits l;
  l.rules_max = 10;
  l.patterns_max = 30;
  l.pattern_max_bytes = 40;
  l.matcher_max_bytes = 8u << 20;

  CHECK(load_limited(rules_toml(10, 3, 12), l));  // exactly at rules_max and patterns_max

  auto many = load_limited(rules_toml(11, 1, 8), l);
  REQUIRE_FALSE(many);
  CHECK(many.error().message.find("limits.rules_max = 10") != std::string::npos);

  auto patterns = load_limited(rules_toml(8, 4, 8), l);
  REQUIRE_FALSE(patterns);
  CHECK(patterns.error().message.find("limits.patterns_max = 30") != std::string::npos);

  auto longer = load_limited(rules_toml(1, 1, 41), l);
  REQUIRE_FALSE(longer);
  CHECK(longer.error().message.find("limits.pattern_max_bytes = 40") != std::string::npos);

  // The matcher's bound: 30 patterns of 40 bytes fit 8 MiB but not 2 MiB + a little.
  RuleLimits small = l;
  small.matcher_max_bytes = (2u << 20) + 1024;
  auto big = load_limited(rules_toml(10, 3, 40), small);
  REQUIRE_FALSE(big);
  CHECK(big.error().message.find("limits.matcher_max_kib = 2049") != std::string::npos);
  CHECK(load_limited(rules_toml(10, 3, 40), l));
}

TEST_CASE("limits: a matcher one byte over the cap is refused; at its size it compiles") {
  // The default rules of every language pack with the suppressors: a few MiB.
  auto unlimited = load_limited("[handoff]\n", RuleLimits::unlimited());
  REQUIRE(unlimited);
  const std::size_t real = unlimited.value()->memory_bytes();
  RuleLimits l;
  l.matcher_max_bytes = real - 1;
  auto refused = load_limited("[handoff]\n", l);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("limits.matcher_max_kib") != std::string::npos);
  l.matcher_max_bytes = real + (64u << 20);  // the bound before the build is above the real size
  CHECK(load_limited("[handoff]\n", l));
}
