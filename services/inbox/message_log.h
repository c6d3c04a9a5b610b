// services/inbox/message_log.h — where messages are kept and how a history is read back.
//
// Messages are keyed by their own id, which only grows: a commit's new messages land in the
// newest leaves of one table, and a delivery status rewrites a recent message there too, so a
// burst dirties a few tail pages instead of a leaf of every conversation it touches (LMDB copies
// each changed leaf and its branch path; the flash pays for every page). A conversation's history
// is a chain: each message names the one before it in its conversation (previous_id) and the
// conversation record names its newest (newest_message_id), which the record carries anyway.
//
// Files of schema version 2 and older keyed messages by conversation then id, with an index from
// message to conversation; upgrade_message_layout moves them over at start. Until it is done (a
// read-only reader of an older file, or a start that stopped half way) every read here also sees
// the older layout, so nothing is ever missing from a history.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "services/proto/records.pb.h"
#include "services/store/store.h"

namespace sb::inbox {

// Writes `m` (its id and conversation set) as the newest message of `c`'s history: chains it to
// the newest one so far and makes it `c`'s newest (the caller saves `c`; the chain's head is
// also put right when the Tx is done, see Tx::write_events).
void put_new_message(store::WriteTxn& w, switchboard::store::Conversation& c,
                     switchboard::store::Message& m);
// Rewrites a message already stored (a delivery status), keeping its place in the chain.
void put_message(store::WriteTxn& w, const switchboard::store::Message& m);
// Makes the stored record of `conversation` name `newest` as its newest message, unless it names
// a newer one already (message ids only grow). False when the record is missing.
bool keep_newest(store::WriteTxn& w, std::uint64_t conversation, std::uint64_t newest);

bool get_message(const store::ReadTxn& r, std::uint64_t id, switchboard::store::Message& m);

// One conversation's messages, oldest first. `damaged` (if given) is set when a record in the
// chain is missing or does not parse: the history read is then partial. At most `max` messages,
// the newest ones.
std::vector<switchboard::store::Message> read_history(const store::ReadTxn& r,
                                                      std::uint64_t conversation,
                                                      bool* damaged = nullptr,
                                                      std::size_t max = SIZE_MAX);

// Moves messages of the older layout (schema version 2 and before) into the id-keyed table and
// chains them, `step` messages per commit, so no commit grows without bound and a crash keeps
// what was done (the next start goes on from there). Returns how many messages it moved; a file
// already in the new layout costs one read.
Result<std::uint64_t> upgrade_message_layout(store::Store& store, std::size_t step = 4096);

}  // namespace sb::inbox
