// SMS-SUBMIT encoding, alphabet choice and splitting boundaries.
#include <doctest/doctest.h>

#include <string>

#include "hal/modem/pdu/gsm7.h"
#include "hal/modem/pdu/pdu.h"
#include "hal/modem/pdu/split.h"

using namespace sb::pdu;

namespace {

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// Encodes, decodes every part, checks each is a submit to `to`, returns the joined text.
std::string round_trip(const SubmitRequest& req, std::size_t expected_parts = 0) {
  auto parts = encode_submit(req);
  REQUIRE(parts.ok());
  if (expected_parts) CHECK(parts->size() == expected_parts);
  std::string text;
  for (std::size_t i = 0; i < parts->size(); ++i) {
    const auto& p = (*parts)[i];
    CHECK(p.hex.substr(0, 2) == "00");
    CHECK(p.tpdu_length * 2 + 2 == p.hex.size());
    CHECK(p.tpdu_length <= 164);
    auto d = decode(p.hex);
    REQUIRE(d.ok());
    CHECK(d->type == MessageType::submit);
    CHECK(d->recipient->text == req.to);
    CHECK(d->encoding == p.encoding);
    CHECK(d->concat == p.concat);
    if (parts->size() > 1) {
      REQUIRE(p.concat);
      CHECK(p.concat->seq == i + 1);
      CHECK(p.concat->total == parts->size());
    }
    text += d->text;
  }
  return text;
}

}  // namespace

TEST_CASE("23.038 packing example: hellohello") {
  auto s = gsm7::to_septets(U"hellohello");
  REQUIRE(s);
  CHECK(gsm7::pack(*s) == std::vector<std::uint8_t>{0xE8, 0x32, 0x9B, 0xFD, 0x46, 0x97, 0xD9,
                                                      0xEC, 0x37});
}

TEST_CASE("classic SMS-SUBMIT byte for byte") {
  auto p = encode_submit({.to = "+46708251358", .text = "hellohello"});
  REQUIRE(p.ok());
  REQUIRE(p->size() == 1);
  CHECK((*p)[0].hex == "0011000B916407281553F80000AA0AE8329BFD4697D9EC37");
  CHECK((*p)[0].tpdu_length == 23);
  CHECK((*p)[0].encoding == Encoding::gsm7);
  CHECK_FALSE((*p)[0].concat);
}

TEST_CASE("options: status report, message ref, no validity, national number") {
  auto p = encode_submit({.to = "0170123456", .text = "x", .status_report = true,
                          .message_ref = 7, .validity = std::nullopt});
  REQUIRE(p.ok());
  CHECK((*p)[0].hex == "0021070A81100721436500000178");
  auto d = decode((*p)[0].hex);
  REQUIRE(d.ok());
  CHECK(d->status_report_requested);
  CHECK(d->message_ref == 7);
  CHECK(d->recipient->text == "0170123456");
}

TEST_CASE("contract example: Grüße {x} 😀 goes UCS-2 and round-trips") {
  const std::string text = "Grüße {x} 😀";
  SubmitRequest req{.to = "+491701234567", .text = text};
  CHECK(round_trip(req, 1) == text);
  CHECK(encode_submit(req)->front().encoding == Encoding::ucs2);
}

TEST_CASE("GSM 7-bit is chosen with extension characters") {
  const std::string text = "Grüße {x} [1] ~ \\ | ^ €";
  auto p = encode_submit({.to = "+491701234567", .text = text});
  REQUIRE(p.ok());
  CHECK(p->front().encoding == Encoding::gsm7);
  CHECK(round_trip({.to = "+491701234567", .text = text}, 1) == text);
}

TEST_CASE("160 / 161 GSM characters") {
  CHECK(round_trip({.to = "+1", .text = std::string(160, 'a')}, 1) == std::string(160, 'a'));
  auto p = encode_submit({.to = "+1", .text = std::string(161, 'a'), .concat_ref = 9});
  REQUIRE(p.ok());
  REQUIRE(p->size() == 2);
  CHECK(decode((*p)[0].hex)->text.size() == 153);
  CHECK(decode((*p)[1].hex)->text.size() == 8);
  CHECK((*p)[0].concat->ref == 9);
  // first, MR, DA (3), PID, DCS, VP, UDL, then 140 octets of user data.
  CHECK((*p)[0].tpdu_length == 149);
}

TEST_CASE("extension characters count twice") {
  // 80 euro signs = 160 septets: one part. 81 = 162: two parts.
  CHECK(encode_submit({.to = "+1", .text = repeat("€", 80)})->size() == 1);
  const std::string t = repeat("€", 81);
  CHECK(round_trip({.to = "+1", .text = t}, 2) == t);
}

