// tests/sim/deliver_pdu.h — test-only builders for what a network sends to a modem:
// SMS-DELIVER (split into concatenated parts like a phone would) and SMS-STATUS-REPORT.
// The product never encodes these, so they live with the simulator, not in the codec.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sb::sim {

struct DeliverSpec {
  std::string from = "+491701234567";  // international digits
  std::string text;                    // UTF-8; GSM 7-bit if it fits, else UCS-2
  std::string smsc = "+31624000000";
  std::uint8_t concat_ref = 42;        // used when the text needs more than one part
  int second = 0;                      // of the service centre time stamp (to tell apart)
};

// One hex PDU (SMSC prefix first, as AT+CMGL prints) per part, in order.
std::vector<std::string> build_deliver(const DeliverSpec& spec);

// A status report for the message with reference `mr` to `recipient`; `status` 0 = delivered,
// 0x40+ = permanent failure (TS 23.040 §9.2.3.15).
std::string build_status_report(std::uint8_t mr, const std::string& recipient,
                                std::uint8_t status);

// Octets after the SMSC prefix: the <length> of +CMGL / +CDS.
std::size_t tpdu_length(const std::string& hex);

}  // namespace sb::sim
