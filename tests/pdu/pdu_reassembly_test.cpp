// Reassembly of concatenated parts: order, duplicates, gaps, characters spanning parts.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "hal/modem/pdu/pdu.h"
#include "hal/modem/pdu/ucs2.h"

using namespace sb::pdu;

namespace {

std::vector<Decoded> decoded_parts(const std::string& text) {
  auto parts = encode_submit({.to = "+491701234567", .text = text, .concat_ref = 77});
  REQUIRE(parts.ok());
  std::vector<Decoded> out;
  for (const auto& p : *parts) {
    auto d = decode(p.hex);
    REQUIRE(d.ok());
    out.push_back(*d);
  }
  return out;
}

Decoded ucs2_part(std::uint8_t seq, std::uint8_t total, std::vector<std::uint8_t> payload) {
  Decoded d;
  d.encoding = Encoding::ucs2;
  d.concat = Concat{5, total, seq, false};
  d.user_data = std::move(payload);
  return d;
}

}  // namespace

TEST_CASE("parts in any order, duplicates once") {
  const std::string text = std::string(200, 'x') + "€" + std::string(200, 'y');
  auto parts = decoded_parts(text);
  REQUIRE(parts.size() == 3);
  std::reverse(parts.begin(), parts.end());
  parts.push_back(parts[1]);
  auto r = reassemble(parts);
  REQUIRE(r.ok());
  CHECK(r->complete);
  CHECK(r->missing.empty());
  CHECK(r->text == text);
}

TEST_CASE("missing parts are marked, once per gap") {
  const std::string text = std::string(700, 'z');  // 5 parts
  auto parts = decoded_parts(text);
  REQUIRE(parts.size() == 5);
  std::vector<Decoded> some{parts[0], parts[3]};  // seq 1 and 4: gaps 2-3 and 5
  auto r = reassemble(some, "<?>");
  REQUIRE(r.ok());
  CHECK_FALSE(r->complete);
  CHECK(r->missing == std::vector<std::uint8_t>{2, 3, 5});
  CHECK(r->text == std::string(153, 'z') + "<?>" + std::string(153, 'z') + "<?>");
}

TEST_CASE("a surrogate pair split by the sender's phone joins across parts") {
  // 😀 = D83D DE00, high half in part 1, low half in part 2.
  std::vector<Decoded> parts{ucs2_part(2, 2, {0xDE, 0x00, 0x00, 0x21}),
                             ucs2_part(1, 2, {0x00, 0x41, 0xD8, 0x3D})};
  auto r = reassemble(parts);
  REQUIRE(r.ok());
  CHECK(r->text == "A😀!");
}

TEST_CASE("an escape split by the sender's phone joins across parts") {
  Decoded a;
  a.encoding = Encoding::gsm7;
  a.concat = Concat{1, 2, 1, false};
  a.user_data = {0x41, 0x1B};
  Decoded b = a;
  b.concat->seq = 2;
  b.user_data = {0x65, 0x42};
  auto r = reassemble(std::vector<Decoded>{a, b});
  REQUIRE(r.ok());
  CHECK(r->text == "A€B");
}

TEST_CASE("mixed encodings between parts are decoded per run") {
  Decoded a;
  a.encoding = Encoding::gsm7;
  a.concat = Concat{1, 2, 1, false};
  a.user_data = {0x41};
  Decoded b = ucs2_part(2, 2, {0x04, 0x16});
  b.concat->ref = 1;
  auto r = reassemble(std::vector<Decoded>{b, a});
  REQUIRE(r.ok());
  CHECK(r->text == "AЖ");
}

TEST_CASE("reassembly errors") {
  CHECK_FALSE(reassemble(std::vector<Decoded>{}).ok());
  CHECK_FALSE(reassemble(std::vector<Decoded>{Decoded{}}).ok());
  std::vector<Decoded> mismatch{ucs2_part(1, 2, {0, 0x41}), ucs2_part(2, 3, {0, 0x42})};
  CHECK_FALSE(reassemble(mismatch).ok());
  auto other_ref = ucs2_part(2, 2, {0, 0x42});
  other_ref.concat->ref = 6;
  CHECK_FALSE(reassemble(std::vector<Decoded>{ucs2_part(1, 2, {0, 0x41}), other_ref}).ok());
}
