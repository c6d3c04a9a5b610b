// services/admin/http_types.h — the request and response every handler sees; no sockets here.
#pragma once

#include <boost/beast/http.hpp>

namespace sb::admin {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// Beast 1.74 hands out boost::string_view; the rest of the code speaks std::string_view.
inline std::string_view sv(boost::beast::string_view s) { return {s.data(), s.size()}; }

}  // namespace sb::admin
