// services/inbox/lifecycle.h — a conversation's life as data: its statuses, the names the
// contract and the admin page use for them, and which moves between them are allowed; the
// names of an outbound message's statuses.
//
// Records hold the status as an enum. Records written before it hold only its name (the
// `legacy_` string fields); they are read as they are, never rewritten at start (that would
// wear the flash for nothing): read every status through status_of / outbound_status_of, and
// write it through set_status / set_outbound, which also drop the old name.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "services/proto/records.pb.h"

namespace sb::inbox {

using Status = switchboard::store::ConversationStatus;
using OutboundStatus = switchboard::store::OutboundStatus;
using switchboard::store::STATUS_ARCHIVED;
using switchboard::store::STATUS_ASSIGNED;
using switchboard::store::STATUS_BOT;
using switchboard::store::STATUS_CLOSED;
using switchboard::store::STATUS_QUEUED;
using switchboard::store::OUTBOUND_DELIVERED;
using switchboard::store::OUTBOUND_FAILED;
using switchboard::store::OUTBOUND_QUEUED;
using switchboard::store::OUTBOUND_SENT;

// What moves a conversation from one status to another (the "how it gets there" of its life).
enum class Cause {
  handoff,   // a trigger, a fallback loop, a flow's escalation, a VIP rule, a person's handoff
  take,      // routing, an agent's assign or reply, a transfer to a person
  unassign,  // an agent gives it back or goes offline, a transfer to a department
  close,     // an agent, the quiet timer, or nothing left for an agent to do
  archive,   // an agent archives a closed one
  inbound,   // the customer writes to a closed one
  reopen,    // an agent reopens a closed or archived one
};

struct Move {
  Status from;
  Cause cause;
  Status to;
};

// Every move allowed; any other is refused.
inline constexpr Move kMoves[] = {
    {STATUS_BOT, Cause::handoff, STATUS_QUEUED},
    {STATUS_BOT, Cause::take, STATUS_ASSIGNED},
    {STATUS_QUEUED, Cause::take, STATUS_ASSIGNED},
    {STATUS_ASSIGNED, Cause::take, STATUS_ASSIGNED},
    {STATUS_ASSIGNED, Cause::unassign, STATUS_QUEUED},
    {STATUS_QUEUED, Cause::unassign, STATUS_QUEUED},
    {STATUS_BOT, Cause::close, STATUS_CLOSED},
    {STATUS_QUEUED, Cause::close, STATUS_CLOSED},
    {STATUS_ASSIGNED, Cause::close, STATUS_CLOSED},
    {STATUS_CLOSED, Cause::archive, STATUS_ARCHIVED},
    {STATUS_CLOSED, Cause::inbound, STATUS_BOT},
    {STATUS_CLOSED, Cause::inbound, STATUS_QUEUED},
    {STATUS_CLOSED, Cause::inbound, STATUS_ASSIGNED},
    {STATUS_CLOSED, Cause::reopen, STATUS_BOT},
    {STATUS_CLOSED, Cause::reopen, STATUS_QUEUED},
    {STATUS_CLOSED, Cause::reopen, STATUS_ASSIGNED},
    {STATUS_ARCHIVED, Cause::reopen, STATUS_BOT},
    {STATUS_ARCHIVED, Cause::reopen, STATUS_QUEUED},
    {STATUS_ARCHIVED, Cause::reopen, STATUS_ASSIGNED},
};

// Whether `cause` may move a conversation from `from` to `to`.
bool allowed(Status from, Cause cause, Status to);
// Whether `cause` may move a conversation out of `from` at all (to some status).
bool allowed_from(Status from, Cause cause);

// "bot", "queued", "assigned", "closed", "archived"; empty for UNSPECIFIED.
const std::string& status_name(Status s);
// The status of a name; none for any other text (an empty one included).
std::optional<Status> parse_status(std::string_view name);

// The conversation's status: the enum, or the name an older record holds (UNSPECIFIED when it
// holds neither, or a name no status has).
Status status_of(const switchboard::store::Conversation& c);
// Sets the status and drops an older record's name.
void set_status(switchboard::store::Conversation& c, Status s);
// status_name(status_of(c)): for the places that show it (JSON, Events, CSV, messages).
const std::string& status_name_of(const switchboard::store::Conversation& c);

// "queued", "sent", "delivered", "failed"; empty for UNSPECIFIED (not an outbound message).
const std::string& outbound_name(OutboundStatus s);
std::optional<OutboundStatus> parse_outbound(std::string_view name);
OutboundStatus outbound_status_of(const switchboard::store::Message& m);
// outbound_name(outbound_status_of(m)): for the places that show it (JSON, exports).
const std::string& outbound_name_of(const switchboard::store::Message& m);
// Sets the status and drops an older record's name.
void set_outbound(switchboard::store::Message& m, OutboundStatus s);

}  // namespace sb::inbox
