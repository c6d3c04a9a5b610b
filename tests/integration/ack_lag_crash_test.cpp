// A crash test with real processes for the outbox boundary, which is kept in memory and stored
// only when it lags too far: a child commits messages, publishes their events to a broker
// stand-in that acknowledges every batch, and is SIGKILLed at a random moment. A publisher
// started on the same store afterwards must resume no earlier than the boundary's allowed lag
// behind what the child saw acknowledged (it re-publishes at most the unacknowledged tail plus
// that lag), and must lose nothing (it resumes no later than the first unacknowledged event).
//   ack_lag_crash_test [CYCLES]        (default 20)
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>

#include "hal/clock/system_clock.h"
#include "services/broker/broker.h"
#include "services/common/bytes.h"
#include "services/inbox/inbox.h"
#include "services/sync/event_publisher.h"
#include "tests/support/temp_dir.h"

using namespace sb;

namespace {

constexpr std::uint64_t kLagEvents = 64;
// The child checks the boundary on every turn of its loop; between two checks it can move on
// by the batches acknowledged in one turn (at most max_in_flight of 5 events), so the stored
// boundary lags by at most kLagEvents plus that.
constexpr std::uint64_t kBound = kLagEvents + 16 * 5;

// Acknowledges every publish on the next turn of the loop, as a broker would, and reports the
// acknowledged sequence to the parent after the acknowledgement, so the parent knows a lower
// bound of the child's boundary.
struct AckingTransport : broker::Broker {
  boost::asio::io_context& io;
  explicit AckingTransport(boost::asio::io_context& io) : io(io) {}
  bool connected() const override { return true; }
  bool publish(const std::string&, std::string payload, bool,
               std::function<void(bool)> done) override {
    switchboard::v1::EventBatch b;
    if (!b.ParseFromString(payload) || b.events_size() == 0) _exit(5);
    const std::uint64_t last = b.events(b.events_size() - 1).seq();
    boost::asio::post(io, [done = std::move(done), last] {
      done(true);
      const std::string line = std::to_string(last) + "\n";
      if (::write(1, line.data(), line.size()) < 0) _exit(4);
    });
    return true;
  }
};

sync::EventPublisher::Limits limits() {
  sync::EventPublisher::Limits l;
  l.max_events_per_batch = 5;
  l.boundary_lag_events = kLagEvents;
  l.boundary_lag_ms = 60'000;  // longer than a cycle: only the count bounds the lag here
  return l;
}

[[noreturn]] void child(const std::string& dir, long start) {
  std::FILE* devnull = std::fopen("/dev/null", "w");
  Log log(Level::error, devnull);
  Metrics metrics;
  hal::SystemClock clock;
  auto st = store::Store::open(dir);
  if (!st) _exit(3);
  boost::asio::io_context io;
  inbox::Inbox inbox(**st, clock, log, metrics,
                     [&io](std::function<void()> f) { boost::asio::post(io, std::move(f)); });
  AckingTransport link(io);
  sync::EventPublisher events(**st, link, clock, log, metrics, "gw-crash", limits());
  inbox.subscribe([&](const auto&) { events.drain(); });
  std::function<void()> tick = [&] {  // the service's timer, here on every turn
    events.maintain();
    boost::asio::post(io, tick);
  };
  boost::asio::post(io, tick);
  long next = start;
  std::function<void()> feed = [&] {
    const long id = next++;
    inbox.ingest({"crash", "m" + std::to_string(id), "+49" + std::to_string(id % 7), "", "hello", 0, {}},
                 [](const auto&) {});
    boost::asio::post(io, feed);
  };
  boost::asio::post(io, feed);
  io.run();
  _exit(0);
}

// What a fresh publisher on the store publishes first, and the last committed sequence.
std::pair<std::uint64_t, std::uint64_t> resume_point(const std::string& dir) {
  std::FILE* devnull = std::fopen("/dev/null", "w");
  Log log(Level::error, devnull);
  Metrics metrics;
  hal::SystemClock clock;
  auto st = store::Store::open(dir);
  if (!st) {
    std::fprintf(stderr, "store does not open after a kill: %s\n", st.error().message.c_str());
    std::exit(1);
  }
  struct First : broker::Broker {
    std::uint64_t first = 0;
    bool connected() const override { return first == 0; }
    bool publish(const std::string&, std::string payload, bool, std::function<void(bool)>) override {
      switchboard::v1::EventBatch b;
      if (b.ParseFromString(payload) && b.events_size()) first = b.events(0).seq();
      return true;
    }
  } t;
  std::pair<std::uint64_t, std::uint64_t> out;
  {
    sync::EventPublisher p(**st, t, clock, log, metrics, "gw-crash", limits());
    p.drain();
    out = {t.first, p.last_seq()};
  }
  std::fclose(devnull);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--child") child(argv[2], std::atol(argv[3]));
  const int cycles = argc > 1 ? std::atoi(argv[1]) : 20;
  test::TempDir tmp;
  const std::string dir = tmp.sub("db");
  std::mt19937 rng(12345);
  long start = 0;
  int worst_resend = 0;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    int fds[2];
    if (pipe(fds) != 0) return 1;
    const pid_t pid = fork();
    if (pid == 0) {
      dup2(fds[1], 1);
      close(fds[0]);
      close(fds[1]);
      execl(argv[0], argv[0], "--child", dir.c_str(), std::to_string(start).c_str(), nullptr);
      _exit(6);
    }
    close(fds[1]);
    // Let it publish for a while, reading what it saw acknowledged.
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + rng() % 300));
    kill(pid, SIGKILL);
    std::uint64_t acked = 0;
    std::string buf;
    char c;
    while (read(fds[0], &c, 1) == 1) {
      if (c == '\n') {
        acked = std::max<std::uint64_t>(acked, std::stoull(buf));
        buf.clear();
      } else {
        buf += c;
      }
    }
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    start += 1'000'000;
    auto [first, last] = resume_point(dir);
    if (acked == 0) continue;  // killed before the first acknowledgement: nothing to bound
    // Nothing acknowledged-but-unstored beyond the lag is sent again, and nothing is skipped.
    const bool bounded = first == 0 || acked + 1 - first <= kBound;
    const bool lossless = first == 0 || first <= acked + 1;
    if (!bounded || !lossless) {
      std::fprintf(stderr, "cycle %d: saw %llu acknowledged, last %llu, restart publishes from %llu\n",
                   cycle, static_cast<unsigned long long>(acked),
                   static_cast<unsigned long long>(last), static_cast<unsigned long long>(first));
      return 1;
    }
    if (first) worst_resend = std::max(worst_resend, static_cast<int>(acked + 1 - first));
  }
  std::printf("%d kills: a restart re-published at most %d acknowledged events (bound %llu)\n",
              cycles, worst_resend, static_cast<unsigned long long>(kBound));
  return 0;
}
