// A crash test with real processes: a child ingests messages through the real Inbox on a real
// LMDB file and writes each external id to a pipe only after its commit; the parent SIGKILLs
// it at random moments. After every kill the database must open, every reported id must be
// stored exactly once, and nothing else may be corrupt (records parse, indexes agree, event
// sequence numbers have no gap).
//   ingest_crash_test [CYCLES]          (default 200)
//   ingest_crash_test --child DIR START  (internal)
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "hal/clock/system_clock.h"
#include "services/common/bytes.h"
#include "services/inbox/inbox.h"
#include "services/inbox/message_log.h"
#include "tests/support/temp_dir.h"

using namespace sb;

namespace {

int child(const std::string& dir, long start) {
  std::FILE* devnull = std::fopen("/dev/null", "w");
  Log log(Level::error, devnull);
  Metrics metrics;
  hal::SystemClock clock;
  auto st = store::Store::open(dir);
  if (!st) return 3;
  boost::asio::io_context io;
  inbox::Inbox inbox(**st, clock, log, metrics,
                     [&io](std::function<void()> f) { boost::asio::post(io, std::move(f)); });
  // Keep ~64 ingests in flight so commits are grouped, as under real load.
  long next = start;
  std::function<void()> feed = [&] {
    while (inbox.pending() < 64) {
      long id = next++;
      std::string eid = "m" + std::to_string(id);
      inbox.ingest({"crash", eid, "+49" + std::to_string(id % 37), "", "text " + eid, 0, {}},
                   [eid](const Result<inbox::IngestOutcome>& r) {
                     if (!r) return;
                     std::string line = eid + "\n";
                     // Reported only now, after the commit is durable.
                     if (::write(1, line.data(), line.size()) < 0) _exit(4);
                   });
    }
    boost::asio::post(io, feed);
  };
  boost::asio::post(io, feed);
  io.run();
  return 0;
}

struct Check {
  std::size_t reported = 0, stored = 0;
  std::string problem;
};

Check verify(const std::string& dir, const std::set<std::string>& reported) {
  Check c;
  c.reported = reported.size();
  auto st = store::Store::open(dir);
  if (!st) {
    c.problem = "database does not open: " + st.error().message;
    return c;
  }
  std::map<std::string, int> seen;
  (*st)->read([&](const store::ReadTxn& r) {
    std::set<std::uint64_t> convs;
    r.scan(store::Table::conversations, {}, [&](std::string_view k, std::string_view v) {
      inbox::Conversation conv;
      if (!conv.ParseFromArray(v.data(), static_cast<int>(v.size())) || conv.id() != from_be64(k))
        c.problem = "a conversation record does not parse";
      convs.insert(conv.id());
      return c.problem.empty();
    });
    std::set<std::uint64_t> stored;
    r.scan(store::Table::messages, {}, [&](std::string_view k, std::string_view v) {
      inbox::Message m;
      if (!m.ParseFromArray(v.data(), static_cast<int>(v.size())) || m.id() != from_be64(k)) {
        c.problem = "a message record does not parse";
        return false;
      }
      if (!convs.count(m.conversation_id())) c.problem = "a message of a missing conversation";
      stored.insert(m.id());
      if (m.direction() == "in") seen[m.external_id()]++;
      return c.problem.empty();
    });
    // Every stored message is in its conversation's history, once.
    std::size_t chained = 0;
    for (std::uint64_t conv : convs) {
      bool damaged = false;
      for (const auto& m : inbox::read_history(r, conv, &damaged)) {
        if (m.conversation_id() != conv || !stored.count(m.id())) damaged = true;
        ++chained;
      }
      if (damaged && c.problem.empty()) c.problem = "a history chain disagrees with the messages";
    }
    if (c.problem.empty() && chained != stored.size())
      c.problem = "a history misses stored messages";
    std::uint64_t expect = 1;
    r.scan(store::Table::events, {}, [&](std::string_view k, std::string_view) {
      if (from_be64(k) != expect) c.problem = "event sequence has a gap at " + std::to_string(expect);
      expect++;
      return c.problem.empty();
    });
    auto last = r.get(store::Table::meta, "event_seq");
    if (c.problem.empty() && (last ? from_be64(*last) : 0) != expect - 1)
      c.problem = "event counter disagrees with the events table";
  });
  for (const auto& [eid, n] : seen)
    if (n != 1 && c.problem.empty()) c.problem = eid + " stored " + std::to_string(n) + " times";
  for (const auto& eid : reported)
    if (!seen.count(eid) && c.problem.empty()) c.problem = eid + " was reported but is missing";
  c.stored = seen.size();
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--child") == 0) return child(argv[2], std::atol(argv[3]));
  const int cycles = argc > 1 ? std::atoi(argv[1]) : 200;
  test::TempDir dir;
  const std::string db = dir.sub("db");
  std::mt19937 rng(std::random_device{}());
  std::set<std::string> reported;
  long next_id = 0;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    int fds[2];
    if (pipe(fds) != 0) return 1;
    pid_t pid = fork();
    if (pid == 0) {
      dup2(fds[1], 1);
      close(fds[0]);
      close(fds[1]);
      std::string start = std::to_string(next_id);
      execl("/proc/self/exe", argv[0], "--child", db.c_str(), start.c_str(), nullptr);
      _exit(127);
    }
    close(fds[1]);
    std::string buf;
    char chunk[65536];
    ssize_t n;
    // Kill at a random moment: every other cycle counted from the start (often before the first
    // commit), the others from the child's first reported commit, so commits are reported
    // however slowly a loaded machine starts the child.
    if (cycle % 2 == 1)
      while (buf.find('\n') == std::string::npos && (n = read(fds[0], chunk, sizeof chunk)) > 0)
        buf.append(chunk, static_cast<size_t>(n));
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 60000));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    while ((n = read(fds[0], chunk, sizeof chunk)) > 0) buf.append(chunk, static_cast<size_t>(n));
    close(fds[0]);
    // Only complete lines were reported; a torn last line was never a promise.
    std::size_t pos = 0, nl;
    while ((nl = buf.find('\n', pos)) != std::string::npos) {
      reported.insert(buf.substr(pos, nl - pos));
      pos = nl + 1;
    }
    // The next child starts with fresh ids and some the last one may have been writing.
    next_id += 200000;
    Check c = verify(db, reported);
    if (!c.problem.empty()) {
      std::fprintf(stderr, "cycle %d: %s (%zu reported, %zu stored)\n", cycle, c.problem.c_str(),
                   c.reported, c.stored);
      return 1;
    }
    if (cycle % 50 == 0 || cycle == cycles - 1)
      std::fprintf(stderr, "cycle %d: %zu ids reported, %zu stored, all exactly once\n", cycle,
                   c.reported, c.stored);
  }
  if (reported.empty()) {
    std::fprintf(stderr, "no child ever reported a commit: the test proved nothing\n");
    return 1;
  }
  return 0;
}
