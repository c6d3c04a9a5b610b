// Durable ingest through the real Inbox on a real LMDB file: throughput and ingest-to-commit
// latency with group commit and with one commit (one fsync) per message, side by side, plus the
// disk's own fsync rate as the physical limit of the second.
//   bench_ingest [DIR] [MESSAGES]   (DIR must be on the disk to measure; default ./var/bench)
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "bench/support/bench_support.h"

using namespace sb;
using bench::ms_since;
using bench::Steady;

namespace {

double fsync_rate(const std::string& dir) {
  std::string path = dir + "/fsync-probe";
  int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd < 0) return 0;
  char block[4096] = {};
  int n = 0;
  auto end = Steady::now() + std::chrono::seconds(1);
  while (Steady::now() < end) {
    if (::pwrite(fd, block, sizeof block, 0) < 0 || ::fdatasync(fd) != 0) break;
    n++;
  }
  ::close(fd);
  ::unlink(path.c_str());
  return n;
}

struct Figures {
  double per_s = 0, p50_ms = 0, p99_ms = 0, per_commit = 0;
};

// Ingests `total` messages keeping `in_flight` outstanding (as if posted by channel threads),
// or paced at `rate` per second when rate > 0. in_flight = 1 means one commit per message.
Figures run(const std::string& dir, int total, int in_flight, int rate) {
  std::filesystem::remove_all(dir);
  bench::BenchInbox b(dir, bench::BenchInbox::Posting::to_io);
  auto& io = b.io;
  auto& inbox = *b.inbox;
  std::vector<double> lat;
  lat.reserve(total);
  int sent = 0, done = 0, outstanding = 0;
  auto t0 = Steady::now();
  std::function<void()> send_one = [&] {
    auto at = Steady::now();
    int i = sent++;
    outstanding++;
    inbox.ingest({"bench", "b" + std::to_string(i), "+49151" + std::to_string(i % 1000), "",
                  "message number " + std::to_string(i) + " about an order that has not arrived",
                  0, {}},
                 [&, at](const Result<inbox::IngestOutcome>& r) {
                   if (!r) std::exit(2);
                   lat.push_back(ms_since(at));
                   done++;
                   outstanding--;
                 });
  };
  boost::asio::steady_timer pacer(io);
  std::function<void()> feed = [&] {
    if (done >= total) return io.stop();
    if (rate > 0) {
      // Paced: send what is due by now, then wake at the next 1 ms tick.
      auto due = static_cast<int>(std::chrono::duration<double>(Steady::now() - t0).count() * rate);
      while (sent < std::min(due, total)) send_one();
      pacer.expires_after(std::chrono::milliseconds(1));
      pacer.async_wait([&](auto) { feed(); });
      return;
    }
    while (sent < total && outstanding < in_flight) send_one();
    boost::asio::post(io, feed);
  };
  boost::asio::post(io, feed);
  io.run();
  double secs = std::chrono::duration<double>(Steady::now() - t0).count();
  Figures f;
  f.per_s = total / secs;
  f.p50_ms = bench::percentile(lat, 0.50);
  f.p99_ms = bench::percentile(lat, 0.99);
  f.per_commit =
      static_cast<double>(total) / static_cast<double>(b.metrics.value("switchboard_ingest_commits_total"));
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : "./var/bench";
  int total = argc > 2 ? std::atoi(argv[2]) : 50000;
  std::filesystem::create_directories(dir);
  double fs = fsync_rate(dir);
  std::printf("disk: %.0f fdatasync/s (the ceiling for one commit per message)\n", fs);
  Figures one = run(dir + "/one", std::min(total, 3000), 1, 0);
  std::printf("one commit per message: %8.0f msgs/s  p50 %6.2f ms  p99 %6.2f ms\n", one.per_s,
              one.p50_ms, one.p99_ms);
  Figures group = run(dir + "/group", total, 2000, 0);
  std::printf("group commit (saturated): %6.0f msgs/s  p50 %6.2f ms  p99 %6.2f ms  %.0f msgs/commit\n",
              group.per_s, group.p50_ms, group.p99_ms, group.per_commit);
  Figures paced = run(dir + "/paced", 5000, 0, 1000);
  std::printf("group commit at 1,000 msgs/s: p50 %6.2f ms  p99 %6.2f ms  %.1f msgs/commit\n",
              paced.p50_ms, paced.p99_ms, paced.per_commit);
  std::printf("ratio group/one-per-message: %.1fx\n", group.per_s / one.per_s);
  std::filesystem::remove_all(dir);
  return 0;
}
