// tests/fuzz/pdu_fuzz.cpp — libFuzzer target for the SMS PDU codec.
//
// Feeds the input to the decoder three ways: as octets, as the hex a modem would print for
// them, and as raw text (odd lengths, non-hex characters). Anything decoded must come out as
// valid UTF-8 and survive reassembly; the input as a message text must encode (or fail) and
// every encoded part must decode back. A crash, a sanitizer report or a failed invariant is
// a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hal/modem/pdu/hex.h"
#include "hal/modem/pdu/pdu.h"
#include "hal/modem/pdu/utf8.h"

namespace {

void check_decoded(const sb::Result<sb::pdu::Decoded>& d) {
  if (!d) {
    if (d.error().message.empty()) std::abort();
    return;
  }
  if (!sb::pdu::utf8_to_code_points(d->text).ok()) std::abort();
  if (d->concat) {
    auto r = sb::pdu::reassemble(std::span<const sb::pdu::Decoded>(&*d, 1));
    if (!r) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  check_decoded(sb::pdu::decode_octets(bytes));
  check_decoded(sb::pdu::decode(sb::pdu::bytes_to_hex(bytes)));
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  check_decoded(sb::pdu::decode(raw));

  if (size <= 1024) {
    auto parts = sb::pdu::encode_submit({.to = "+491701234567", .text = std::string(raw)});
    if (parts) {
      std::vector<sb::pdu::Decoded> decoded;
      for (const auto& p : *parts) {
        auto d = sb::pdu::decode(p.hex);
        if (!d) std::abort();
        decoded.push_back(std::move(*d));
      }
      std::string joined;
      if (decoded.size() == 1) {
        joined = decoded[0].text;
      } else {
        auto r = sb::pdu::reassemble(decoded);
        if (!r || !r->complete) std::abort();
        joined = r->text;
      }
      if (joined != raw) std::abort();  // valid UTF-8 in, the same text out
    }
  }
  return 0;
}
