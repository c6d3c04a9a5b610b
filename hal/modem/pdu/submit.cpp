// hal/modem/pdu/submit.cpp
#include "hal/modem/pdu/submit.h"

#include <algorithm>

#include "hal/modem/pdu/address.h"
#include "hal/modem/pdu/gsm7.h"
#include "hal/modem/pdu/hex.h"
#include "hal/modem/pdu/split.h"
#include "hal/modem/pdu/user_data_header.h"

namespace sb::pdu {
namespace {

constexpr std::uint8_t kMtiSubmit = 0x01;
constexpr std::uint8_t kVpfRelative = 0x10;
constexpr std::uint8_t kSrr = 0x20;
constexpr std::uint8_t kUdhi = 0x40;
constexpr std::uint8_t kDcsGsm7 = 0x00;
constexpr std::uint8_t kDcsUcs2 = 0x08;

}  // namespace

Result<std::vector<EncodedPart>> encode_submit(const SubmitRequest& request) {
  if (!request.concat_16bit && request.concat_ref > 0xFF) {
    return fail("concatenation reference " + std::to_string(request.concat_ref) +
                " does not fit the 8-bit element; set concat_16bit");
  }
  auto da = encode_tp_address(request.to);
  if (!da) return da.error();
  auto split = split_text(request.text, request.concat_16bit);
  if (!split) return split.error();

  const bool multi = split->parts.size() > 1;
  const auto total = static_cast<std::uint8_t>(split->parts.size());
  std::vector<EncodedPart> out;
  out.reserve(split->parts.size());
  for (std::size_t i = 0; i < split->parts.size(); ++i) {
    const auto& payload = split->parts[i];
    EncodedPart part;
    part.encoding = split->encoding;
    std::vector<std::uint8_t> header;
    if (multi) {
      part.concat = Concat{request.concat_ref, total, static_cast<std::uint8_t>(i + 1),
                           request.concat_16bit};
      header = concat_header(*part.concat);
    }

    std::vector<std::uint8_t> pdu{0x00};  // SMSC: the one configured in the modem
    std::uint8_t first = kMtiSubmit;
    if (request.validity) first |= kVpfRelative;
    if (request.status_report) first |= kSrr;
    if (multi) first |= kUdhi;
    pdu.push_back(first);
    pdu.push_back(request.message_ref);
    pdu.insert(pdu.end(), da->begin(), da->end());
    pdu.push_back(0x00);  // TP-PID: plain SMS
    pdu.push_back(split->encoding == Encoding::gsm7 ? kDcsGsm7 : kDcsUcs2);
    if (request.validity) pdu.push_back(*request.validity);

    std::vector<std::uint8_t> ud;
    std::size_t udl = 0;
    if (split->encoding == Encoding::gsm7) {
      const std::size_t skip = gsm7::header_septets(header.size());
      ud = gsm7::pack(payload, skip);
      std::copy(header.begin(), header.end(), ud.begin());  // fill bits stay zero
      udl = skip + payload.size();
    } else {
      ud = header;
      ud.insert(ud.end(), payload.begin(), payload.end());
      udl = ud.size();
    }
    pdu.push_back(static_cast<std::uint8_t>(udl));
    pdu.insert(pdu.end(), ud.begin(), ud.end());

    part.tpdu_length = pdu.size() - 1;
    part.hex = bytes_to_hex(pdu);
    out.push_back(std::move(part));
  }
  return out;
}

}  // namespace sb::pdu
