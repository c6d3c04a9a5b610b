// hal/modem/pdu/address.cpp
#include "hal/modem/pdu/address.h"

#include "hal/modem/pdu/gsm7.h"

namespace sb::pdu {
namespace {

// TS 24.008 table 10.5.118 (called party BCD number): 0xA..0xE are *, #, a, b, c.
constexpr char kSemiOctet[] = "0123456789*#abc";

Address digits_address(std::uint8_t toa, std::span<const std::uint8_t> octets,
                       std::size_t digits) {
  Address a;
  a.type_of_address = toa;
  const unsigned ton = (toa >> 4) & 0x07;
  a.kind = ton == 1 ? AddressKind::international
           : ton == 2 ? AddressKind::national
                      : AddressKind::other;
  if (a.kind == AddressKind::international) a.text.push_back('+');
  for (std::size_t i = 0; i < digits; ++i) {
    const std::uint8_t b = octets[i / 2];
    const unsigned nib = (i % 2 == 0) ? (b & 0x0F) : (b >> 4);
    if (nib == 0x0F) break;  // filler; some networks pad with F even inside the count
    a.text.push_back(kSemiOctet[nib]);
  }
  return a;
}

}  // namespace

Result<Address> read_tp_address(Reader& r, const char* field) {
  auto len = r.octet(field);
  if (!len) return len.error();
  auto toa = r.octet(field);
  if (!toa) return toa.error();
  const std::size_t semi_octets = *len;
  if (semi_octets > 20) {
    return fail(std::string(field) + " length " + std::to_string(semi_octets) +
                " exceeds 20 semi-octets");
  }
  auto octets = r.take((semi_octets + 1) / 2, field);
  if (!octets) return octets.error();
  if (((*toa >> 4) & 0x07) == 5) {
    // Alphanumeric: the semi-octet count covers the packed septets.
    Address a;
    a.kind = AddressKind::alphanumeric;
    a.type_of_address = *toa;
    a.text = gsm7::septets_to_utf8(gsm7::unpack(*octets, semi_octets * 4 / 7));
    return a;
  }
  return digits_address(*toa, *octets, semi_octets);
}

Result<std::optional<Address>> read_smsc_address(Reader& r) {
  auto len = r.octet("SMSC length");
  if (!len) return len.error();
  if (*len == 0) return std::optional<Address>{};
  if (*len > 12) return fail("SMSC length " + std::to_string(*len) + " exceeds 12 octets");
  auto toa = r.octet("SMSC address");
  if (!toa) return toa.error();
  auto octets = r.take(*len - 1u, "SMSC address");
  if (!octets) return octets.error();
  return std::optional<Address>{digits_address(*toa, *octets, octets->size() * 2)};
}

Result<std::vector<std::uint8_t>> encode_tp_address(std::string_view number) {
  std::uint8_t toa = 0x81;
  if (!number.empty() && number.front() == '+') {
    toa = 0x91;
    number.remove_prefix(1);
  }
  if (number.empty()) return fail("empty destination number");
  if (number.size() > 20) return fail("destination number longer than 20 digits");
  std::vector<std::uint8_t> out{static_cast<std::uint8_t>(number.size()), toa};
  for (std::size_t i = 0; i < number.size(); ++i) {
    const char c = number[i];
    unsigned nib = 0;
    if (c >= '0' && c <= '9') {
      nib = static_cast<unsigned>(c - '0');
    } else if (c == '*') {
      nib = 0x0A;
    } else if (c == '#') {
      nib = 0x0B;
    } else {
      return fail(std::string("destination number has a character that is not a digit: '") + c +
                  "'");
    }
    if (i % 2 == 0) {
      out.push_back(static_cast<std::uint8_t>(0xF0 | nib));
    } else {
      out.back() = static_cast<std::uint8_t>((out.back() & 0x0F) | nib << 4);
    }
  }
  return out;
}

}  // namespace sb::pdu
