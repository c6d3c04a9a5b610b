// services/common/bytes.h — fixed-width keys for LMDB: big-endian so byte order is numeric order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sb {

inline std::string be64(std::uint64_t v) {
  std::string s(8, '\0');
  for (int i = 7; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return s;
}

inline std::uint64_t from_be64(std::string_view s, std::size_t at = 0) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8 && at + i < s.size(); ++i)
    v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

}  // namespace sb
