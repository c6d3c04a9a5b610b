#include "services/admin/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <deque>

namespace sb::admin {

namespace beast = boost::beast;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kReadTimeout = std::chrono::seconds(30);
constexpr std::size_t kBodyLimit = 256 * 1024;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Router& router, Log& log)
      : stream_(std::move(socket)), router_(router), log_(log) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) peer_ = ep.address().to_string();
  }
  void start() { read(); }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    stream_.expires_after(kReadTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_read(ec);
                     });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset)
      return close();
    if (ec) {
      // A malformed request: a clear 400, then the connection closes.
      Request dummy;
      dummy.version(11);
      auto res = json_error(dummy, http::status::bad_request,
                            std::string("malformed HTTP request: ") + ec.message());
      res.keep_alive(false);
      return write(std::move(res));
    }
    Request req = parser_->release();
    if (router_.open_stream(req, [weak = weak_from_this()](const std::string& chunk) {
          auto self = weak.lock();
          if (!self) return false;
          self->push_stream(chunk);
          return true;
        })) {
      return start_stream();
    }
    write(router_.handle(req, peer_));
  }

  void write(Response res) {
    auto sp = std::make_shared<Response>(std::move(res));
    stream_.expires_after(kReadTimeout);
    http::async_write(stream_, *sp,
                      [self = shared_from_this(), sp](beast::error_code ec, std::size_t) {
                        if (ec || sp->need_eof()) return self->close();
                        self->read();
                      });
  }

  // Server-sent events: the response header, then one chunk per event until the client goes.
  void start_stream() {
    streaming_ = true;
    stream_.expires_never();
    std::string head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
        "Connection: keep-alive\r\nX-Accel-Buffering: no\r\n\r\n: connected\n\n";
    queue_.push_back(std::move(head));
    if (queue_.size() == 1) flush();
    // Detect the client going away: any read completing ends the stream.
    stream_.async_read_some(asio::buffer(probe_), [self = shared_from_this()](
                                                      beast::error_code, std::size_t) {
      self->close();
    });
  }
  void push_stream(const std::string& chunk) {
    if (!streaming_ || closed_) return;
    if (queue_.size() > 256) return close();  // a client that does not read is dropped
    queue_.push_back(chunk);
    if (queue_.size() == 1) flush();
  }
  void flush() {
    asio::async_write(stream_.socket(), asio::buffer(queue_.front()),
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return self->close();
                        self->queue_.pop_front();
                        if (!self->queue_.empty()) self->flush();
                      });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Router& router_;
  Log& log_;
  std::string peer_;
  bool streaming_ = false, closed_ = false;
  std::deque<std::string> queue_;
  char probe_[64];
};

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, Router& r, Log& l) : io(io), acceptor(io), router(r), log(l) {}
  void accept() {
    acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) std::make_shared<Session>(std::move(s), self->router, self->log)->start();
      self->accept();
    });
  }
  asio::io_context& io;
  tcp::acceptor acceptor;
  Router& router;
  Log& log;
};

HttpServer::HttpServer(asio::io_context& io, Router& router, Log& log)
    : impl_(std::make_shared<Impl>(io, router, log)) {}
HttpServer::~HttpServer() { stop(); }

Result<void> HttpServer::listen(const std::string& host, unsigned short port) {
  beast::error_code ec;
  auto addr = asio::ip::make_address(host, ec);
  if (ec) return fail("admin.listen: '" + host + "' is not an IP address");
  tcp::endpoint ep(addr, port);
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return fail("admin.listen: cannot listen on " + host + ":" + std::to_string(port) + ": " +
                ec.message());
  impl_->accept();
  return {};
}

unsigned short HttpServer::port() const {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void HttpServer::stop() {
  beast::error_code ec;
  impl_->acceptor.close(ec);
}

Response make_response(const Request& req, http::status status, std::string body,
                       const char* content_type) {
  Response res{status, req.version()};
  res.set(http::field::server, "switchboard");
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response json_error(const Request& req, http::status status, const std::string& message) {
  std::string body = "{\"error\":\"";
  for (char c : message) {
    if (c == '"' || c == '\\') body += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    body += c;
  }
  body += "\"}";
  return make_response(req, status, std::move(body), "application/json");
}

}  // namespace sb::admin
