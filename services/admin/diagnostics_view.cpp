// What a technician sees under Diagnostics besides the live status: the last warnings and
// errors the service logged and the newest dead letters (bad input a channel refused). Dead
// letters hold untrusted bytes, so they go out as a size and a hex preview, never as text; a
// log line or reason quoting broken input is made valid UTF-8 by json_text (api_util.h).
#include "services/admin/api_routes.h"
#include "services/inbox/inbox.h"

namespace sb::admin {

using nlohmann::json;

namespace {

constexpr std::size_t kDeadLettersShown = 20;
constexpr std::size_t kPayloadPreview = 64;  // bytes, shown as hex

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 0xF];
  }
  return out;
}

const char* level_name(Level l) {
  switch (l) {
    case Level::error:
      return "error";
    case Level::warning:
      return "warning";
    case Level::notice:
      return "notice";
    case Level::info:
      return "info";
    case Level::debug:
      return "debug";
  }
  return "error";
}

}  // namespace

json diagnostics_json(json status, const Log* log, const inbox::Inbox& inbox) {
  if (!status.is_object()) status = json::object();
  json errors = json::array();
  if (log)
    for (const auto& r : log->recent_problems())
      errors.push_back({{"at_ms", r.at_ms},
                        {"level", level_name(r.level)},
                        {"component", r.component},
                        {"message", r.message}});
  json dead = json::array();
  for (const auto& d : inbox.dead_letters(kDeadLettersShown))
    dead.push_back(
        {{"at_ms", d.at_ms()},
         {"source", d.source()},
         {"reason", d.reason()},
         {"payload_bytes", d.payload().size()},
         {"payload_hex", hex(std::string_view(d.payload()).substr(0, kPayloadPreview))}});
  status["recent_errors"] = std::move(errors);  // newest first
  status["dead_letters"] = std::move(dead);     // newest first
  return status;
}

}  // namespace sb::admin
