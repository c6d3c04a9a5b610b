// services/inbox/conversation_csv.h — conversations as CSV (RFC 4180), one row each, for
// exports from the page and the CLI: channel, trigger, rule, department, agent, the times to
// the first human reply and to close, and the satisfaction answer.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "services/proto/records.pb.h"
#include "services/store/store.h"

namespace sb::inbox {

// One field, quoted when it holds a comma, a quote, CR or LF (quotes doubled), else as is. A
// field that begins with = + - @ (a formula to a spreadsheet) is prefixed with a quote mark
// and quoted, so opening an export never runs what a customer wrote.
std::string csv_field(std::string_view v);

// The header line and one conversation's line, each ending in CRLF.
std::string conversation_csv_header();
std::string conversation_csv_row(const switchboard::store::Conversation& c);

// Every conversation created in [since_ms, until_ms), in id order, each row handed to
// `write` until it returns false. Reads one record at a time: memory stays flat however many
// there are. False when a record does not parse (a damaged file).
bool each_conversation_csv(const store::ReadTxn& r, std::int64_t since_ms, std::int64_t until_ms,
                           const std::function<bool(const std::string& row)>& write);

// Handoff statistics per day of [since_ms, until_ms), UTC: conversations, handoffs, handoffs by
// trigger, the median time to the first human reply. Header line first.
std::string handoff_stats_csv(const store::ReadTxn& r, std::int64_t since_ms,
                              std::int64_t until_ms);

// Milliseconds as ISO 8601 UTC ("2026-11-30T19:24:47.000Z"); empty for 0.
std::string iso_utc_ms(std::int64_t ms);

}  // namespace sb::inbox
