// tests/support/inbox_fixture.h — an Inbox on a real LMDB file in a temp dir, with a fake
// clock and a hand-cranked `post` so a test decides when the group commit runs.
#pragma once

#include <cstdio>
#include <deque>
#include <functional>

#include "hal/clock/fake_clock.h"
#include "services/inbox/inbox.h"
#include "tests/support/store_rig.h"

namespace sb::test {

struct InboxFixture : StoreRig {
  std::deque<std::function<void()>> posted;
  inbox::Inbox inbox{*store, clock, log, metrics,
                     [this](std::function<void()> f) { posted.push_back(std::move(f)); }};
  std::vector<inbox::Event> events;

  InboxFixture() {
    inbox.subscribe([this](const auto& e) { events.insert(events.end(), e.begin(), e.end()); });
    (void)inbox.upsert_department("support", "Support");
    (void)inbox.upsert_department("billing", "Billing");
    (void)inbox.upsert_agent("ana", "Ana", "support");
    (void)inbox.upsert_agent("ben", "Ben", "billing");
  }

  void run_posted() {
    while (!posted.empty()) {
      auto f = std::move(posted.front());
      posted.pop_front();
      f();
    }
  }
  // Ingests one message through the group-commit path and returns its outcome.
  Result<inbox::IngestOutcome> ingest(const std::string& channel, const std::string& eid,
                                      const std::string& sender, const std::string& text) {
    std::optional<Result<inbox::IngestOutcome>> out;
    inbox.ingest({channel, eid, sender, "", text, 0, {}}, [&](const auto& r) { out = r; });
    run_posted();
    if (!out) return fail("done was never called");
    return *out;
  }
  std::vector<inbox::Message> by_author(std::uint64_t conv, const std::string& author) {
    std::vector<inbox::Message> out;
    for (auto& m : inbox.history(conv))
      if (m.author() == author) out.push_back(m);
    return out;
  }
};

}  // namespace sb::test
