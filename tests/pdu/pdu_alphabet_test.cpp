// Every character of both SMS alphabets, through the codec and back (TS 23.038).
#include <doctest/doctest.h>

#include <string>

#include "hal/modem/pdu/gsm7.h"
#include "hal/modem/pdu/pdu.h"
#include "hal/modem/pdu/ucs2.h"
#include "hal/modem/pdu/utf8.h"

using namespace sb::pdu;

namespace {

std::string join_decoded(const std::vector<EncodedPart>& parts) {
  std::vector<Decoded> decoded;
  for (const auto& p : parts) {
    auto d = decode(p.hex);
    REQUIRE(d.ok());
    decoded.push_back(*d);
  }
  if (decoded.size() == 1) return decoded[0].text;
  auto r = reassemble(decoded);
  REQUIRE(r.ok());
  CHECK(r->complete);
  return r->text;
}

const std::string kDefaultAlphabet =
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const std::string kExtension = "\f^{}\\[~]|€";

}  // namespace

TEST_CASE("the default alphabet has 127 characters and each is one septet") {
  auto cps = utf8_to_code_points(kDefaultAlphabet);
  REQUIRE(cps.ok());
  CHECK(cps->size() == 127);
  auto s = gsm7::to_septets(*cps);
  REQUIRE(s);
  CHECK(s->size() == 127);
  // Septet values are 0..127 except the escape, in table order.
  std::uint8_t expected = 0;
  for (std::uint8_t v : *s) {
    if (expected == gsm7::kEscape) ++expected;
    CHECK(v == expected);
    ++expected;
  }
}

TEST_CASE("every default character round-trips through pack/unpack and a PDU") {
  auto cps = utf8_to_code_points(kDefaultAlphabet);
  REQUIRE(cps.ok());
  for (char32_t cp : *cps) {
    std::string one;
    append_utf8(one, cp);
    auto parts = encode_submit({.to = "+491701234567", .text = one});
    REQUIRE(parts.ok());
    CHECK(parts->front().encoding == Encoding::gsm7);
    CHECK(join_decoded(*parts) == one);
  }
  auto parts = encode_submit({.to = "+491701234567", .text = kDefaultAlphabet});
  REQUIRE(parts.ok());
  CHECK(parts->front().encoding == Encoding::gsm7);
  CHECK(join_decoded(*parts) == kDefaultAlphabet);
}

TEST_CASE("every extension character round-trips as two septets") {
  auto cps = utf8_to_code_points(kExtension);
  REQUIRE(cps.ok());
  CHECK(cps->size() == 10);
  for (char32_t cp : *cps) {
    std::uint8_t s[2];
    REQUIRE(gsm7::septets_for(cp, s) == 2);
    CHECK(s[0] == gsm7::kEscape);
    std::string one;
    append_utf8(one, cp);
    auto parts = encode_submit({.to = "+1", .text = one});
    REQUIRE(parts.ok());
    CHECK(parts->front().encoding == Encoding::gsm7);
    CHECK(join_decoded(*parts) == one);
  }
  const std::string all = kExtension + kDefaultAlphabet + kExtension;
  auto parts = encode_submit({.to = "+1", .text = all});
  REQUIRE(parts.ok());
  CHECK(parts->front().encoding == Encoding::gsm7);
  CHECK(join_decoded(*parts) == all);
}

TEST_CASE("unknown escapes fall back to the default table; escape-escape is a space") {
  // ESC 'A' (no extension) -> 'A'; ESC ESC -> ' '; trailing lone ESC dropped.
  const std::vector<std::uint8_t> s{0x1B, 0x41, 0x1B, 0x1B, 0x42, 0x1B};
  CHECK(gsm7::septets_to_utf8(s) == "A B");
}

TEST_CASE("characters outside GSM force UCS-2: ç, lower-case greek, cyrillic, CJK") {
  for (const char* t : {"ç", "α", "Ж", "中文", "`", "\t"}) {
    auto parts = encode_submit({.to = "+1", .text = t});
    REQUIRE(parts.ok());
    CHECK(parts->front().encoding == Encoding::ucs2);
    CHECK(join_decoded(*parts) == t);
  }
}

TEST_CASE("UCS-2 across the BMP and beyond") {
  // A sample of every 97th code point in the BMP (skipping surrogates) plus astral planes.
  std::string text;
  for (char32_t cp = 1; cp < 0x10000; cp += 97) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    append_utf8(text, cp);
  }
  for (char32_t cp : {U'\U0001F600', U'\U0001F1E9', U'\U0001F1EA', U'\U00010000', U'\U0010FFFF',
                      U'\U0002A6D6', U'\uFFFD', U'\uFEFF'}) {
    append_utf8(text, cp);
  }
  auto parts = encode_submit({.to = "+1", .text = text});
  REQUIRE(parts.ok());
  CHECK(parts->front().encoding == Encoding::ucs2);
  CHECK(join_decoded(*parts) == text);
}

TEST_CASE("every BMP code point survives UTF-16BE") {
  for (char32_t cp = 0; cp < 0x10000; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    std::vector<std::uint8_t> o;
    ucs2::append(o, cp);
    std::string expected;
    append_utf8(expected, cp);
    REQUIRE(ucs2::to_utf8(o) == expected);
  }
}

TEST_CASE("lone surrogates decode as U+FFFD") {
  CHECK(ucs2::to_utf8(std::vector<std::uint8_t>{0xD8, 0x3D}) == "\uFFFD");
  CHECK(ucs2::to_utf8(std::vector<std::uint8_t>{0xDE, 0x00, 0x00, 0x41}) == "\uFFFDA");
  CHECK(ucs2::to_utf8(std::vector<std::uint8_t>{0xD8, 0x3D, 0x00, 0x41}) == "\uFFFDA");
}
