#include <doctest/doctest.h>

#include "tests/support/inbox_fixture.h"

using namespace sb;

namespace {

bot::BotConfig shop_bot() {
  bot::BotConfig c;
  c.answers.push_back({"hours", {"opening hours", "open"}, "We are open 9 to 17, Monday to Friday."});
  bot::Flow repair;
  repair.id = "repair";
  repair.keywords = {"repair", "broken"};
  repair.department = "support";
  repair.end_reply = "Thanks, a technician will look at it.";
  repair.steps.push_back({"Which device is it?", bot::FlowStep::Kind::choice, {"Router", "Phone"}, "device"});
  repair.steps.push_back({"What is its serial number?", bot::FlowStep::Kind::number, {}, "serial"});
  c.flows.push_back(repair);
  return c;
}

struct BotFixture : test::InboxFixture {
  BotFixture() { inbox.set_bot(std::make_shared<bot::LocalBot>(shop_bot())); }
  std::vector<std::string> bot_texts(std::uint64_t conv) {
    std::vector<std::string> out;
    for (auto& m : by_author(conv, "bot")) out.push_back(m.text());
    return out;
  }
};

}  // namespace

TEST_CASE("the local bot greets, answers, falls back, and runs a flow step by step") {
  bot::LocalBot b(shop_bot());
  auto first = b.respond("what are your opening hours?", true, {});
  REQUIRE(first.turns.size() == 2);  // greeting + answer
  CHECK(first.turns[1].answer_id == "hours");
  CHECK_FALSE(first.turns[1].fallback);
  auto lost = b.respond("qwzx", false, {});
  REQUIRE(lost.turns.size() == 1);
  CHECK(lost.turns[0].fallback);
  auto start = b.respond("my router is broken", false, {});
  CHECK(start.state.flow_id == "repair");
  CHECK(start.turns.at(0).text.find("Which device") != std::string::npos);
  auto wrong = b.respond("a toaster", false, start.state);
  CHECK(wrong.turns.at(0).fallback);  // not one of the choices: asked again
  CHECK(wrong.state.step == 0);
  auto device = b.respond("1", false, start.state);  // choices answer by number too
  CHECK(device.state.step == 1);
  CHECK(device.state.answers.at(0) == std::pair<std::string, std::string>{"device", "Router"});
  auto not_number = b.respond("don't know", false, device.state);
  CHECK(not_number.turns.at(0).fallback);
  auto done = b.respond("4711-22", false, device.state);
  CHECK(done.escalate);
  CHECK(done.department == "support");
  REQUIRE(done.collected.size() == 2);
  CHECK(done.collected[1].second == "471122");
  CHECK(done.state.flow_id.empty());
}

TEST_CASE("bot configs are validated") {
  auto c = shop_bot();
  CHECK_FALSE(bot::validate(c).has_value());
  c.flows[0].steps[0].choices.clear();
  CHECK(bot::validate(c).value().find("no choices") != std::string::npos);
  c = shop_bot();
  c.answers.push_back({"repair", {"x"}, "y"});
  CHECK(bot::validate(c).value().find("duplicate") != std::string::npos);
  c = shop_bot();
  c.flows[0].steps.clear();
  CHECK(bot::validate(c).has_value());
}

TEST_CASE_FIXTURE(BotFixture, "a conversation that matches an answer stays with the bot") {
  auto r = ingest("whatsapp", "1", "+1", "hello");
  REQUIRE(ingest("whatsapp", "2", "+1", "when are you open?").ok());
  auto texts = bot_texts(r->conversation_id);
  CHECK(texts.back() == "We are open 9 to 17, Monday to Friday.");
  CHECK(inbox::status_name_of(*inbox.conversation(r->conversation_id)) == "bot");
  CHECK(inbox.conversation(r->conversation_id)->fallback_count() == 0);
}

