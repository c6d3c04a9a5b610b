// firmware/verbs/pdu_verb.cpp — `switchboard pdu decode` and `switchboard pdu encode`
//: thin JSON shells over the codec in hal/modem/pdu.
#include <cstdint>
#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

#include "firmware/verbs/verbs.h"
#include "hal/modem/pdu/pdu.h"

namespace sb::verbs {
namespace {

using Json = nlohmann::ordered_json;  // keys in contract order, for people reading the output

// Never throws: decoded text is valid UTF-8 already, error messages may quote input bytes.
void print(std::ostream& out, const Json& j) {
  out << j.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
}

Json concat_json(const std::optional<pdu::Concat>& c) {
  if (!c) return nullptr;
  return Json{{"ref", c->ref}, {"total", c->total}, {"seq", c->seq}};
}

Json optional_json(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return *s;
}

Json address_json(const std::optional<pdu::Address>& a) {
  if (!a) return nullptr;
  return a->text;
}

Json decoded_json(const pdu::Decoded& d) {
  Json j;
  j["type"] = std::string(pdu::to_string(d.type));
  j["smsc"] = optional_json(d.smsc);
  j["sender"] = address_json(d.sender);
  if (d.type != pdu::MessageType::deliver) j["recipient"] = address_json(d.recipient);
  j["text"] = d.text;
  j["timestamp"] = optional_json(d.timestamp);
  j["encoding"] = std::string(pdu::to_string(d.encoding));
  j["concat"] = concat_json(d.concat);
  if (d.type == pdu::MessageType::status_report) {
    j["message_ref"] = d.message_ref;
    j["status"] = d.status;
    j["discharge_time"] = optional_json(d.discharge_time);
  }
  return j;
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kSpace) - b + 1);
}

// One PDU to one line; returns false when it did not decode.
bool decode_one(std::string_view hex, std::ostream& out) {
  auto d = pdu::decode(trim(hex));
  if (!d) {
    print(out, Json{{"error", d.error().message}});
    return false;
  }
  print(out, decoded_json(*d));
  return true;
}

// A stable concatenation reference for a given text, so the verb is a pure function of its
// input; the SMS adapter uses its own counter instead.
std::uint16_t stable_ref(std::string_view to, std::string_view text) {
  std::uint32_t h = 2166136261u;  // FNV-1a
  for (std::string_view s : {to, text}) {
    for (char c : s) h = (h ^ static_cast<std::uint8_t>(c)) * 16777619u;
  }
  return static_cast<std::uint16_t>(h & 0xFF);
}

}  // namespace

int pdu_decode(const std::vector<std::string>& hexes, std::istream& in, std::ostream& out,
               std::ostream& /*err*/) {
  bool all_ok = true;
  if (!hexes.empty()) {
    for (const std::string& h : hexes) all_ok = decode_one(h, out) && all_ok;
  } else {
    std::string line;
    while (std::getline(in, line)) {
      if (trim(line).empty()) continue;  // blank lines between modem listings
      all_ok = decode_one(line, out) && all_ok;
    }
  }
  out.flush();
  return all_ok ? 0 : 2;
}

int pdu_encode(const std::string& to, bool status_report, const std::string& text,
               std::ostream& out, std::ostream& /*err*/) {
  auto parts = pdu::encode_submit({.to = to,
                                   .text = text,
                                   .status_report = status_report,
                                   .message_ref = 0,
                                   .concat_ref = stable_ref(to, text)});
  if (!parts) {
    print(out, Json{{"error", parts.error().message}});
    return 2;
  }
  for (const auto& p : *parts) {
    print(out, Json{{"pdu", p.hex},
                    {"length", p.tpdu_length},
                    {"encoding", std::string(pdu::to_string(p.encoding))},
                    {"concat", concat_json(p.concat)}});
  }
  out.flush();
  return 0;
}

}  // namespace sb::verbs
