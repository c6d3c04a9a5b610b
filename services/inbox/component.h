// services/inbox/component.h — what the Inbox and its components (contacts.h, canned_replies.h,
// routing.h, presence.h, search.h) share: the records' names, the write transaction they act
// inside, and the read snapshot a read takes.
//
// A component holds the state it owns and writes only inside a Tx the Inbox opened and commits:
// an action touching several components stays one commit, and its Events are published once,
// after it is durable. Like the Inbox, a component lives on the inbox's thread.
#pragma once

#include <functional>

#include "base/log.h"
#include "services/proto/records.pb.h"
#include "services/proto/switchboard.pb.h"
#include "services/store/store.h"

namespace sb::inbox {

using Conversation = switchboard::store::Conversation;
using Message = switchboard::store::Message;
using Event = switchboard::v1::Event;
using Agent = switchboard::store::Agent;
using Contact = switchboard::store::Contact;
using CannedReply = switchboard::store::CannedReply;

// One write transaction of the inbox with the Events it appends (tx.h).
class Tx;

// One read snapshot; a failure (rare: the environment itself is broken) is logged and the read
// sees nothing.
inline void read_snapshot(const store::Store& store, Log& log,
                          const std::function<void(const store::ReadTxn&)>& fn) {
  if (!store.read(fn)) log.error("inbox", "no read snapshot of the database");
}

// The store a component reads and writes through the Inbox's transactions, with the log a
// failed read goes to: what every component over the inbox's tables starts from.
class StoreComponent {
 protected:
  StoreComponent(store::Store& store, Log& log) : store_(store), log_(log) {}
  void snapshot(const std::function<void(const store::ReadTxn&)>& fn) const {
    read_snapshot(store_, log_, fn);
  }

  store::Store& store_;
  Log& log_;
};

}  // namespace sb::inbox
