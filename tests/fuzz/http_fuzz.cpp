// tests/fuzz/http_fuzz.cpp — libFuzzer over the admin server's request path: Beast's request
// parser with the server's limits, then the AdminRouter (login off the loop, live streams, the
// JSON API with its bodies) on a real LMDB store in a temporary directory.
//
// "@S@" and "@C@" in the input stand for a live admin session cookie value and its CSRF token,
// so the fuzzer reaches the routes behind the session too. Checks, besides "no crash / no
// sanitizer report": every answer has a status from 200 to 599; every JSON answer parses;
// without the session, every /api/v1 path but login and setup answers 401 (the API's contract).
#include <stdlib.h>

#include <boost/beast/http.hpp>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "hal/clock/fake_clock.h"
#include "services/admin/admin_router.h"
#include "services/inbox/inbox.h"

namespace {

namespace http = boost::beast::http;
using sb::admin::Request;
using sb::admin::Response;

// Work handed back by the hashing thread, run on the fuzzer's thread as the io_context would.
struct Mailbox {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::function<void()>> work;
  void post(std::function<void()> f) {
    {
      std::lock_guard lock(mu);
      work.push_back(std::move(f));
    }
    cv.notify_one();
  }
  // Runs what arrives until `done` holds; aborts after 30 s (a reply that never comes is a bug).
  void run_until(const std::function<bool()>& done) {
    while (!done()) {
      std::unique_lock lock(mu);
      if (!cv.wait_for(lock, std::chrono::seconds(30), [&] { return !work.empty(); })) abort();
      auto f = std::move(work.front());
      work.pop_front();
      lock.unlock();
      f();
    }
  }
};

struct World {
  std::string dir = [] {
    char tmpl[] = "/tmp/sb-http-fuzz.XXXXXX";
    return std::string(mkdtemp(tmpl));
  }();
  sb::FakeClock clock;
  std::FILE* devnull = std::fopen("/dev/null", "w");
  sb::Log log{sb::Level::debug, devnull};
  sb::Metrics metrics;
  std::unique_ptr<sb::store::Store> store = sb::store::Store::open(dir + "/db").value();
  std::deque<std::function<void()>> posted;  // the inbox's group commits
  sb::inbox::Inbox inbox{*store, clock, log, metrics,
                         [this](std::function<void()> f) { posted.push_back(std::move(f)); }};
  sb::admin::InboxRoster roster{inbox};
  sb::admin::Auth auth{*store, clock, roster, 1000};
  sb::admin::AdminRouter router{inbox, auth, metrics, clock,
                                [] { return nlohmann::json{{"version", "fuzz"}}; }};
  Mailbox mailbox;
  std::string cookie, csrf;

  World() {
    inbox.set_rules(sb::handoff::RuleSet::embedded_default());
    inbox.subscribe([this](const auto& e) { router.on_events(e); });
    if (!auth.add_user("root", "admin", "admin-pass-1")) abort();
    bool done = false;
    auth.login("root", "admin-pass-1", "10.9.9.9",
               [this](std::function<void()> f) { mailbox.post(std::move(f)); },
               [&](sb::admin::LoginOutcome o) {
                 if (o.kind != sb::admin::LoginOutcome::Kind::ok) abort();
                 cookie = "sb_session=" + o.token;
                 csrf = auth.session(o.token)->csrf;
                 done = true;
               });
    mailbox.run_until([&] { return done; });
  }
  void run_posted() {
    while (!posted.empty()) {
      auto f = std::move(posted.front());
      posted.pop_front();
      f();
    }
  }
};

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

void check(const Request& req, const Response& res, bool with_session) {
  const unsigned status = res.result_int();
  if (status < 200 || status > 599) abort();
  auto ct = res.find(http::field::content_type);
  if (ct != res.end() && ct->value() == "application/json" && !res.body().empty() &&
      !nlohmann::json::accept(res.body()))
    abort();
  if (with_session) return;
  std::string_view target(req.target().data(), req.target().size());
  std::string_view path = target.substr(0, target.find('?'));
  if (path.substr(0, 8) == "/api/v1/" && path != "/api/v1/login" && path != "/api/v1/setup" &&
      status != 401)
    abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Never destroyed: libFuzzer ends the process with exit(), and tearing the world down then
  // (the hashing thread, the store, the router's streams) races with nothing useful to check.
  // Reachable through this pointer, so LeakSanitizer does not count it.
  static World& w = *new World;
  std::string raw(reinterpret_cast<const char*>(data), size);
  const bool with_session = raw.find("@S@") != std::string::npos;
  replace_all(raw, "@S@", w.cookie.substr(std::string("sb_session=").size()));
  replace_all(raw, "@C@", w.csrf);

  // The server's parser settings: a 256 KiB body, Beast's default 8 KiB header.
  http::request_parser<http::string_body> parser;
  parser.body_limit(256 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (used < raw.size() && !parser.is_done()) {
    std::size_t n = parser.put(boost::asio::buffer(raw.data() + used, raw.size() - used), ec);
    if (ec == http::error::need_more) break;
    if (ec) return 0;  // answered 400 by the server
    if (n == 0) break;
    used += n;
  }
  if (!parser.is_done()) return 0;
  Request req = parser.release();

  sb::admin::LiveStream live{[](const std::string&) { return true; }, [] {}};
  if (w.router.open_stream(req, std::move(live))) return 0;
  std::optional<Response> answer;
  if (w.router.handle_later(req, "10.0.0.1",
                            [](std::function<void()> f) { w.mailbox.post(std::move(f)); },
                            [&](Response r) { answer = std::move(r); })) {
    w.mailbox.run_until([&] { return answer.has_value(); });
  } else {
    answer = w.router.handle(req, "10.0.0.1");
  }
  w.run_posted();
  check(req, *answer, with_session);
  return 0;
}