TEST_CASE("an escape sequence is never split across parts") {
  // 152 'a' then '€' (2 septets): 154 > 153, so the euro starts part 2.
  const std::string t = std::string(152, 'a') + "€" + std::string(10, 'b');
  auto p = encode_submit({.to = "+1", .text = t});
  REQUIRE(p.ok());
  REQUIRE(p->size() == 2);
  auto d1 = decode((*p)[0].hex);
  auto d2 = decode((*p)[1].hex);
  CHECK(d1->user_data.size() == 152);
  CHECK(d1->text == std::string(152, 'a'));
  CHECK(d2->text == "€" + std::string(10, 'b'));
}

TEST_CASE("70 / 71 UCS-2 units") {
  CHECK(round_trip({.to = "+1", .text = repeat("Ж", 70)}, 1) == repeat("Ж", 70));
  auto p = encode_submit({.to = "+1", .text = repeat("Ж", 71)});
  REQUIRE(p.ok());
  REQUIRE(p->size() == 2);
  CHECK(decode((*p)[0].hex)->text == repeat("Ж", 67));
  CHECK(decode((*p)[1].hex)->text == repeat("Ж", 4));
  CHECK((*p)[0].tpdu_length <= 140 + 13);
}

TEST_CASE("a surrogate pair is never split across parts") {
  // 66 units then an emoji (2 units): 68 > 67, so the emoji starts part 2.
  const std::string t = repeat("Ж", 66) + "😀" + repeat("Ж", 10);
  auto p = encode_submit({.to = "+1", .text = t});
  REQUIRE(p.ok());
  REQUIRE(p->size() == 2);
  CHECK(decode((*p)[0].hex)->text == repeat("Ж", 66));
  CHECK(decode((*p)[1].hex)->text == "😀" + repeat("Ж", 10));
  // 35 emoji = 70 units: one part; 36 = 72: two parts of 33 + 3 emoji.
  CHECK(encode_submit({.to = "+1", .text = repeat("😀", 35)})->size() == 1);
  const std::string e = repeat("😀", 36);
  CHECK(round_trip({.to = "+1", .text = e}, 2) == e);
}

TEST_CASE("16-bit concatenation reference: one less per part") {
  SubmitRequest req{.to = "+1", .text = std::string(305, 'a'), .concat_ref = 0x1234,
                    .concat_16bit = true};
  auto p = encode_submit(req);
  REQUIRE(p.ok());
  REQUIRE(p->size() == 3);  // 152 + 152 + 1
  auto d = decode((*p)[2].hex);
  CHECK(d->concat->wide_ref);
  CHECK(d->concat->ref == 0x1234);
  CHECK(d->text == "a");
  CHECK(round_trip(req) == req.text);
  CHECK_FALSE(encode_submit({.to = "+1", .text = "x", .concat_ref = 300}).ok());
}

TEST_CASE("long mixed texts round-trip") {
  const std::string t = repeat("Grüße aus Köln! Ça va? 😀 ", 20);
  CHECK(round_trip({.to = "+491701234567", .text = t}) == t);
  const std::string g = repeat("{Hello} [World] €5 ~ ", 30);
  CHECK(round_trip({.to = "+491701234567", .text = g}) == g);
}

TEST_CASE("empty text is one empty GSM part") {
  auto p = encode_submit({.to = "+1", .text = ""});
  REQUIRE(p.ok());
  REQUIRE(p->size() == 1);
  CHECK(decode(p->front().hex)->text.empty());
}

TEST_CASE("encode errors") {
  CHECK_FALSE(encode_submit({.to = "", .text = "x"}).ok());
  CHECK_FALSE(encode_submit({.to = "+", .text = "x"}).ok());
  CHECK_FALSE(encode_submit({.to = "+49 170", .text = "x"}).ok());
  CHECK_FALSE(encode_submit({.to = "Info", .text = "x"}).ok());
  CHECK_FALSE(encode_submit({.to = std::string(21, '1'), .text = "x"}).ok());
  CHECK_FALSE(encode_submit({.to = "+1", .text = "\xC3"}).ok());          // truncated UTF-8
  CHECK_FALSE(encode_submit({.to = "+1", .text = "\xED\xA0\x80"}).ok());  // encoded surrogate
  CHECK_FALSE(encode_submit({.to = "+1", .text = "\xC0\xAF"}).ok());      // overlong
  CHECK_FALSE(encode_submit({.to = "+1", .text = std::string(153 * 255 + 1, 'a')}).ok());
  CHECK(encode_submit({.to = "+1", .text = std::string(153 * 255, 'a')})->size() == 255);
}
