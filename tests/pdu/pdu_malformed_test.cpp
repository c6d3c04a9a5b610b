// Malformed input: every case is an error value, never a crash or an out-of-bounds read
// (run under ASan/UBSan in build-pdu-asan).
#include <doctest/doctest.h>

#include <string>

#include "hal/modem/pdu/pdu.h"

using namespace sb::pdu;

namespace {

const char* const kGood[] = {
    "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07",
    "0044" "0B911346610089F6" "0000" "42103021436540" "09" "0500032A0201" "9069",
    "0044" "0B911346610089F6" "0008" "42103021436540" "0B" "06080412340302" "00480069",
    "07911326040000F0" "06" "D6" "0B911326880736F4" "11101171955140" "11101171957140" "00",
    "0011000B916407281553F80000AA0AE8329BFD4697D9EC37",
    "0004" "07D049B7F90D" "00" "00" "42103021436540" "02" "E834",
};

}  // namespace

TEST_CASE("every truncation of a valid PDU is an error") {
  for (const char* pdu : kGood) {
    const std::string full = pdu;
    REQUIRE(decode(full).ok());
    for (std::size_t len = 0; len < full.size(); ++len) {
      CAPTURE(full);
      CAPTURE(len);
      auto d = decode(full.substr(0, len));
      CHECK_FALSE(d.ok());
      if (!d.ok()) CHECK_FALSE(d.error().message.empty());
    }
  }
}

TEST_CASE("odd hex and bad hex") {
  CHECK_FALSE(decode("0").ok());
  CHECK_FALSE(decode("07").ok());
  CHECK_FALSE(decode("ZZZZ").ok());
  CHECK_FALSE(decode("").ok());
  CHECK_FALSE(decode("0791 1326").ok());
  CHECK_FALSE(decode("07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD0").ok());
  auto d = decode("07911326040000F0040B9113466100G9F6");
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().message.find("position") != std::string::npos);
}

TEST_CASE("lengths that point past the end") {
  // SMSC length 0x20 with nothing after it.
  CHECK_FALSE(decode("20").ok());
  CHECK_FALSE(decode("FF0000").ok());
  // Address length 0x14 (20 digits) but only 2 octets follow.
  CHECK_FALSE(decode("00" "04" "1491" "1346").ok());
  // Address length over 20 semi-octets.
  CHECK_FALSE(decode("00" "04" "1691" "11111111111111111111111111" "0000" "42103021436540" "00").ok());
  // UDL says 12 septets (11 octets), 2 octets present.
  CHECK_FALSE(decode("0004" "0B911346610089F6" "0000" "42103021436540" "0C" "E834").ok());
  // UDL past the GSM maximum (161) and the octet maximum (141).
  CHECK_FALSE(decode("0004" "0B911346610089F6" "0000" "42103021436540" "A1" +
                     std::string(2 * 141, '0')).ok());
  CHECK_FALSE(decode("0004" "0B911346610089F6" "0008" "42103021436540" "8D" +
                     std::string(2 * 141, '0')).ok());
  // UDHL 0x10 past a 4-octet user data.
  CHECK_FALSE(decode("0044" "0B911346610089F6" "0008" "42103021436540" "04" "10000300").ok());
  // Element length 9 past a 5-octet header.
  CHECK_FALSE(decode("0044" "0B911346610089F6" "0008" "42103021436540" "08" "050009070201" "0048").ok());
  // Element header cut in half (IEI without its length).
  CHECK_FALSE(decode("0044" "0B911346610089F6" "0008" "42103021436540" "04" "01000048").ok());
  // UDHI with empty user data.
  CHECK_FALSE(decode("0044" "0B911346610089F6" "0008" "42103021436540" "00").ok());
  // GSM header longer than the septet count: UDL 2 septets but UDHL 0.
  CHECK_FALSE(decode("0044" "0B911346610089F6" "0000" "42103021436540" "01" "05").ok());
  // Odd UCS-2 length.
  CHECK_FALSE(decode("0004" "0B911346610089F6" "0008" "42103021436540" "03" "004100").ok());
  // Status report PI says user data follows, none does.
  CHECK_FALSE(decode("00" "06" "01" "0B911326880736F4" "11101171955140" "11101171957140" "00" "04").ok());
  // PI extension bit with nothing after it.
  CHECK_FALSE(decode("00" "06" "01" "0B911326880736F4" "11101171955140" "11101171957140" "00" "80").ok());
}

TEST_CASE("bad fields") {
  // Reserved MTI 3.
  CHECK_FALSE(decode("0003").ok());
  // Month 13, non-BCD second, non-BCD time zone.
  CHECK_FALSE(decode("0004" "0B911346610089F6" "0000" "42310321436540" "00").ok());
  CHECK_FALSE(decode("0004" "0B911346610089F6" "0000" "421030214360A40" "00").ok());
  CHECK_FALSE(decode("0004" "0B911346610089F6" "0000" "421030214365A0" "00").ok());
  // Compressed DCS.
  CHECK_FALSE(decode("0004" "0B911346610089F6" "0020" "42103021436540" "00").ok());
}

TEST_CASE("trailing octets after the user data are tolerated") {
  auto d = decode("0011000B916407281553F80000AA0AE8329BFD4697D9EC37" "FFFF");
  REQUIRE(d.ok());
  CHECK(d->text == "hellohello");
}

TEST_CASE("all single octets and all two-octet prefixes fail cleanly") {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (int a = 0; a < 256; ++a) {
    std::string one{kHex[a >> 4], kHex[a & 15]};
    CHECK_FALSE(decode(one).ok());
    for (int b = 0; b < 256; ++b) {
      std::string two = one + std::string{kHex[b >> 4], kHex[b & 15]};
      (void)decode(two);  // must not crash; "0000" etc. are still incomplete TPDUs
      CHECK_FALSE(decode(two).ok());
    }
  }
}
