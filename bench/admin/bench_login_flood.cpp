// bench_login_flood [CLIENTS] [SECONDS] — prints figures, never passes or fails.
//
// What a password flood does to everyone else. A real AdminRouter + HttpServer on a loopback
// port (the fixture of tests/admin) with the real PBKDF2 cost (210,000 iterations). Baseline:
// GET /healthz latency with nothing else running. Then CLIENTS threads (default 16) log in as
// fast as they are answered for SECONDS (default 10), half with the right password (every one
// a full hash: successes are never throttled) and half with wrong ones for other accounts,
// while /healthz is timed again. The ratio of the two p50s is what a flood costs the page;
// hashing on the event loop made it 40x (35 ms -> 1.5 s at 16 clients).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "bench/support/bench_support.h"
#include "services/admin/auth.h"
#include "tests/admin/admin_fixture.h"

using namespace sb::test;
using sb::bench::ms_since;
using sb::bench::percentile;
using Steady = sb::bench::Steady;

namespace {

std::vector<double> time_healthz(int port, Steady::time_point until, int max_samples) {
  std::vector<double> lat;
  while (static_cast<int>(lat.size()) < max_samples && Steady::now() < until) {
    auto t = Steady::now();
    auto r = http_call(port, "GET", "/healthz", {}, {}, {}, {});
    if (r.status == 200) lat.push_back(ms_since(t));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return lat;
}

}  // namespace

int main(int argc, char** argv) {
  const int clients = argc > 1 ? std::atoi(argv[1]) : 16;
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 10;
  AdminFixture f(sb::admin::Auth::kIterations);

  auto idle = time_healthz(f.port, Steady::now() + std::chrono::seconds(seconds), 200);
  const double idle_p50 = percentile(idle, 0.5), idle_p90 = percentile(idle, 0.9);

  std::atomic<bool> stop{false};
  std::atomic<long> ok{0}, wrong{0}, busy{0}, throttled{0}, other{0};
  std::vector<std::thread> flood;
  for (int i = 0; i < clients; ++i)
    flood.emplace_back([&, i] {
      const bool right = i % 2 == 0;
      const std::string body =
          right ? R"({"name":"root","password":"admin-pass-1"})"
                : R"({"name":"guess)" + std::to_string(i) + R"(","password":"wrong-pass-1"})";
      while (!stop) {
        auto r = f.call("POST", "/api/v1/login", {}, body);
        (r.status == 200 ? ok : r.status == 401 ? wrong : r.status == 503 ? busy
         : r.status == 429 ? throttled : other)++;
        // A client told to retry later waits as told (Retry-After: 1 s) rather than spin.
        if (r.status == 503 || r.status == 429) std::this_thread::sleep_for(std::chrono::seconds(1));
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the flood under way
  const auto t0 = Steady::now();
  auto loaded = time_healthz(f.port, t0 + std::chrono::seconds(seconds), 1 << 20);
  const double secs = ms_since(t0) / 1000;
  stop = true;
  for (auto& t : flood) t.join();
  const double p50 = percentile(loaded, 0.5), p90 = percentile(loaded, 0.9);

  std::printf("login flood: %d clients for %.1f s, PBKDF2-SHA256 at %u iterations\n", clients,
              secs, sb::admin::Auth::kIterations);
  std::printf("  answers: %ld ok, %ld wrong password, %ld busy (503), %ld throttled (429), %ld other\n",
              ok.load(), wrong.load(), busy.load(), throttled.load(), other.load());
  std::printf("  GET /healthz idle (baseline): p50 %.2f ms, p90 %.2f ms (%zu samples)\n", idle_p50,
              idle_p90, idle.size());
  std::printf("  GET /healthz during the flood: p50 %.2f ms, p90 %.2f ms (%zu samples)\n", p50, p90,
              loaded.size());
  std::printf("  flood/idle p50 ratio: %.2f\n", idle_p50 > 0 ? p50 / idle_p50 : 0.0);
  return 0;
}
