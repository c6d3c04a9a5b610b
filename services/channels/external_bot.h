// services/channels/external_bot.h — central's bot (an AI, say) as an option per channel: an
// MQTT adapter over the inbox, like the bridged channels.
//
// A turn of a conversation on such a channel is published as a BotRequest on
// switchboard/<gw>/bot/request with the recent history; the BotReply from bot/reply (reply,
// fallback, or escalate with a reason and department) is applied through the inbox. When
// central does not answer within the timeout, or is offline, the local bot answers instead.
// Lives on the io_context thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <string>

#include "base/log.h"
#include "services/broker/broker.h"
#include "services/broker/topic_table.h"
#include "services/inbox/inbox.h"

namespace sb::channels {

class ExternalBot {
 public:
  static constexpr int kHistory = 10;
  static constexpr std::size_t kMaxReplyBytes = 256 * 1024;  // a BotReply, as an inbound message

  ExternalBot(boost::asio::io_context& io, inbox::Inbox& inbox, broker::Broker& broker,
              Log& log, std::string gateway_id, int timeout_ms);
  ~ExternalBot() { *alive_ = false; }
  ExternalBot(const ExternalBot&) = delete;
  ExternalBot& operator=(const ExternalBot&) = delete;

  // A turn to put to central's bot (from Inbox::on_external_bot_turn).
  void ask(const inbox::ExternalBotTurn& turn);
  // The handler of bot/reply: a BotReply payload; anything else is refused.
  broker::Accepted on_reply(const std::string& payload);
  std::size_t waiting() const { return waiting_.size(); }

 private:
  boost::asio::io_context& io_;
  inbox::Inbox& inbox_;
  broker::Broker& broker_;
  Log& log_;
  std::string topic_;
  int timeout_ms_;
  // request id -> (conversation, timer)
  std::map<std::string, std::pair<std::uint64_t, std::unique_ptr<boost::asio::steady_timer>>>
      waiting_;
  // A reply's commit may end after this adapter (the inbox's queue drains at shutdown).
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace sb::channels
