// tests/support/http_client.h — blocking HTTP/1.1 over loopback for tests that talk to an admin
// server (in-process or the real binary): one connection per request. http_call is the wire;
// HttpClient keeps the session cookie and CSRF token after a login.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

namespace sb::test {

struct HttpReply {
  int status = 0;  // 0: no connection, or no answer within 10 s
  std::string body;
  std::string set_cookie, content_type, content_encoding;
  std::string content_disposition, truncated;  // Content-Disposition, X-Switchboard-Truncated
  nlohmann::json json() const {
    return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  }
  std::string error() const {
    auto j = json();
    return j.is_object() && j.contains("error") ? j["error"].get<std::string>() : "";
  }
};

// One request; `cookie`, `csrf` and `accept_encoding` are sent when not empty, and a non-empty
// body as application/json.
inline HttpReply http_call(int port, const std::string& method, const std::string& target,
                           const std::string& cookie, const std::string& csrf,
                           const std::string& body, const std::string& accept_encoding = {}) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  HttpReply out;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  beast::error_code ec;
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)},
                 ec);
  if (ec) return out;
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!cookie.empty()) req.set(http::field::cookie, cookie);
  if (!csrf.empty()) req.set("X-CSRF-Token", csrf);
  if (!accept_encoding.empty()) req.set(http::field::accept_encoding, accept_encoding);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  stream.expires_after(std::chrono::seconds(10));
  http::write(stream, req, ec);
  if (ec) return out;
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(stream, buf, res, ec);
  if (ec) return out;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  out.set_cookie = std::string(res[http::field::set_cookie]);
  out.content_type = std::string(res[http::field::content_type]);
  out.content_encoding = std::string(res[http::field::content_encoding]);
  out.content_disposition = std::string(res[http::field::content_disposition]);
  out.truncated = std::string(res["X-Switchboard-Truncated"]);
  return out;
}

class HttpClient {
 public:
  using Reply = HttpReply;

  explicit HttpClient(int port) : port_(port) {}

  Reply get(const std::string& target) { return http_call(port_, "GET", target, cookie_, csrf_, ""); }
  Reply post(const std::string& target, const nlohmann::json& body) {
    return http_call(port_, "POST", target, cookie_, csrf_, body.dump());
  }

  // Logs in; keeps the cookie and the CSRF token for the requests that follow.
  bool login(const std::string& name, const std::string& password) {
    Reply r = post("/api/v1/login", {{"name", name}, {"password", password}});
    if (r.status != 200) return false;
    cookie_ = r.set_cookie.substr(0, r.set_cookie.find(';'));
    csrf_ = r.json().value("csrf", "");
    return !cookie_.empty() && !csrf_.empty();
  }

 private:
  int port_;
  std::string cookie_, csrf_;
};

}  // namespace sb::test
