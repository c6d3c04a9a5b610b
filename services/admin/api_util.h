// services/admin/api_util.h — small helpers the JSON API's handlers share (internal).
#pragma once

#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "services/admin/router.h"

namespace sb::admin {

// JSON as the API sends it. A text that reached the store with invalid UTF-8 (a log line or a
// refusal reason quoting broken input) comes out with U+FFFD rather than making dump() throw.
inline std::string json_text(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline Response ok_json(const Request& req, const nlohmann::json& j) {
  return make_response(req, http::status::ok, json_text(j), "application/json");
}

inline Response bad_request(const Request& req, const std::string& message) {
  return json_error(req, http::status::bad_request, message);
}

// A refused action, with the status its code calls for: 400 bad input, 404 not there, 409 the
// state forbids it now, 500 storage, 503 (retry later) while the disk or a queue is full.
inline Response error_response(const Request& req, const Error& e) {
  switch (e.code) {
    case ErrorCode::invalid: return json_error(req, http::status::bad_request, e.message);
    case ErrorCode::not_found: return json_error(req, http::status::not_found, e.message);
    case ErrorCode::conflict: return json_error(req, http::status::conflict, e.message);
    case ErrorCode::storage:
      return json_error(req, http::status::internal_server_error, e.message);
    case ErrorCode::disk_full:
    case ErrorCode::busy: {
      Response res = json_error(req, http::status::service_unavailable, e.message);
      res.set(http::field::retry_after, e.code == ErrorCode::busy ? "5" : "60");
      return res;
    }
  }
  return json_error(req, http::status::internal_server_error, e.message);
}

// Parses a JSON object body; nullopt (with the 400 in `error`) when it is not one.
inline std::optional<nlohmann::json> body_json(const Request& req,
                                               std::optional<Response>& error) {
  auto j = nlohmann::json::parse(req.body(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    error = bad_request(req, "the body must be a JSON object");
    return std::nullopt;
  }
  return j;
}

inline std::optional<std::string> str_field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// Percent-decoding (and '+' as a space in a query string).
inline std::string url_decode(std::string_view raw, bool plus_is_space) {
  std::string v;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '+' && plus_is_space) {
      v += ' ';
    } else if (raw[i] == '%' && i + 2 < raw.size()) {
      int x = 0;
      auto [p, ec] = std::from_chars(raw.data() + i + 1, raw.data() + i + 3, x, 16);
      if (ec != std::errc() || p != raw.data() + i + 3) {
        v += raw[i];
        continue;
      }
      v += static_cast<char>(x);
      i += 2;
    } else {
      v += raw[i];
    }
  }
  return v;
}

// The URL-decoded value of `key` in the query string, if present.
inline std::optional<std::string> query(const Request& req, std::string_view key) {
  std::string_view t = sv(req.target());
  auto q = t.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view rest = t.substr(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view part = rest.substr(0, amp);
    auto eq = part.find('=');
    if (part.substr(0, eq) == key) {
      return url_decode(eq == std::string_view::npos ? "" : part.substr(eq + 1), true);
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

}  // namespace sb::admin
