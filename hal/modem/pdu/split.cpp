// hal/modem/pdu/split.cpp
#include "hal/modem/pdu/split.h"

#include "hal/modem/pdu/gsm7.h"
#include "hal/modem/pdu/ucs2.h"
#include "hal/modem/pdu/utf8.h"

namespace sb::pdu {
namespace {

constexpr std::size_t kMaxParts = 255;

// Greedy cut: each code point goes whole into the current part or starts the next one.
// `cost` is its size in capacity units, `emit` appends its payload.
template <typename Cost, typename Emit>
std::vector<std::vector<std::uint8_t>> cut(std::u32string_view text, std::size_t single,
                                           std::size_t multi, Cost cost, Emit emit) {
  std::size_t total = 0;
  for (char32_t cp : text) total += cost(cp);
  const std::size_t cap = total <= single ? single : multi;
  std::vector<std::vector<std::uint8_t>> parts(1);
  std::size_t used = 0;
  for (char32_t cp : text) {
    const std::size_t c = cost(cp);
    if (used + c > cap) {
      parts.emplace_back();
      used = 0;
    }
    emit(parts.back(), cp);
    used += c;
  }
  return parts;
}

}  // namespace

Result<SplitText> split_text(std::string_view utf8, bool wide_ref) {
  auto cps = utf8_to_code_points(utf8);
  if (!cps) return cps.error();
  const std::size_t header = wide_ref ? 7 : 6;  // UDHL octet + concatenation element
  SplitText out;
  bool gsm = true;
  for (char32_t cp : *cps) {
    std::uint8_t s[2];
    if (gsm7::septets_for(cp, s) == 0) {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    out.encoding = Encoding::gsm7;
    out.parts = cut(
        *cps, 160, 160 - gsm7::header_septets(header),
        [](char32_t cp) {
          std::uint8_t s[2];
          return gsm7::septets_for(cp, s);
        },
        [](std::vector<std::uint8_t>& part, char32_t cp) {
          std::uint8_t s[2];
          const std::size_t n = gsm7::septets_for(cp, s);
          part.insert(part.end(), s, s + n);
        });
  } else {
    out.encoding = Encoding::ucs2;
    out.parts = cut(
        *cps, 70, (140 - header) / 2, [](char32_t cp) { return ucs2::units_for(cp); },
        [](std::vector<std::uint8_t>& part, char32_t cp) { ucs2::append(part, cp); });
  }
  if (out.parts.size() > kMaxParts) {
    return fail("text needs " + std::to_string(out.parts.size()) + " parts; at most 255 are possible");
  }
  return out;
}

}  // namespace sb::pdu
