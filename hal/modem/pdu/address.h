// hal/modem/pdu/address.h — SMS addresses (TS 23.040 §9.1.2.5) and the SMSC address
// (TS 24.011 §8.2.5.1): semi-octet digits or, for alphanumeric senders, packed GSM 7-bit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hal/modem/pdu/reader.h"
#include "base/result.h"

namespace sb::pdu {

enum class AddressKind { international, national, alphanumeric, other };

struct Address {
  AddressKind kind = AddressKind::other;
  std::uint8_t type_of_address = 0x81;
  // International: "+" then digits. Alphanumeric: the text as UTF-8. Otherwise the digits
  // (and any of *#abc) as the network sent them.
  std::string text;
};

// TP-OA / TP-DA / TP-RA: a length in semi-octets (useful digits), then type, then digits.
Result<Address> read_tp_address(Reader& r, const char* field);

// The SMSC prefix: a length in octets (type octet included); 0 means "none given".
Result<std::optional<Address>> read_smsc_address(Reader& r);

// Encodes a destination for TP-DA: "+4917..." becomes international (0x91), plain digits
// unknown-type ISDN (0x81). Spaces, dashes and parentheses people type are not accepted
// here; the caller normalises numbers before they reach the codec.
Result<std::vector<std::uint8_t>> encode_tp_address(std::string_view number);

}  // namespace sb::pdu
