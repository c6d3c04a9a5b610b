// bench_admin [CONVERSATIONS] [SAMPLES] [REPORT_ROWS_PER_STEP] — prints figures, never passes
// or fails.
//
// A real AdminRouter + HttpServer on a loopback port (the fixture of tests/admin), an LMDB
// store holding CONVERSATIONS (default 10,000) conversations, one live stream open. Each sample
// ingests one inbound message (new contact, "I want a refund": a handoff) and times until its
// `event: inbox` chunk arrives on the stream: that is what an agent's page waits for. Then it
// times loading the page: GET / and every asset (gzip), plus the first API calls the page makes.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
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
  // Conversations a report reads per turn of the event loop; a number above CONVERSATIONS reads
  // the whole table in one turn, as the reports did before they were stepped (the baseline).
  sb::admin::AdminOptions options;
  if (argc > 3) options.report_rows_per_step = static_cast<std::size_t>(std::atoll(argv[3]));
  AdminFixture f(1000, options);
  // Fill the store: ingests posted 500 at a time share group commits (the write queue refuses
  // what passes its cap, so a batch is waited for before the next; a refused one is counted).
  auto t_fill = Clock::now();
  int stored = 0;
  for (int from = 0; from < conversations; from += 500) {
    const int to = std::min(conversations, from + 500);
    std::promise<void> all;
    int left = to - from;
    asio::post(f.io, [&] {
      for (int i = from; i < to; ++i)
        f.inbox.ingest({i % 3 ? "whatsapp" : "telegram", "fill-" + std::to_string(i),
                        "+49" + std::to_string(1000000 + i), "", i % 4 ? "hello" : "refund please",
                        0, {}},
                       [&](const auto& outcome) {
                         if (outcome) ++stored;
                         if (--left == 0) all.set_value();
                       });
    });
    all.get_future().get();
  }
  std::printf("stored %d of %d conversations in %.0f ms\n", stored, conversations, ms_since(t_fill));

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
  auto stats = f.get("/api/v1/stats", f.admin);
  std::printf("GET /api/v1/stats (scan of %s conversations): %.2f ms\n",
              stats.json().value("conversations", nlohmann::json(0)).dump().c_str(), ms_since(t_stats));
  // What the reports cost everyone else: /healthz asked every 2 ms while a report runs, against
  // the same poll with nothing else running (the baseline). A report that held the event loop
  // for its whole scan would show up as a /healthz wait as long as the report.
  auto poll_healthz = [&](const std::function<void()>& meanwhile) {
    std::vector<double> waits;
    std::atomic<bool> stop{false};
    std::thread poller([&] {
      do {  // at least one poll, however short the report
        auto t = Clock::now();
        f.get("/healthz", f.admin);
        waits.push_back(ms_since(t));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      } while (!stop);
    });
    meanwhile();
    stop = true;
    poller.join();
    return waits;
  };
  auto idle = poll_healthz([] { std::this_thread::sleep_for(std::chrono::milliseconds(500)); });
  for (const char* report : {"/api/v1/stats", "/api/v1/export/conversations.csv"}) {
    double took = 0;
    auto busy = poll_healthz([&] {
      auto t = Clock::now();
      auto r = f.get(report, f.admin);
      took = ms_since(t);
      if (r.status != 200) std::printf("GET %s answered %d: %s\n", report, r.status, r.body.c_str());
    });
    std::printf("GET /healthz while GET %s ran (%.0f ms): p50 %.2f ms, max %.2f ms over %zu polls; "
                "idle baseline p50 %.2f ms, max %.2f ms\n",
                report, took, percentile(busy, 0.5), *std::max_element(busy.begin(), busy.end()),
                busy.size(), percentile(idle, 0.5), *std::max_element(idle.begin(), idle.end()));
  }
  return 0;
}
