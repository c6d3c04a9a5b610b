// A conversation's life as data (services/inbox/lifecycle.h): the moves it allows and refuses,
// and the names the contract uses for the statuses.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "services/common/bytes.h"
#include "services/inbox/lifecycle.h"
#include "services/inbox/message_log.h"
#include "tests/support/inbox_fixture.h"

using namespace sb;
using namespace sb::inbox;
namespace pb = switchboard::store;

namespace {

const Status kStatuses[] = {pb::CONVERSATION_STATUS_UNSPECIFIED, pb::STATUS_BOT,
                            pb::STATUS_QUEUED, pb::STATUS_ASSIGNED, pb::STATUS_CLOSED,
                            pb::STATUS_ARCHIVED};
const Cause kCauses[] = {Cause::handoff, Cause::take,    Cause::unassign, Cause::close,
                         Cause::archive, Cause::inbound, Cause::reopen};

const char* cause_word(Cause c) {
  switch (c) {
    case Cause::handoff: return "handoff";
    case Cause::take: return "take";
    case Cause::unassign: return "unassign";
    case Cause::close: return "close";
    case Cause::archive: return "archive";
    case Cause::inbound: return "inbound";
    case Cause::reopen: return "reopen";
  }
  return "?";
}

std::string move_text(Status from, Cause c, Status to) {
  return std::string(status_name(from)) + " -" + cause_word(c) + "-> " +
         std::string(status_name(to));
}

// The life as ARCHITECTURE tells it, written out by hand: every move it allows.
const std::set<std::string> kLife = {
    "bot -handoff-> queued",          // a trigger, a fallback loop, a flow, a VIP rule
    "bot -take-> assigned",           // an agent replies or assigns it
    "queued -take-> assigned",        // routing or an agent takes it
    "assigned -take-> assigned",      // a transfer to a colleague
    "assigned -unassign-> queued",    // an agent un-assigns it, goes offline
    "queued -unassign-> queued",      // a transfer to another department
    "bot -close-> closed",
    "queued -close-> closed",
    "assigned -close-> closed",
    "closed -archive-> archived",     // only a closed one is archived
    "closed -inbound-> bot",          // no human handled it lately
    "closed -inbound-> queued",       // the message trips a trigger, or its person is away
    "closed -inbound-> assigned",     // back to the person who handled it
    "closed -reopen-> bot",
    "closed -reopen-> queued",
    "closed -reopen-> assigned",
    "archived -reopen-> bot",
    "archived -reopen-> queued",
    "archived -reopen-> assigned",
};

}  // namespace

TEST_CASE("lifecycle: every move of the life is allowed and every other one refused") {
  int allowed_count = 0;
  for (Status from : kStatuses)
    for (Cause c : kCauses)
      for (Status to : kStatuses) {
        const std::string m = move_text(from, c, to);
        const bool want = kLife.count(m) != 0;
        INFO(m);
        CHECK(allowed(from, c, to) == want);
        allowed_count += want ? 1 : 0;
      }
  CHECK(allowed_count == static_cast<int>(kLife.size()));
}

TEST_CASE("lifecycle: the refusals the agent actions rely on") {
  for (Status s : {pb::STATUS_BOT, pb::STATUS_QUEUED, pb::STATUS_ASSIGNED, pb::STATUS_ARCHIVED})
    CHECK_FALSE(allowed_from(s, Cause::archive));  // archive only from closed
  CHECK(allowed_from(pb::STATUS_CLOSED, Cause::archive));
  for (Status s : {pb::STATUS_BOT, pb::STATUS_QUEUED, pb::STATUS_ASSIGNED}) {
    CHECK_FALSE(allowed_from(s, Cause::reopen));  // only a closed or archived one reopens
    CHECK_FALSE(allowed_from(s, Cause::inbound));  // an open one stays as it is
    CHECK(allowed_from(s, Cause::close));
    CHECK(allowed_from(s, Cause::take));
  }
  for (Status s : {pb::STATUS_CLOSED, pb::STATUS_ARCHIVED}) {
    CHECK_FALSE(allowed_from(s, Cause::take));  // reopen it first
    CHECK_FALSE(allowed_from(s, Cause::close));
  }
  // A queued one never falls back to the bot by itself.
  for (Cause c : kCauses) CHECK_FALSE(allowed(pb::STATUS_QUEUED, c, pb::STATUS_BOT));
  CHECK_FALSE(allowed_from(pb::STATUS_BOT, Cause::unassign));
}

TEST_CASE("lifecycle: status names round-trip, an unknown name is refused") {
  const char* names[] = {"bot", "queued", "assigned", "closed", "archived"};
  std::set<Status> seen;
  for (const char* n : names) {
    auto s = parse_status(n);
    REQUIRE(s);
    CHECK(status_name(*s) == n);
    seen.insert(*s);
  }
  CHECK(seen.size() == 5);
  CHECK_FALSE(parse_status("open"));
  CHECK_FALSE(parse_status("Queued"));
  CHECK_FALSE(parse_status(""));
  CHECK(status_name(pb::CONVERSATION_STATUS_UNSPECIFIED).empty());
}

