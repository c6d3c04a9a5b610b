#include "tests/sim/deliver_pdu.h"

#include "hal/modem/pdu/address.h"
#include "hal/modem/pdu/gsm7.h"
#include "hal/modem/pdu/hex.h"
#include "hal/modem/pdu/split.h"
#include "hal/modem/pdu/user_data_header.h"

namespace sb::sim {

namespace {

std::vector<std::uint8_t> smsc_octets(const std::string& number) {
  std::string digits = number[0] == '+' ? number.substr(1) : number;
  std::vector<std::uint8_t> out{static_cast<std::uint8_t>(1 + (digits.size() + 1) / 2), 0x91};
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    std::uint8_t lo = static_cast<std::uint8_t>(digits[i] - '0');
    std::uint8_t hi = i + 1 < digits.size() ? static_cast<std::uint8_t>(digits[i + 1] - '0') : 0xF;
    out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
  }
  return out;
}

// 2024-05-12 10:00:<second> +02:00, semi-octets swapped.
std::vector<std::uint8_t> timestamp(int second) {
  auto sw = [](int v) { return static_cast<std::uint8_t>((v % 10) << 4 | (v / 10)); };
  return {sw(24), sw(5), sw(12), sw(10), sw(0), sw(second % 60), 0x80};
}

}  // namespace

std::vector<std::string> build_deliver(const DeliverSpec& spec) {
  auto split = pdu::split_text(spec.text, false);
  auto oa = pdu::encode_tp_address(spec.from);
  if (!split || !oa) return {};
  const bool multi = split->parts.size() > 1;
  std::vector<std::string> out;
  for (std::size_t i = 0; i < split->parts.size(); ++i) {
    std::vector<std::uint8_t> p = smsc_octets(spec.smsc);
    p.push_back(static_cast<std::uint8_t>(0x04 | (multi ? 0x40 : 0)));  // DELIVER, MMS, UDHI
    p.insert(p.end(), oa->begin(), oa->end());
    p.push_back(0x00);                                                    // PID
    p.push_back(split->encoding == pdu::Encoding::ucs2 ? 0x08 : 0x00);    // DCS
    auto ts = timestamp(spec.second);
    p.insert(p.end(), ts.begin(), ts.end());
    std::vector<std::uint8_t> udh;
    if (multi)
      udh = pdu::concat_header({spec.concat_ref, static_cast<std::uint8_t>(split->parts.size()),
                                static_cast<std::uint8_t>(i + 1), false});
    const auto& payload = split->parts[i];
    if (split->encoding == pdu::Encoding::gsm7) {
      std::size_t skip = pdu::gsm7::header_septets(udh.size());
      auto packed = pdu::gsm7::pack(payload, skip);
      for (std::size_t k = 0; k < udh.size(); ++k) packed[k] = udh[k];
      p.push_back(static_cast<std::uint8_t>(skip + payload.size()));
      p.insert(p.end(), packed.begin(), packed.end());
    } else {
      p.push_back(static_cast<std::uint8_t>(udh.size() + payload.size()));
      p.insert(p.end(), udh.begin(), udh.end());
      p.insert(p.end(), payload.begin(), payload.end());
    }
    out.push_back(pdu::bytes_to_hex(p));
  }
  return out;
}

std::string build_status_report(std::uint8_t mr, const std::string& recipient,
                                std::uint8_t status) {
  auto ra = pdu::encode_tp_address(recipient);
  if (!ra) return {};
  std::vector<std::uint8_t> p = {0x00, 0x06, mr};  // no SMSC given; STATUS-REPORT, MMS
  p.insert(p.end(), ra->begin(), ra->end());
  auto ts = timestamp(1);
  p.insert(p.end(), ts.begin(), ts.end());
  auto dt = timestamp(2);
  p.insert(p.end(), dt.begin(), dt.end());
  p.push_back(status);
  return pdu::bytes_to_hex(p);
}

std::size_t tpdu_length(const std::string& hex) {
  if (hex.size() < 2) return 0;
  std::size_t smsc = static_cast<std::size_t>(std::stoi(hex.substr(0, 2), nullptr, 16));
  return hex.size() / 2 - 1 - smsc;
}

}  // namespace sb::sim
