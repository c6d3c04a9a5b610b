// tests/handoff/test_normalizer.cpp — case folding, boundaries, same-length folding.
#include <doctest/doctest.h>

#include <string>

#include "services/handoff/normalizer.h"

using sb::handoff::normalize;

TEST_CASE("normalize folds case beyond ASCII and makes boundaries single spaces") {
  struct Row {
    const char* in;
    const char* out;
  };
  const Row rows[] = {
      {"Cancel   MY\nSubscription!", "cancel my subscription"},
      {"\t  hello,world  ", "hello world"},
      {"ÉMERGENCE ÀÇÑ", "émergence àçñ"},
      {"ĞÜŞİ ŁÓDŹ Œuvre", "ğüşi łódź œuvre"},
      {"ΕΠΕΊΓΟΝ ΣΟΦΟΣ", "επείγον σοφοσ"},  // final sigma folds to sigma
      {"СРОЧНО Ёлка", "срочно елка"},        // ё read as е
      {"STRASSE Straße", "strasse strasse"},
      {"I don’t want the bot", "i dont want the bot"},
      {"“quoted” «text»", "quoted text"},
      {"help😡😡now", "help now"},
      {"a\xff\xfe b\xc3", "a b"},  // invalid UTF-8 bytes are boundaries
      {"", ""},
      {"!!!", ""},
  };
  for (const auto& r : rows) {
    CAPTURE(r.in);
    CHECK(normalize(r.in) == r.out);
  }
}

TEST_CASE("fold_into keeps the length so offsets carry over") {
  const std::string in = "Ünïcödé İ ẞ ’ 😀 \xc0\x80 x";
  std::string out(in.size(), '\0');
  sb::handoff::fold_into(in, reinterpret_cast<unsigned char*>(out.data()));
  CHECK(out.size() == in.size());
  CHECK(out.substr(0, 2) == "ü");
}

TEST_CASE("is_ascii") {
  CHECK(sb::handoff::is_ascii("plain text that is long enough for the wide loop"));
  CHECK_FALSE(sb::handoff::is_ascii("plain text that is long enough for the wide loop é"));
  CHECK(sb::handoff::is_ascii(""));
}

TEST_CASE("fold_into's 8-bytes-at-a-time ASCII path agrees with the byte-by-byte table") {
  // Every ASCII byte, at every offset within an 8-byte block, next to non-ASCII text (which
  // takes the slow path) and in texts whose length is not a multiple of 8.
  auto expected = [](unsigned char c) -> unsigned char {
    if (c >= 'A' && c <= 'Z') return static_cast<unsigned char>(c + 32);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return c;
    if (c == '\'' || c == '`') return sb::handoff::kIgnore;
    return ' ';
  };
  for (int c = 0; c < 128; ++c) {
    for (std::size_t at = 0; at < 19; ++at) {
      std::string text(19, 'x');
      text[at] = static_cast<char>(c);
      for (const bool accent : {false, true}) {
        std::string t = accent ? std::string("é") : std::string();  // appended: GCC 12 -O3
        t += text;                                                    // false -Wrestrict
        std::string out(t.size(), '\0');
        sb::handoff::fold_into(t, reinterpret_cast<unsigned char*>(out.data()));
        const std::size_t base = accent ? 2 : 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
          CAPTURE(c);
          CAPTURE(i);
          REQUIRE(static_cast<unsigned char>(out[base + i]) ==
                  expected(static_cast<unsigned char>(text[i])));
        }
      }
    }
  }
}

TEST_CASE("the matcher's full folding drops accents and keeps lengths; case-only keeps them") {
  using sb::handoff::Fold;
  struct Row {
    const char* in;
    const char* out;
  };
  const Row rows[] = {
      {"ÉMERGENCE ÀÇÑ", "emergence acn"},  // people type both ways
      {"ĞÜŞİ ŁÓDŹ Œuvre", "gusi lodz œuvre"},
      {"ΕΠΕΊΓΟΝ ΣΟΦΟΣ", "επειγον σοφοσ"},  // tonos dropped too
      {"СРОЧНО Ёлка", "срочно елка"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.in);
    CHECK(normalize(r.in, Fold::full) == r.out);
  }
  CHECK(normalize("ÉMERGENCE", Fold::case_only) == "émergence");  // what the search index stores
  const std::string in = "Ünïcödé ＡＢ ؟ x";
  std::string out(in.size(), '\0');
  sb::handoff::fold_into(in, reinterpret_cast<unsigned char*>(out.data()), Fold::full);
  CHECK(out[0] == 'u');
  CHECK(static_cast<unsigned char>(out[1]) == sb::handoff::kPad);
}
