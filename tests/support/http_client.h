// tests/support/http_client.h — a blocking HTTP/1.1 client for tests that talk to the real
// binary's admin API: one connection per request, the session cookie and CSRF token kept.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace sb::test {

class HttpClient {
 public:
  struct Reply {
    int status = 0;  // 0: no connection
    std::string body;
    std::string set_cookie;
    nlohmann::json json() const {
      return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    }
  };

  explicit HttpClient(int port) : port_(port) {}

  Reply get(const std::string& target) { return request(boost::beast::http::verb::get, target, ""); }
  Reply post(const std::string& target, const nlohmann::json& body) {
    return request(boost::beast::http::verb::post, target, body.dump());
  }

  // Logs in; keeps the cookie and the CSRF token for the requests that follow.
  bool login(const std::string& name, const std::string& password) {
    Reply r = post("/api/v1/login", {{"name", name}, {"password", password}});
    if (r.status != 200) return false;
    cookie_ = r.set_cookie.substr(0, r.set_cookie.find(';'));
    csrf_ = r.json().value("csrf", "");
    return !cookie_.empty() && !csrf_.empty();
  }

  Reply request(boost::beast::http::verb method, const std::string& target,
                const std::string& body) {
    namespace http = boost::beast::http;
    Reply out;
    boost::asio::io_context io;
    boost::beast::tcp_stream stream(io);
    boost::beast::error_code ec;
    stream.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)},
                   ec);
    if (ec) return out;
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!cookie_.empty()) req.set(http::field::cookie, cookie_);
    if (!csrf_.empty()) req.set("X-CSRF-Token", csrf_);
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
    }
    req.prepare_payload();
    stream.expires_after(std::chrono::seconds(10));
    http::write(stream, req, ec);
    if (ec) return out;
    boost::beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(stream, buf, res, ec);
    if (ec) return out;
    out.status = res.result_int();
    out.body = res.body();
    if (auto it = res.find(http::field::set_cookie); it != res.end())
      out.set_cookie = std::string(it->value());
    return out;
  }

 private:
  int port_;
  std::string cookie_, csrf_;
};

}  // namespace sb::test
