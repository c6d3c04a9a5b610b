// HTTPS on the admin port: a real HttpServer with a certificate made in the test, real TLS
// clients (Beast over OpenSSL) that verify it, and what must never happen: the page served
// without TLS, a weak protocol accepted, or a bad certificate crashing the start.
#include <doctest/doctest.h>
#include <openssl/ssl.h>

#include <fstream>

#include "tests/admin/tls_fixture.h"

using namespace sb;
using namespace sb::test;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;

TEST_CASE("HTTPS: login sets a Secure, HttpOnly, SameSite=Strict cookie; the API works") {
  AdminStack s(true);
  auto root = s.login("root", "admin-pass-1");
  CHECK(root.set_cookie.find("; Secure") != std::string::npos);
  CHECK(root.set_cookie.find("; HttpOnly") != std::string::npos);
  CHECK(root.set_cookie.find("; SameSite=Strict") != std::string::npos);

  auto c = s.connect();  // one keep-alive connection for several requests
  auto health = c->request("GET", "/healthz");
  CHECK(health.status == 200);
  CHECK(health.json()["status"] == "ok");
  auto me = c->request("GET", "/api/v1/me", root.cookie);
  CHECK(me.status == 200);
  CHECK(me.json()["name"] == "root");
  CHECK(c->request("GET", "/api/v1/me").status == 401);
  auto out = c->request("POST", "/api/v1/logout", root.cookie, root.csrf, "{}");
  CHECK(out.status == 200);
  CHECK(out.set_cookie.find("; Secure") != std::string::npos);
  CHECK(out.set_cookie.find("Max-Age=0") != std::string::npos);
}

TEST_CASE("plain HTTP: the session cookie is not marked Secure") {
  AdminStack s(false);
  auto root = s.login("root", "admin-pass-1");
  CHECK(root.set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(root.set_cookie.find("Secure") == std::string::npos);
}

TEST_CASE("HTTPS: a plain HTTP request to the TLS port is answered 400 and never served") {
  AdminStack s(true);
  AdminClient plain(s.port, nullptr);
  auto r = plain.request("GET", "/healthz");
  CHECK(r.status == 400);
  CHECK(r.body.find("HTTPS only") != std::string::npos);
  CHECK(r.body.find("\"status\"") == std::string::npos);
  // The server still serves TLS clients afterwards.
  CHECK(s.connect()->request("GET", "/healthz").status == 200);
}

TEST_CASE("HTTPS: a client that offers only TLS 1.1 is refused") {
  AdminStack s(true);
  ssl::context old(ssl::context::tls_client);
  SSL_CTX_set_security_level(old.native_handle(), 0);  // let the client offer TLS 1.1 at all
  SSL_CTX_set_min_proto_version(old.native_handle(), TLS1_VERSION);
  SSL_CTX_set_max_proto_version(old.native_handle(), TLS1_1_VERSION);
  old.set_verify_mode(ssl::verify_none);
  AdminClient c(s.port, &old);
  CHECK(static_cast<bool>(c.handshake()));  // an error
}

TEST_CASE("HTTPS: the live stream (server-sent events) works over TLS") {
  AdminStack s(true);
  auto root = s.login("root", "admin-pass-1");
  auto c = s.connect();
  http::request<http::empty_body> req{http::verb::get, "/api/v1/live", 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::cookie, root.cookie);
  http::write(c->tls(), req);
  auto head = c->read_until(": connected", std::chrono::seconds(5));
  CHECK(head.find("text/event-stream") != std::string::npos);
  REQUIRE(head.find(": connected") != std::string::npos);
  s.ingest("sms", "sse-1", "+4930", "hello over TLS");
  auto event = c->read_until("event: inbox", std::chrono::seconds(5));
  CHECK(event.find("event: inbox") != std::string::npos);
  CHECK(event.find("MESSAGE_IN") != std::string::npos);
}

namespace {
struct NoRoutes : admin::Router {
  admin::Response handle(const admin::Request& req, const std::string&) override {
    return admin::json_error(req, admin::http::status::not_found, "none");
  }
};
}  // namespace

TEST_CASE("HTTPS: a certificate or key that cannot be used is a clear error naming the file") {
  TempDir dir;
  auto good = make_self_signed(dir.sub("good"));
  std::string other_key = make_other_key(dir.sub("other.key"));
  std::string garbage = dir.sub("garbage.pem");
  std::ofstream(garbage) << "this is not a certificate\n";
  asio::io_context io;
  NoRoutes router;
  std::FILE* devnull = std::fopen("/dev/null", "w");
  Log log(Level::debug, devnull);

  auto error_of = [&](const std::string& cert, const std::string& key) {
    admin::HttpServer server(io, router, log);
    auto r = server.use_tls(cert, key);
    CHECK_FALSE(server.tls());
    return r ? std::string("(no error)") : r.error().message;
  };
  auto has = [](const std::string& text, const std::string& part) {
    CAPTURE(text);
    CHECK(text.find(part) != std::string::npos);
  };

  std::string missing = dir.sub("missing.crt");
  auto e = error_of(missing, good.key);
  has(e, "admin.tls_cert");
  has(e, missing);
  has(e, "No such file or directory");

  e = error_of(good.cert, dir.sub("missing.key"));
  has(e, "admin.tls_key");
  has(e, dir.sub("missing.key"));

  e = error_of(garbage, good.key);
  has(e, "admin.tls_cert");
  has(e, garbage);

  e = error_of(good.cert, garbage);
  has(e, "admin.tls_key");
  has(e, garbage);

  e = error_of(good.cert, other_key);
  has(e, "admin.tls_key");
  has(e, other_key);

  e = error_of(good.cert, good.cert);  // the certificate given as the key
  has(e, "admin.tls_key");

  admin::HttpServer ok(io, router, log);
  CHECK(ok.use_tls(good.cert, good.key));
  CHECK(ok.tls());
  std::fclose(devnull);
}
