#include "services/channels/sms/sms_listing.h"

#include <cctype>
#include <charconv>

namespace sb::channels::sms {

namespace {

bool is_hex_line(const std::string& s) {
  if (s.empty() || s.size() % 2) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::optional<int> number_at(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '"')) s.remove_prefix(1);
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p == s.data()) return std::nullopt;
  return v;
}

}  // namespace

std::vector<StoredPdu> parse_cmgl(const std::vector<std::string>& lines) {
  std::vector<StoredPdu> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("+CMGL:", 0) != 0) continue;
    auto idx = number_at(std::string_view(lines[i]).substr(6));
    if (!idx) continue;
    StoredPdu p{*idx, {}};
    // A header without its PDU line (cut short) still names the slot: the caller reads it
    // again with AT+CMGR rather than dropping it.
    if (i + 1 < lines.size() && lines[i + 1].rfind("+CMGL:", 0) != 0) p.pdu = lines[++i];
    out.push_back(std::move(p));
  }
  return out;
}

std::optional<StoredPdu> parse_cmgr(const std::vector<std::string>& lines, int index) {
  for (std::size_t i = 0; i + 1 < lines.size(); ++i)
    if (lines[i].rfind("+CMGR:", 0) == 0) return StoredPdu{index, lines[i + 1]};
  // Some modems omit the header for an empty slot; a lone hex line is still the PDU.
  for (const auto& l : lines)
    if (is_hex_line(l)) return StoredPdu{index, l};
  return std::nullopt;
}

std::optional<int> indication_index(std::string_view line) {
  auto comma = line.rfind(',');
  if (comma == std::string_view::npos) return std::nullopt;
  return number_at(line.substr(comma + 1));
}

std::optional<int> cmgs_reference(const std::vector<std::string>& lines) {
  for (const auto& l : lines)
    if (l.rfind("+CMGS:", 0) == 0) {
      auto v = number_at(std::string_view(l).substr(6));
      if (v && *v >= 0) return *v % 256;  // some modems count on past 255; TP-MR is one octet
    }
  return std::nullopt;
}

}  // namespace sb::channels::sms
