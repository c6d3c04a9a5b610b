// HTTP edges on the real HttpServer: HEAD answers without a body (pipelining stays in step),
// unknown transfer codings refused, Origin checked on state changes, HSTS under TLS, error
// bodies without raw invalid UTF-8, live streams capped per session.
#include <doctest/doctest.h>

#include "tests/admin/admin_fixture.h"
#include "tests/admin/tls_fixture.h"

using namespace sb;
using namespace sb::test;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// Writes `raw` on one connection and reads until the server closes or `ms` pass.
std::string send_raw(int port, const std::string& raw, int ms = 3000) {
  asio::io_context io;
  beast::tcp_stream s(io);
  s.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  asio::write(s.socket(), asio::buffer(raw));
  std::string got;
  char buf[4096];
  s.expires_after(std::chrono::milliseconds(ms));
  for (;;) {
    beast::error_code ec;
    std::size_t n = s.read_some(asio::buffer(buf), ec);
    got.append(buf, n);
    if (ec) break;
  }
  return got;
}

bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (int k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += n;
  }
  return true;
}

}  // namespace

TEST_CASE("HEAD carries no body: a pipelined GET after it reads its own response") {
  AdminFixture f;
  std::string got = send_raw(f.port,
                             "HEAD /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                             "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  // The 401 head, then straight away the GET's status line; the 401's JSON never appears.
  auto first = got.find("HTTP/1.1 401");
  auto second = got.find("HTTP/1.1 200");
  REQUIRE(first != std::string::npos);
  REQUIRE(second != std::string::npos);
  CHECK(got.substr(first, second - first).find("log in first") == std::string::npos);
  CHECK(got.substr(0, second).rfind("\r\n\r\n") + 4 == second);
  CHECK(got.find("\"status\":\"ok\"") != std::string::npos);
}

TEST_CASE("an unknown Transfer-Encoding is refused with 400; chunked still works") {
  AdminFixture f;
  std::string got = send_raw(f.port,
                             "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Content-Type: application/json\r\nTransfer-Encoding: xchunked\r\n\r\n"
                             "2\r\n{}\r\n0\r\n\r\n");
  CHECK(got.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(got.find("Transfer-Encoding") != std::string::npos);
  std::string body = R"({"name":"root","password":"admin-pass-1"})";
  char len[16];
  std::snprintf(len, sizeof len, "%zx", body.size());
  std::string ok = send_raw(f.port,
                            "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                            "Connection: close\r\n\r\n" +
                                std::string(len) + "\r\n" + body + "\r\n0\r\n\r\n");
  CHECK(ok.rfind("HTTP/1.1 200", 0) == 0);
}

TEST_CASE("error bodies never echo raw invalid UTF-8") {
  AdminFixture f;
  std::string got = send_raw(f.port,
                             "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Transfer-Encoding: x\xff\xfe\xc3\r\n\r\n");
  auto body_at = got.find("\r\n\r\n");
  REQUIRE(body_at != std::string::npos);
  std::string body = got.substr(body_at + 4);
  CHECK(body.find("Transfer-Encoding") != std::string::npos);
  CHECK(valid_utf8(body));
  CHECK(body.find("\xef\xbf\xbd") != std::string::npos);  // U+FFFD in place of the bad bytes
}

TEST_CASE("a state change from another origin is refused; the page's own origin is served") {
  AdminFixture f;
  auto post_with_origin = [&](const std::string& target, const std::string& origin,
                              const Caller& who, const std::string& body) {
    std::string raw = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" +
                      std::to_string(f.port) + "\r\nOrigin: " + origin +
                      "\r\nContent-Type: application/json\r\nConnection: close\r\n";
    if (!who.cookie.empty()) raw += "Cookie: " + who.cookie + "\r\nX-CSRF-Token: " + who.csrf + "\r\n";
    raw += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    std::string got = send_raw(f.port, raw);
    return std::atoi(got.substr(9, 3).c_str());
  };
  const std::string login = R"({"name":"root","password":"admin-pass-1"})";
  CHECK(post_with_origin("/api/v1/login", "https://evil.example", {}, login) == 403);
  CHECK(post_with_origin("/api/v1/login", "null", {}, login) == 403);
  CHECK(post_with_origin("/api/v1/login", "http://127.0.0.1:" + std::to_string(f.port), {},
                         login) == 200);
  CHECK(post_with_origin("/api/v1/logout", "https://evil.example", f.admin, "{}") == 403);
  // Authentication still comes first: without a session it is 401, whatever the origin.
  CHECK(post_with_origin("/api/v1/logout", "https://evil.example", {}, "{}") == 401);
  CHECK(post_with_origin("/api/v1/logout", "http://127.0.0.1:" + std::to_string(f.port),
                         f.admin, "{}") == 200);
}

TEST_CASE("HTTPS answers carry Strict-Transport-Security; plain HTTP ones do not") {
  {
    AdminStack s(true);
    auto c = s.connect();
    http::request<http::string_body> req{http::verb::get, "/healthz", 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(c->tls(), req);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(c->tls(), buf, res);
    CHECK(res.result_int() == 200);
    CHECK(std::string(res[http::field::strict_transport_security]).find("max-age=") == 0);
  }
  AdminFixture f;
  std::string got = send_raw(f.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(got.find("Strict-Transport-Security") == std::string::npos);
}

TEST_CASE("live streams: a session's fifth stream ends its first") {
  AdminFixture f;
  auto open_live = [&](asio::io_context& io) {
    auto s = std::make_unique<beast::tcp_stream>(io);
    s->connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(f.port)});
    std::string raw = "GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + f.admin.cookie +
                      "\r\n\r\n";
    asio::write(s->socket(), asio::buffer(raw));
    char buf[512];
    s->expires_after(std::chrono::seconds(10));
    std::size_t n = s->read_some(asio::buffer(buf));  // the stream's head
    CHECK(std::string(buf, n).find("text/event-stream") != std::string::npos);
    return s;
  };
  asio::io_context io;
  std::vector<std::unique_ptr<beast::tcp_stream>> streams;
  for (int i = 0; i < 5; ++i) streams.push_back(open_live(io));
  // The first one was ended by the server: reading it meets the end of the stream.
  char buf[512];
  beast::error_code ec;
  streams[0]->expires_after(std::chrono::seconds(10));
  for (;;) {
    streams[0]->read_some(asio::buffer(buf), ec);
    if (ec) break;
  }
  CHECK(ec == asio::error::eof);
  // The others still get events.
  f.ingest("sms", "e1", "+4915100000001", "hello");
  streams[4]->expires_after(std::chrono::seconds(10));
  std::string got;
  while (got.find("event: inbox") == std::string::npos) {
    std::size_t n = streams[4]->read_some(asio::buffer(buf), ec);
    if (ec) break;
    got.append(buf, n);
  }
  CHECK(got.find("event: inbox") != std::string::npos);
}

TEST_CASE("live streams: logging out ends the session's streams at once") {
  AdminFixture f;
  asio::io_context io;
  beast::tcp_stream s(io);
  s.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(f.port)});
  std::string raw =
      "GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + f.admin.cookie + "\r\n\r\n";
  asio::write(s.socket(), asio::buffer(raw));
  char buf[512];
  s.expires_after(std::chrono::seconds(10));
  std::size_t n = s.read_some(asio::buffer(buf));
  REQUIRE(std::string(buf, n).find("text/event-stream") != std::string::npos);
  CHECK(f.call("POST", "/api/v1/logout", f.admin, "{}").status == 200);
  beast::error_code ec;
  s.expires_after(std::chrono::seconds(10));
  for (;;) {
    s.read_some(asio::buffer(buf), ec);
    if (ec) break;
  }
  CHECK(ec == asio::error::eof);  // ended by the server, not by the 10 s wait
}
