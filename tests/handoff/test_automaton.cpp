// tests/handoff/test_automaton.cpp — the DFA against a naive search, dense and sparse layouts.
#include <doctest/doctest.h>

#include <algorithm>
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
  // Appended, not " " + ...: GCC 12 at -O3 warns falsely (-Wrestrict) on that operator+.
  std::string t(1, ' ');
  t += normalize(text);
  t += ' ';
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

TEST_CASE("the word-start prefilter skips nothing it should read") {
  // Words of 1..7 letters over a wider alphabet, so that most words fail the prefilter and
  // the DFA runs start and stop often; prefix forms of every length (the short ones take the
  // prefilter's slow probe); texts long enough to cross 64-byte blocks and the heap path.
  std::mt19937 rng(11);
  auto word = [&](int max_len) {
    std::string w;
    const int len = 1 + static_cast<int>(rng() % static_cast<unsigned>(max_len));
    for (int i = 0; i < len; ++i) w += static_cast<char>('a' + rng() % 8);
    return w;
  };
  for (int set = 0; set < 12; ++set) {
    std::vector<std::string> keys;
    const int nkeys = 1 + static_cast<int>(rng() % 40);
    for (int i = 0; i < nkeys; ++i) {
      std::string k(1, ' ');
      k += word(set % 3 == 0 ? 2 : 6);
      if (rng() % 3 == 0) {
        k += ' ';
        k += word(4);
      }
      if (rng() % 4) k += ' ';  // otherwise a prefix form
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    }
    const char* noise[] = {" ", "  ", ". ", "'", "’", "\n", "!", "É", "ß", "ẞ", "é", "Ёж"};
    for (const std::size_t budget : {std::size_t(0), Automaton::kDefaultDenseBudget}) {
      const Automaton a = Automaton::build(keys, budget);
      for (int trial = 0; trial < 150; ++trial) {
        std::string text;
        // Long texts: the heap path, and the longest texts kept on the stack (up to 2,111 bytes).
        const std::size_t len = trial % 25 == 0   ? 2500 + rng() % 3000
                                : trial % 25 == 1 ? 2030 + rng() % 90
                                                  : rng() % 300;
        while (text.size() < len) {
          const unsigned r = rng() % 10;
          if (r < 4) text += keys[rng() % keys.size()].substr(1);
          else if (r < 7) text += word(7);
          else text += noise[rng() % std::size(noise)];
          if (rng() % 2) text += ' ';
          if (rng() % 5 == 0) text[text.size() - 1 - rng() % std::min<std::size_t>(text.size(), 3)] ^= 0x20;
        }
        std::string folded(text.size(), '\0');
        fold_into(text, reinterpret_cast<unsigned char*>(folded.data()));
        const bool ascii = is_ascii(text);
        const std::string& input = ascii ? text : folded;  // what RuleSet hands the automaton
        const auto* p = reinterpret_cast<const unsigned char*>(input.data());
        std::vector<Automaton::Hit> hits, full;
        a.scan(p, input.size(), hits);
        a.scan_full(p, input.size(), full);
        auto sorted = [](std::vector<Automaton::Hit> h) {
          std::vector<std::pair<std::uint32_t, std::uint32_t>> v;
          for (const auto& x : h) v.emplace_back(x.key, x.end);
          std::sort(v.begin(), v.end());
          return v;
        };
        std::map<std::string, int> got;
        for (const auto& h : hits) ++got[a.key(h.key)];
        CAPTURE(set);
        CAPTURE(budget);
        CAPTURE(text);
        CHECK(sorted(hits) == sorted(full));  // same keys at the same ends
        CHECK(got == naive(keys, text));
      }
    }
  }
}
