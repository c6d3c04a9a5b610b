// hal/modem/pdu/decode.cpp — TS 23.040 §9.2.2 layouts.
#include "hal/modem/pdu/decode.h"

#include "hal/modem/pdu/hex.h"
#include "hal/modem/pdu/reader.h"
#include "hal/modem/pdu/timestamp.h"
#include "hal/modem/pdu/user_data.h"

namespace sb::pdu {
namespace {

// First-octet bits (TS 23.040 §9.2.3).
constexpr std::uint8_t kMtiMask = 0x03;
constexpr std::uint8_t kStatusReportBit = 0x20;  // SRI / SRR / SRQ
constexpr std::uint8_t kUdhiBit = 0x40;

Result<void> read_body(Reader& r, Decoded& d, std::uint8_t dcs, bool udhi) {
  auto ud = read_user_data(r, dcs, udhi);
  if (!ud) return ud.error();
  d.encoding = ud->encoding;
  d.concat = ud->concat;
  d.text = std::move(ud->text);
  d.user_data = std::move(ud->payload);
  return {};
}

Result<void> decode_deliver(Reader& r, std::uint8_t first, Decoded& d) {
  auto oa = read_tp_address(r, "TP-OA");
  if (!oa) return oa.error();
  d.sender = std::move(*oa);
  auto pid = r.octet("TP-PID");
  if (!pid) return pid.error();
  auto dcs = r.octet("TP-DCS");
  if (!dcs) return dcs.error();
  auto scts = read_timestamp(r, "TP-SCTS");
  if (!scts) return scts.error();
  d.protocol_id = *pid;
  d.data_coding = *dcs;
  d.timestamp = std::move(*scts);
  return read_body(r, d, *dcs, first & kUdhiBit);
}

Result<void> decode_submit(Reader& r, std::uint8_t first, Decoded& d) {
  auto mr = r.octet("TP-MR");
  if (!mr) return mr.error();
  d.message_ref = *mr;
  auto da = read_tp_address(r, "TP-DA");
  if (!da) return da.error();
  d.recipient = std::move(*da);
  auto pid = r.octet("TP-PID");
  if (!pid) return pid.error();
  auto dcs = r.octet("TP-DCS");
  if (!dcs) return dcs.error();
  d.protocol_id = *pid;
  d.data_coding = *dcs;
  // TP-VPF: 0 none, 2 relative (1 octet), 1 enhanced and 3 absolute (7 octets).
  const unsigned vpf = (first >> 3) & 0x03;
  const std::size_t vp_len = vpf == 0 ? 0 : vpf == 2 ? 1 : 7;
  auto vp = r.take(vp_len, "TP-VP");
  if (!vp) return vp.error();
  return read_body(r, d, *dcs, first & kUdhiBit);
}

Result<void> decode_status_report(Reader& r, std::uint8_t first, Decoded& d) {
  auto mr = r.octet("TP-MR");
  if (!mr) return mr.error();
  d.message_ref = *mr;
  auto ra = read_tp_address(r, "TP-RA");
  if (!ra) return ra.error();
  d.recipient = std::move(*ra);
  auto scts = read_timestamp(r, "TP-SCTS");
  if (!scts) return scts.error();
  d.timestamp = std::move(*scts);
  auto dt = read_timestamp(r, "TP-DT");
  if (!dt) return dt.error();
  d.discharge_time = std::move(*dt);
  auto st = r.octet("TP-ST");
  if (!st) return st.error();
  d.status = *st;
  // Optional tail (§9.2.3.27): TP-PI says which of PID, DCS, UDL/UD follow. Many networks
  // stop after TP-ST.
  if (r.remaining() == 0) return {};
  auto pi = r.octet("TP-PI");
  if (!pi) return pi.error();
  // A report read back from the SIM fills its record with 0xFF (TS 31.102 EF-SMS): all bits
  // set, reserved ones included, is padding and not a TP-PI.
  if (*pi == 0xFF) return {};
  std::uint8_t last_pi = *pi;
  while (last_pi & 0x80) {  // extension bit: further PI octets we do not interpret
    auto more = r.octet("TP-PI");
    if (!more) return more.error();
    last_pi = *more;
  }
  std::uint8_t dcs = 0;
  if (*pi & 0x01) {
    auto pid = r.octet("TP-PID");
    if (!pid) return pid.error();
    d.protocol_id = *pid;
  }
  if (*pi & 0x02) {
    auto c = r.octet("TP-DCS");
    if (!c) return c.error();
    dcs = *c;
    d.data_coding = dcs;
  }
  if (*pi & 0x04) return read_body(r, d, dcs, first & kUdhiBit);
  return {};
}

}  // namespace

Result<Decoded> decode_octets(std::span<const std::uint8_t> pdu) {
  Reader r(pdu);
  Decoded d;
  auto smsc = read_smsc_address(r);
  if (!smsc) return smsc.error();
  if (*smsc) d.smsc = std::move((*smsc)->text);
  auto first = r.octet("first octet of the TPDU");
  if (!first) return first.error();
  d.status_report_requested = (*first & kStatusReportBit) != 0;
  Result<void> body;
  switch (*first & kMtiMask) {
    case 0:
      d.type = MessageType::deliver;
      body = decode_deliver(r, *first, d);
      break;
    case 1:
      d.type = MessageType::submit;
      body = decode_submit(r, *first, d);
      break;
    case 2:
      d.type = MessageType::status_report;
      body = decode_status_report(r, *first, d);
      break;
    default:
      return fail("reserved message type (TP-MTI 3)");
  }
  if (!body) return body.error();
  return d;
}

Result<Decoded> decode(std::string_view hex) {
  if (hex.empty()) return fail("empty PDU");
  auto bytes = hex_to_bytes(hex);
  if (!bytes) return bytes.error();
  return decode_octets(*bytes);
}

}  // namespace sb::pdu
