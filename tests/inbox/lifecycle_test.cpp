// A conversation's life as data (services/inbox/lifecycle.h): the moves it allows and refuses,
// and the names the contract uses for the statuses.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "services/inbox/lifecycle.h"

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
  c.set_status("assigned");  // as the older binary wrote it
  CHECK(status_of(c) == pb::STATUS_ASSIGNED);
  set_status(c, pb::STATUS_CLOSED);
  CHECK(status_of(c) == pb::STATUS_CLOSED);
  CHECK(c.status().empty());
  pb::Conversation odd;
  odd.set_status("pending");  // no status has this name
  CHECK(status_of(odd) == pb::CONVERSATION_STATUS_UNSPECIFIED);

  pb::Message m;
  m.set_status("sent");
  CHECK(outbound_status_of(m) == pb::OUTBOUND_SENT);
  set_outbound(m, pb::OUTBOUND_DELIVERED);
  CHECK(outbound_status_of(m) == pb::OUTBOUND_DELIVERED);
  CHECK(m.status().empty());
  CHECK(outbound_status_of(pb::Message{}) == pb::OUTBOUND_STATUS_UNSPECIFIED);  // inbound
}
