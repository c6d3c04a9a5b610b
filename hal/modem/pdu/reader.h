// hal/modem/pdu/reader.h — a bounds-checked cursor over PDU octets.
//
// Every field the decoder reads goes through here, so a length that points past the end
// becomes an error naming the field instead of an out-of-bounds read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "base/result.h"

namespace sb::pdu {

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  std::size_t remaining() const { return bytes_.size() - pos_; }
  std::size_t position() const { return pos_; }

  Result<std::uint8_t> octet(const char* field) {
    if (remaining() < 1) return truncated(field, 1);
    return bytes_[pos_++];
  }

  Result<std::span<const std::uint8_t>> take(std::size_t n, const char* field) {
    if (remaining() < n) return truncated(field, n);
    auto out = bytes_.subspan(pos_, n);
    pos_ += n;
    return out;
  }

 private:
  Error truncated(const char* field, std::size_t n) const {
    return fail(std::string(field) + " needs " + std::to_string(n) + " octet(s) at offset " +
                std::to_string(pos_) + " but only " + std::to_string(remaining()) + " remain");
  }

  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
};

}  // namespace sb::pdu