TEST_CASE("lifecycle: outbound status names round-trip, an unknown name is refused") {
  const char* names[] = {"queued", "sent", "delivered", "failed"};
  std::set<OutboundStatus> seen;
  for (const char* n : names) {
    auto s = parse_outbound(n);
    REQUIRE(s);
    CHECK(outbound_name(*s) == n);
    seen.insert(*s);
  }
  CHECK(seen.size() == 4);
  CHECK_FALSE(parse_outbound("read"));
  CHECK_FALSE(parse_outbound(""));
  CHECK(outbound_name(pb::OUTBOUND_STATUS_UNSPECIFIED).empty());
}

TEST_CASE("lifecycle: a record holding only the old name reads as that status; a write drops it") {
  pb::Conversation c;
  c.set_legacy_status("assigned");  // as the older binary wrote it
  CHECK(status_of(c) == pb::STATUS_ASSIGNED);
  set_status(c, pb::STATUS_CLOSED);
  CHECK(status_of(c) == pb::STATUS_CLOSED);
  CHECK(c.legacy_status().empty());
  pb::Conversation odd;
  odd.set_legacy_status("pending");  // no status has this name
  CHECK(status_of(odd) == pb::CONVERSATION_STATUS_UNSPECIFIED);

  pb::Message m;
  m.set_legacy_status("sent");
  CHECK(outbound_status_of(m) == pb::OUTBOUND_SENT);
  set_outbound(m, pb::OUTBOUND_DELIVERED);
  CHECK(outbound_status_of(m) == pb::OUTBOUND_DELIVERED);
  CHECK(m.legacy_status().empty());
  CHECK(outbound_status_of(pb::Message{}) == pb::OUTBOUND_STATUS_UNSPECIFIED);  // inbound
}

namespace {
pb::Conversation stored_conversation(store::Store& st, std::uint64_t id) {
  pb::Conversation c;
  st.read([&](const store::ReadTxn& r) {
    REQUIRE(r.get_proto(store::Table::conversations, be64(id), c));
  });
  return c;
}
pb::Message stored_message(store::Store& st, std::uint64_t id) {
  pb::Message m;
  st.read([&](const store::ReadTxn& r) { REQUIRE(get_message(r, id, m)); });
  return m;
}
}  // namespace

TEST_CASE_FIXTURE(test::InboxFixture,
                  "lifecycle: records as an older binary wrote them read right; a change writes "
                  "the enum") {
  auto r = ingest("whatsapp", "1", "+1", "I want a refund");  // handed to a person
  REQUIRE(r.ok());
  const std::uint64_t id = r->conversation_id;
  auto reply = inbox.reply(id, "ana", "Let me look");
  REQUIRE(reply.ok());
  REQUIRE(inbox.set_outbound_status(*reply, OUTBOUND_SENT).ok());
  REQUIRE(inbox.close(id, "ana").ok());
  // What an older binary left on the flash: the status as its name only.
  REQUIRE(store->write([&](store::WriteTxn& w) -> Result<void> {
                 pb::Conversation c;
                 REQUIRE(w.get_proto(store::Table::conversations, be64(id), c));
                 c.clear_status_code();
                 c.set_legacy_status("closed");
                 w.put_proto(store::Table::conversations, be64(id), c);
                 pb::Message m;
                 REQUIRE(get_message(w, *reply, m));
                 m.clear_status_code();
                 m.set_legacy_status("sent");
                 put_message(w, m);
                 return {};
               }).ok());
  REQUIRE(stored_conversation(*store, id).status_code() == pb::CONVERSATION_STATUS_UNSPECIFIED);

  // Read through the inbox as the status it names, in reads, filters and refusals.
  CHECK(status_name_of(*inbox.conversation(id)) == "closed");
  CHECK(outbound_name_of(*inbox.message(*reply)) == "sent");
  ConversationFilter closed;
  closed.status = STATUS_CLOSED;
  REQUIRE(inbox.conversations(closed).size() == 1);
  CHECK(inbox.conversations(closed)[0].id() == id);
  auto again = inbox.close(id, "ana");
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().message == "conversation " + std::to_string(id) + " is already closed");
  CHECK(stored_conversation(*store, id).legacy_status() == "closed");  // a refusal writes nothing

  // A change writes the enum and drops the name.
  events.clear();
  REQUIRE(inbox.reopen(id, "ana").ok());
  const pb::Conversation after = stored_conversation(*store, id);
  CHECK(after.status_code() == STATUS_ASSIGNED);
  CHECK(after.legacy_status().empty());
  REQUIRE_FALSE(events.empty());
  CHECK(events.back().status() == "assigned");  // the Events keep the contract's names
  REQUIRE(inbox.set_outbound_status(*reply, OUTBOUND_DELIVERED).ok());
  const pb::Message delivered = stored_message(*store, *reply);
  CHECK(delivered.status_code() == OUTBOUND_DELIVERED);
  CHECK(delivered.legacy_status().empty());
}
