// bench/handoff/bench_matcher.cpp — ns per message for the handoff matcher, side by side with
// Hyperscan (x86 only, optional) and a naive loop of string searches, in the same run.
//
// 160-byte messages of everyday words; 1 in 8 carries one of the rule literals. Rules are
// generated: 70% one word, 20% two-word phrases, 10% prefix forms (word*). Our figure includes
// normalization (ASCII messages: the byte-class table; a second figure for messages with
// accented/Cyrillic text, which go through fold_into).
#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "services/handoff/normalizer.h"
#include "services/handoff/rule_set.h"

#ifdef SB_HAVE_HYPERSCAN
#include <hs/hs.h>
#endif

using namespace sb::handoff;
using Clock = std::chrono::steady_clock;

namespace {

const char* kCommon[] = {
    "the", "a", "to", "and", "is", "my", "i", "you", "it", "for", "on", "with", "have", "this",
    "order", "phone", "number", "hello", "thanks", "please", "when", "will", "be", "delivered",
    "can", "not", "what", "time", "open", "store", "today", "tomorrow", "address", "change",
    "how", "do", "login", "password", "reset", "account", "message", "received", "yes", "no",
    "ok", "where", "package", "tracking", "code", "sent", "again", "still", "waiting", "since",
    "monday", "question", "about", "invoice", "price", "plan", "data", "internet", "slow",
    "working", "fine", "great", "help", "need", "info", "new", "sim", "card", "activate"};

std::string random_word(std::mt19937& rng) {
  std::uniform_int_distribution<int> len(4, 9), ch('a', 'z');
  std::string w;
  const int n = len(rng);
  for (int i = 0; i < n; ++i) w.push_back(static_cast<char>(ch(rng)));
  return w;
}

std::vector<RuleInfo> make_rules(std::size_t count, std::mt19937& rng) {
  std::vector<RuleInfo> rules;
  std::uniform_int_distribution<int> kind(0, 9), prio(1, 99);
  for (std::size_t i = 0; i < count; ++i) {
    RuleInfo r;
    r.id = "r";  // appended: GCC 12 -O3 warns falsely (-Wrestrict) on "r" + std::string
    r.id += std::to_string(i);
    r.kind = TriggerKind::keyword;
    r.priority = prio(rng);
    const int k = kind(rng);
    if (k < 7) r.patterns = {random_word(rng)};
    else if (k < 9) r.patterns = {random_word(rng) + " " + random_word(rng)};
    else r.patterns = {random_word(rng) + "*"};
    rules.push_back(std::move(r));
  }
  return rules;
}

std::vector<std::string> make_messages(const std::vector<RuleInfo>& rules, std::mt19937& rng,
                                       bool unicode) {
  std::vector<std::string> msgs;
  std::uniform_int_distribution<std::size_t> common(0, std::size(kCommon) - 1),
      pick(0, rules.size() - 1);
  std::uniform_int_distribution<int> eighth(0, 7);
  const char* accents[] = {"Grüße", "café", "Ёлка", "привет", "señor", "θέμα"};
  for (int m = 0; m < 1024; ++m) {
    std::string s;
    const bool hit = eighth(rng) == 0;
    std::size_t hit_at = 80;
    while (s.size() < 160) {
      std::string w = kCommon[common(rng)];
      if (unicode && eighth(rng) == 0) w = accents[m % 6];
      if (hit && s.size() >= hit_at) {
        w = rules[pick(rng)].patterns[0];
        if (w.back() == '*') w.back() = 's';
        hit_at = 1000;
      }
      if (s.empty() || s.back() == '.') w[0] = static_cast<char>(std::toupper(w[0]));
      s += s.empty() ? "" : (eighth(rng) == 0 ? ". " : " ");
      s += w;
    }
    s.resize(160);
    msgs.push_back(std::move(s));
  }
  return msgs;
}

double thread_cpu_ns() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

// Wall-clock ns per message over 400 ms; also, in `cpu_ns`, the best of 8 slices of 50 ms
// in this thread's CPU time (time the process waited for a core, which other people's
// builds on a shared machine inflate, is not in it).
template <class F>
double ns_per_message(const std::vector<std::string>& msgs, F&& f, double* cpu_ns = nullptr) {
  std::size_t sink = 0, done = 0;
  for (const auto& m : msgs) sink += f(m);  // warm up
  const auto t0 = Clock::now();
  auto t1 = t0;
  do {
    for (const auto& m : msgs) sink += f(m);
    done += msgs.size();
    t1 = Clock::now();
  } while (t1 - t0 < std::chrono::milliseconds(400));
  if (cpu_ns) {
    *cpu_ns = 1e18;
    for (int slice = 0; slice < 8; ++slice) {
      std::size_t n = 0;
      const double c0 = thread_cpu_ns();
      const auto s0 = Clock::now();
      do {
        for (const auto& m : msgs) sink += f(m);
        n += msgs.size();
      } while (Clock::now() - s0 < std::chrono::milliseconds(50));
      *cpu_ns = std::min(*cpu_ns, (thread_cpu_ns() - c0) / static_cast<double>(n));
    }
  }
  if (sink == 42) std::puts("");  // keep the work observable
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(done);
}

#ifdef SB_HAVE_HYPERSCAN
int on_match(unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) {
  ++*static_cast<std::size_t*>(ctx);
  return 0;
}
#endif

}  // namespace

