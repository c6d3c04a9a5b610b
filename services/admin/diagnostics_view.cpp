// What a technician sees under Diagnostics besides the live status: the last warnings and
// errors the service logged and the newest dead letters (bad input a channel refused). Dead
// letters hold untrusted bytes, so they go out as a size and a hex preview, never as text.
#include "services/admin/api_routes.h"
#include "services/channels/dead_letters.h"

namespace sb::admin {

using nlohmann::json;

namespace {

constexpr std::size_t kDeadLettersShown = 20;
constexpr std::size_t kPayloadPreview = 64;  // bytes, shown as hex

// JSON needs valid UTF-8, and a log line or a refusal reason may quote the broken input:
// invalid sequences become U+FFFD instead of failing the whole report.
std::string utf8_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = b < 0x80           ? 1
                      : (b >> 5) == 0x6  ? 2
                      : (b >> 4) == 0xE  ? 3
                      : (b >> 3) == 0x1E ? 4
                                         : 0;
    bool ok = len != 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k)
      ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && len > 1) {  // no overlong forms, surrogates or code points past U+10FFFF
      const auto b1 = static_cast<unsigned char>(s[i + 1]);
      ok = (len == 2 && b >= 0xC2) ||
           (len == 3 && (b != 0xE0 || b1 >= 0xA0) && (b != 0xED || b1 < 0xA0)) ||
           (len == 4 && b <= 0xF4 && (b != 0xF0 || b1 >= 0x90) && (b != 0xF4 || b1 < 0x90));
    }
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

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

json diagnostics_json(json status, const Log* log, const store::Store& store) {
  if (!status.is_object()) status = json::object();
  json errors = json::array();
  if (log)
    for (const auto& r : log->recent_problems())
      errors.push_back({{"at_ms", r.at_ms},
                        {"level", level_name(r.level)},
                        {"component", utf8_text(r.component)},
                        {"message", utf8_text(r.message)}});
  json dead = json::array();
  for (const auto& d : channels::DeadLetters::recent(store, kDeadLettersShown))
    dead.push_back(
        {{"at_ms", d.at_ms()},
         {"source", utf8_text(d.source())},
         {"reason", utf8_text(d.reason())},
         {"payload_bytes", d.payload().size()},
         {"payload_hex", hex(std::string_view(d.payload()).substr(0, kPayloadPreview))}});
  status["recent_errors"] = std::move(errors);  // newest first
  status["dead_letters"] = std::move(dead);     // newest first
  return status;
}

}  // namespace sb::admin
