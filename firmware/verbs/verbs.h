// firmware/verbs/verbs.h — the command-line verbs that are pure functions of their input.
// Each returns the process exit code of the external contract: 0 ok, 1 runtime failure, 2 bad input.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace sb::verbs {

// `switchboard match [--rules FILE] [TEXT ...]`: one JSON object per text on `out`; with no
// texts, one text per line from `in`. With `explain`, each object also has an "explain" key
// (normalized text, every candidate match, what suppressed which); the contract's keys stay.
int match(const std::optional<std::string>& rules_file, const std::vector<std::string>& texts,
          std::istream& in, std::ostream& out, std::ostream& err, bool explain = false);

// `switchboard pdu decode [HEX ...]`: one JSON object per PDU; with none, one per line of `in`.
int pdu_decode(const std::vector<std::string>& hexes, std::istream& in, std::ostream& out,
               std::ostream& err);

// `switchboard pdu encode --to NUMBER [--status-report] TEXT`: one JSON object per part.
int pdu_encode(const std::string& to, bool status_report, const std::string& text,
               std::ostream& out, std::ostream& err);

}  // namespace sb::verbs
