// After a conversation: auto-close when the customer has gone quiet, and the satisfaction
// survey (CSAT) on the conversation's own channel with its answer kept on the conversation.
//
// Quiet conversations are filed in `idle_since` (conversation_index.h) by the time of the
// message that started the quiet. An entry is written when a conversation becomes eligible
// and left alone while messages go on (the record's last_at_ms moves, the key does not), so
// chatting costs the index nothing; the timer reads only the entries old enough to be due and
// files again, at its real time, any conversation that was not quiet after all.
#include <cctype>

#include "services/inbox/conversation_csv.h"
#include "services/inbox/tx.h"

namespace sb::inbox {

namespace {
constexpr std::size_t kCloseLookPerTick = 200;  // idle entries read a turn; the rest wait
constexpr std::size_t kMaxCsatAnswer = 32;      // an answer is a digit, give or take spaces

std::string hours_text(std::int64_t ms) {
  const std::int64_t min = ms / 60000;
  if (min % 60 != 0) return std::to_string(min) + " min";
  return std::to_string(min / 60) + " h";
}
}  // namespace

std::optional<int> csat_answer(std::string_view text) {
  if (text.size() > kMaxCsatAnswer) return std::nullopt;
  auto space = [](char ch) { return std::isspace(static_cast<unsigned char>(ch)) != 0; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  if (text.size() != 1 || text[0] < '1' || text[0] > '5') return std::nullopt;
  return text[0] - '0';
}

void Inbox::ask_csat(Tx& tx, Conversation& c) {
  // Only a conversation a person handled has someone to rate.
  if (!workflow_.csat.enabled || c.assignee().empty()) return;
  c.set_csat_asked_at_ms(tx.now_ms);
  c.set_csat_score(0);
  c.set_csat_at_ms(0);
  tx.queue_outbound(c, "bot", "bot", workflow_.csat.question);
}

bool Inbox::take_csat_answer(Tx& tx, Conversation& c, const InboundMessage& msg) {
  if (status_of(c) != STATUS_CLOSED || c.csat_asked_at_ms() == 0 || c.csat_score() != 0)
    return false;
  if (tx.now_ms - c.csat_asked_at_ms() > workflow_.csat.window_ms) return false;
  auto score = csat_answer(msg.text);
  if (!score) return false;
  c.set_csat_score(*score);
  c.set_csat_at_ms(tx.now_ms);
  return true;
}

void Inbox::auto_close_due(Tx& tx) {
  const std::int64_t after = workflow_.auto_close.after_ms;
  if (after <= 0) return;
  const std::int64_t cutoff = tx.now_ms - after;
  std::vector<std::string> due;
  tx.w.scan(store::Table::idle_since, {}, [&](std::string_view k, std::string_view) {
    if (k.size() != 16 || static_cast<std::int64_t>(from_be64(k)) > cutoff) return false;
    due.emplace_back(k);
    return due.size() < kCloseLookPerTick;
  });
  for (const std::string& k : due) {
    Conversation c;
    if (!tx.load(from_be64(k, 8), c) || c.idle_key() != k) {
      tx.w.del(store::Table::idle_since, k);  // a stale entry: nothing points at it
      continue;
    }
    if (quiet_since(c) > cutoff) {
      // Messages came after it was filed: file it again at the real start of its quiet.
      tx.w.del(store::Table::idle_since, k);
      c.clear_idle_key();
      tx.save(c);
      continue;
    }
    if (!workflow_.auto_close.message.empty())
      tx.queue_outbound(c, "bot", "bot", workflow_.auto_close.message);
    if (c.snoozed()) wake(tx, c, "closed automatically");
    c.set_woke_at_ms(0);
    set_status(c, STATUS_CLOSED);
    c.set_closed_at_ms(tx.now_ms);
    c.set_fallback_count(0);
    c.clear_transfer_note();
    c.set_auto_closed(true);
    tx.system_note(c, "closed automatically: the customer was silent for " + hours_text(after));
    tx.event(Event::CLOSED, c).set_text("auto_close");
    ask_csat(tx, c);
    tx.save(c);
  }
}

}  // namespace sb::inbox
