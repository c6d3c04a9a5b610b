// bench/handoff/bench_packs.cpp — what the language packs cost a gateway at start: the time
// to build the default rule set (rules, suppressor cues, automata) and the memory it holds,
// with every pack against English alone, and against an empty rule set as the baseline.
//
// Each case runs in a child process of its own (fork), so memory already freed by one case
// cannot hide what the next one needs: the child reports its resident set (VmRSS) and its
// peak (VmHWM) after the build, and the build's own count of bytes (memory_bytes()).
// Usage: bench_packs [REPEATS] (default 7; the time is the median of the repeats).
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "services/handoff/rule_set.h"

using namespace sb::handoff;

namespace {

struct Figures {
  double build_ms = 0;
  long rss_kib = 0, hwm_kib = 0;
  double matcher_kib = 0;
};

long status_kib(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(key) + ":";
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0) return std::strtol(line.c_str() + prefix.size(), nullptr, 10);
  return -1;
}

// In the child: builds the set and writes its figures to `fd`. `languages` empty with
// `rules` false = the baseline (nothing built).
int child(int fd, bool rules, const std::vector<std::string>& languages) {
  Figures f;
  const auto t0 = std::chrono::steady_clock::now();
  std::shared_ptr<const RuleSet> set;
  if (rules) {
    HandoffSettings s;
    s.languages = languages;
    auto defaults = RuleSet::default_rules_for(languages);
    if (!defaults) return 1;
    auto compiled = RuleSet::compile(defaults.value(), s, {});
    if (!compiled) return 1;
    set = compiled.value();
    f.matcher_kib = static_cast<double>(set->memory_bytes()) / 1024.0;
  }
  f.build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  f.rss_kib = status_kib("VmRSS");
  f.hwm_kib = status_kib("VmHWM");
  return write(fd, &f, sizeof f) == static_cast<ssize_t>(sizeof f) ? 0 : 1;
}

bool run(bool rules, const std::vector<std::string>& languages, Figures& out) {
  int fds[2];
  if (pipe(fds) != 0) return false;
  const pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    close(fds[0]);
    _exit(child(fds[1], rules, languages));
  }
  close(fds[1]);
  const bool got = read(fds[0], &out, sizeof out) == static_cast<ssize_t>(sizeof out);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return got && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
  struct Case {
    const char* name;
    bool rules;
    std::vector<std::string> languages;
  };
  const std::vector<Case> cases = {
      {"baseline (no rules)", false, {}},
      {"en only", true, {"en"}},
      {"all packs", true, {}},
  };
  std::printf("%-22s %12s %12s %12s %14s   (median build time of %d runs, each in a fresh process)\n",
              "packs", "build ms", "VmRSS KiB", "VmHWM KiB", "matcher KiB", repeats);
  Figures base{};
  for (const Case& c : cases) {
    std::vector<Figures> runs;
    for (int r = 0; r < repeats; ++r) {
      Figures f;
      if (!run(c.rules, c.languages, f)) {
        std::fprintf(stderr, "case '%s' failed\n", c.name);
        return 1;
      }
      runs.push_back(f);
    }
    std::sort(runs.begin(), runs.end(),
              [](const Figures& a, const Figures& b) { return a.build_ms < b.build_ms; });
    const Figures& m = runs[runs.size() / 2];
    if (!c.rules) base = m;
    std::printf("%-22s %12.2f %12ld %12ld %14.0f   RSS +%ld KiB, peak +%ld KiB over the baseline\n",
                c.name, m.build_ms, m.rss_kib, m.hwm_kib, m.matcher_kib, m.rss_kib - base.rss_kib,
                m.hwm_kib - base.hwm_kib);
  }
  return 0;
}
