// services/handoff/signal_counts.cpp — byte counts with GCC vector extensions (SSE2 on x86,
// NEON on ARM, plain code elsewhere): counters of one byte per lane, summed once at the end,
// so a 160-byte message costs about a hundred instructions instead of a loop per byte.
#include "services/handoff/signal_counts.h"

#include <cstdint>
#include <cstring>

namespace sb::handoff {
namespace {

using V = unsigned char __attribute__((vector_size(16)));

// The sum of a counter's 16 lanes (each at most 254).
std::size_t lane_sum(V v) {
  std::uint64_t h[2];
  std::memcpy(h, &v, 16);
  constexpr std::uint64_t k = 0x00FF00FF00FF00FFULL;
  const std::uint64_t s = (h[0] & k) + ((h[0] >> 8) & k) + (h[1] & k) + ((h[1] >> 8) & k);
  return static_cast<std::size_t>((s * 0x0001000100010001ULL) >> 48);
}

struct Counters {
  V upper{}, marks{}, high{}, wide{};
  void flush(SignalCounts& c) {
    c.upper += lane_sum(upper);
    c.marks += lane_sum(marks);
    c.high += lane_sum(high);
    c.wide += lane_sum(wide);
    upper = marks = high = wide = V{};
  }
};

// Counts the 16 bytes at p (p[-2] and p[-1] readable unless Ascii) whose lane is set in `keep`. A true
// comparison is -1 in its lane, so subtracting it counts.
template <bool Ascii>
inline void count16(const unsigned char* p, V keep, Counters& k) {
  V x;
  std::memcpy(&x, p, 16);
  const V up = reinterpret_cast<V>((V)(x - (unsigned char)'A') < (unsigned char)26);
  const V mk = reinterpret_cast<V>(x == (unsigned char)'!') | reinterpret_cast<V>(x == (unsigned char)'?');
  if constexpr (Ascii) {
    k.upper -= up & keep;
    k.marks -= mk & keep;
  } else {
    V p1, p2;
    std::memcpy(&p1, p - 1, 16);
    std::memcpy(&p2, p - 2, 16);
    const V up2 = reinterpret_cast<V>(
        ((p1 == (unsigned char)0xC3) & ((V)(x - (unsigned char)0x80) < (unsigned char)0x1F)) |
        ((p1 == (unsigned char)0xD0) & ((V)(x - (unsigned char)0x80) < (unsigned char)0x30)) |
        ((p1 == (unsigned char)0xCE) & ((V)(x - (unsigned char)0x91) < (unsigned char)0x19)));
    const V wd = reinterpret_cast<V>(
        ((p1 == (unsigned char)0xC2) & ((x == (unsigned char)0xA1) | (x == (unsigned char)0xBF))) |
        ((p1 == (unsigned char)0xD8) & (x == (unsigned char)0x9F)) |
        ((p2 == (unsigned char)0xEF) & (p1 == (unsigned char)0xBC) &
         ((x == (unsigned char)0x81) | (x == (unsigned char)0x9F))) |
        ((p2 == (unsigned char)0xE2) & (p1 == (unsigned char)0x80) & (x == (unsigned char)0xBC)));
    k.upper -= (up | up2) & keep;  // a byte is an ASCII capital or a second byte, never both
    k.marks -= mk & keep;
    k.high -= reinterpret_cast<V>(x >= (unsigned char)0x80) & keep;
    k.wide -= wd & keep;
  }
}

template <bool Ascii>
SignalCounts count(const unsigned char* p, std::size_t n) {
  SignalCounts c;
  Counters k;
  const V all = ~V{};
  // The first 16 bytes (or fewer) from a copy with two zero bytes before them and zeros
  // after, which count as nothing; then 16 at a time; then the 16 ending at n, the lanes
  // already counted left out.
  unsigned char first[2 + 16] = {};
  std::memcpy(first + 2, p, n < 16 ? n : 16);
  count16<Ascii>(first + 2, all, k);
  std::size_t i = 16;
  int rounds = 1;
  for (; i + 16 <= n; i += 16) {
    count16<Ascii>(p + i, all, k);
    if (++rounds == 127) {  // a lane counts at most 2 per round: flush before 255
      k.flush(c);
      rounds = 0;
    }
  }
  if (i < n) {
    const V lane = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    const V keep = reinterpret_cast<V>(lane >= static_cast<unsigned char>(16 - (n - i)));
    if (n >= 18) {
      count16<Ascii>(p + n - 16, keep, k);
    } else {
      // 17 bytes: the tail's lanes look back two bytes, before the text; take them from a
      // copy with zeros in front, as for the first 16.
      unsigned char tail[2 + 17] = {};
      std::memcpy(tail + 2, p, n);
      count16<Ascii>(tail + 2 + n - 16, keep, k);
    }
  }
  k.flush(c);
  return c;
}

}  // namespace

SignalCounts count_signals(std::string_view text, bool ascii) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  return ascii ? count<true>(p, text.size()) : count<false>(p, text.size());
}

}  // namespace sb::handoff
