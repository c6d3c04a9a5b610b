// bench/pdu/pdu_bench.cpp — decode and encode throughput of the PDU codec, to size the SMS
// path on slow ARM gateways (the codec should never be what limits a modem at ~1 SMS/s).
#include <chrono>
#include <cstdio>
#include <string>

#include "hal/modem/pdu/pdu.h"

namespace {

template <typename F>
void run(const char* name, int iterations, F&& f) {
  const auto start = std::chrono::steady_clock::now();
  std::size_t sink = 0;
  for (int i = 0; i < iterations; ++i) sink += f();
  const std::chrono::duration<double> s = std::chrono::steady_clock::now() - start;
  std::printf("%-28s %10.0f ops/s  %8.2f us/op  (%zu)\n", name, iterations / s.count(),
              s.count() * 1e6 / iterations, sink);
}

}  // namespace

int main() {
  const std::string deliver =
      "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07";
  auto ucs2_parts = sb::pdu::encode_submit({.to = "+491701234567", .text = std::string(60, 'x') + "😀"});
  const std::string ucs2 = ucs2_parts.ok() ? ucs2_parts->front().hex : deliver;
  std::string long_text;
  for (int i = 0; i < 10; ++i) long_text += "Grüße aus Köln, {Preis} 5€ ~ ";

  run("decode gsm7 deliver", 200000, [&] { return sb::pdu::decode(deliver)->text.size(); });
  run("decode ucs2 submit", 200000, [&] { return sb::pdu::decode(ucs2)->text.size(); });
  run("encode 1 part gsm7", 200000,
      [&] { return sb::pdu::encode_submit({.to = "+491701234567", .text = "How are you?"})->size(); });
  run("encode 2 parts gsm7 (ext)", 50000,
      [&] { return sb::pdu::encode_submit({.to = "+491701234567", .text = long_text})->size(); });
  return 0;
}
