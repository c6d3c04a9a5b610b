// services/inbox/conversation_csv.h — conversations as CSV (RFC 4180), one row each, for
// exports from the page and the CLI: channel, trigger, rule, department, agent, the times to
// the first human reply and to close, and the satisfaction answer.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// The same, tallied one conversation at a time (a scan in steps feeds it). Memory: one entry
// per day that saw something, and one number per answered handoff.
class HandoffStatsCsv {
 public:
  HandoffStatsCsv(std::int64_t since_ms, std::int64_t until_ms) : since_(since_ms), until_(until_ms) {}
  void add(const switchboard::store::Conversation& c);
  std::string text();

 private:
  struct Day {
    std::int64_t conversations = 0, handoffs = 0;
    std::map<std::string, std::int64_t> triggers;
    std::vector<std::int64_t> waits;
  };
  std::int64_t since_, until_;
  std::map<std::int64_t, Day> days_;  // only days that saw something
};

// The same rows gathered in memory, header first, stopping before the text would pass
// `max_bytes` (`truncated` then set): for an HTTP answer, which is held whole.
struct CsvText {
  std::string text;
  std::size_t rows = 0;
  bool truncated = false;
  bool sound = true;
};
CsvText conversations_csv(const store::ReadTxn& r, std::int64_t since_ms, std::int64_t until_ms,
                          std::size_t max_bytes);

// The same, one conversation at a time (a scan in steps feeds it).
class ConversationsCsv {
 public:
  ConversationsCsv(std::int64_t since_ms, std::int64_t until_ms, std::size_t max_bytes);
  // False once the text is full (`truncated` set): the caller stops feeding it.
  bool add(const switchboard::store::Conversation& c);
  CsvText take() { return std::move(out_); }

 private:
  std::int64_t since_, until_;
  std::size_t max_bytes_;
  CsvText out_;
};

// A range bound: "2026-11-30" (a whole UTC day: as `until` it takes the day in) or
// "2026-11-30T12:00:00Z" (an instant). Milliseconds since the epoch, or nullopt.
std::optional<std::int64_t> parse_range_time(const std::string& v, bool until);

// Milliseconds as ISO 8601 UTC ("2026-11-30T19:24:47.000Z"); empty for 0.
std::string iso_utc_ms(std::int64_t ms);

}  // namespace sb::inbox
