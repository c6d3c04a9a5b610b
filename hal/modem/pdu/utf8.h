// hal/modem/pdu/utf8.h — UTF-8 <-> code points, the neutral form between SMS alphabets.
//
// Text enters the codec as UTF-8 (from the inbox) and leaves it as UTF-8; both SMS alphabets
// are mapped from code points, so splitting never cuts a character in half.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace sb::pdu {

// Strict decoding: overlong forms, surrogates, values past U+10FFFF and truncated sequences are
// errors (the error names the byte offset), because encoding a message we misread would
// send the customer something they did not write.
Result<std::u32string> utf8_to_code_points(std::string_view utf8);

// Appends `cp` as UTF-8. Values that UTF-8 cannot carry (surrogates, > U+10FFFF) become U+FFFD.
void append_utf8(std::string& out, char32_t cp);

}  // namespace sb::pdu
