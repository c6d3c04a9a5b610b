// hal/modem/pdu/user_data.cpp
#include "hal/modem/pdu/user_data.h"

#include "hal/modem/pdu/gsm7.h"
#include "hal/modem/pdu/ucs2.h"
#include "hal/modem/pdu/user_data_header.h"
#include "hal/modem/pdu/utf8.h"

namespace sb::pdu {
namespace {

Encoding alphabet_bits(std::uint8_t bits) {
  switch (bits & 0x03) {
    case 1: return Encoding::eight_bit;
    case 2: return Encoding::ucs2;
    default: return Encoding::gsm7;  // 0, and 3 (reserved) per 23.038
  }
}

}  // namespace

Result<Encoding> encoding_from_dcs(std::uint8_t dcs) {
  const unsigned group = dcs >> 4;
  if (group <= 0x07) {  // general data coding, with or without automatic deletion
    if (dcs & 0x20) return fail("compressed user data (TP-DCS " + std::to_string(dcs) + ") is not supported");
    return alphabet_bits(static_cast<std::uint8_t>(dcs >> 2));
  }
  switch (group) {
    case 0x0C:  // message waiting, discard
    case 0x0D:  // message waiting, store, GSM 7-bit
      return Encoding::gsm7;
    case 0x0E:  // message waiting, store, UCS-2
      return Encoding::ucs2;
    case 0x0F:  // data coding / message class
      return (dcs & 0x04) ? Encoding::eight_bit : Encoding::gsm7;
    default:  // 0x8..0xB reserved
      return Encoding::gsm7;
  }
}

std::string payload_to_text(Encoding encoding, std::span<const std::uint8_t> payload) {
  switch (encoding) {
    case Encoding::gsm7: return gsm7::septets_to_utf8(payload);
    case Encoding::ucs2: return ucs2::to_utf8(payload);
    case Encoding::eight_bit: break;
  }
  std::string out;
  for (std::uint8_t b : payload) append_utf8(out, b);
  return out;
}

Result<UserData> read_user_data(Reader& r, std::uint8_t dcs, bool has_header) {
  auto enc = encoding_from_dcs(dcs);
  if (!enc) return enc.error();
  auto udl = r.octet("TP-UDL");
  if (!udl) return udl.error();
  UserData ud;
  ud.encoding = *enc;
  const bool septets = ud.encoding == Encoding::gsm7;
  if (septets ? *udl > 160 : *udl > 140) {
    return fail("TP-UDL " + std::to_string(*udl) + " exceeds the maximum for " +
                std::string(to_string(ud.encoding)));
  }
  const std::size_t octet_count = septets ? gsm7::octets_for_septets(*udl) : *udl;
  auto raw = r.take(octet_count, "TP-UD");
  if (!raw) return raw.error();

  std::size_t header_octets = 0;
  if (has_header) {
    if (raw->empty()) return fail("TP-UDHI set but the user data is empty");
    header_octets = 1 + static_cast<std::size_t>((*raw)[0]);
    if (header_octets > raw->size()) {
      return fail("user data header length " + std::to_string((*raw)[0]) +
                  " runs past the user data");
    }
    auto h = parse_user_data_header(raw->subspan(1, header_octets - 1));
    if (!h) return h.error();
    ud.concat = h->concat;
  }

  if (septets) {
    const std::size_t skip = gsm7::header_septets(header_octets);
    if (skip > *udl) return fail("user data header is longer than TP-UDL");
    auto all = gsm7::unpack(*raw, *udl);
    ud.payload.assign(all.begin() + static_cast<std::ptrdiff_t>(skip), all.end());
  } else {
    auto body = raw->subspan(header_octets);
    if (ud.encoding == Encoding::ucs2 && body.size() % 2 != 0) {
      return fail("UCS-2 user data has an odd number of octets (" + std::to_string(body.size()) + ")");
    }
    ud.payload.assign(body.begin(), body.end());
  }
  ud.text = payload_to_text(ud.encoding, ud.payload);
  return ud;
}

}  // namespace sb::pdu
