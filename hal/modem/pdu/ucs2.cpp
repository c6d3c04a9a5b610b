// hal/modem/pdu/ucs2.cpp
#include "hal/modem/pdu/ucs2.h"

#include "hal/modem/pdu/utf8.h"

namespace sb::pdu::ucs2 {
namespace {

void push_unit(std::vector<std::uint8_t>& out, char32_t unit) {
  out.push_back(static_cast<std::uint8_t>(unit >> 8));
  out.push_back(static_cast<std::uint8_t>(unit & 0xFF));
}

}  // namespace

void append(std::vector<std::uint8_t>& out, char32_t cp) {
  if (cp >= 0x10000) {
    const char32_t v = cp - 0x10000;
    push_unit(out, 0xD800 + (v >> 10));
    push_unit(out, 0xDC00 + (v & 0x3FF));
  } else {
    push_unit(out, cp);
  }
}

std::string to_utf8(std::span<const std::uint8_t> octets) {
  std::string out;
  out.reserve(octets.size());
  const std::size_t units = octets.size() / 2;
  auto unit_at = [&](std::size_t i) -> char32_t {
    return static_cast<char32_t>(octets[2 * i]) << 8 | octets[2 * i + 1];
  };
  for (std::size_t i = 0; i < units; ++i) {
    const char32_t u = unit_at(i);
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units) {
      const char32_t low = unit_at(i + 1);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
        ++i;
        continue;
      }
    }
    append_utf8(out, u);  // lone surrogates come out as U+FFFD
  }
  return out;
}

}  // namespace sb::pdu::ucs2