// Every default pack plus `count` generated rules matched against the messages `passes`
// times, untimed: for counting instructions and branch misses under
// valgrind --tool=cachegrind --branch-sim=yes, which a busy machine does not disturb (run it
// with 0 and with N passes; the difference over N * 1,024 is the cost of one message).
int fixed_passes(int passes, std::size_t count, bool unicode) {
  std::mt19937 rng(static_cast<unsigned>(count));
  const auto rules = make_rules(count, rng);
  const auto msgs = make_messages(rules, rng, false);
  const auto msgs_u = make_messages(rules, rng, true);
  auto all = RuleSet::default_rules();
  all.insert(all.end(), rules.begin(), rules.end());
  auto set = RuleSet::compile(all, HandoffSettings{}, {});
  if (!set) return 1;
  std::size_t hits = 0;
  for (int p = 0; p < passes; ++p)
    for (const auto& m : unicode ? msgs_u : msgs) hits += set.value()->match(m).handoff;
  std::printf("%zu handoffs\n", hits);
  return 0;
}

// Usage: bench_matcher [RULE_COUNT...] (default 100 1000 10000)
//        bench_matcher --passes N [--unicode] RULE_COUNT (see fixed_passes)
int main(int argc, char** argv) {
  if (argc >= 4 && std::strcmp(argv[1], "--passes") == 0) {
    const bool unicode = argc >= 5 && std::strcmp(argv[3], "--unicode") == 0;
    return fixed_passes(std::atoi(argv[2]), std::strtoul(argv[unicode ? 4 : 3], nullptr, 10),
                        unicode);
  }
  std::vector<std::size_t> counts;
  for (int i = 1; i < argc; ++i) counts.push_back(std::strtoul(argv[i], nullptr, 10));
  if (counts.empty()) counts = {100, 1000, 10000};
  std::printf("ns/msg = wall clock; cpu = best 50 ms slice of thread CPU time (see the README)\n");
  std::printf("%-7s %-24s %10s %12s %12s %8s\n", "rules", "engine", "ns/msg", "compile ms",
              "memory KiB", "hits%");
  for (const std::size_t count : counts) {
    if (count == 0) {
      std::fprintf(stderr, "usage: bench_matcher [RULE_COUNT...] (each at least 1)\n");
      return 2;
    }
    std::mt19937 rng(static_cast<unsigned>(count));
    const auto rules = make_rules(count, rng);
    const auto msgs = make_messages(rules, rng, false);
    const auto msgs_u = make_messages(rules, rng, true);

    HandoffSettings plain;
    plain.frustration = false;
    const auto c0 = Clock::now();
    auto compiled = RuleSet::compile(rules, plain, {});
    const double compile_ms = std::chrono::duration<double, std::milli>(Clock::now() - c0).count();
    if (!compiled) {
      std::fprintf(stderr, "compile failed: %s\n", compiled.error().message.c_str());
      return 1;
    }
    const auto set = compiled.value();
    auto with_frustration = RuleSet::compile(rules, HandoffSettings{}, {}).value();
    std::size_t hits = 0;
    for (const auto& m : msgs) hits += set->match(m).handoff;
    const double pct = 100.0 * static_cast<double>(hits) / static_cast<double>(msgs.size());
    const double kib = static_cast<double>(set->memory_bytes()) / 1024.0;
    std::printf("%-7zu %-24s %10.1f %12.2f %12.0f %8.1f\n", count, "switchboard (ascii)",
                ns_per_message(msgs, [&](const std::string& m) { return set->match(m).handoff; }),
                compile_ms, kib, pct);
    std::printf("%-7zu %-24s %10.1f %12s %12s\n", count, "switchboard +frustration",
                ns_per_message(msgs, [&](const std::string& m) {
                  return with_frustration->match(m).handoff;
                }),
                "", "");
    const double ascii_ns =
        ns_per_message(msgs, [&](const std::string& m) { return set->match(m).handoff; });
    const double unicode_ns =
        ns_per_message(msgs_u, [&](const std::string& m) { return set->match(m).handoff; });
    std::printf("%-7zu %-24s %10.1f %12s %12s   unicode/ascii %.2fx (ascii %.1f, same run)\n",
                count, "switchboard (unicode)", unicode_ns, "", "", unicode_ns / ascii_ns, ascii_ns);

    // What a gateway runs: every default language pack (rules and suppressors) plus the
    // site's own rules. The floor is 300 ns/message and unicode at most 2x ascii.
    {
      auto all = RuleSet::default_rules();
      const std::size_t defaults = all.size();
      all.insert(all.end(), rules.begin(), rules.end());
      const auto d0 = Clock::now();
      auto full = RuleSet::compile(all, HandoffSettings{}, {});
      const double full_ms = std::chrono::duration<double, std::milli>(Clock::now() - d0).count();
      if (!full) {
        std::fprintf(stderr, "compile failed: %s\n", full.error().message.c_str());
        return 1;
      }
      std::size_t patterns = 0;
      for (const auto& r : all) patterns += r.patterns.size();
      const auto fs = full.value();
      std::size_t full_hits = 0;
      for (const auto& m : msgs) full_hits += fs->match(m).handoff;
      double fa_cpu = 0, fu_cpu = 0, plain_cpu = 0;
      const double fa =
          ns_per_message(msgs, [&](const std::string& m) { return fs->match(m).handoff; }, &fa_cpu);
      const double fu =
          ns_per_message(msgs_u, [&](const std::string& m) { return fs->match(m).handoff; }, &fu_cpu);
      ns_per_message(msgs, [&](const std::string& m) { return set->match(m).handoff; }, &plain_cpu);
      std::printf("%-7zu %-24s %10.1f %12.2f %12.0f %8.1f   cpu %.1f; %.2fx the plain set's cpu %.1f (%zu default rules + %zu, %zu patterns)\n",
                  count, "defaults+rules (ascii)", fa, full_ms,
                  static_cast<double>(fs->memory_bytes()) / 1024.0,
                  100.0 * static_cast<double>(full_hits) / static_cast<double>(msgs.size()), fa_cpu,
                  fa_cpu / plain_cpu, plain_cpu, defaults, count, patterns);
      std::printf("%-7zu %-24s %10.1f %12s %12s   cpu %.1f; unicode/ascii %.2fx wall, %.2fx cpu\n",
                  count, "defaults+rules (unicode)", fu, "", "", fu_cpu, fu / fa, fu_cpu / fa_cpu);
    }

#ifdef SB_HAVE_HYPERSCAN
    {
      std::vector<std::string> lits;
      for (const auto& r : rules) {
        std::string p = r.patterns[0];
        if (p.back() == '*') p.pop_back();
        lits.push_back(p);
      }
      std::vector<const char*> ptrs;
      std::vector<std::size_t> lens;
      std::vector<unsigned> flags(lits.size(), HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH), ids;
      for (std::size_t i = 0; i < lits.size(); ++i) {
        ptrs.push_back(lits[i].c_str());
        lens.push_back(lits[i].size());
        ids.push_back(static_cast<unsigned>(i));
      }
      hs_database_t* db = nullptr;
      hs_compile_error_t* err = nullptr;
      const auto h0 = Clock::now();
      if (hs_compile_lit_multi(ptrs.data(), flags.data(), ids.data(), lens.data(),
                               static_cast<unsigned>(lits.size()), HS_MODE_BLOCK, nullptr, &db,
                               &err) != HS_SUCCESS) {
        std::fprintf(stderr, "hyperscan: %s\n", err ? err->message : "?");
        hs_free_compile_error(err);
        return 1;
      }
      const double hs_ms = std::chrono::duration<double, std::milli>(Clock::now() - h0).count();
      hs_scratch_t* scratch = nullptr;
      hs_alloc_scratch(db, &scratch);
      std::size_t db_size = 0, scratch_size = 0;
      hs_database_size(db, &db_size);
      hs_scratch_size(scratch, &scratch_size);
      std::size_t hs_hits = 0;
      for (const auto& m : msgs) {
        std::size_t n = 0;
        hs_scan(db, m.data(), static_cast<unsigned>(m.size()), 0, scratch, on_match, &n);
        hs_hits += n > 0;
      }
      std::printf("%-7zu %-24s %10.1f %12.2f %12.0f %8.1f\n", count, "hyperscan (raw,caseless)",
                  ns_per_message(msgs,
                                 [&](const std::string& m) {
                                   std::size_t n = 0;
                                   hs_scan(db, m.data(), static_cast<unsigned>(m.size()), 0,
                                           scratch, on_match, &n);
                                   return n;
                                 }),
                  hs_ms, static_cast<double>(db_size + scratch_size) / 1024.0,
                  100.0 * static_cast<double>(hs_hits) / static_cast<double>(msgs.size()));
      hs_free_scratch(scratch);
      hs_free_database(db);
    }
#endif
    {
      std::vector<std::string> keys;
      for (const auto& r : rules) {
        std::string p = r.patterns[0];
        const bool prefix = p.back() == '*';
        if (prefix) p.pop_back();
        // Appended, not " " + ...: GCC 12 at -O3 warns falsely (-Wrestrict) on the operator+.
        std::string key(1, ' ');
        key += normalize(p);
        if (!prefix) key += ' ';
        keys.push_back(std::move(key));
      }
      // The floor of any matcher: reading each byte once (memchr for a byte that is absent).
      double memchr_cpu = 0;
      const double memchr_ns = ns_per_message(
          msgs, [&](const std::string& m) { return std::memchr(m.data(), 0x01, m.size()) != nullptr; },
          &memchr_cpu);
      std::printf("%-7zu %-24s %10.1f %12s %12s %8s   cpu %.1f\n", count, "memchr (read once)",
                  memchr_ns, "", "", "", memchr_cpu);
      std::printf("%-7zu %-24s %10.1f\n", count, "naive find() loop",
                  ns_per_message(msgs, [&](const std::string& m) {
                    std::string t(1, ' ');
                    t += normalize(m);
                    t += ' ';
                    std::size_t n = 0;
                    for (const auto& k : keys) n += t.find(k) != std::string::npos;
                    return n;
                  }));
    }
  }
  return 0;
}
