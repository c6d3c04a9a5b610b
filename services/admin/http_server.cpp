#include "services/admin/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <deque>
#include <type_traits>

#include "services/admin/tls_context.h"

namespace sb::admin {

namespace beast = boost::beast;
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kReadTimeout = std::chrono::seconds(30);
// From accept to the end of the TLS handshake: a client that stalls there loses its slot.
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
// How long we wait for the client's close_notify before dropping the connection anyway.
constexpr auto kShutdownTimeout = std::chrono::seconds(5);
constexpr std::size_t kBodyLimit = 256 * 1024;

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One connection, plain (beast::tcp_stream) or TLS (TlsStream); the two differ only in the
// handshake at the start and the close_notify at the end.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  // `buffer` holds what was read already (the TLS detector's look at the first bytes).
  template <class... StreamArgs>
  Session(Router& router, Log& log, beast::flat_buffer buffer, StreamArgs&&... stream_args)
      : stream_(std::forward<StreamArgs>(stream_args)...),
        buffer_(std::move(buffer)),
        router_(router),
        log_(log) {
    beast::error_code ec;
    auto ep = tcp_layer().socket().remote_endpoint(ec);
    if (!ec) peer_ = ep.address().to_string();
  }

  // `handshake_by`: the TLS handshake's deadline, counted from the accept.
  void start(std::chrono::steady_clock::time_point handshake_by = {}) {
    if constexpr (kTls) {
      tcp_layer().expires_at(handshake_by);
      stream_.async_handshake(
          ssl::stream_base::server, buffer_.data(),
          [self = this->shared_from_this()](beast::error_code ec, std::size_t used) {
            if (ec) {
              self->log_.debug("admin", "TLS handshake with ", self->peer_,
                               " failed: ", ec.message());
              return self->close();
            }
            self->buffer_.consume(used);
            self->read();
          });
    } else {
      read();
    }
  }

 private:
  beast::tcp_stream& tcp_layer() { return beast::get_lowest_layer(stream_); }

  void read() {
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    tcp_layer().expires_after(kReadTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_read(ec);
                     });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream) return finish();
    if (ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == ssl::error::stream_truncated)
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
    if (router_.open_stream(req, [weak = this->weak_from_this()](const std::string& chunk) {
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
    tcp_layer().expires_after(kReadTimeout);
    http::async_write(stream_, *sp,
                      [self = this->shared_from_this(), sp](beast::error_code ec, std::size_t) {
                        if (ec) return self->close();
                        if (sp->need_eof()) return self->finish();
                        self->read();
                      });
  }

  // Server-sent events: the response header, then one chunk per event until the client goes.
  void start_stream() {
    streaming_ = true;
    tcp_layer().expires_never();
    std::string head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
        "Connection: keep-alive\r\nX-Accel-Buffering: no\r\n\r\n: connected\n\n";
    queue_.push_back(std::move(head));
    if (queue_.size() == 1) flush();
    // Detect the client going away: any read completing ends the stream. (A TLS stream allows
    // this one read alongside the writes of flush().)
    stream_.async_read_some(
        asio::buffer(probe_),
        [self = this->shared_from_this()](beast::error_code, std::size_t) { self->close(); });
  }
  void push_stream(const std::string& chunk) {
    if (!streaming_ || closed_) return;
    if (queue_.size() > 256) return close();  // a client that does not read is dropped
    queue_.push_back(chunk);
    if (queue_.size() == 1) flush();
  }
  void flush() {
    asio::async_write(stream_, asio::buffer(queue_.front()),
                      [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return self->close();
                        self->queue_.pop_front();
                        if (!self->queue_.empty() && !self->closed_) self->flush();
                      });
  }

  // The exchange is over with nothing else in flight: TLS says close_notify first (so the
  // client can tell the end from a cut), bounded in time; then the socket closes.
  void finish() {
    if constexpr (kTls) {
      if (closed_) return;
      tcp_layer().expires_after(kShutdownTimeout);
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->close(); });
    } else {
      close();
    }
  }

  // Closing the socket cancels whatever is pending (the SSE probe read, a write).
  void close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    tcp_layer().socket().shutdown(tcp::socket::shutdown_both, ec);
    tcp_layer().socket().close(ec);
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Router& router_;
  Log& log_;
  std::string peer_;
  bool streaming_ = false, closed_ = false;
  std::deque<std::string> queue_;
  char probe_[64];
};

// On an HTTPS listener: looks at the first bytes. A TLS ClientHello goes on to a TLS session;
// anything else (someone typed http://) gets a plain 400 naming the fix, and the connection
// closes. Nothing is ever served without TLS.
class TlsDetector : public std::enable_shared_from_this<TlsDetector> {
 public:
  TlsDetector(tcp::socket socket, std::shared_ptr<ssl::context> tls, Router& router, Log& log)
      : stream_(std::move(socket)), tls_(std::move(tls)), router_(router), log_(log) {}

  void start() {
    handshake_by_ = std::chrono::steady_clock::now() + kHandshakeTimeout;
    stream_.expires_at(handshake_by_);
    beast::async_detect_ssl(stream_, buffer_,
                            [self = shared_from_this()](beast::error_code ec, bool is_tls) {
                              self->on_detect(ec, is_tls);
                            });
  }

 private:
  void on_detect(beast::error_code ec, bool is_tls) {
    if (ec) return close();
    if (is_tls) {
      std::make_shared<Session<TlsStream>>(router_, log_, std::move(buffer_), std::move(stream_),
                                           *tls_)
          ->start(handshake_by_);
      return;
    }
    static constexpr std::string_view kRefusal =
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n"
        "Content-Length: 52\r\n\r\nThis address serves HTTPS only: use https:// for it\n";
    static_assert(kRefusal.size() - kRefusal.find("\r\n\r\n") - 4 == 52);
    log_.debug("admin", "plain HTTP on the HTTPS port refused");
    asio::async_write(
        stream_, asio::buffer(kRefusal.data(), kRefusal.size()),
        [self = shared_from_this()](beast::error_code, std::size_t) { self->close(); });
  }
  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::chrono::steady_clock::time_point handshake_by_;
  std::shared_ptr<ssl::context> tls_;
  Router& router_;
  Log& log_;
};

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, Router& r, Log& l) : io(io), acceptor(io), router(r), log(l) {}
  void accept() {
    acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) self->serve(std::move(s));
      self->accept();
    });
  }
  void serve(tcp::socket s) {
    if (tls)
      std::make_shared<TlsDetector>(std::move(s), tls, router, log)->start();
    else
      std::make_shared<Session<beast::tcp_stream>>(router, log, beast::flat_buffer(), std::move(s))
          ->start();
  }
  asio::io_context& io;
  tcp::acceptor acceptor;
  Router& router;
  Log& log;
  // Null for plain HTTP. Shared with the detectors; a TLS session's SSL object holds its own
  // reference to the OpenSSL context.
  std::shared_ptr<ssl::context> tls;
};

HttpServer::HttpServer(asio::io_context& io, Router& router, Log& log)
    : impl_(std::make_shared<Impl>(io, router, log)) {}
HttpServer::~HttpServer() {
  stop();
}

Result<void> HttpServer::use_tls(const std::string& cert_file, const std::string& key_file) {
  auto ctx = make_tls_context(cert_file, key_file);
  if (!ctx) return ctx.error();
  impl_->tls = std::move(*ctx);
  return {};
}

bool HttpServer::tls() const {
  return impl_->tls != nullptr;
}

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
