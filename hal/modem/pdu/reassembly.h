// hal/modem/pdu/reassembly.h — joining the parts of one concatenated message.
//
// Pure: the SMS adapter keeps the parts (in LMDB, so a reboot between parts loses nothing)
// and calls this when all have arrived, or when it gives up waiting for the rest.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hal/modem/pdu/decode.h"
#include "base/result.h"

namespace sb::pdu {

struct Reassembled {
  std::string text;                    // UTF-8
  bool complete = false;               // every seq 1..total was present
  std::vector<std::uint8_t> missing;   // seqs not present, ascending
};

// `parts` are decoded parts of one (sender, ref), in any order; duplicates (the same seq
// delivered twice) are kept once. Runs of consecutive parts are joined as payload before
// decoding, so an escape or a surrogate pair spanning two parts decodes correctly; each gap
// is shown as `missing_marker`. Fails on no parts, a part without concatenation info, or parts
// that disagree on ref or total.
Result<Reassembled> reassemble(std::span<const Decoded> parts,
                               std::string_view missing_marker = "[…]");

}  // namespace sb::pdu
