// tests/handoff/test_language_guess.cpp — a language only when the text makes it clear.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "services/handoff/language_guess.h"

using namespace sb::handoff;

TEST_CASE("clear_language: by script, by letters one language alone uses, else nothing") {
  const std::pair<const char*, const char*> clear[] = {
      {"¿Dónde está mi pedido?", "es"},   {"Quero falar com um atendente, não", "pt"},
      {"Ich möchte kündigen, Grüße", "de"}, {"ACİL! DÜKKÂNDA ELEKTRİK YOK", "tr"},
      {"Czy mogę porozmawiać z człowiekiem?", "pl"}, {"أريد التحدث مع موظف", "ar"},
      {"где мой заказ?", "ru"},            {"मुझे किसी इंसान से बात करनी है", "hi"},
      {"Θέλω να μιλήσω με κάποιον", "el"}, {"我要转人工", "zh"}};
  for (const auto& c : clear) {
    const char* text = c.first;
    const char* code = c.second;
    CAPTURE(std::string(text));
    const auto got = clear_language(text);
    REQUIRE(got);
    CHECK(*got == code);
  }
  // Plain Latin letters (English, French, Italian, Dutch, Indonesian, Hinglish), accents
  // several languages share (é, ç, ü), signs of two languages, and nothing at all.
  for (const char* text : {"Who can I talk to in sales?", "Je voudrais parler à quelqu'un",
                           "Saya mau bicara dengan CS", "mujhe agent se baat karni hai",
                           "café crème ça über", "¿Dónde? где", "", "12345 !!!"}) {
    CAPTURE(std::string(text));
    CHECK_FALSE(clear_language(text));
  }
}
