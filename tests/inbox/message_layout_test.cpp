// The id-keyed message layout: histories chained through it, and a file of schema version 2
// (messages keyed by conversation, an index from message to conversation) converted at open
// with every history, message and search reading back the same.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>

#include "services/common/bytes.h"
#include "services/inbox/message_log.h"
#include "tests/support/inbox_fixture.h"

using namespace sb;

namespace {

using Histories = std::map<std::uint64_t, std::vector<std::string>>;

// Everything a history shows, one line per message, for comparing before and after.
std::string line(const inbox::Message& m) {
  return std::to_string(m.id()) + "|" + m.direction() + "|" + m.author() + "|" + m.text() + "|" +
         inbox::outbound_name_of(m) + "|" + std::to_string(m.at_ms()) + "|" +
         std::to_string(m.conversation_id());
}

Histories histories(const store::Store& st) {
  Histories out;
  st.read([&](const store::ReadTxn& r) {
    r.scan(store::Table::conversations, {}, [&](std::string_view k, std::string_view) {
      bool damaged = false;
      for (const auto& m : inbox::read_history(r, from_be64(k), &damaged))
        out[from_be64(k)].push_back(line(m));
      CHECK_FALSE(damaged);
      return true;
    });
  });
  return out;
}

// Rewrites a file into the layout a version 2 build wrote: messages keyed by conversation then
// id (no chain), the message index, no chain heads, schema_version 2. `keep_newest_of` keeps
// that conversation's newest message in the new layout, unchained, as a start that stopped half
// way and then served would have left it.
void write_version_2(store::Store& st, std::uint64_t keep_newest_of = 0) {
  REQUIRE(st.write([&](store::WriteTxn& w) -> Result<void> {
              std::vector<inbox::Message> all;
              w.scan(store::Table::messages, {}, [&](std::string_view, std::string_view v) {
                inbox::Message m;
                REQUIRE(m.ParseFromArray(v.data(), static_cast<int>(v.size())));
                all.push_back(m);
                return true;
              });
              std::map<std::uint64_t, std::uint64_t> newest;
              for (const auto& m : all) newest[m.conversation_id()] = m.id();
              for (auto m : all) {
                const std::uint64_t conv = m.conversation_id();
                if (conv == keep_newest_of && m.id() == newest[conv]) {
                  m.clear_previous_id();
                  w.put_proto(store::Table::messages, be64(m.id()), m);
                  continue;
                }
                w.del(store::Table::messages, be64(m.id()));
                m.clear_previous_id();
                w.put_proto(store::Table::messages_v2, be64(conv) + be64(m.id()), m);
                w.put(store::Table::message_index, be64(m.id()), be64(conv));
              }
              std::vector<inbox::Conversation> convs;
              w.scan(store::Table::conversations, {}, [&](std::string_view, std::string_view v) {
                inbox::Conversation c;
                REQUIRE(c.ParseFromArray(v.data(), static_cast<int>(v.size())));
                convs.push_back(c);
                return true;
              });
              for (auto& c : convs) {
                c.set_newest_message_id(c.id() == keep_newest_of ? newest[c.id()] : 0);
                w.put_proto(store::Table::conversations, be64(c.id()), c);
              }
              w.put(store::Table::meta, "schema_version", be64(2));
              return {};
            }).ok());
}

std::uint64_t entries(const store::Store& st, store::Table t) {
  std::uint64_t n = 0;
  st.read([&](const store::ReadTxn& r) { n = r.entries(t); });
  return n;
}

std::uint64_t version(const store::Store& st) {
  std::uint64_t v = 0;
  st.read([&](const store::ReadTxn& r) {
    v = from_be64(r.get(store::Table::meta, "schema_version").value());
  });
  return v;
}

// A gateway's worth of history: contacts writing, bot replies, an agent's reply, statuses.
struct Filled {
  Histories before;
  std::uint64_t busy_conversation = 0;
  std::uint64_t an_old_reply = 0;
  std::size_t messages = 0;
  std::vector<std::uint64_t> refund_hits;
};

Filled fill(test::InboxFixture& f) {
  Filled out;
  for (int i = 0; i < 40; ++i) {
    auto o = f.ingest("sms", "e" + std::to_string(i), "+" + std::to_string(i % 7),
                      "parcel " + std::to_string(i) + " is late, refund please");
    REQUIRE(o.ok());
    out.busy_conversation = o->conversation_id;
  }
  auto agent = f.inbox.reply(out.busy_conversation, "ana", "on its way");
  REQUIRE(agent.ok());
  out.an_old_reply = *agent;
  for (const auto& [conv, _] : histories(*f.store))
    for (const auto& m : f.inbox.history(conv))
      if (m.direction() == "out" && m.author() != "system" && m.id() % 3 == 0)
        REQUIRE(f.inbox.set_outbound_status(m.id(), inbox::OUTBOUND_DELIVERED).ok());
  for (const auto& h : f.inbox.search("refund", 200).messages)
    out.refund_hits.push_back(h.message_id);
  REQUIRE(out.refund_hits.size() >= 40);
  out.before = histories(*f.store);
  for (const auto& [_, h] : out.before) out.messages += h.size();
  return out;
}

}  // namespace