TEST_CASE_FIXTURE(BotFixture, "two fallbacks in a row queue for a human; an answer in between resets") {
  auto r = ingest("whatsapp", "1", "+1", "hello");
  REQUIRE(ingest("whatsapp", "2", "+1", "asdf").ok());           // fallback 1
  REQUIRE(ingest("whatsapp", "3", "+1", "opening hours?").ok()); // answered: reset
  REQUIRE(ingest("whatsapp", "4", "+1", "qwer").ok());           // fallback 1
  CHECK(inbox::status_name_of(*inbox.conversation(r->conversation_id)) == "bot");
  REQUIRE(ingest("whatsapp", "5", "+1", "zxcv").ok());           // fallback 2
  auto c = inbox.conversation(r->conversation_id);
  CHECK(inbox::status_name_of(*c) == "queued");
  CHECK(c->handoff().trigger() == "fallback_loop");
}

TEST_CASE_FIXTURE(BotFixture, "a flow collects two answers and escalates to its department with them") {
  auto r = ingest("sms", "1", "+1", "hi, my phone is broken");
  REQUIRE(ingest("sms", "2", "+1", "Phone").ok());
  CHECK(inbox.conversation(r->conversation_id)->flow_step() == 1);
  REQUIRE(ingest("sms", "3", "+1", "123456").ok());
  auto c = inbox.conversation(r->conversation_id);
  CHECK(inbox::status_name_of(*c) == "queued");
  CHECK(c->department() == "support");
  CHECK(c->handoff().trigger() == "flow_completion");
  CHECK(c->handoff().rule() == "repair");
  CHECK(c->handoff().matched_text() == "device: Phone, serial: 123456");
  bool shown = false;
  for (auto& m : by_author(c->id(), "system"))
    shown = shown || m.text() == "the bot collected: device: Phone, serial: 123456";
  CHECK(shown);
  CHECK(bot_texts(c->id()).back() == "Thanks, a technician will look at it.");
}

TEST_CASE_FIXTURE(test::InboxFixture, "a flow that names an agent hands to them when online, else queues and says why") {
  auto c = shop_bot();
  c.flows[0].agent = "ana";
  c.flows[0].steps.pop_back();  // one question: the device
  inbox.set_bot(std::make_shared<bot::LocalBot>(c));
  REQUIRE(inbox.upsert_agent("ana", "Ana", "support").ok());
  auto has_text = [&](std::uint64_t conv, const std::string& text) {
    for (auto& m : by_author(conv, "system"))
      if (m.text() == text) return true;
    return false;
  };
  auto away = ingest("sms", "1", "+1", "my router is broken");
  REQUIRE(ingest("sms", "2", "+1", "Router").ok());
  CHECK(inbox::status_name_of(*inbox.conversation(away->conversation_id)) == "queued");
  CHECK(inbox.conversation(away->conversation_id)->handoff().agent() == "ana");
  CHECK(has_text(away->conversation_id, "the flow names ana, but ana is offline: left in the queue"));
  REQUIRE(inbox.set_presence("ana", "online", "ana").ok());
  auto here = ingest("sms", "3", "+2", "my phone is broken");
  REQUIRE(ingest("sms", "4", "+2", "Phone").ok());
  auto conv = inbox.conversation(here->conversation_id);
  CHECK(inbox::status_name_of(*conv) == "assigned");
  CHECK(conv->assignee() == "ana");
  CHECK(has_text(here->conversation_id, "assigned to Ana by flow repair"));
}

TEST_CASE_FIXTURE(BotFixture, "the bot is silent after a human takes over, until handed back") {
  auto r = ingest("whatsapp", "1", "+1", "hello");
  REQUIRE(inbox.reply(r->conversation_id, "ana", "Ana here").ok());
  const auto n = bot_texts(r->conversation_id).size();
  REQUIRE(ingest("whatsapp", "2", "+1", "opening hours?").ok());
  REQUIRE(ingest("whatsapp", "3", "+1", "asdf").ok());
  CHECK(bot_texts(r->conversation_id).size() == n);
  REQUIRE(inbox.close(r->conversation_id, "ana").ok());
  REQUIRE(ingest("whatsapp", "4", "+1", "opening hours?").ok());  // reopened with the bot
  CHECK(bot_texts(r->conversation_id).size() == n + 1);
}

