#include "services/inbox/conversation_csv.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <vector>

#include "services/inbox/lifecycle.h"

namespace sb::inbox {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr const char* kTriggers[] = {"user_request", "keyword",  "frustration", "fallback_loop",
                                     "flow_completion", "manual", "vip"};

std::string seconds(std::int64_t from_ms, std::int64_t to_ms) {
  if (from_ms <= 0 || to_ms <= 0) return {};
  return std::to_string(std::max<std::int64_t>(0, to_ms - from_ms) / 1000);
}

std::string day_text(std::int64_t day) {  // days since the epoch -> YYYY-MM-DD
  std::time_t t = static_cast<std::time_t>(day * 86400);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// Ids follow creation, but the wall clock may have stepped back between two: every record is
// checked against the range rather than a scan ended at the first one past it.
bool in_range(std::int64_t at_ms, std::int64_t since_ms, std::int64_t until_ms) {
  return at_ms >= since_ms && at_ms < until_ms;
}

// Every conversation record in id order to `take` until it returns false. False when a record
// does not parse (a damaged file): the scan stops there.
bool each_record(const store::ReadTxn& r,
                 const std::function<bool(const switchboard::store::Conversation&)>& take) {
  bool sound = true;
  r.scan(store::Table::conversations, {}, [&](std::string_view, std::string_view v) {
    switchboard::store::Conversation c;
    if (!c.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
      sound = false;
      return false;
    }
    return take(c);
  });
  return sound;
}

}  // namespace

std::string iso_utc_ms(std::int64_t ms) {
  if (ms <= 0) return {};
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

std::string csv_field(std::string_view v) {
  const bool formula = !v.empty() && (v.front() == '=' || v.front() == '+' ||
                                      v.front() == '-' || v.front() == '@');
  if (!formula && v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  if (formula) out += '\'';
  for (char ch : v) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

std::string conversation_csv_header() {
  return "id,created_at,channel,status,trigger,rule,department,agent,handoff_at,"
         "first_human_reply_s,close_s,csat,tags\r\n";
}

std::string conversation_csv_row(const switchboard::store::Conversation& c) {
  const bool handed = c.has_handoff() && !c.handoff().trigger().empty();
  const std::int64_t handoff_at =
      handed ? (c.handoff().at_ms() ? c.handoff().at_ms() : c.queued_at_ms()) : 0;
  const bool closed = status_of(c) == STATUS_CLOSED || status_of(c) == STATUS_ARCHIVED;
  std::string tags;
  for (const auto& t : c.tags()) tags += (tags.empty() ? "" : ";") + t;
  std::string row;
  row += std::to_string(c.id()) + ',';
  row += iso_utc_ms(c.created_at_ms()) + ',';
  row += csv_field(c.channel()) + ',';
  row += csv_field(status_name_of(c)) + ',';
  row += csv_field(handed ? c.handoff().trigger() : "") + ',';
  row += csv_field(handed ? c.handoff().rule() : "") + ',';
  row += csv_field(c.department()) + ',';
  row += csv_field(c.assignee()) + ',';
  row += iso_utc_ms(handoff_at) + ',';
  row += seconds(handoff_at ? handoff_at : c.created_at_ms(), c.first_human_reply_ms()) + ',';
  row += (closed ? seconds(c.created_at_ms(), c.closed_at_ms()) : std::string()) + ',';
  row += (c.csat_score() > 0 ? std::to_string(c.csat_score()) : std::string()) + ',';
  row += csv_field(tags);
  row += "\r\n";
  return row;
}

bool each_conversation_csv(const store::ReadTxn& r, std::int64_t since_ms, std::int64_t until_ms,
                           const std::function<bool(const std::string& row)>& write) {
  return each_record(r, [&](const switchboard::store::Conversation& c) {
    return !in_range(c.created_at_ms(), since_ms, until_ms) || write(conversation_csv_row(c));
  });
}

ConversationsCsv::ConversationsCsv(std::int64_t since_ms, std::int64_t until_ms,
                                   std::size_t max_bytes)
    : since_(since_ms), until_(until_ms), max_bytes_(max_bytes) {
  out_.text = conversation_csv_header();
}

bool ConversationsCsv::add(const switchboard::store::Conversation& c) {
  if (out_.truncated) return false;
  if (!in_range(c.created_at_ms(), since_, until_)) return true;
  std::string row = conversation_csv_row(c);
  if (out_.text.size() + row.size() > max_bytes_) {
    out_.truncated = true;
    return false;
  }
  out_.text += row;
  out_.rows++;
  return true;
}

CsvText conversations_csv(const store::ReadTxn& r, std::int64_t since_ms, std::int64_t until_ms,
                          std::size_t max_bytes) {
  ConversationsCsv csv(since_ms, until_ms, max_bytes);
  const bool sound =
      each_record(r, [&](const switchboard::store::Conversation& c) { return csv.add(c); });
  CsvText out = csv.take();
  out.sound = sound;
  return out;
}

std::optional<std::int64_t> parse_range_time(const std::string& v, bool until) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char tail = 0;
  const bool day_only = v.size() == 10;
  if (day_only) {
    if (std::sscanf(v.c_str(), "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3) return std::nullopt;
  } else {
    if (v.size() != 20 ||
        std::sscanf(v.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &tail) != 7 ||
        tail != 'Z')
      return std::nullopt;
  }
  if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 ||
      mi > 59 || s < 0 || s > 60)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  std::int64_t ms = static_cast<std::int64_t>(timegm(&tm)) * 1000;
  if (day_only && until) ms += kDayMs;  // the whole day named
  return ms;
}

void HandoffStatsCsv::add(const switchboard::store::Conversation& c) {
  if (in_range(c.created_at_ms(), since_, until_))
    days_[c.created_at_ms() / kDayMs].conversations++;
  if (!c.has_handoff() || c.handoff().trigger().empty()) return;
  const std::int64_t at = c.handoff().at_ms() ? c.handoff().at_ms() : c.queued_at_ms();
  const std::int64_t when = at ? at : c.created_at_ms();
  if (!in_range(when, since_, until_)) return;
  Day& d = days_[when / kDayMs];
  d.handoffs++;
  d.triggers[c.handoff().trigger()]++;
  if (c.first_human_reply_ms() > 0 && at > 0)
    d.waits.push_back(std::max<std::int64_t>(0, c.first_human_reply_ms() - at));
}

std::string HandoffStatsCsv::text() {
  std::string out = "day,conversations,handoffs,handoff_rate";
  for (const char* t : kTriggers) out += std::string(",") + t;
  out += ",first_human_reply_median_s\r\n";
  for (auto& [day, d] : days_) {
    out += day_text(day) + ',' + std::to_string(d.conversations) + ',' +
           std::to_string(d.handoffs) + ',';
    if (d.conversations > 0) {
      char rate[32];
      std::snprintf(rate, sizeof rate, "%.4f",
                    static_cast<double>(d.handoffs) / static_cast<double>(d.conversations));
      out += rate;
    }
    for (const char* t : kTriggers) out += ',' + std::to_string(d.triggers[t]);
    out += ',';
    if (!d.waits.empty()) {
      std::sort(d.waits.begin(), d.waits.end());
      out += std::to_string(d.waits[(d.waits.size() - 1) / 2] / 1000);
    }
    out += "\r\n";
  }
  return out;
}

std::string handoff_stats_csv(const store::ReadTxn& r, std::int64_t since_ms,
                              std::int64_t until_ms) {
  HandoffStatsCsv csv(since_ms, until_ms);
  r.scan(store::Table::conversations, {}, [&](std::string_view, std::string_view v) {
    switchboard::store::Conversation c;
    if (c.ParseFromArray(v.data(), static_cast<int>(v.size()))) csv.add(c);
    return true;  // a damaged record is left out of the tallies, the rest still count
  });
  return csv.text();
}

}  // namespace sb::inbox
