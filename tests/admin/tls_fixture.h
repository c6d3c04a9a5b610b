// tests/admin/tls_fixture.h — the admin server as the service wires it (AdminOptions with the
// Log, and HTTPS when asked): an Inbox on LMDB in a temp dir, a real HttpServer on a free
// loopback port with a certificate made for the test, its io_context on a thread of its own.
// The client is Beast over a real TLS connection that verifies the server's certificate.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdio>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "hal/clock/fake_clock.h"
#include "services/admin/admin_router.h"
#include "services/admin/http_server.h"
#include "services/inbox/inbox.h"
#include "tests/admin/self_signed_cert.h"
#include "tests/support/temp_dir.h"

namespace sb::test {

namespace tls_fixture {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
}  // namespace tls_fixture

struct TlsReply {
  int status = 0;
  std::string body, set_cookie;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

// One client connection, over TLS or plain TCP.
class AdminClient {
 public:
  using Stream = tls_fixture::beast::ssl_stream<tls_fixture::beast::tcp_stream>;

  // `tls_ctx` null: plain TCP.
  AdminClient(unsigned short port, tls_fixture::ssl::context* tls_ctx) {
    namespace asio = tls_fixture::asio;
    const tls_fixture::tcp::endpoint ep{asio::ip::make_address("127.0.0.1"), port};
    if (tls_ctx) {
      tls_.emplace(io_, *tls_ctx);
      tls_fixture::beast::get_lowest_layer(*tls_).connect(ep);
      // The certificate must name 127.0.0.1: verified as a browser would.
      tls_->set_verify_callback(tls_fixture::ssl::host_name_verification("127.0.0.1"));
    } else {
      plain_.emplace(io_);
      plain_->connect(ep);
    }
  }

  tls_fixture::beast::error_code handshake() {
    tls_fixture::beast::error_code ec;
    tls_->handshake(tls_fixture::ssl::stream_base::client, ec);
    return ec;
  }
  Stream& tls() { return *tls_; }

  TlsReply request(const std::string& method, const std::string& target,
                   const std::string& cookie = {}, const std::string& csrf = {},
                   const std::string& body = {}) {
    namespace http = tls_fixture::http;
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!cookie.empty()) req.set(http::field::cookie, cookie);
    if (!csrf.empty()) req.set("X-CSRF-Token", csrf);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    http::response<http::string_body> res;
    if (tls_) {
      http::write(*tls_, req);
      http::read(*tls_, buffer_, res);
    } else {
      http::write(*plain_, req);
      http::read(*plain_, buffer_, res);
    }
    return {static_cast<int>(res.result_int()), res.body(),
            std::string(res[http::field::set_cookie])};
  }

  // Reads what arrives (the live stream) until `needle` shows up or `timeout` passes.
  std::string read_until(const std::string& needle, std::chrono::milliseconds timeout) {
    std::string got(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    buffer_.consume(buffer_.size());
    std::function<void()> more = [&] {
      if (got.find(needle) != std::string::npos) return;
      auto on_read = [&](tls_fixture::beast::error_code ec, std::size_t n) {
        if (ec) return;
        got.append(chunk_, n);
        more();
      };
      if (tls_)
        tls_->async_read_some(tls_fixture::asio::buffer(chunk_), on_read);
      else
        plain_->async_read_some(tls_fixture::asio::buffer(chunk_), on_read);
    };
    more();
    io_.restart();
    io_.run_for(timeout);
    if (!io_.stopped()) {  // timed out with a read pending: cancel it before `got` goes
      (tls_ ? tls_fixture::beast::get_lowest_layer(*tls_) : *plain_).cancel();
      io_.restart();
      io_.run();
    }
    return got;
  }

 private:
  tls_fixture::asio::io_context io_;
  std::optional<Stream> tls_;
  std::optional<tls_fixture::beast::tcp_stream> plain_;
  tls_fixture::beast::flat_buffer buffer_;
  char chunk_[4096];
};

struct AdminStack {
  explicit AdminStack(bool use_tls) : tls(use_tls) {
    inbox.set_rules(handoff::RuleSet::embedded_default());
    inbox.subscribe([this](const auto& e) { router.on_events(e); });
    if (tls) {
      auto r = server.use_tls(pem.cert, pem.key);
      if (!r) throw std::runtime_error(r.error().message);
      client_tls.set_verify_mode(tls_fixture::ssl::verify_peer);
      client_tls.load_verify_file(pem.cert);
    }
    if (!server.listen("127.0.0.1", 0)) throw std::runtime_error("cannot listen");
    port = server.port();
    thread = std::thread([this] { io.run(); });
    std::string token = on_io([this] { return auth.setup_token(); });
    auto r = connect()->request(
        "POST", "/api/v1/setup", {}, {},
        nlohmann::json{{"token", token}, {"name", "root"}, {"password", "admin-pass-1"}}.dump());
    if (r.status != 200) throw std::runtime_error("setup failed: " + r.body);
    on_io([this] { return auth.add_user("tom", "technician", "tech-pass-1").ok(); });
  }
  ~AdminStack() {
    tls_fixture::asio::post(io, [this] { server.stop(); });
    work.reset();
    io.stop();
    thread.join();
    std::fclose(devnull);
  }

