// tests/support/http_client.cpp — http_send over a Beast tcp_stream.
#include "tests/support/http_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

namespace sb::test {

HttpReply http_send(int port, const HttpRequest& request) {
  namespace asio = boost::asio;
  namespace beast = boost::beast;
  namespace http = beast::http;
  HttpReply out;
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::error_code ec;
  if (!request.from.empty()) {
    auto& sock = stream.socket();
    sock.open(asio::ip::tcp::v4(), ec);
    if (!ec) sock.bind({asio::ip::make_address(request.from, ec), 0}, ec);
    if (ec) return out;
  }
  stream.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)}, ec);
  if (ec) return out;
  http::request<http::string_body> req{http::string_to_verb(request.method), request.target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!request.cookie.empty()) req.set(http::field::cookie, request.cookie);
  if (!request.csrf.empty()) req.set("X-CSRF-Token", request.csrf);
  if (!request.accept_encoding.empty()) req.set(http::field::accept_encoding, request.accept_encoding);
  if (!request.body.empty()) req.set(http::field::content_type, request.content_type);
  req.body() = request.body;
  req.prepare_payload();
  stream.expires_after(std::chrono::seconds(request.timeout_s));
  http::write(stream, req, ec);
  if (ec) return out;
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(stream, buf, res, ec);
  if (ec) return out;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  out.set_cookie = std::string(res[http::field::set_cookie]);
  out.content_type = std::string(res[http::field::content_type]);
  out.content_encoding = std::string(res[http::field::content_encoding]);
  out.retry_after = std::string(res[http::field::retry_after]);
  out.content_disposition = std::string(res[http::field::content_disposition]);
  out.truncated = std::string(res["X-Switchboard-Truncated"]);
  return out;
}

}  // namespace sb::test
