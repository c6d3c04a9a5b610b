// tests/handoff/test_suppressor.cpp — what cancels a match, with its reason and cue; the
// normalizer's new folds; anchors and unspaced scripts; configurable packs.
#include <doctest/doctest.h>

#include <string>

#include "services/handoff/normalizer.h"
#include "services/handoff/rule_set.h"
#include "tests/handoff/spanned.h"

using namespace sb::handoff;
using sb::test::spanned;

namespace {


const Suppression* find(const Verdict& v, std::string_view rule) {
  for (const auto& s : v.suppressed)
    if (s.rule == rule) return &s;
  return nullptr;
}

}  // namespace

TEST_CASE("the normalizer folds width, Turkish i, Arabic variants, marks and digits") {
  const auto normalize = [](std::string_view t) { return sb::handoff::normalize(t, Fold::full); };
  CHECK(normalize("ＨＥＬＰ！ ｎｏｗ") == "help now");
  CHECK(normalize("ACİL ışık") == "acil isik");
  CHECK(normalize("أريد إلغاء آخر") == normalize("اريد الغاء اخر"));
  CHECK(normalize("خدمة") == normalize("خدمه"));
  CHECK(normalize("على") == normalize("علي"));
  CHECK(normalize("مُسْتَعْجِل") == normalize("مستعجل"));  // harakat
  CHECK(normalize("عـــاجل") == normalize("عاجل"));          // tatweel
  CHECK(normalize("وين طلبي؟؟؟") == normalize("وين طلبي"));  // Arabic question mark
  CHECK(normalize("cafe\u0301") == "cafe");                   // decomposed accent
  CHECK(normalize("suscripción") == "suscripcion");
  CHECK(normalize("١٢٣") == "123");
  CHECK(normalize("¿Qué? ¡Sí!") == "que si");
  CHECK(normalize("ज़रूरी") == normalize("जरूरी"));  // nukta
}

TEST_CASE("spans stay byte offsets into the text as typed through every fold") {
  auto set = RuleSet::embedded_default();
  const std::string t = "ＡＢＣ ÁÉÍ — quiero cancelar mi SUSCRIPCIÓN";
  const Verdict v = set->match(t);
  REQUIRE(v.handoff);
  CHECK(v.rule == "cancel");
  CHECK(spanned(t, v.spans.at(0)) == "cancelar mi SUSCRIPCIÓN");
  const std::string z = "你好，我要转人工！";
  const Verdict vz = set->match(z);
  REQUIRE(vz.handoff);
  CHECK(spanned(z, vz.spans.at(0)) == "转人工");
  const std::string tr = "Lütfen ACİL dönüş yapın";
  CHECK(spanned(tr, set->match(tr).spans.at(0)) == "ACİL");
}

TEST_CASE("anchored patterns need the whole message") {
  auto set = RuleSet::embedded_default();
  CHECK(set->match("human!!").rule == "ask_for_human");
  CHECK(set->match("  Agent ").rule == "ask_for_human");
  CHECK_FALSE(set->match("human error on the invoice").handoff);
  CHECK_FALSE(set->match("my travel agent booked it").handoff);
}

