// Decoding published and hand-assembled PDUs (3GPP TS 23.040 layouts).
#include <doctest/doctest.h>

#include "hal/modem/pdu/pdu.h"

using namespace sb::pdu;

TEST_CASE("classic SMS-DELIVER: 'How are you?' from +31641600986") {
  auto d = decode("07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07");
  REQUIRE(d.ok());
  CHECK(d->type == MessageType::deliver);
  CHECK(d->smsc == "+31624000000");
  REQUIRE(d->sender);
  CHECK(d->sender->text == "+31641600986");
  CHECK(d->sender->kind == AddressKind::international);
  CHECK_FALSE(d->recipient);
  CHECK(d->text == "How are you?");
  CHECK(d->encoding == Encoding::gsm7);
  CHECK_FALSE(d->concat);
  // TZ octet 0x08: sign bit set, zero quarters (23.040 §9.2.3.11; often misquoted as +02).
  CHECK(d->timestamp == "2002-08-26T19:37:41+00:00");
}

TEST_CASE("lower-case hex decodes the same") {
  auto d = decode("07911326040000f0040b911346610089f60000208062917314080cc8f71d14969741f977fd07");
  REQUIRE(d.ok());
  CHECK(d->text == "How are you?");
}

TEST_CASE("UCS-2 deliver with SMSC, national-format timestamp +01:00") {
  auto d = decode(
      "0791947101670000"
      "04"
      "0C91947110325476"
      "00"
      "08"
      "42103021436540"
      "0C"
      "041F04400438043204350442");
  REQUIRE(d.ok());
  CHECK(d->smsc == "+491710760000");
  CHECK(d->sender->text == "+491701234567");
  CHECK(d->encoding == Encoding::ucs2);
  CHECK(d->text == "Привет");
  CHECK(d->timestamp == "2024-01-03T12:34:56+01:00");
}

TEST_CASE("UCS-2 emoji surrogate pair") {
  // "😀 ok" = D83D DE00 0020 006F 006B
  auto d = decode("00040B911346610089F60008420130214365400AD83DDE000020006F006B");
  REQUIRE(d.ok());
  CHECK(d->smsc == std::nullopt);
  CHECK(d->text == "😀 ok");
}

TEST_CASE("negative time zones") {
  // -05:00 = 20 quarters: tens 2 with the sign bit (0xA), units 0 -> octet 0x0A.
  auto d = decode("00040B911346610089F600004210302143650A00");
  REQUIRE(d.ok());
  CHECK(d->timestamp == "2024-01-03T12:34:56-05:00");
  CHECK(d->text.empty());
  // -03:30 = 14 quarters -> octet 0x49.
  auto n = decode("00040B911346610089F6000042103021436549024927");
  REQUIRE(n.ok());
  CHECK(n->timestamp == "2024-01-03T12:34:56-03:30");
  // +05:45 (Nepal) = 23 quarters -> octet 0x32.
  auto p = decode("00040B911346610089F6000042103021436532024927");
  REQUIRE(p.ok());
  CHECK(p->timestamp == "2024-01-03T12:34:56+05:45");
}

TEST_CASE("alphanumeric sender") {
  // "Info" packed: 49 B7 F9 0D, 7 useful semi-octets, TOA 0xD0.
  auto d = decode("0004" "07D049B7F90D" "00" "00" "42103021436540" "02" "E834");
  REQUIRE(d.ok());
  REQUIRE(d->sender);
  CHECK(d->sender->kind == AddressKind::alphanumeric);
  CHECK(d->sender->text == "Info");
  CHECK(d->text == "hi");
}

TEST_CASE("national and short-code senders keep their digits") {
  auto d = decode("0004" "0AA1" "1007214365" "0000" "42103021436540" "00");
  REQUIRE(d.ok());
  CHECK(d->sender->kind == AddressKind::national);
  CHECK(d->sender->text == "0170123456");
  auto s = decode("0004" "0481" "2143" "0000" "42103021436540" "00");
  REQUIRE(s.ok());
  CHECK(s->sender->text == "1234");
}

TEST_CASE("multipart GSM 7-bit with an 8-bit reference: header, fill bit, text") {
  // UDH 05 00 03 2A 02 01 is 48 bits; text starts at septet 7 (one fill bit). "Hi".
  auto d = decode("0044" "0B911346610089F6" "0000" "42103021436540" "09" "0500032A0201" "9069");
  REQUIRE(d.ok());
  REQUIRE(d->concat);
  CHECK(d->concat->ref == 0x2A);
  CHECK(d->concat->total == 2);
  CHECK(d->concat->seq == 1);
  CHECK_FALSE(d->concat->wide_ref);
  CHECK(d->text == "Hi");
}

TEST_CASE("multipart UCS-2 with a 16-bit reference") {
  auto d = decode("0044" "0B911346610089F6" "0008" "42103021436540" "0B" "06080412340302" "00480069");
  REQUIRE(d.ok());
  REQUIRE(d->concat);
  CHECK(d->concat->ref == 0x1234);
  CHECK(d->concat->total == 3);
  CHECK(d->concat->seq == 2);
  CHECK(d->concat->wide_ref);
  CHECK(d->text == "Hi");
}

