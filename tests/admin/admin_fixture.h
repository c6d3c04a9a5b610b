// tests/admin/admin_fixture.h — the admin server for real: an Inbox on LMDB in a temp dir, Auth,
// the AdminRouter and an HttpServer on a free loopback port, its io_context on a thread of its
// own (as in the service, every domain call runs there: see on_io). Requests go over TCP through
// tests/support/http_client.h, one connection each.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <cstdio>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "hal/clock/fake_clock.h"
#include "services/admin/admin_router.h"
#include "services/admin/http_server.h"
#include "services/inbox/inbox.h"
#include "tests/support/http_client.h"
#include "tests/support/store_rig.h"

namespace sb::test {

namespace asio = boost::asio;

using Reply = HttpReply;

// Who is calling: the session cookie and its CSRF token (empty: anonymous).
struct Caller {
  std::string cookie, csrf;
};

struct AdminFixture : StoreRig {
  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  inbox::Inbox inbox{*store, clock, log, metrics,
                     [this](std::function<void()> f) { asio::post(io, std::move(f)); }};
  // Few iterations by default: tests log in often (a benchmark asks for the real count).
  std::uint32_t hash_iterations;
  admin::InboxRoster roster{inbox};
  admin::Auth auth{*store, clock, roster, hash_iterations};
  admin::AdminOptions options;
  admin::AdminRouter router{inbox, auth, metrics, clock, [] {
                              return nlohmann::json{{"version", "test"},
                                                    {"uptime_s", 1},
                                                    {"storage", {{"used_bytes", 1}}},
                                                    {"mqtt", {{"connected", false}}}};
                            }, options};
  admin::HttpServer server{io, router, log};
  unsigned short port = 0;
  std::thread thread;
  Caller admin, agent, tech;

  explicit AdminFixture(std::uint32_t iterations = 1000, admin::AdminOptions o = {})
      : hash_iterations(iterations), options(o) {
    inbox.set_rules(handoff::RuleSet::embedded_default());
    inbox.subscribe([this](const auto& e) { router.on_events(e); });
    (void)inbox.upsert_department("support", "Support");
    (void)inbox.upsert_department("billing", "Billing");
    if (!server.listen("127.0.0.1", 0)) throw std::runtime_error("cannot listen");
    port = server.port();
    thread = std::thread([this] { io.run(); });
    std::string token = on_io([this] { return auth.setup_token(); });
    auto r = call("POST", "/api/v1/setup", {},
                  nlohmann::json{{"token", token}, {"name", "root"}, {"password", "admin-pass-1"}}
                      .dump());
    if (r.status != 200) throw std::runtime_error("setup failed: " + r.body);
    on_io([this] {
      (void)auth.add_user("ana", "agent", "agent-pass-1");
      (void)auth.add_user("tom", "technician", "tech-pass-1");
      return 0;
    });
    admin = login("root", "admin-pass-1");
    agent = login("ana", "agent-pass-1");
    tech = login("tom", "tech-pass-1");
  }
  ~AdminFixture() {
    asio::post(io, [this] { server.stop(); });
    work.reset();
    io.stop();
    thread.join();
  }

  // Runs `fn` on the io thread (where the inbox lives) and returns its result.
  template <typename Fn>
  auto on_io(Fn fn) -> decltype(fn()) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto fut = task.get_future();
    asio::post(io, [&task] { task(); });
    return fut.get();
  }

  // An inbound message through the real ingest path; returns its conversation id.
  std::uint64_t ingest(const std::string& channel, const std::string& eid,
                       const std::string& sender, const std::string& text) {
    std::promise<std::uint64_t> done;
    asio::post(io, [&] {
      inbox.ingest({channel, eid, sender, "", text, 0, {}}, [&](const auto& r) {
        done.set_value(r ? r->conversation_id : 0);
      });
    });
    return done.get_future().get();
  }

  Caller login(const std::string& name, const std::string& password) {
    auto r = call("POST", "/api/v1/login", {},
                  nlohmann::json{{"name", name}, {"password", password}}.dump());
    if (r.status != 200) throw std::runtime_error("login failed: " + r.body);
    return {r.set_cookie.substr(0, r.set_cookie.find(';')), r.json()["csrf"]};
  }

  Reply call(const std::string& method, const std::string& target, const Caller& who,
             const std::string& body = {}, bool send_csrf = true,
             const std::string& accept_encoding = {}) {
    return http_call(port, method, target, who.cookie, send_csrf ? who.csrf : std::string(), body,
                     accept_encoding);
  }
  Reply get(const std::string& target, const Caller& who) { return call("GET", target, who); }
  Reply post(const std::string& target, const Caller& who, const nlohmann::json& body) {
    return call("POST", target, who, body.dump());
  }
};

}  // namespace sb::test