TEST_CASE("a history reads back in order through its chain, statuses in place") {
  test::InboxFixture f;
  Filled filled = fill(f);
  REQUIRE(filled.before.size() == 7);
  CHECK(entries(*f.store, store::Table::messages) == filled.messages);
  CHECK(entries(*f.store, store::Table::message_index) == 0);
  CHECK(entries(*f.store, store::Table::messages_v2) == 0);
  for (const auto& [conv, lines] : filled.before) {
    auto h = f.inbox.history(conv);
    REQUIRE(h.size() == lines.size());
    for (std::size_t i = 1; i < h.size(); ++i) CHECK(h[i - 1].id() < h[i].id());
  }
  auto reply = f.inbox.message(filled.an_old_reply);
  REQUIRE(reply.has_value());
  CHECK(reply->text() == "on its way");
  REQUIRE(f.inbox.set_outbound_status(filled.an_old_reply, inbox::OUTBOUND_DELIVERED).ok());
  CHECK(inbox::outbound_name_of(*f.inbox.message(filled.an_old_reply)) == "delivered");
  CHECK(f.inbox.history(filled.busy_conversation).size() ==
        filled.before[filled.busy_conversation].size());
}

TEST_CASE("a version 2 file is converted at its first writable open, every history the same") {
  for (const bool half_way : {false, true}) {
    CAPTURE(half_way);
    test::TempDir dir;
    Filled filled;
    {
      test::InboxFixture f;
      filled = fill(f);
      write_version_2(*f.store, half_way ? filled.busy_conversation : 0);
      f.store.reset();
      std::filesystem::rename(f.dir.sub("db"), dir.sub("db"));
    }
    {
      // A reader (export, verify) of the older file before any service start sees it all.
      store::StoreOptions ro;
      ro.read_only = true;
      auto st = store::Store::open(dir.sub("db"), ro).value();
      CHECK(version(*st) == 2);
      CHECK(entries(*st, store::Table::messages_v2) > 0);
      CHECK(histories(*st) == filled.before);
    }
    auto st = store::Store::open(dir.sub("db")).value();
    CHECK(version(*st) == std::uint64_t(store::kSchemaVersion));
    // Small steps, so a conversation's messages span several commits.
    auto moved = inbox::upgrade_message_layout(*st, 7);
    REQUIRE(moved.ok());
    CHECK(*moved == filled.messages - (half_way ? 1 : 0));
    CHECK(entries(*st, store::Table::messages_v2) == 0);
    CHECK(entries(*st, store::Table::message_index) == 0);
    CHECK(entries(*st, store::Table::messages) == filled.messages);
    CHECK(histories(*st) == filled.before);
    CHECK(inbox::upgrade_message_layout(*st).value() == 0);

    // The service on the converted file: reads, search, statuses and new messages.
    FakeClock clock;
    std::FILE* devnull = std::fopen("/dev/null", "w");
    Log log(Level::error, devnull);
    Metrics metrics;
    std::deque<std::function<void()>> posted;
    {
      inbox::Inbox in(*st, clock, log, metrics,
                      [&](std::function<void()> fn) { posted.push_back(std::move(fn)); });
      for (const auto& [conv, lines] : filled.before) {
        std::vector<std::string> got;
        for (const auto& m : in.history(conv)) got.push_back(line(m));
        CHECK(got == lines);
      }
      CHECK(in.message(filled.an_old_reply)->text() == "on its way");
      CHECK(in.message(filled.an_old_reply)->conversation_id() == filled.busy_conversation);
      std::vector<std::uint64_t> hits;
      for (const auto& hit : in.search("refund", 200).messages) hits.push_back(hit.message_id);
      CHECK(hits == filled.refund_hits);
      REQUIRE(in.set_outbound_status(filled.an_old_reply, inbox::OUTBOUND_FAILED, "no route").ok());
      CHECK(inbox::outbound_name_of(*in.message(filled.an_old_reply)) == "failed");
      auto id = in.reply(filled.busy_conversation, "ana", "one more thing");
      REQUIRE(id.ok());
      auto h = in.history(filled.busy_conversation);
      REQUIRE(h.size() == filled.before[filled.busy_conversation].size() + 1);
      CHECK(h.back().id() == *id);
      CHECK(h.back().text() == "one more thing");
    }
    std::fclose(devnull);
  }
}
