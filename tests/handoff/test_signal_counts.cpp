// tests/handoff/test_signal_counts.cpp — the vector counts against a plain per-byte count.
#include <doctest/doctest.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include "services/handoff/signal_counts.h"

using namespace sb::handoff;

namespace {

SignalCounts reference(std::string_view t) {
  SignalCounts c;
  const auto* p = reinterpret_cast<const unsigned char*>(t.data());
  for (std::size_t i = 0; i < t.size(); ++i) {
    const unsigned char b = p[i], p1 = i >= 1 ? p[i - 1] : 0;
    c.upper += (b >= 'A' && b <= 'Z') || (p1 == 0xC3 && b >= 0x80 && b <= 0x9E) ||
               (p1 == 0xD0 && b >= 0x80 && b <= 0xAF) || (p1 == 0xCE && b >= 0x91 && b <= 0xA9);
    c.marks += b == '!' || b == '?';
    c.high += b >= 0x80;
  }
  for (const std::string_view m : {"\u00A1", "\u00BF", "\u061F", "\uFF01", "\uFF1F", "\u203C"})
    for (std::size_t at = t.find(m); at != std::string_view::npos; at = t.find(m, at + 1)) ++c.wide;
  return c;
}

}  // namespace

TEST_CASE("texts of 16 to 19 bytes: nothing before the text is read (exact-size buffers)") {
  // The last 16 bytes look back two bytes for their UTF-8 lead bytes: at 17 bytes that is
  // before the text. Under ASan an exact-size heap copy shows any read outside it.
  for (std::size_t n = 16; n <= 19; ++n) {
    std::string text = "\xC3\x89";  // É
    while (text.size() < n) text += "!";
    auto copy = std::make_unique<char[]>(n);
    std::memcpy(copy.get(), text.data(), n);
    const SignalCounts got = count_signals(std::string_view(copy.get(), n), false);
    const SignalCounts want = reference(text);
    CAPTURE(n);
    CHECK(got.upper == want.upper);
    CHECK(got.marks == want.marks);
    CHECK(got.high == want.high);
  }
}

TEST_CASE("signal counts agree with a per-byte count, at every length and alignment") {
  std::mt19937 rng(3);
  const char* pieces[] = {"a", "Z", "!", "?", " ", "É", "é", "Я", "я", "Ω", "ω", "¡", "¿", "؟",
                          "！", "？", "‼", "⁇", "中", "\xBC", "\xEF\xBC", "\x80\xBC", "ß"};
  for (int trial = 0; trial < 3000; ++trial) {
    std::string text;
    const std::size_t len = trial < 300 ? static_cast<std::size_t>(trial % 40) : rng() % 700;
    while (text.size() < len) text += pieces[rng() % std::size(pieces)];
    const SignalCounts want = reference(text);
    bool ascii = true;
    for (const char ch : text) ascii &= static_cast<unsigned char>(ch) < 0x80;
    const SignalCounts got = count_signals(text, ascii);
    CAPTURE(text);
    CHECK(got.upper == want.upper);
    CHECK(got.marks == want.marks);
    if (!ascii) {
      CHECK(got.high == want.high);
      CHECK(got.wide == want.wide);
    }
  }
  // Long enough for a counter to be emptied before a lane could overflow.
  const std::string shout(20000, 'A');
  CHECK(count_signals(shout, true).upper == 20000);
  std::string marks;
  for (int i = 0; i < 5000; ++i) marks += "！";
  CHECK(count_signals(marks, false).wide == 5000);
  CHECK(count_signals(marks, false).high == 15000);
}