  // A connection, TLS handshake done when the stack speaks TLS.
  std::unique_ptr<AdminClient> connect() {
    auto c = std::make_unique<AdminClient>(port, tls ? &client_tls : nullptr);
    if (tls)
      if (auto ec = c->handshake()) throw std::runtime_error("TLS handshake: " + ec.message());
    return c;
  }

  struct Login {
    std::string cookie, csrf, set_cookie;
  };
  Login login(const std::string& name, const std::string& password) {
    auto r = connect()->request("POST", "/api/v1/login", {}, {},
                                nlohmann::json{{"name", name}, {"password", password}}.dump());
    if (r.status != 200) throw std::runtime_error("login failed: " + r.body);
    return {r.set_cookie.substr(0, r.set_cookie.find(';')), r.json()["csrf"], r.set_cookie};
  }

  template <typename Fn>
  auto on_io(Fn fn) -> decltype(fn()) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto fut = task.get_future();
    tls_fixture::asio::post(io, [&task] { task(); });
    return fut.get();
  }

  std::uint64_t ingest(const std::string& channel, const std::string& eid,
                       const std::string& sender, const std::string& text) {
    std::promise<std::uint64_t> done;
    tls_fixture::asio::post(io, [&] {
      inbox.ingest({channel, eid, sender, "", text, 0, {}},
                   [&](const auto& r) { done.set_value(r ? r->conversation_id : 0); });
    });
    return done.get_future().get();
  }

  const bool tls;
  TempDir dir;
  PemFiles pem = make_self_signed(dir.sub("admin"));
  FakeClock clock;
  std::FILE* devnull = std::fopen("/dev/null", "w");
  Log log{Level::debug, devnull};
  Metrics metrics;
  std::unique_ptr<store::Store> store = store::Store::open(dir.sub("db")).value();
  tls_fixture::asio::io_context io{1};
  tls_fixture::asio::executor_work_guard<tls_fixture::asio::io_context::executor_type> work =
      tls_fixture::asio::make_work_guard(io);
  inbox::Inbox inbox{*store, clock, log, metrics, [this](std::function<void()> f) {
                       tls_fixture::asio::post(io, std::move(f));
                     }};
  admin::InboxRoster roster{inbox};
  admin::Auth auth{*store, clock, roster, 1000};  // few iterations: tests log in often
  admin::AdminRouter router{inbox,
                            auth,
                            metrics,
                            clock,
                            [] {
                              return nlohmann::json{{"version", "test"}};
                            },
                            admin::AdminOptions{tls, &log}};
  admin::HttpServer server{io, router, log};
  tls_fixture::ssl::context client_tls{tls_fixture::ssl::context::tls_client};
  unsigned short port = 0;
  std::thread thread;
};

}  // namespace sb::test
