// Login throttling (per account and per address, successes reset nothing for anyone else) and
// password hashing off the event loop, on the real HttpServer over loopback. Guesses come from
// 20 loopback addresses (127.0.0.10-29), as a guesser with many addresses would send them.
#include <doctest/doctest.h>

#include <atomic>
#include <future>

#include "services/admin/login_throttle.h"
#include "tests/admin/admin_fixture.h"

using namespace sb;
using namespace sb::test;

namespace {

// One login over its own connection from source address `from`.
HttpReply login_from(int port, const std::string& from, const std::string& name,
                     const std::string& password,
                     const std::string& content_type = "application/json") {
  HttpRequest r;
  r.method = "POST";
  r.target = "/api/v1/login";
  r.body = nlohmann::json{{"name", name}, {"password", password}}.dump();
  r.content_type = content_type;
  r.from = from;
  r.timeout_s = 60;
  return http_send(port, r);
}

std::string address(int i) { return "127.0.0." + std::to_string(10 + i % 20); }

}  // namespace

TEST_CASE("the throttle counts failures per account and per address; a success resets nothing else") {
  admin::LoginThrottle t({/*per_account=*/10, /*per_address=*/30, /*window_ms=*/60000, 4096});
  std::int64_t now = 1000;
  int admitted_guesses = 0;
  // Four guesses at root from changing addresses, then a good login to one's own account.
  for (int round = 0; round < 20; ++round) {
    for (int g = 0; g < 4; ++g)
      if (t.admit("root", address(round * 4 + g), now) == 0) ++admitted_guesses;
    REQUIRE(t.admit("ana", address(round), now) == 0);
    t.succeeded("ana", address(round), now);
    now += 100;
  }
  CHECK(admitted_guesses == 10);
  // Root is held back until its oldest failure is a minute old; ana is not.
  std::int64_t wait = t.admit("root", "127.0.0.99", now);
  CHECK(wait > 0);
  CHECK(wait <= 60000);
  CHECK(t.admit("ana", "127.0.0.99", now) == 0);
  // After the window, root may try again.
  CHECK(t.admit("root", "127.0.0.99", 1000 + 60000) == 0);
}

TEST_CASE("the throttle caps one address over all accounts and counts attempts in flight") {
  admin::LoginThrottle t({10, 30, 60000, 4096});
  int admitted = 0;
  for (int i = 0; i < 100; ++i)
    if (t.admit("user" + std::to_string(i % 10), "10.0.0.1", 5) == 0) ++admitted;
  CHECK(admitted == 30);  // not 100: the address's cap, though no account reached its own
  CHECK(t.admit("user0", "10.0.0.2", 5) == 0);  // another address still gets in
}

TEST_CASE("the throttle's memory is bounded: past the cap, new addresses share one bucket") {
  admin::LoginThrottle t({10, 3, 60000, 8});
  int admitted = 0;
  for (int i = 0; i < 1000; ++i)
    if (t.admit("(unknown)", "10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250),
                i) == 0)
      ++admitted;
  // The account's cap holds whatever the addresses; a newcomer in the shared bucket is capped.
  CHECK(admitted == 10);
}

TEST_CASE("over HTTP: at most 10 wrong guesses per account a minute from 20 addresses, with own "
          "successes interleaved; another account still logs in") {
  AdminFixture f;  // its clock stands still: every attempt falls in one window
  int checked_guesses = 0, throttled = 0;
  for (int round = 0; round < 25; ++round) {
    for (int g = 0; g < 4; ++g) {
      auto r = login_from(f.port, address(round * 4 + g), "root", "guess-" + std::to_string(g));
      if (r.status == 401) ++checked_guesses;
      if (r.status == 429) {
        ++throttled;
        CHECK_FALSE(r.retry_after.empty());
      }
    }
    CHECK(login_from(f.port, address(round), "ana", "agent-pass-1").status == 200);
  }
  CHECK(checked_guesses <= 10);
  CHECK(checked_guesses + throttled == 100);
  // The right password for root is held back too while its guesses count (ASVS's soft limit),
  // while tom, on a fresh address and on a guessed-at one, logs in.
  CHECK(login_from(f.port, "127.0.0.50", "root", "admin-pass-1").status == 429);
  CHECK(login_from(f.port, "127.0.0.51", "tom", "tech-pass-1").status == 200);
  CHECK(login_from(f.port, address(0), "tom", "tech-pass-1").status == 200);
  // A minute on, root gets in.
  f.on_io([&] {
    f.clock.advance(61000);
    return 0;
  });
  CHECK(login_from(f.port, "127.0.0.50", "root", "admin-pass-1").status == 200);
}

TEST_CASE("login takes only a JSON body (no login CSRF by form or text/plain)") {
  AdminFixture f;
  CHECK(login_from(f.port, "127.0.0.1", "root", "admin-pass-1", "text/plain").status == 415);
  CHECK(login_from(f.port, "127.0.0.1", "root", "admin-pass-1",
                   "application/x-www-form-urlencoded")
            .status == 415);
  CHECK(login_from(f.port, "127.0.0.1", "root", "admin-pass-1",
                   "application/json; charset=utf-8")
            .status == 200);
}

TEST_CASE("logins hash off the event loop: /healthz answers while they wait; a full queue says 503") {
  AdminFixture f;
  // A user whose hash takes long (millions of iterations: about a second or more per check),
  // made with an Auth of its own on the same store.
  REQUIRE(f.on_io([&] {
    admin::Auth slow(*f.store, f.clock, f.roster, 2'000'000);
    return slow.add_user("slow", "agent", "slow-pass-1").ok();
  }));
  constexpr int kLogins = 8;
  std::atomic<int> finished{0};
  std::vector<std::future<HttpReply>> logins;
  for (int i = 0; i < kLogins; ++i) {
    logins.push_back(std::async(std::launch::async, [&, i] {
      auto r = login_from(f.port, address(i), "slow", "slow-pass-1");
      ++finished;
      return r;
    }));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // The loop is free: health and the page answer while the hashing thread works through its
  // queue (each check takes far longer than a /healthz).
  for (int i = 0; i < 5; ++i) {
    auto h = http_call(f.port, "GET", "/healthz", {}, {}, {});
    CHECK(h.status == 200);
  }
  const int done_when_healthy = finished.load();
  CHECK(done_when_healthy < kLogins);
  int ok = 0, busy = 0;
  for (auto& l : logins) {
    auto r = l.get();
    if (r.status == 200) ++ok;
    if (r.status == 503) {
      ++busy;
      CHECK(r.retry_after == "1");
    }
  }
  CHECK(ok >= 1);
  CHECK(busy >= 1);  // 8 at once against a queue of 4
  CHECK(ok + busy == kLogins);
}
