// hal/modem/pdu/reassembly.cpp
#include "hal/modem/pdu/reassembly.h"

#include <vector>

#include "hal/modem/pdu/user_data.h"

namespace sb::pdu {

Result<Reassembled> reassemble(std::span<const Decoded> parts, std::string_view missing_marker) {
  if (parts.empty()) return fail("no parts to reassemble");
  for (const Decoded& p : parts) {
    if (!p.concat) return fail("a part has no concatenation header");
    if (p.concat->ref != parts[0].concat->ref || p.concat->total != parts[0].concat->total) {
      return fail("parts disagree on reference or total");
    }
  }
  const std::size_t total = parts[0].concat->total;
  std::vector<const Decoded*> by_seq(total + 1, nullptr);  // index 0 unused
  for (const Decoded& p : parts) {
    if (!by_seq[p.concat->seq]) by_seq[p.concat->seq] = &p;
  }

  Reassembled out;
  std::vector<std::uint8_t> run;
  Encoding run_encoding = Encoding::gsm7;
  auto flush = [&] {
    out.text += payload_to_text(run_encoding, run);
    run.clear();
  };
  for (std::size_t seq = 1; seq <= total; ++seq) {
    const Decoded* p = by_seq[seq];
    if (!p) {
      flush();
      out.missing.push_back(static_cast<std::uint8_t>(seq));
      if (out.missing.size() == 1 || out.missing[out.missing.size() - 2] + 1u != seq) {
        out.text += missing_marker;  // one marker per gap, not per missing part
      }
      continue;
    }
    if (!run.empty() && p->encoding != run_encoding) flush();
    run_encoding = p->encoding;
    run.insert(run.end(), p->user_data.begin(), p->user_data.end());
  }
  flush();
  out.complete = out.missing.empty();
  return out;
}

}  // namespace sb::pdu
