// Listings for the admin views and diagnostics: small tables whole, big ones in bounded pages
// or in steps, so no view reads the store behind the inbox's back.
#include <memory>

#include "services/inbox/dead_letters.h"
#include "services/inbox/table_records.h"
#include "services/inbox/tx.h"
#include "services/store/stepped_scan.h"

namespace sb::inbox {

std::vector<Inbox::Department> Inbox::departments() const {
  std::vector<Department> out;
  snapshot([&](const store::ReadTxn& r) { out = records_of<Department>(r, store::Table::departments); });
  return out;
}

std::optional<Inbox::Department> Inbox::department(const std::string& id) const {
  std::optional<Department> out;
  snapshot([&](const store::ReadTxn& r) {
    Department d;
    if (r.get_proto(store::Table::departments, id, d)) out = std::move(d);
  });
  return out;
}

std::vector<std::pair<std::uint64_t, AuditEntry>> Inbox::audit_page(std::size_t limit,
                                                                    std::uint64_t before) const {
  std::vector<std::pair<std::uint64_t, AuditEntry>> out;
  snapshot([&](const store::ReadTxn& r) { out = recent_audit(r, limit, before); });
  return out;
}

std::vector<switchboard::store::DeadLetter> Inbox::dead_letters(std::size_t n) const {
  return DeadLetters::recent(store_, n);
}

void Inbox::conversations_in_steps(ConversationSteps scan) const {
  struct State {
    std::function<bool(const Conversation&)> add;
    bool damaged = false, stopped = false;
  };
  auto s = std::make_shared<State>(State{std::move(scan.add)});
  store::SteppedScan step;
  step.post = std::move(scan.post);
  step.rows_per_step = scan.rows_per_step;
  step.row = [s](std::string_view, std::string_view v) {
    Conversation c;
    if (!c.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
      s->damaged = true;
      return false;
    }
    if (!s->add(c)) s->stopped = true;
    return !s->stopped;
  };
  step.done = [s, done = std::move(scan.done)](bool complete) {
    done(complete || (s->stopped && !s->damaged), s->stopped);
  };
  store::scan_in_steps(store_, store::Table::conversations, std::move(step));
}

}  // namespace sb::inbox
