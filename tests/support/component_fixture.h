// tests/support/component_fixture.h — one of the inbox's components driven directly: a real
// LMDB file in a temp dir, a fake clock, and transactions opened and committed here the way the
// Inbox opens them (tx.h), keeping the Events of each commit.
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

#include "hal/clock/fake_clock.h"
#include "services/inbox/posting_blocks.h"
#include "services/inbox/tx.h"
#include "tests/support/store_rig.h"

namespace sb::test {

struct ComponentFixture : StoreRig {
  std::vector<inbox::Event> events;  // of every committed transaction, in order

  ComponentFixture() { store->set_deferred_writer(store::Table::search_terms, inbox::write_postings); }

  // `change` inside one transaction, committed unless it refuses (then nothing is written).
  Result<void> write(const std::function<Result<void>(inbox::Tx&)>& change) {
    std::vector<inbox::Event> committed;
    auto r = store->write([&](store::WriteTxn& w) -> Result<void> {
      inbox::Tx tx(w, clock.wall_ms());
      if (auto ch = change(tx); !ch) return ch;
      tx.write_events();
      committed = std::move(tx.events);
      return {};
    });
    if (r) events.insert(events.end(), committed.begin(), committed.end());
    return r;
  }
  // A conversation stored on `channel` with `contact`, as the ingest path opens one.
  inbox::Conversation open_conversation(inbox::Tx& tx, const std::string& channel,
                                        const std::string& contact, const std::string& status) {
    inbox::Conversation c;
    c.set_id(tx.w.next_id("conversation_id"));
    c.set_channel(channel);
    c.set_contact(contact);
    inbox::set_status(c, *inbox::parse_status(status));
    c.set_created_at_ms(tx.now_ms);
    return c;
  }
  // The customer's message in `c`, appended and saved.
  std::uint64_t customer_says(inbox::Tx& tx, inbox::Conversation& c, const std::string& text) {
    inbox::Message m;
    m.set_direction("in");
    m.set_author("customer");
    m.set_text(text);
    tx.append(c, m);
    tx.save(c);
    return m.id();
  }
};

}  // namespace sb::test
