// tests/handoff/test_automaton.cpp — the DFA against a naive search, dense and sparse layouts.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "services/handoff/automaton.h"
#include "services/handoff/normalizer.h"

using namespace sb::handoff;

namespace {

// Occurrences (key, number of times) the naive way: over " " + normalize(text) + " ".
std::map<std::string, int> naive(const std::vector<std::string>& keys, std::string_view text) {
  const std::string t = " " + normalize(text) + " ";
  std::map<std::string, int> out;
  for (const auto& k : keys)
    for (std::size_t at = t.find(k); at != std::string::npos; at = t.find(k, at + 1)) ++out[k];
  return out;
}

}  // namespace

TEST_CASE("automaton finds what a naive search finds, in every layout and lane split") {
  std::mt19937 rng(7);
  const char* alphabet[] = {"a", "b", "ab", "ba", "aa", "c"};
  std::vector<std::string> keys;
  for (int i = 0; i < 60; ++i) {
    std::string k = " ";
    const int words = 1 + static_cast<int>(rng() % 3);
    for (int w = 0; w < words; ++w) {
      if (w) k += ' ';
      k += alphabet[rng() % 6];
      if (rng() % 2) k += alphabet[rng() % 6];
    }
    if (rng() % 4) k += ' ';  // otherwise a prefix form
    bool dup = false;
    for (const auto& e : keys) dup |= e == k;
    if (!dup) keys.push_back(k);
  }
  const char* pieces[] = {"a", "b", "c", " ", "  ", "'", "A", "B", "!", "\n", "é", "’"};
  for (const std::size_t budget : {std::size_t(0), std::size_t(2048), Automaton::kDefaultDenseBudget}) {
    const Automaton a = Automaton::build(keys, budget);
    for (int trial = 0; trial < 400; ++trial) {
      std::string text;
      const int len = static_cast<int>(rng() % 200);
      for (int i = 0; i < len; ++i) text += pieces[rng() % 12];
      std::string folded(text.size(), '\0');
      fold_into(text, reinterpret_cast<unsigned char*>(folded.data()));
      std::vector<Automaton::Hit> hits;
      a.scan(reinterpret_cast<const unsigned char*>(folded.data()), folded.size(), hits);
      std::map<std::string, int> got;
      for (const auto& h : hits) ++got[a.key(h.key)];
      CAPTURE(budget);
      CAPTURE(text);
      CHECK(got == naive(keys, text));
    }
  }
}
