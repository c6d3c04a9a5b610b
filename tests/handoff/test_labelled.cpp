// tests/handoff/test_labelled.cpp — the labelled field texts (labelled/*.tsv), each decided
// by the embedded default rules exactly as labelled: the rule that must win, or "-" for no
// handoff. One failure names the file, line, text, the verdict and what was suppressed.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "services/handoff/rule_set.h"

using namespace sb::handoff;

namespace {

std::string describe(const Verdict& v) {
  std::string s = v.handoff ? v.rule : "-";
  for (const auto& x : v.suppressed) {
    s += " [";
    s += x.rule;
    s += " suppressed: ";
    s += x.reason;
    s += "]";
  }
  return s;
}

}  // namespace

TEST_CASE("every labelled text of every language is decided as labelled") {
  auto set = RuleSet::embedded_default();
  REQUIRE(set != nullptr);
  std::size_t texts = 0, negatives = 0, files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(SB_LABELLED_DIR)) {
    if (entry.path().extension() != ".tsv") continue;
    ++files;
    std::ifstream in(entry.path());
    REQUIRE(in);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (line.empty() || line[0] == '#') continue;
      const auto tab = line.find('\t');
      REQUIRE_MESSAGE(tab != std::string::npos, entry.path().string() << ":" << number);
      const std::string expected = line.substr(0, tab), text = line.substr(tab + 1);
      const Verdict v = set->match(text);
      const std::string got = v.handoff ? v.rule : "-";
      CHECK_MESSAGE(got == expected, entry.path().filename().string()
                                         << ":" << number << " \"" << text << "\" expected "
                                         << expected << ", got " << describe(v));
      if (v.handoff) {
        REQUIRE_FALSE(v.spans.empty());
        for (const auto& s : v.spans) CHECK(s.end <= text.size());
      }
      ++texts;
      negatives += expected == "-";
    }
  }
  CHECK(files >= 14);
  CHECK(texts >= 300);
  CHECK(negatives >= 70);
}