TEST_CASE("header with other elements before concatenation; invalid concat ignored") {
  // Port addressing (IEI 05, 4 octets) then concat 8-bit.
  auto d = decode("0044" "0B911346610089F6" "0008" "42103021436540" "0E"
                  "0B050415811581" "0003070201" "0048");
  REQUIRE(d.ok());
  REQUIRE(d->concat);
  CHECK(d->concat->ref == 7);
  CHECK(d->text == "H");
  // seq 0 -> 23.040 says ignore the element.
  auto z = decode("0044" "0B911346610089F6" "0008" "42103021436540" "08" "050003070200" "0048");
  REQUIRE(z.ok());
  CHECK_FALSE(z->concat);
}

TEST_CASE("8-bit data keeps its octets") {
  auto d = decode("0004" "0B911346610089F6" "0004" "42103021436540" "03" "00FF41");
  REQUIRE(d.ok());
  CHECK(d->encoding == Encoding::eight_bit);
  CHECK(d->user_data == std::vector<std::uint8_t>{0x00, 0xFF, 0x41});
  CHECK(d->text == std::string("\0\xC3\xBF" "A", 4));
}

TEST_CASE("DCS groups: message class F0 (gsm7), F4 (8bit), E0 (ucs2), compressed refused") {
  CHECK(decode("0004" "0B911346610089F6" "00F0" "42103021436540" "02" "E834")->text == "hi");
  CHECK(decode("0004" "0B911346610089F6" "00F4" "42103021436540" "01" "41")->encoding ==
        Encoding::eight_bit);
  CHECK(decode("0004" "0B911346610089F6" "00E0" "42103021436540" "02" "0041")->text == "A");
  CHECK_FALSE(decode("0004" "0B911346610089F6" "0020" "42103021436540" "02" "E834").ok());
}

TEST_CASE("SMS-STATUS-REPORT") {
  // MR 0xD6 for +31628870634; SCTS 2011-01-11 17:59:15 +01:00; DT ...17:59:17; ST 0 (delivered).
  auto d = decode("07911326040000F0" "06" "D6" "0B911326880736F4" "11101171955140" "11101171957140" "00");
  REQUIRE(d.ok());
  CHECK(d->type == MessageType::status_report);
  CHECK(d->smsc == "+31624000000");
  CHECK_FALSE(d->sender);
  REQUIRE(d->recipient);
  CHECK(d->recipient->text == "+31628870634");
  CHECK(d->message_ref == 0xD6);
  CHECK(d->status == 0);
  CHECK(d->timestamp == "2011-01-11T17:59:15+01:00");
  CHECK(d->discharge_time == "2011-01-11T17:59:17+01:00");
}

TEST_CASE("status report with TP-PI tail and a failure status") {
  // ST 0x46 (permanent: SM validity period expired); PI 0x06 = DCS + UDL present.
  auto d = decode("00" "06" "01" "0B911326880736F4" "11101171955140" "11101171957140" "46"
                  "06" "00" "02" "E834");
  REQUIRE(d.ok());
  CHECK(d->status == 0x46);
  CHECK(d->text == "hi");
}

TEST_CASE("status reports that end at TP-ST (no TP-PI, 23.040 9.2.2.3), also SIM-padded") {
  // hbjorgo/ATLib src/HeboTech.ATLib.Tests/PDU/SmsDecoderTests.cs, Decode_SmsStatusReport:
  // SMSC +3690001200, MR 119, recipient 52502781 (national, TON 010), both times
  // 2024-12-08 12:58:00 +01:00, ST 0; the last one as read from a SIM record (0xFF padding).
  const std::string plain = "06916309002100067708A025057218422180218500404221802185004000";
  for (const std::string& hex : {plain, plain + std::string(2 * 100, 'F')}) {
    auto d = decode(hex);
    REQUIRE_MESSAGE(d.ok(), d.error().message);
    CHECK(d->type == MessageType::status_report);
    CHECK(d->smsc == "+3690001200");
    CHECK(d->message_ref == 119);
    REQUIRE(d->recipient);
    CHECK(d->recipient->text == "52502781");
    CHECK(d->status == 0);
    CHECK(d->timestamp == "2024-12-08T12:58:00+01:00");
    CHECK(d->discharge_time == "2024-12-08T12:58:00+01:00");
  }
  // The same library's SmsStatusReportDecoderTests.cs: without an SMSC (00 prefix).
  auto d = decode("0006D60B911326880736F4111011719551401110117195714000");
  REQUIRE(d.ok());
  CHECK(d->message_ref == 214);
  CHECK(d->recipient->text == "+31628870634");
}

TEST_CASE("stored SMS-SUBMIT decodes with its recipient") {
  auto d = decode("0011000B916407281553F80000AA0AE8329BFD4697D9EC37");
  REQUIRE(d.ok());
  CHECK(d->type == MessageType::submit);
  CHECK_FALSE(d->sender);
  CHECK(d->recipient->text == "+46708251358");
  CHECK(d->text == "hellohello");
  CHECK_FALSE(d->timestamp);
  // No validity period (VPF 00) and absolute (VPF 11, 7 octets).
  CHECK(decode("0001000B916407281553F800000AE8329BFD4697D9EC37")->text == "hellohello");
  CHECK(decode("0019000B916407281553F8000042103021436540" "0AE8329BFD4697D9EC37")->text ==
        "hellohello");
}
