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
