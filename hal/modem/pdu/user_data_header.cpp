// hal/modem/pdu/user_data_header.cpp
#include "hal/modem/pdu/user_data_header.h"

#include <string>

namespace sb::pdu {
namespace {

constexpr std::uint8_t kConcat8 = 0x00;
constexpr std::uint8_t kConcat16 = 0x08;

}  // namespace

Result<UserDataHeader> parse_user_data_header(std::span<const std::uint8_t> ies) {
  UserDataHeader h;
  std::size_t i = 0;
  while (i < ies.size()) {
    if (ies.size() - i < 2) return fail("user data header element truncated at offset " + std::to_string(i));
    const std::uint8_t iei = ies[i];
    const std::size_t len = ies[i + 1];
    if (ies.size() - i - 2 < len) {
      return fail("user data header element (IEI " + std::to_string(iei) + ")" + " length " +
                  std::to_string(len) + " runs past the header");
    }
    const auto data = ies.subspan(i + 2, len);
    Concat c;
    bool is_concat = false;
    if (iei == kConcat8 && len == 3) {
      c = Concat{data[0], data[1], data[2], false};
      is_concat = true;
    } else if (iei == kConcat16 && len == 4) {
      c = Concat{static_cast<std::uint16_t>(data[0] << 8 | data[1]), data[2], data[3], true};
      is_concat = true;
    }
    if (is_concat && c.total != 0 && c.seq != 0 && c.seq <= c.total) h.concat = c;
    i += 2 + len;
  }
  return h;
}

std::vector<std::uint8_t> concat_header(const Concat& c) {
  if (c.wide_ref) {
    return {6, kConcat16, 4, static_cast<std::uint8_t>(c.ref >> 8),
            static_cast<std::uint8_t>(c.ref & 0xFF), c.total, c.seq};
  }
  return {5, kConcat8, 3, static_cast<std::uint8_t>(c.ref & 0xFF), c.total, c.seq};
}

}  // namespace sb::pdu
