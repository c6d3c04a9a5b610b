// services/admin/http_server.h — HTTP/1.1 on Boost.Beast, on the service's io_context, over
// plain TCP or (with use_tls) HTTPS only. A listener, a session per connection, a timeout on
// every read and on the TLS handshake; what a request means is the Router's business.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "services/admin/router.h"
#include "base/log.h"
#include "base/result.h"

namespace sb::admin {

// Caps on what clients may hold open. The defaults fit systemd's default of 1,024 file
// descriptors, leaving room for LMDB, the modem, the broker and the log.
struct HttpLimits {
  std::size_t max_connections = 512;
  std::size_t max_per_address = 128;  // a NAT or proxy in front shares one address
  // After accept() fails for lack of descriptors (EMFILE, ENFILE) or memory, accepting pauses
  // this long (nginx does the same) instead of retrying in a tight loop; logged once a minute.
  std::chrono::milliseconds accept_pause{500};
  // A live-update stream sends a comment this often (so dead peers and proxies show), and ends
  // after `stream_max_life` (EventSource reconnects, and the session is checked again) or
  // when a write waits longer than `stream_stall` (a client that stopped reading).
  std::chrono::seconds stream_keepalive{15};
  std::chrono::seconds stream_max_life{30 * 60};
  std::chrono::seconds stream_stall{45};
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, Router& router, Log& log, HttpLimits limits = {});
  ~HttpServer();
  // Serves HTTPS only (TLS 1.2 or later) with this PEM certificate chain and PEM private key;
  // call before listen(). The error names the file and what is wrong with it. A plain HTTP
  // request to the port then gets a 400 saying so, never the page.
  Result<void> use_tls(const std::string& cert_file, const std::string& key_file);
  bool tls() const;
  Result<void> listen(const std::string& host, unsigned short port);
  unsigned short port() const;
  void stop();
  // Connections open now, and how many were evicted or refused at a cap so far.
  std::size_t connections() const;
  std::uint64_t connections_evicted() const;
  std::uint64_t connections_refused() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace sb::admin
