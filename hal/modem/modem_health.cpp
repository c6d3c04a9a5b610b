#include "hal/modem/modem_health.h"

#include <cstdlib>

namespace sb::modem {

namespace {

// The fields after "<prefix> ", split at commas outside quotes, quotes removed.
std::optional<std::vector<std::string>> fields(const std::vector<std::string>& lines,
                                               const std::string& prefix) {
  for (const auto& l : lines) {
    if (l.rfind(prefix, 0) != 0) continue;
    std::vector<std::string> out(1);
    bool quoted = false;
    for (std::size_t i = prefix.size(); i < l.size(); ++i) {
      char c = l[i];
      if (c == '"') quoted = !quoted;
      else if (c == ',' && !quoted) out.emplace_back();
      else if (c != ' ' || quoted) out.back() += c;
    }
    return out;
  }
  return std::nullopt;
}

int to_int(const std::string& s, int fallback) {
  if (s.empty()) return fallback;
  char* end = nullptr;
  long v = std::strtol(s.c_str(), &end, 10);
  return *end == '\0' ? static_cast<int>(v) : fallback;
}

}  // namespace

void read_csq(const std::vector<std::string>& lines, ModemHealth& h) {
  auto f = fields(lines, "+CSQ:");
  if (!f || f->empty()) return;
  h.rssi = to_int((*f)[0], 99);
  if (h.rssi >= 0 && h.rssi <= 31)
    h.rssi_dbm = -113 + 2 * h.rssi;
  else
    h.rssi_dbm.reset();
}

void read_creg(const std::vector<std::string>& lines, ModemHealth& h) {
  auto f = fields(lines, "+CREG:");
  if (!f || f->size() < 2) return;
  h.registration = to_int((*f)[1], -1);
  switch (h.registration) {
    case 0: h.registration_text = "not registered"; break;
    case 1: h.registration_text = "home"; break;
    case 2: h.registration_text = "searching"; break;
    case 3: h.registration_text = "denied"; break;
    case 5: h.registration_text = "roaming"; break;
    default: h.registration_text = "unknown"; break;
  }
}

void read_cops(const std::vector<std::string>& lines, ModemHealth& h) {
  auto f = fields(lines, "+COPS:");
  if (!f) return;
  h.operator_name = f->size() >= 3 ? (*f)[2] : "";
}

void read_cpin(const std::vector<std::string>& lines, ModemHealth& h) {
  for (const auto& l : lines)
    if (l.rfind("+CPIN:", 0) == 0) {
      std::size_t s = 6;
      while (s < l.size() && l[s] == ' ') ++s;
      h.sim_state = l.substr(s);
    }
}

}  // namespace sb::modem
