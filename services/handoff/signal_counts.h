// services/handoff/signal_counts.h — the cheap counts that decide whether a message can be
// shouting or "!!!" at all.
//
// Most messages have neither 8 capitals nor 3 question/exclamation marks, so the matcher
// counts them first, branch-free and 16 bytes at a time, and runs the exact (per-character)
// frustration checks only when the counts allow a signal.
#pragma once

#include <cstddef>
#include <string_view>

namespace sb::handoff {

struct SignalCounts {
  std::size_t upper = 0;  // ASCII capitals, and two-byte ones (Latin-1 À-Þ, Greek Α-Ω, Cyrillic Ѐ-Я)
  std::size_t marks = 0;  // '!' and '?'
  std::size_t high = 0;   // bytes >= 0x80
  std::size_t wide = 0;   // ¡ ¿ ؟ ！ ？ ‼ (their exact UTF-8 bytes)
};

// `ascii` = the text has no byte >= 0x80 (the caller knows it already); then only `upper`
// (ASCII capitals) and `marks` are counted and the others are 0.
SignalCounts count_signals(std::string_view text, bool ascii);

}  // namespace sb::handoff