TEST_CASE_FIXTURE(BotFixture, "central's bot can escalate with a reason and department") {
  auto cfg = shop_bot();
  cfg.external_channels = {"webchat"};
  inbox.set_bot(std::make_shared<bot::LocalBot>(cfg));
  std::vector<inbox::ExternalBotTurn> turns;
  inbox.on_external_bot_turn([&](const inbox::ExternalBotTurn& t) { turns.push_back(t); });
  auto r = ingest("webchat", "1", "visitor", "I have a legal question");
  REQUIRE(turns.size() == 1);
  REQUIRE(inbox.external_bot_reply(r->conversation_id, turns[0].request_id, "escalate", "",
                                    "billing", "legal topic")
              .ok());
  auto c = inbox.conversation(r->conversation_id);
  CHECK(inbox::status_name_of(*c) == "queued");
  CHECK(c->department() == "billing");
  CHECK(c->handoff().trigger() == "flow_completion");
  CHECK(c->handoff().matched_text() == "reason: legal topic");
}

TEST_CASE_FIXTURE(BotFixture, "the bot can be turned off per channel") {
  auto cfg = shop_bot();
  cfg.disabled_channels = {"sms"};
  inbox.set_bot(std::make_shared<bot::LocalBot>(cfg));
  auto r = ingest("sms", "1", "+1", "opening hours?");
  CHECK(bot_texts(r->conversation_id).empty());
  auto w = ingest("whatsapp", "1", "+1", "opening hours?");
  CHECK_FALSE(bot_texts(w->conversation_id).empty());
}

TEST_CASE("a first message the bot cannot answer is a fallback; a bare hello is not") {
  bot::LocalBot b(shop_bot());
  for (const char* text : {"Who can I talk to in sales?", "где мой заказ?", "¿dónde está mi pedido",
                           "I have a question about the warranty of my order"}) {
    CAPTURE(std::string(text));
    auto r = b.respond(text, true, {});
    REQUIRE(r.turns.size() == 2);  // greeting + fallback
    CHECK_FALSE(r.turns[0].fallback);
    CHECK(r.turns[1].fallback);
  }
  for (const char* text : {"hi", "Hello there", "qzx vbnm"}) {
    CAPTURE(std::string(text));
    auto r = b.respond(text, true, {});
    REQUIRE(r.turns.size() == 1);  // the greeting only
    CHECK_FALSE(r.turns[0].fallback);
  }
}

TEST_CASE("the bot's keywords fold like the handoff engine's (accents, width, case)") {
  bot::LocalBot b(shop_bot());
  for (const char* text : {"OPENING HOURS?", "ｏｐｅｎｉｎｇ ｈｏｕｒｓ", "opening hóurs"}) {
    CAPTURE(std::string(text));
    auto r = b.respond(text, false, {});
    REQUIRE(r.turns.size() == 1);
    CHECK(r.turns[0].answer_id == "hours");
  }
}

namespace {

// A bot with Spanish and Russian wordings, a Spanish email letter, and a webchat greeting.
bot::BotConfig worded_bot() {
  bot::BotConfig c = shop_bot();
  c.channels["webchat"].greeting = "Hi! Ask me anything.";
  bot::LanguageWording es;
  es.wording.greeting = "¡Hola! Soy el asistente automático.";
  es.wording.fallback = "Perdón, no lo entendí. ¿Puede decirlo de otra forma?";
  es.wording.handoff_notice = "Gracias. Una persona de nuestro equipo le atenderá enseguida.";
  es.channels["email"].greeting = "Hola:\n\ngracias por su correo.\n\nUn saludo,\nEl asistente";
  c.languages["es"] = es;
  c.languages["ru"].wording.fallback = "Извините, я не понял. Можете сказать иначе?";
  return c;
}

}  // namespace

TEST_CASE("email contacts get the email letter, not the chat line") {
  bot::LocalBot b(shop_bot());
  auto email = b.respond("Who can I talk to in sales?", true, {}, "email");
  REQUIRE(email.turns.size() == 2);
  CHECK(email.turns[0].text == *bot::email_wording().greeting);
  CHECK(email.turns[1].text == *bot::email_wording().fallback);
  CHECK(email.turns[1].fallback);
  CHECK(email.turns[0].text.find("Kind regards") != std::string::npos);
  CHECK(b.handoff_notice("email", "hello") == *bot::email_wording().handoff_notice);
  // Chat channels keep the chat lines.
  auto chat = b.respond("Who can I talk to in sales?", true, {}, "whatsapp");
  REQUIRE(chat.turns.size() == 2);
  CHECK(chat.turns[0].text == bot::BotConfig{}.greeting);
  CHECK(chat.turns[1].text == bot::BotConfig{}.fallback);
  CHECK(b.handoff_notice("sms", "hello") == bot::BotConfig{}.handoff_notice);
}

