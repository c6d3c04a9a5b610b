// services/admin/http_server.h — HTTP/1.1 on Boost.Beast, on the service's io_context, over
// plain TCP or (with use_tls) HTTPS only. A listener, a session per connection, a timeout on
// every read and on the TLS handshake; what a request means is the Router's business.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>

#include "services/admin/router.h"
#include "base/log.h"
#include "base/result.h"

namespace sb::admin {

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, Router& router, Log& log);
  ~HttpServer();
  // Serves HTTPS only (TLS 1.2 or later) with this PEM certificate chain and PEM private key;
  // call before listen(). The error names the file and what is wrong with it. A plain HTTP
  // request to the port then gets a 400 saying so, never the page.
  Result<void> use_tls(const std::string& cert_file, const std::string& key_file);
  bool tls() const;
  Result<void> listen(const std::string& host, unsigned short port);
  unsigned short port() const;
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace sb::admin
