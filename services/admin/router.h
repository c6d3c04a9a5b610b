// services/admin/router.h — maps a request to a handler. Runs on the io_context thread.
#pragma once

#include <functional>
#include <string>

#include "services/admin/http_types.h"

namespace sb::admin {

// One open live-update stream, as the router holds it.
struct LiveStream {
  std::function<bool(const std::string&)> send;  // pushes one event; false once the client is gone
  std::function<void()> end;                     // ends the stream (the connection closes)
};

class Router {
 public:
  virtual ~Router() = default;
  virtual Response handle(const Request& req, const std::string& peer) = 0;
  // A live-update stream (server-sent events) for this request, or false when it is not one
  // (or not allowed).
  virtual bool open_stream(const Request&, LiveStream) { return false; }
  // A request answered later (its work runs off the event loop): true when taken, and `reply`
  // then runs exactly once on the io_context thread; work done elsewhere comes back through
  // `post`. False: answer it with handle().
  virtual bool handle_later(const Request&, const std::string& /*peer*/,
                            std::function<void(std::function<void()>)> /*post*/,
                            std::function<void(Response)> /*reply*/) {
    return false;
  }
};

Response make_response(const Request& req, http::status status, std::string body,
                       const char* content_type);
Response json_error(const Request& req, http::status status, const std::string& message);

}  // namespace sb::admin
