#include "services/admin/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cerrno>
#include <deque>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "services/admin/connection_table.h"
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
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  // `buffer` holds what was read already (the TLS detector's look at the first bytes).
  template <class... StreamArgs>
  HttpSession(Router& router, Log& log, const HttpLimits& limits, ConnectionSlot slot,
          beast::flat_buffer buffer, StreamArgs&&... stream_args)
      : stream_(std::forward<StreamArgs>(stream_args)...),
        buffer_(std::move(buffer)),
        router_(router),
        log_(log),
        limits_(limits),
        slot_(std::move(slot)),
        keepalive_(stream_.get_executor()) {
    beast::error_code ec;
    auto ep = tcp_layer().socket().remote_endpoint(ec);
    if (!ec) peer_ = ep.address().to_string();
  }

  // `handshake_by`: the TLS handshake's deadline, counted from the accept.
  void start(std::chrono::steady_clock::time_point handshake_by = {}) {
    slot_.set_evict([weak = this->weak_from_this()] {
      if (auto self = weak.lock()) self->close();
    });
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

  // The header first: a framing the server does not speak is refused before any body is read.
  void read() {
    if (closed_) return;
    slot_.idle();
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    tcp_layer().expires_after(kReadTimeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_header(ec);
                            });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read(ec);
    slot_.busy();
    // Only "chunked" is a transfer coding we decode; anything else (xchunked, gzip, a list)
    // could be framed differently by a proxy in front: refuse it (RFC 9112 6.1).
    auto te = parser_->get().find(http::field::transfer_encoding);
    if (te != parser_->get().end() && !beast::iequals(te->value(), "chunked"))
      return refuse_malformed("unsupported Transfer-Encoding '" + std::string(sv(te->value())) +
                              "'");
    if (parser_->is_done()) return on_read({});
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_read(ec);
                     });
  }

  // A malformed request: a clear 400, then the connection closes.
  void refuse_malformed(const std::string& why) {
    Request dummy;
    dummy.version(11);
    auto res = json_error(dummy, http::status::bad_request, "malformed HTTP request: " + why);
    res.keep_alive(false);
    head_ = false;
    write(std::move(res));
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream) return finish();
    if (ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == ssl::error::stream_truncated)
      return close();
    if (ec) return refuse_malformed(ec.message());
    slot_.busy();
    Request req = parser_->release();
    head_ = req.method() == http::verb::head;
    LiveStream live{[weak = this->weak_from_this()](const std::string& chunk) {
                      auto self = weak.lock();
                      if (!self || self->closed_) return false;
                      if (!chunk.empty()) self->push_stream(chunk);
                      return true;
                    },
                    [weak = this->weak_from_this()] {
                      if (auto self = weak.lock()) self->close();
                    }};
    if (router_.open_stream(req, std::move(live))) return start_stream();
    auto post = [ex = stream_.get_executor()](std::function<void()> f) {
      asio::post(ex, std::move(f));
    };
    if (router_.handle_later(req, peer_, post,
                             [self = this->shared_from_this()](Response res) {
                               if (!self->closed_) self->write(std::move(res));
                             }))
      return;
    write(router_.handle(req, peer_));
  }

  void write(Response res) {
    // A HEAD answer keeps its Content-Length but carries no body: a body here would be read
    // as the start of the next response on the connection.
    if (head_) res.body().clear();
    if constexpr (kTls) res.set(http::field::strict_transport_security, "max-age=31536000");
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
    stream_ends_ = std::chrono::steady_clock::now() + limits_.stream_max_life;
    keepalive();
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
  // A comment line every `stream_keepalive`; the stream's end once its life is over.
  void keepalive() {
    keepalive_.expires_after(limits_.stream_keepalive);
    keepalive_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_) return;
      if (std::chrono::steady_clock::now() >= self->stream_ends_) return self->close();
      self->push_stream(": keepalive\n\n");
      self->keepalive();
    });
  }
  void push_stream(const std::string& chunk) {
    if (!streaming_ || closed_) return;
    if (queue_.size() > 256) return close();  // a client that does not read is dropped
    queue_.push_back(chunk);
    if (queue_.size() == 1) flush();
  }
  void flush() {
    // A write that waits past `stream_stall` (the client stopped reading) ends the stream.
    tcp_layer().expires_after(limits_.stream_stall);
    asio::async_write(stream_, asio::buffer(queue_.front()),
                      [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return self->close();
                        self->queue_.pop_front();
                        if (self->closed_) return;
                        if (self->queue_.empty())
                          self->tcp_layer().expires_never();
                        else
                          self->flush();
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
    keepalive_.cancel();
    beast::error_code ec;
    tcp_layer().socket().shutdown(tcp::socket::shutdown_both, ec);
    tcp_layer().socket().close(ec);
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Router& router_;
  Log& log_;
  const HttpLimits limits_;
  ConnectionSlot slot_;
  std::string peer_;
  bool streaming_ = false, closed_ = false, head_ = false;
  std::deque<std::string> queue_;
  asio::steady_timer keepalive_;
  std::chrono::steady_clock::time_point stream_ends_;
  char probe_[64];
};

// On an HTTPS listener: looks at the first bytes. A TLS ClientHello goes on to a TLS session;
// anything else (someone typed http://) gets a plain 400 naming the fix, and the connection
// closes. Nothing is ever served without TLS.
class TlsDetector : public std::enable_shared_from_this<TlsDetector> {
 public:
  TlsDetector(tcp::socket socket, std::shared_ptr<ssl::context> tls, Router& router, Log& log,
              const HttpLimits& limits, ConnectionSlot slot)
      : stream_(std::move(socket)),
        tls_(std::move(tls)),
        router_(router),
        log_(log),
        limits_(limits),
        slot_(std::move(slot)) {}

  void start() {
    slot_.set_evict([weak = weak_from_this()] {
      if (auto self = weak.lock()) self->close();
    });
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
      std::make_shared<HttpSession<TlsStream>>(router_, log_, limits_, std::move(slot_),
                                           std::move(buffer_), std::move(stream_), *tls_)
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
  const HttpLimits limits_;
  ConnectionSlot slot_;
};

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, Router& r, Log& l, HttpLimits lim)
      : io(io),
        acceptor(io),
        pause(io),
        router(r),
        log(l),
        limits(lim),
        table(std::make_shared<ConnectionTable>(lim.max_connections, lim.max_per_address)) {}

  void accept() {
    acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) self->serve(std::move(s));
      if (ec && out_of_resources(ec)) return self->pause_accepting(ec);
      self->accept();
    });
  }

  static bool out_of_resources(const beast::error_code& ec) {
    return ec == asio::error::no_descriptors || ec.value() == ENFILE ||
           ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
  }

  // Without a descriptor to accept with, the pending connection stays in the kernel's queue and
  // accept() fails again at once: retrying straight away spins the CPU and starves every
  // request. Wait, and say so once a minute.
  void pause_accepting(const beast::error_code& ec) {
    ++pauses;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_pause_log >= std::chrono::minutes(1)) {
      log.warn("admin", "cannot accept connections (", ec.message(), "): pausing ",
               limits.accept_pause.count(), " ms (", pauses,
               " times so far); raise LimitNOFILE or lower [admin] max_connections");
      last_pause_log = now;
    }
    pause.expires_after(limits.accept_pause);
    pause.async_wait([self = shared_from_this()](beast::error_code wec) {
      if (!wec && self->acceptor.is_open()) self->accept();
    });
  }

  void serve(tcp::socket s) {
    beast::error_code ec;
    auto ep = s.remote_endpoint(ec);
    if (ec) return;
    // The connection gets an evict hook once its session exists; until then it cannot be
    // picked (it is the newest idle one, and the table evicts the oldest).
    auto id = table->admit(ep.address().to_string(), nullptr);
    if (!id) {
      // Every slot holds a request or a stream: refuse rather than queue without end.
      s.close(ec);
      return;
    }
    ConnectionSlot slot(table, *id);
    if (tls)
      std::make_shared<TlsDetector>(std::move(s), tls, router, log, limits, std::move(slot))
          ->start();
    else
      std::make_shared<HttpSession<beast::tcp_stream>>(router, log, limits, std::move(slot),
                                                   beast::flat_buffer(), std::move(s))
          ->start();
  }
  asio::io_context& io;
  tcp::acceptor acceptor;
  asio::steady_timer pause;
  Router& router;
  Log& log;
  const HttpLimits limits;
  std::shared_ptr<ConnectionTable> table;
  std::uint64_t pauses = 0;
  std::chrono::steady_clock::time_point last_pause_log{};
  // Null for plain HTTP. Shared with the detectors; a TLS session's SSL object holds its own
  // reference to the OpenSSL context.
  std::shared_ptr<ssl::context> tls;
};

HttpServer::HttpServer(asio::io_context& io, Router& router, Log& log, HttpLimits limits)
    : impl_(std::make_shared<Impl>(io, router, log, limits)) {}
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
  impl_->pause.cancel();
}

std::size_t HttpServer::connections() const { return impl_->table->open(); }
std::uint64_t HttpServer::connections_evicted() const { return impl_->table->evicted(); }
std::uint64_t HttpServer::connections_refused() const { return impl_->table->refused(); }

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
  // A message may quote what the client sent: invalid UTF-8 in it comes out as U+FFFD, never
  // echoed raw.
  std::string body = nlohmann::json{{"error", message}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  return make_response(req, status, std::move(body), "application/json");
}

}  // namespace sb::admin
