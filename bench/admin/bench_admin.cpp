// bench_admin [CONVERSATIONS] [SAMPLES] — prints figures, never passes or fails.
//
// A real AdminRouter + HttpServer on a loopback port (the fixture of tests/admin), an LMDB
// store holding CONVERSATIONS (default 10,000) conversations, one live stream open. Each sample
// ingests one inbound message (new contact, "I want a refund": a handoff) and times until its
// `event: inbox` chunk arrives on the stream: that is what an agent's page waits for. Then it
// times loading the page: GET / and every asset (gzip), plus the first API calls the page makes.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/support/bench_support.h"
#include "services/admin/assets.h"
#include "tests/admin/admin_fixture.h"

using namespace sb::test;
using Clock = sb::bench::Steady;
using sb::bench::ms_since;
using sb::bench::percentile;

int main(int argc, char** argv) {
  const int conversations = argc > 1 ? std::atoi(argv[1]) : 10000;
  const int samples = argc > 2 ? std::atoi(argv[2]) : 500;
  AdminFixture f;
  // Fill the store: many ingests posted at once share group commits.
  auto t_fill = Clock::now();
  {
    std::promise<void> all;
    int left = conversations;
    asio::post(f.io, [&] {
      for (int i = 0; i < conversations; ++i)
        f.inbox.ingest({i % 3 ? "whatsapp" : "telegram", "fill-" + std::to_string(i),
                        "+49" + std::to_string(1000000 + i), "", i % 4 ? "hello" : "refund please",
                        0, {}},
                       [&](const auto&) {
                         if (--left == 0) all.set_value();
                       });
    });
    all.get_future().get();
  }
  std::printf("stored %d conversations in %.0f ms\n", conversations, ms_since(t_fill));

  // One live stream, as an open page holds.
  asio::io_context cio;
  asio::ip::tcp::socket s(cio);
  s.connect({asio::ip::make_address("127.0.0.1"), f.port});
  std::string req = "GET /api/v1/live HTTP/1.1\r\nHost: x\r\nCookie: " + f.agent.cookie + "\r\n\r\n";
  asio::write(s, asio::buffer(req));
  std::string buf;
  auto read_until = [&](const std::string& what) {
    char tmp[8192];
    while (buf.find(what) == std::string::npos) buf.append(tmp, s.read_some(asio::buffer(tmp)));
    buf.erase(0, buf.find(what) + what.size());
  };
  read_until(": connected\n\n");
  std::vector<double> lat;
  for (int i = 0; i < samples; ++i) {
    auto t0 = Clock::now();
    asio::post(f.io, [&f, i] {
      f.inbox.ingest({"whatsapp", "bench-" + std::to_string(i), "+1" + std::to_string(5550000 + i),
                      "", "I want a refund", 0, {}},
                     [](const auto&) {});
    });
    read_until("\n\n");  // one chunk per commit: the message, the handoff, the bot's notice
    lat.push_back(ms_since(t0));
  }
  std::printf("ingest -> SSE notification, %d samples: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
              samples, percentile(lat, 0.5), percentile(lat, 0.99), *std::max_element(lat.begin(), lat.end()));

  // Page load: the document, every asset, then the page's first API calls.
  std::vector<double> loads;
  std::size_t bytes = 0;
  for (int i = 0; i < 20; ++i) {
    auto t0 = Clock::now();
    bytes = 0;
    for (const auto& a : sb::admin::assets())
      bytes += f.call("GET", a.path, {}, {}, true, "gzip").body.size();
    f.get("/api/v1/me", f.agent);
    f.get("/api/v1/handoffs", f.agent);
    loads.push_back(ms_since(t0));
  }
  std::printf("page load (%zu assets, %zu bytes gzipped, + /me + /handoffs with %d queued+): "
              "p50 %.2f ms, max %.2f ms\n",
              sb::admin::assets().size(), bytes, conversations / 4, percentile(loads, 0.5),
              *std::max_element(loads.begin(), loads.end()));
  auto t_inbox = Clock::now();
  auto inbox = f.get("/api/v1/conversations", f.agent);
  std::printf("GET /api/v1/conversations (200 newest of %d): %.2f ms, %zu bytes\n",
              conversations + samples, ms_since(t_inbox), inbox.body.size());
  auto t_stats = Clock::now();
  f.get("/api/v1/stats", f.admin);
  std::printf("GET /api/v1/stats (scan of %d conversations): %.2f ms\n", conversations + samples,
              ms_since(t_stats));
  return 0;
}