TEST_CASE("each suppressor says what it cancelled and which words did it") {
  auto set = RuleSet::embedded_default();
  SUBCASE("negation before the match") {
    const std::string t = "I don't want to cancel my subscription, just asking";
    const Verdict v = set->match(t);
    CHECK_FALSE(v.handoff);
    const auto* s = find(v, "cancel");
    REQUIRE(s);
    CHECK(s->reason == "negation");
    REQUIRE(s->cue);
    CHECK(spanned(t, *s->cue).rfind("don't want", 0) == 0);
    CHECK(spanned(t, s->span) == "cancel my subscription");
  }
  SUBCASE("negation after the verb (Turkish)") {
    const Verdict v = set->match("aboneliğimi iptal etmek istemiyorum");
    CHECK_FALSE(v.handoff);
    REQUIRE(find(v, "cancel"));
    CHECK(find(v, "cancel")->reason == "negation");
  }
  SUBCASE("a negation far from the match does not cancel it") {
    CHECK(set->match("I don't want to wait any longer so please cancel my subscription").rule ==
          "cancel");
  }
  SUBCASE("calm cancels urgency, not the rest") {
    const Verdict v = set->match("no rush, not urgent, but I want a refund");
    CHECK(v.rule == "refund");
    REQUIRE(find(v, "urgent"));
    CHECK(find(v, "urgent")->reason == "calm");
  }
  SUBCASE("narrative") {
    const std::string t = "my mum had an emergency so I missed the delivery";
    const Verdict v = set->match(t);
    CHECK_FALSE(v.handoff);
    REQUIRE(find(v, "urgent"));
    CHECK(spanned(t, *find(v, "urgent")->cue) == "had an");
    CHECK(set->match("emergency: my mum had a fall").rule == "urgent");
  }
  SUBCASE("quoted text, unless the whole message is the quotation") {
    const Verdict v = set->match("The ad said \"cancel my subscription anytime\", nice");
    CHECK_FALSE(v.handoff);
    CHECK(find(v, "cancel")->reason == "quoted");
    CHECK(set->match("\"cancel my subscription\"").rule == "cancel");
    CHECK_FALSE(set->match("> I want a refund\nThat was last month, all good now").handoff);
  }
  SUBCASE("marketing copy") {
    const Verdict v = set->match("Buy cheap watches now!!! click here");
    CHECK_FALSE(v.handoff);
    CHECK(find(v, "frustration")->reason == "marketing");
    // One marketing word does not silence a real request.
    CHECK(set->match("your promo did not work, I want a refund").rule == "refund");
  }
  SUBCASE("thanks with !!!, but not thanks far from the anger") {
    CHECK_FALSE(set->match("Thanks!!!").handoff);
    CHECK(find(set->match("¡Gracias!!!"), "frustration")->reason == "thanks");
    CHECK(set->match("thanks, but where is my order??? nobody answers").rule == "frustration");
  }
  SUBCASE("phone numbers") {
    RuleInfo r;
    r.id = "code";
    r.kind = TriggerKind::keyword;
    r.priority = 5;
    r.patterns = {"30"};
    auto s = RuleSet::compile({r}, HandoffSettings{}, {}).value();
    const Verdict v = s->match("Please call me back at +49 30 1234567");
    CHECK_FALSE(v.handoff);
    CHECK(find(v, "code")->reason == "phone_number");
    CHECK(s->match("room 30 please").handoff);
  }
  SUBCASE("suppressors can be turned off") {
    HandoffSettings off;
    off.suppressors = false;
    auto s = RuleSet::compile(RuleSet::default_rules(), off, {}).value();
    CHECK(s->match("I don't want to cancel my subscription").rule == "cancel");
  }
}

TEST_CASE("full-width and Arabic punctuation count as frustration; bare !!! on thanks does not") {
  auto set = RuleSet::embedded_default();
  CHECK(set->match("为什么还没发货！！！").rule == "frustration");
  CHECK(set->match("وين طلبي؟؟؟").rule == "frustration");
  CHECK_FALSE(set->match("谢谢！！！").handoff);
}

TEST_CASE("language packs are selectable and unknown codes are refused") {
  HandoffSettings es;
  es.languages = {"es"};
  auto rules = RuleSet::default_rules_for(es.languages);
  REQUIRE(rules);
  auto set = RuleSet::compile(rules.value(), es, {}).value();
  CHECK(set->match("quiero cancelar mi suscripcion").rule == "cancel");
  CHECK_FALSE(set->match("我要转人工").handoff);
  CHECK_FALSE(set->match("cancel my subscription").handoff);
  auto bad = RuleSet::default_rules_for({"xx"});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("'xx'") != std::string::npos);
  CHECK(RuleSet::language_codes().size() >= 14);
}

TEST_CASE("explain lists every candidate, the normalized text and the suppressors") {
  auto set = RuleSet::embedded_default();
  const auto ex = set->explain("No rush, NOT URGENT: I want a REFUND");
  CHECK(ex.normalized == "no rush not urgent i want a refund");
  CHECK(ex.verdict.rule == "refund");
  bool urgent_cancelled = false, refund_kept = false;
  for (const auto& c : ex.candidates) {
    if (c.rule == "urgent") urgent_cancelled = c.suppressed && c.suppressed->reason == "calm";
    if (c.rule == "refund") refund_kept = !c.suppressed && c.source == "pattern";
  }
  CHECK(urgent_cancelled);
  CHECK(refund_kept);
}

TEST_CASE("substring patterns match across folded full-width letters (a fuzz finding)") {
  RuleInfo r;
  r.id = "mixed";
  r.kind = TriggerKind::keyword;
  r.priority = 5;
  r.patterns = {"\uFABCj\uFABC"};
  HandoffSettings h;
  h.frustration = false;
  auto set = RuleSet::compile({r}, h, {}).value();
  const std::string t = "~\uFABC\uFF2A\uFABC!";  // the full-width J folds to "j" + padding
  const Verdict v = set->match(t);
  REQUIRE(v.handoff);
  CHECK(spanned(t, v.spans.at(0)) == "\uFABC\uFF2A\uFABC");
}
