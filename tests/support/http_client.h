// tests/support/http_client.h — blocking HTTP/1.1 over loopback for tests that talk to an admin
// server (in-process or the real binary): one connection per request. http_send is the wire;
// HttpClient keeps the session cookie and CSRF token after a login.
//
// The Beast client behind it is compiled once (http_client.cpp) rather than in every test file
// that includes this header: its template instantiations were most of each such file's build.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace sb::test {

struct HttpReply {
  int status = 0;  // 0: no connection, or no answer within the request's timeout
  std::string body;
  std::string set_cookie, content_type, content_encoding, retry_after;
  std::string content_disposition, truncated;  // Content-Disposition, X-Switchboard-Truncated
  nlohmann::json json() const {
    return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  }
  std::string error() const {
    auto j = json();
    return j.is_object() && j.contains("error") ? j["error"].get<std::string>() : "";
  }
};

// What to send; `cookie`, `csrf` and `accept_encoding` are sent when not empty, a non-empty body
// with `content_type`.
struct HttpRequest {
  std::string method = "GET", target;
  std::string cookie, csrf, body, accept_encoding;
  std::string content_type = "application/json";
  std::string from;  // source address to bind (a loopback address such as 127.0.0.12), or any
  int timeout_s = 10;
};

// One request over its own connection to 127.0.0.1:`port`.
HttpReply http_send(int port, const HttpRequest& request);

inline HttpReply http_call(int port, const std::string& method, const std::string& target,
                           const std::string& cookie, const std::string& csrf,
                           const std::string& body, const std::string& accept_encoding = {}) {
  HttpRequest r;
  r.method = method;
  r.target = target;
  r.cookie = cookie;
  r.csrf = csrf;
  r.body = body;
  r.accept_encoding = accept_encoding;
  return http_send(port, r);
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
