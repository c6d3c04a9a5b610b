// services/admin/http_server.h — HTTP/1.1 on Boost.Beast, on the service's io_context.
// A listener, a session per connection, a timeout on every read; what a request means is the
// Router's business.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>

#include "services/admin/router.h"
#include "services/common/log.h"
#include "services/common/result.h"

namespace sb::admin {

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, Router& router, Log& log);
  ~HttpServer();
  Result<void> listen(const std::string& host, unsigned short port);
  unsigned short port() const;
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace sb::admin
