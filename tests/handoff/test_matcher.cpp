// tests/handoff/test_matcher.cpp — the embedded rules: positives, near misses, spans, precedence.
#include <doctest/doctest.h>

#include <string>

#include "services/handoff/rule_set.h"
#include "tests/handoff/spanned.h"

using namespace sb::handoff;
using sb::test::spanned;

namespace {

std::shared_ptr<const RuleSet> defaults() {
  auto set = RuleSet::embedded_default();
  REQUIRE(set != nullptr);
  return set;
}


}  // namespace

TEST_CASE("embedded default compiles and is department-free") {
  auto set = defaults();
  CHECK(set->rule_count() >= 5);
  CHECK(set->fallback_threshold() == 2);
  for (const auto& r : set->rules()) CHECK_FALSE(r.department.has_value());
}

TEST_CASE("to_string names the contract's triggers") {
  CHECK(to_string(TriggerKind::user_request) == "user_request");
  CHECK(to_string(TriggerKind::keyword) == "keyword");
  CHECK(to_string(TriggerKind::frustration) == "frustration");
  CHECK(to_string(TriggerKind::fallback_loop) == "fallback_loop");
  CHECK(to_string(TriggerKind::flow_completion) == "flow_completion");
  CHECK(to_string(TriggerKind::manual) == "manual");
  CHECK(to_string(TriggerKind::vip) == "vip");
}

TEST_CASE("positives and near misses for every kind") {
  struct Row {
    const char* text;
    bool handoff;
    const char* rule;  // expected winner when handoff
  };
  const Row rows[] = {
      // user_request
      {"I want to talk to someone", true, "ask_for_human"},
      {"can i speak to a human pls", true, "ask_for_human"},
      {"Real person please", true, "ask_for_human"},
      {"LIVE AGENT", true, "ask_for_human"},
      {"representative", true, "ask_for_human"},
      {"talk 2 someone", true, "ask_for_human"},
      {"I don’t want the bot", true, "ask_for_human"},
      {"I don't want the bot", true, "ask_for_human"},
      {"i dont want the bot", true, "ask_for_human"},
      {"Ich möchte mit einem Menschen sprechen", true, "ask_for_human"},
      {"quiero hablar con una persona", true, "ask_for_human"},
      {"je veux parler à quelqu’un", true, "ask_for_human"},
      {"Позовите ОПЕРАТОРА", true, "ask_for_human"},
      {"дайте живого человека", true, "ask_for_human"},
      {"the representatives were nice", false, ""},    // whole words only
      {"talking points for someone", false, ""},
      {"a personal question", false, ""},
      // keyword
      {"I want a refund", true, "refund"},
      {"Refunds?", true, "refund"},          // prefix form refund*
      {"refunding now", true, "refund"},
      {"cancel   my\nsubscription", true, "cancel"},
      {"Cancel my subscription.", true, "cancel"},
      {"give me my money back", true, "refund"},
      {"this is urgent", true, "urgent"},
      {"EMERGENCY", true, "urgent"},
      {"Notfall!", true, "urgent"},
      {"СРОЧНО", true, "urgent"},
      {"ΕΠΕΊΓΟΝ", true, "urgent"},
      {"the insurgent army", false, ""},     // not a whole word
      {"urgentissimo", false, ""},
      {"prerefund", false, ""},              // prefix forms anchor at word start
      {"cancel my subscriptions", false, ""},
      {"cancel the subscription form", false, ""},
      {"money backs", false, ""},
      // frustration
      {"WHY IS THIS NOT WORKING", true, "frustration"},
      {"hello???", true, "frustration"},
      {"what!!!", true, "frustration"},
      {"this is useless", true, "frustration"},
      {"OK", false, ""},
      {"My SMS to NASA", false, ""},
      {"really?!", false, ""},
      // nothing
      {"hello there", false, ""},
      {"", false, ""},
      {"😀😀😀", false, ""},
  };
  auto set = defaults();
  for (const auto& r : rows) {
    const std::string text = r.text;
    CAPTURE(text);
    const Verdict v = set->match(r.text);
    CHECK(v.handoff == r.handoff);
    if (r.handoff && v.handoff) CHECK(v.rule == r.rule);
  }
}

TEST_CASE("repeat of the previous inbound text is frustration") {
  auto set = defaults();
  MatchContext ctx;
  ctx.previous_inbound_text = "where is my parcel";
  Verdict v = set->match("Where is my parcel?", ctx);
  CHECK(v.handoff);
  CHECK(v.trigger == TriggerKind::frustration);
  CHECK(v.spans == std::vector<Span>{{0, 19}});
  ctx.previous_inbound_text = "yes";
  CHECK_FALSE(set->match("yes", ctx).handoff);  // too short to be a complaint
  ctx.previous_inbound_text = "where is my order";
  CHECK_FALSE(set->match("where is my parcel", ctx).handoff);
}

