// services/inbox/conversation_index.h — the secondary indexes a conversation is filed under,
// so routing and response targets read a few keys instead of scanning every conversation:
//   route_queue     department \0 be32(~priority) be64(queued at) be64(id)   while queued
//   agent_load      agent \0 be64(id)                                        while assigned
//   awaiting_reply  be64(since) be64(id)                     while a human reply is owed
//   idle_since      be64(quiet since) be64(id)   while answered and open: bot or assigned, not
//                   snoozed, no human reply owed, the customer not having the last word. Filed
//                   once when it becomes so; later messages leave the key (the auto-close timer
//                   files it again at quiet_since() when it finds it was not quiet after all)
// Tx::save() calls file_conversation(), so no code path can change a status and forget them.
#pragma once

#include <cstdint>
#include <string>

#include "services/proto/records.pb.h"
#include "services/store/store.h"

namespace sb::inbox {

void file_conversation(store::WriteTxn& w, switchboard::store::Conversation& c);

std::string queue_prefix(const std::string& department);
std::string load_prefix(const std::string& agent);
// The conversation id at the end of a route_queue / agent_load / awaiting_reply key.
std::uint64_t id_of_index_key(std::string_view key);
// Since when the conversation has been quiet: its last message (or its start).
std::int64_t quiet_since(const switchboard::store::Conversation& c);

}  // namespace sb::inbox