TEST_CASE("greetings and fallbacks follow the message's language when it is clear") {
  bot::LocalBot b(worded_bot());
  // Spanish (ñ, ¿): greeting, fallback and notice in Spanish on a chat channel.
  auto es = b.respond("¿Dónde está mi pedido? Soy el señor García", true, {}, "whatsapp");
  REQUIRE(es.turns.size() == 2);
  CHECK(es.turns[0].text == "¡Hola! Soy el asistente automático.");
  CHECK(es.turns[1].text == "Perdón, no lo entendí. ¿Puede decirlo de otra forma?");
  CHECK(b.handoff_notice("sms", "¿hay alguien?") ==
        "Gracias. Una persona de nuestro equipo le atenderá enseguida.");
  // Spanish by email: its own letter for the greeting; the fallback, not given for Spanish
  // email, is the email letter (a channel's form before a language's chat line).
  auto es_mail = b.respond("¿Dónde está mi pedido? Soy el señor García", true, {}, "email");
  REQUIRE(es_mail.turns.size() == 2);
  CHECK(es_mail.turns[0].text == "Hola:\n\ngracias por su correo.\n\nUn saludo,\nEl asistente");
  CHECK(es_mail.turns[1].text == *bot::email_wording().fallback);
  // Russian (Cyrillic): the fallback is Russian; the greeting, not given, is the default.
  auto ru = b.respond("где мой заказ?", true, {}, "sms");
  REQUIRE(ru.turns.size() == 2);
  CHECK(ru.turns[0].text == bot::BotConfig{}.greeting);
  CHECK(ru.turns[1].text == "Извините, я не понял. Можете сказать иначе?");
  // Not clear (plain Latin letters, or signs of two languages): the channel's or the default.
  auto en = b.respond("Who can I talk to in sales?", true, {}, "webchat");
  CHECK(en.turns[0].text == "Hi! Ask me anything.");
  auto mixed = b.respond("¿Dónde? где мой заказ", true, {}, "sms");
  CHECK(mixed.turns[0].text == bot::BotConfig{}.greeting);
}

TEST_CASE("bot wordings are validated: language codes of the packs, named channels") {
  bot::BotConfig c = shop_bot();
  c.languages["xx"].wording.greeting = "?";
  auto why = bot::validate(c);
  REQUIRE(why);
  CHECK(why->find("unknown language 'xx'") != std::string::npos);
  CHECK(why->find("known: en") != std::string::npos);
  bot::BotConfig d = shop_bot();
  d.channels[""].greeting = "?";
  REQUIRE(bot::validate(d));
  CHECK(bot::validate(worded_bot()) == std::nullopt);
}

TEST_CASE_FIXTURE(BotFixture, "an email conversation gets letters; a Spanish one Spanish lines") {
  inbox.set_bot(std::make_shared<bot::LocalBot>(worded_bot()));
  auto mail = ingest("email", "m1", "ana@example.com", "I have a question about my invoice");
  auto texts = bot_texts(mail->conversation_id);
  REQUIRE(texts.size() == 2);
  CHECK(texts[0] == *bot::email_wording().greeting);
  CHECK(texts[1] == *bot::email_wording().fallback);
  // A second fallback hands off (threshold 2) and the notice is the email one too.
  REQUIRE(ingest("email", "m2", "ana@example.com", "qwzx").ok());
  auto c = inbox.conversation(mail->conversation_id);
  CHECK(inbox::status_name_of(*c) == "queued");
  CHECK(bot_texts(c->id()).back() == *bot::email_wording().handoff_notice);

  auto es = ingest("whatsapp", "w1", "+34", "¿Dónde está mi pedido, señor?");
  auto es_texts = bot_texts(es->conversation_id);
  REQUIRE(es_texts.size() == 2);
  CHECK(es_texts[0] == "¡Hola! Soy el asistente automático.");
  CHECK(es_texts[1] == "Perdón, no lo entendí. ¿Puede decirlo de otra forma?");
}
