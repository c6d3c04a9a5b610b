#include "services/admin/health.h"

#include <string>

namespace sb::admin {

using nlohmann::json;

namespace {

// Above this share of the map in use, the storage part turns amber (the map grows, but a
// technician should look before the disk does not let it).
constexpr double kStorageAmber = 0.9;

struct Parts {
  json list = json::array();
  json reasons = json::array();
  void add(const char* name, const char* level, const std::string& text) {
    list.push_back({{"name", name}, {"level", level}, {"text", text}});
    if (std::string(level) == "red") reasons.push_back(std::string(name) + ": " + text);
  }
};

}  // namespace

json health_json(const json& status) {
  Parts p;
  std::string blocked;
  if (auto s = status.find("storage"); s != status.end() && s->is_object()) {
    const auto used = s->value("used_bytes", 0.0), map = s->value("map_bytes", 0.0);
    if (s->value("disk_full", false))
      p.add("storage", "red", "disk full: new messages are refused");
    else if (map > 0 && used / map > kStorageAmber)
      p.add("storage", "amber", "database " + std::to_string(static_cast<int>(100 * used / map)) +
                                    "% of its map");
    else
      p.add("storage", "green", "writing");
  }
  if (auto m = status.find("mqtt");
      m != status.end() && m->is_object() && !m->value("uri", std::string()).empty()) {
    const bool up = m->value("connected", false);
    const auto depth = m->value("outbox_depth", std::int64_t{0});
    if (up) {
      p.add("broker", "green", "connected");
      p.add("outbox", "green", depth ? std::to_string(depth) + " events sending" : "empty");
    } else {
      p.add("broker", "red", "unreachable (" + m->value("uri", std::string()) + ")");
      p.add("outbox", depth ? "amber" : "green",
            depth ? std::to_string(depth) + " events wait for the broker" : "empty");
      blocked = "the message broker is unreachable";
    }
  }
  if (auto m = status.find("modem"); m != status.end() && m->is_object()) {
    if (m->value("ready", false)) {
      p.add("modem", "green", "ready");
    } else {
      std::string why = m->value("problem", std::string());
      p.add("modem", "red", "not ready" + (why.empty() ? std::string() : ": " + why));
      blocked += std::string(blocked.empty() ? "" : " and ") + "the SMS modem is not ready";
    }
  }
  json out = {{"status", p.reasons.empty() ? "ok" : "degraded"},
              {"reasons", p.reasons},
              {"parts", p.list},
              {"replies_blocked", !blocked.empty()}};
  if (!blocked.empty())
    out["blocked_text"] = "Replies cannot leave: " + blocked +
                          ". They are kept and sent once it is back.";
  return out;
}

}  // namespace sb::admin
