#include "services/channels/sms/sms_listing.h"

#include <cctype>
#include <charconv>

namespace sb::channels::sms {

namespace {

// 3GPP TS 23.040: a TPDU is at most 164 octets (SMS-DELIVER with 140 octets of user data and
// the longest addresses); the SMSC address that 27.005 puts in front is at most 12.
constexpr int kMaxTpdu = 200;

bool is_hex_line(std::string_view s) {
  if (s.empty() || s.size() % 2) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

int hex_octet(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + 2, v, 16);
  return v;
}

std::optional<int> number_at(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '"')) s.remove_prefix(1);
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p == s.data()) return std::nullopt;
  return v;
}

// The last field of a header is the TPDU length (27.005 §3.4.2 / §3.4.3, PDU mode).
std::optional<int> header_length(std::string_view header) {
  auto comma = header.rfind(',');
  if (comma == std::string_view::npos) return std::nullopt;
  auto n = number_at(header.substr(comma + 1));
  if (!n || *n < 1 || *n > kMaxTpdu) return std::nullopt;
  return n;
}

bool starts(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

bool pdu_matches_length(std::string_view line, int tpdu_length) {
  if (!is_hex_line(line) || tpdu_length < 1) return false;
  const int smsc = hex_octet(line);  // the SMSC length octet, then that many octets
  return static_cast<long>(line.size()) == 2L * (1 + smsc + tpdu_length);
}

Listing parse_cmgl(const std::vector<std::string>& lines) {
  Listing out;
  // The length the open header announced: 0 when no header waits for its PDU, -1 when the
  // header gave no length to check against (only AT+CMGR can tell then).
  int want = 0;
  for (const auto& line : lines) {
    if (starts(line, "+CMGL:")) {
      auto idx = number_at(std::string_view(line).substr(6));
      if (!idx) {
        out.set_aside.push_back(line);
        want = 0;
        continue;
      }
      // A header without a readable PDU line still names the slot (empty PDU): the caller
      // reads it again with AT+CMGR rather than dropping it.
      out.slots.push_back({*idx, {}});
      want = header_length(line).value_or(-1);
      continue;
    }
    if (want > 0 && pdu_matches_length(line, want)) {
      out.slots.back().pdu = line;
      want = 0;
      continue;
    }
    out.set_aside.push_back(line);
  }
  return out;
}

std::optional<StoredPdu> parse_cmgr(const std::vector<std::string>& lines, int index) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!starts(lines[i], "+CMGR:")) continue;
    if (auto want = header_length(lines[i]))
      for (std::size_t j = i + 1; j < lines.size(); ++j)
        if (pdu_matches_length(lines[j], *want)) return StoredPdu{index, lines[j]};
    // A modem that miscounts its own header (or a slot holding something broken): the hex
    // line it answered with is still the slot's content. The codec judges it; if it refuses,
    // the raw bytes become a dead letter before the slot is deleted.
    for (std::size_t j = i + 1; j < lines.size(); ++j)
      if (is_hex_line(lines[j]) && lines[j].size() >= 4) return StoredPdu{index, lines[j]};
    return std::nullopt;
  }
  // Some modems omit the header; a lone hex line that reads as its own SMSC prefix plus a
  // plausible TPDU is still the PDU (the codec judges it further).
  for (const auto& l : lines)
    if (is_hex_line(l) && l.size() >= 4 && 2 * (1 + hex_octet(l)) < static_cast<int>(l.size()))
      return StoredPdu{index, l};
  return std::nullopt;
}

std::optional<int> indication_index(std::string_view line) {
  auto comma = line.rfind(',');
  if (comma == std::string_view::npos) return std::nullopt;
  return number_at(line.substr(comma + 1));
}

std::optional<SlotRef> indication_slot(std::string_view line) {
  auto i = indication_index(line);
  if (!i) return std::nullopt;
  SlotRef s{{}, *i};
  auto q = line.find('"');
  auto e = q == std::string_view::npos ? q : line.find('"', q + 1);
  if (e != std::string_view::npos) s.mem = std::string(line.substr(q + 1, e - q - 1));
  return s;
}

std::string describe(const SlotRef& s) {
  return s.mem.empty() ? std::to_string(s.index) : s.mem + " " + std::to_string(s.index);
}

std::vector<std::string> readable_storages(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) {
    if (l.rfind("+CPMS:", 0) != 0) continue;
    std::string_view v(l);
    auto open = v.find('('), close = v.find(')');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open)
      return out;
    std::string_view list = v.substr(open + 1, close - open - 1);
    while (true) {
      auto q = list.find('"');
      if (q == std::string_view::npos) break;
      auto e = list.find('"', q + 1);
      if (e == std::string_view::npos) break;
      if (e - q - 1 <= 4) out.emplace_back(list.substr(q + 1, e - q - 1));
      list.remove_prefix(e + 1);
    }
    break;
  }
  return out;
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
