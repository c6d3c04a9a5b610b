// services/admin/router.h — maps a request to a handler. Runs on the io_context thread.
#pragma once

#include <functional>
#include <string>

#include "services/admin/http_types.h"

namespace sb::admin {

class Router {
 public:
  virtual ~Router() = default;
  virtual Response handle(const Request& req, const std::string& peer) = 0;
  // A live-update stream (server-sent events) for this request, or false when it is not one
  // (or not allowed). `send` pushes one event; it returns false once the client is gone.
  virtual bool open_stream(const Request&, std::function<bool(const std::string&)>) {
    return false;
  }
};

Response make_response(const Request& req, http::status status, std::string body,
                       const char* content_type);
Response json_error(const Request& req, http::status status, const std::string& message);

}  // namespace sb::admin
