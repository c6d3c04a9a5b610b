// tests/firmware/bot_wording_config_test.cpp — [bot.channels.*] and [bot.languages.*]: read
// from the local file and from central's bot section alike, refused with the key and line.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "firmware/central_config.h"
#include "firmware/config.h"

using namespace sb;

namespace {

const char* kWordings =
    "[bot]\n"
    "greeting = \"Hi!\"\n"
    "[bot.channels.email]\n"
    "greeting = \"Dear customer,\\n\\nthanks for writing.\\n\\nRegards\"\n"
    "[bot.channels.webchat]\n"
    "fallback = \"Sorry, could you rephrase?\"\n"
    "[bot.languages.es]\n"
    "greeting = \"¡Hola!\"\n"
    "fallback = \"Perdón, no lo entendí.\"\n"
    "[bot.languages.es.channels.email]\n"
    "greeting = \"Estimado cliente:\"\n";

}  // namespace

TEST_CASE("[bot] wordings per channel and per language are read, key by key") {
  auto c = firmware::parse_config(kWordings, "x.toml");
  REQUIRE(c);
  CHECK(c->bot.greeting == "Hi!");
  // email: the greeting given replaces the built-in one; the keys not given stay built in.
  CHECK(*c->bot.channels.at("email").greeting == "Dear customer,\n\nthanks for writing.\n\nRegards");
  CHECK(c->bot.channels.at("email").fallback == bot::email_wording().fallback);
  CHECK(*c->bot.channels.at("webchat").fallback == "Sorry, could you rephrase?");
  CHECK_FALSE(c->bot.channels.at("webchat").greeting);
  const auto& es = c->bot.languages.at("es");
  CHECK(*es.wording.greeting == "¡Hola!");
  CHECK_FALSE(es.wording.handoff_notice);
  CHECK(*es.channels.at("email").greeting == "Estimado cliente:");

  // No [bot] at all: the built-in email letter is there.
  auto d = firmware::parse_config("", "x.toml");
  REQUIRE(d);
  CHECK(d->bot.channels.at("email").greeting == bot::email_wording().greeting);
}

TEST_CASE("[bot] wordings refused: unknown language, unknown key, wrong type, not a table") {
  auto lang = firmware::parse_config("[bot.languages.xx]\ngreeting = \"?\"\n", "x.toml");
  REQUIRE_FALSE(lang);
  CHECK(lang.error().message.find("unknown language 'xx'") != std::string::npos);
  CHECK(lang.error().message.find("x.toml:1") != std::string::npos);

  auto key = firmware::parse_config("[bot.channels.email]\ngreetings = \"?\"\n", "x.toml");
  REQUIRE_FALSE(key);
  CHECK(key.error().message.find("bot.channels.email.greetings: unknown key") != std::string::npos);

  auto type = firmware::parse_config("[bot.languages.ru]\nfallback = 3\n", "x.toml");
  REQUIRE_FALSE(type);
  CHECK(type.error().message.find("bot.languages.ru.fallback: expected a string") !=
        std::string::npos);

  auto flat = firmware::parse_config("[bot]\nchannels = { email = \"hello\" }\n", "x.toml");
  REQUIRE_FALSE(flat);
  CHECK(flat.error().message.find("expected a table [bot.channels.email]") != std::string::npos);
}

TEST_CASE("central's bot section carries wordings through the same reading and checks") {
  auto local = firmware::parse_config("", "l.toml");
  REQUIRE(local);
  switchboard::v1::GatewayConfig central;
  central.set_version(3);
  central.set_bot_toml(kWordings);
  auto merged = firmware::merge_central(*local, central);
  REQUIRE(merged);
  CHECK(*merged->bot.languages.at("es").wording.fallback == "Perdón, no lo entendí.");

  central.set_bot_toml("[bot.languages.klingon]\ngreeting = \"nuqneH\"\n");
  auto bad = firmware::merge_central(*local, central);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("unknown language 'klingon'") != std::string::npos);
}

TEST_CASE("[[bot.flows]] may name the agent its escalation goes to; a name that cannot be a user is refused with its line") {
  const std::string flow =
      "[[bot.flows]]\n"
      "id = \"repair\"\n"
      "keywords = [\"broken\"]\n"
      "department = \"support\"\n";
  const std::string steps = "[[bot.flows.steps]]\nask = \"Which device?\"\n";
  auto with = [&](const std::string& agent_line) {
    return firmware::parse_config(flow + agent_line + steps, "x.toml");
  };
  auto c = with("agent = \"ana\"\n");
  REQUIRE_MESSAGE(c, (c ? std::string() : c.error().message));
  REQUIRE(c->bot.flows.size() == 1);
  CHECK(c->bot.flows[0].agent == "ana");
  CHECK(with("")->bot.flows[0].agent.empty());
  const std::vector<std::string> bads = {"\"\"", "\"" + std::string(65, 'a') + "\"", "\"a\\tb\"", "7"};
  for (const std::string& bad : bads) {
    auto r = with("agent = " + bad + "\n");
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("x.toml:5: bot.flows.agent: ") == 0);
  }
}