TEST_CASE("spans are byte offsets into the original text") {
  auto set = defaults();
  SUBCASE("ascii") {
    const std::string t = "I want a refund";
    const Verdict v = set->match(t);
    REQUIRE(v.spans.size() == 1);
    CHECK(v.spans[0] == Span{9, 15});
    CHECK(v.trigger == TriggerKind::keyword);
  }
  SUBCASE("multi-byte text before the match") {
    const std::string t = "Grüße 😀 — Ёжик: I want a REFUND";
    const Verdict v = set->match(t);
    REQUIRE(v.spans.size() == 1);
    CHECK(spanned(t, v.spans[0]) == "REFUND");
  }
  SUBCASE("prefix forms highlight the whole word") {
    const std::string t = "é refunds!";
    CHECK(spanned(t, set->match(t).spans.at(0)) == "refunds");
  }
  SUBCASE("phrases across white space and apostrophes") {
    const std::string t = "pls   cancel\n my   subscription!!";
    const Verdict v = set->match(t);
    CHECK(v.rule == "cancel");
    CHECK(spanned(t, v.spans.at(0)) == "cancel\n my   subscription");
    const std::string t2 = "« I don’t want the bot »";
    CHECK(spanned(t2, set->match(t2).spans.at(0)) == "don’t want the bot");
  }
  SUBCASE("folded letters keep their whole bytes") {
    const std::string t = "СРОЧНО!";
    CHECK(spanned(t, set->match(t).spans.at(0)) == "СРОЧНО");
    const std::string t2 = "ΈΚΤΑΚΤΗ ΑΝΆΓΚΗ";
    CHECK(spanned(t2, set->match(t2).spans.at(0)) == t2);
  }
  SUBCASE("every match of the winning rule, in text order") {
    const std::string t = "refund, refund. REFUND";
    const Verdict v = set->match(t);
    CHECK(v.spans == std::vector<Span>{{0, 6}, {8, 14}, {16, 22}});
  }
  SUBCASE("runs of boundaries after a match report it once") {
    CHECK(set->match("Emergency!  talk").spans == std::vector<Span>{{0, 9}});
    CHECK(set->match("refund’’  ’ x").spans == std::vector<Span>{{0, 6}});
  }
  SUBCASE("long texts (two scan lanes) find matches everywhere") {
    std::string t;
    for (int i = 0; i < 20; ++i) t += "word salad ";
    t += "cancel my\nsubscription";
    for (int i = 0; i < 20; ++i) t += " more salad";
    const Verdict v = set->match(t);
    CHECK(v.rule == "cancel");
    CHECK(spanned(t, v.spans.at(0)) == "cancel my\nsubscription");
    for (std::size_t at = 0; at + 6 <= t.size(); at += 7) {
      std::string u(t.size(), 'x');
      u.replace(at, 8, " refund ");
      u.resize(t.size());
      CAPTURE(at);
      const Verdict w = set->match(u);
      CHECK(w.rule == "refund");
    }
  }
}

TEST_CASE("precedence: urgent, then priority, then kind, then position") {
  auto set = defaults();
  Verdict v = set->match("How do I login? talk to a human. Emergency!");
  CHECK(v.rule == "urgent");
  CHECK(v.urgent);
  v = set->match("Emergency: how do I login? talk to a human");
  CHECK(v.rule == "urgent");
  v = set->match("How do I login? talk to a human");
  CHECK(v.rule == "ask_for_human");
  CHECK(v.trigger == TriggerKind::user_request);
  CHECK_FALSE(v.urgent);
  // keyword (50) beats shouting frustration (10)
  v = set->match("I WANT MY REFUND RIGHT NOW");
  CHECK(v.rule == "refund");
  // equal priority: the earlier match wins (refund and complaint are both 50)
  CHECK(set->match("complaint about a refund").rule == "complaint");
  CHECK(set->match("refund or a complaint").rule == "refund");
}

TEST_CASE("invalid UTF-8 never crashes and reads as boundaries") {
  auto set = defaults();
  const std::string t = std::string("\xff\xfe") + "refund" + "\xc3";
  const Verdict v = set->match(t);
  CHECK(v.rule == "refund");
  CHECK(v.spans.at(0) == Span{2, 8});
  CHECK_FALSE(set->match(std::string("\xc3\xa9\xe2\x82", 4)).handoff);
}
