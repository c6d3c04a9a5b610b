// Snooze: a conversation out of the lists until a time or until the customer writes again.
// Timed snoozes are filed in `snooze_due` (by wake time) so the timer finds the due ones
// without a scan of every conversation.
#include "services/inbox/conversation_csv.h"
#include "services/inbox/tx.h"

namespace sb::inbox {

namespace {
constexpr std::size_t kWakePerTick = 500;  // the rest wake on the next turn of the timer
// A year ahead at most: a snooze is for days, a date mistyped by a decade is a mistake.
constexpr std::int64_t kMaxSnoozeMs = 366LL * 86'400'000;

std::string due_key(std::int64_t until, std::uint64_t id) {
  return be64(static_cast<std::uint64_t>(until)) + be64(id);
}
}  // namespace

Result<void> Inbox::snooze(std::uint64_t conversation, std::int64_t until_ms,
                           const std::string& actor) {
  return mutate(conversation, [&](Tx& tx, Conversation& c) -> Result<void> {
    if (status_of(c) == STATUS_CLOSED || status_of(c) == STATUS_ARCHIVED)
      return fail("conversation " + std::to_string(c.id()) + " is " + status_name_of(c),
                  ErrorCode::conflict);
    if (until_ms != 0 && (until_ms <= tx.now_ms || until_ms > tx.now_ms + kMaxSnoozeMs))
      return fail("a snooze ends after now and within a year");
    if (c.snoozed() && c.snooze_until_ms() > 0)
      tx.w.del(store::Table::snooze_due, due_key(c.snooze_until_ms(), c.id()));
    c.set_snoozed(true);
    c.set_snooze_until_ms(until_ms);
    c.set_woke_at_ms(0);
    if (until_ms > 0) tx.w.put(store::Table::snooze_due, due_key(until_ms, c.id()), {});
    const std::string until =
        until_ms > 0 ? "until " + iso_utc_ms(until_ms) : "until the customer writes";
    tx.system_note(c, "snoozed " + until + " by " + actor);
    Event& e = tx.event(Event::SNOOZED, c);
    e.set_text(until_ms > 0 ? iso_utc_ms(until_ms) : "");
    e.set_assignee(c.assignee());
    return {};
  });
}

Result<void> Inbox::unsnooze(std::uint64_t conversation, const std::string& actor) {
  return mutate(conversation, [&](Tx& tx, Conversation& c) -> Result<void> {
    if (!c.snoozed())
      return fail("conversation " + std::to_string(c.id()) + " is not snoozed",
                  ErrorCode::conflict);
    wake(tx, c, "woken by " + actor);
    return {};
  });
}

void Inbox::wake(Tx& tx, Conversation& c, const std::string& why) {
  if (!c.snoozed()) return;
  if (c.snooze_until_ms() > 0)
    tx.w.del(store::Table::snooze_due, due_key(c.snooze_until_ms(), c.id()));
  c.set_snoozed(false);
  c.set_snooze_until_ms(0);
  c.set_woke_at_ms(tx.now_ms);
  tx.system_note(c, "back from snooze: " + why);
  tx.event(Event::WOKEN, c).set_text(why);
}

void Inbox::wake_due(Tx& tx) {
  std::vector<std::string> due;
  tx.w.scan(store::Table::snooze_due, {}, [&](std::string_view k, std::string_view) {
    if (k.size() != 16 || static_cast<std::int64_t>(from_be64(k)) > tx.now_ms) return false;
    due.emplace_back(k);
    return due.size() < kWakePerTick;
  });
  for (const std::string& k : due) {
    tx.w.del(store::Table::snooze_due, k);  // whatever the record says, this entry is spent
    Conversation c;
    if (!tx.load(from_be64(k, 8), c) || !c.snoozed()) continue;
    c.set_snooze_until_ms(0);  // its entry is gone already
    wake(tx, c, "the snooze ended");
    tx.save(c);
  }
}

}  // namespace sb::inbox
