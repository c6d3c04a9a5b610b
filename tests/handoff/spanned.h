// The text a match covers, so a failing check shows words rather than offsets.
#pragma once

#include <string>
#include <string_view>

#include "services/handoff/verdict.h"

namespace sb::test {

inline std::string spanned(std::string_view text, const handoff::Span& s) {
  return std::string(text.substr(s.begin, s.end - s.begin));
}

}  // namespace sb::test
