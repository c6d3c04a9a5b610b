#include "services/channels/sms/sms_identity.h"

#include <cstdint>
#include <cstdio>

namespace sb::channels::sms {

namespace {

// Two FNV-1a 64 lanes with different offsets: 128 bits, stable across builds and platforms
// (std::hash is neither).
struct Digest {
  std::uint64_t a = 0xcbf29ce484222325ull, b = 0x84222325cbf29ce4ull;
  void add(std::string_view s) {
    for (unsigned char c : s) {
      a = (a ^ c) * 0x100000001b3ull;
      b = (b ^ c) * 0x100000001b3ull + 1;
    }
    a = (a ^ 0xff) * 0x100000001b3ull;  // field separator, so ("ab","c") != ("a","bc")
    b = (b ^ 0xfe) * 0x100000001b3ull;
  }
  std::string hex() const {
    char buf[40];
    std::snprintf(buf, sizeof buf, "sms-%016llx%016llx", static_cast<unsigned long long>(a),
                  static_cast<unsigned long long>(b));
    return buf;
  }
};

}  // namespace

std::string single_id(const pdu::Decoded& d) {
  Digest h;
  h.add(d.smsc.value_or(""));
  h.add(d.sender ? d.sender->text : "");
  h.add(d.timestamp.value_or(""));
  if (d.concat) {
    h.add(std::to_string(d.concat->ref));
    h.add(std::to_string(d.concat->total));
    h.add(std::to_string(d.concat->seq));
  }
  h.add(d.text);
  return h.hex();
}

std::string multipart_id(const std::string& sender, unsigned ref, unsigned total,
                         const std::vector<std::string>& parts) {
  Digest h;
  h.add(sender);
  h.add(std::to_string(ref));
  h.add(std::to_string(total));
  for (const auto& p : parts) h.add(p);
  return h.hex();
}

}  // namespace sb::channels::sms
