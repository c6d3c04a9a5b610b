#include "services/channels/external_bot.h"

#include <boost/asio/post.hpp>

namespace sb::channels {

using switchboard::v1::BotReply;
using switchboard::v1::BotRequest;

ExternalBot::ExternalBot(boost::asio::io_context& io, inbox::Inbox& inbox,
                         broker::Broker& broker, Log& log, std::string gateway_id,
                         int timeout_ms)
    : io_(io),
      inbox_(inbox),
      broker_(broker),
      log_(log),
      topic_("switchboard/" + gateway_id + "/bot/request"),
      timeout_ms_(timeout_ms) {}

void ExternalBot::ask(const inbox::ExternalBotTurn& turn) {
  auto conv = inbox_.conversation(turn.conversation_id);
  if (!conv) return;
  BotRequest req;
  req.set_request_id(turn.request_id);
  req.set_conversation_id(turn.conversation_id);
  req.set_channel(conv->channel());
  req.set_contact(conv->contact());
  req.set_text(turn.text);
  auto history = inbox_.history(turn.conversation_id);
  std::size_t from = history.size() > kHistory ? history.size() - kHistory : 0;
  for (std::size_t i = from; i < history.size(); ++i) {
    if (history[i].author() == "system") continue;
    auto* h = req.add_history();
    h->set_author(history[i].author());
    h->set_text(history[i].text());
    h->set_at_ms(history[i].at_ms());
  }
  const std::uint64_t conv_id = turn.conversation_id;
  const std::string rid = turn.request_id;
  auto local = [this, conv_id, rid](const char* why) {
    waiting_.erase(rid);
    log_.info("bot", "central's bot ", why, " for conversation ", conv_id,
              ": the local bot answers");
    if (auto r = inbox_.external_bot_timeout(conv_id, rid); !r)
      log_.warn("bot", "local answer failed: ", r.error().message);
  };
  if (!broker_.connected() ||
      !broker_.publish(topic_, req.SerializeAsString(), false, [](bool) {})) {
    // Offline: no point waiting for an answer that cannot come.
    boost::asio::post(io_, [local] { local("is offline"); });
    return;
  }
  auto timer = std::make_unique<boost::asio::steady_timer>(io_);
  timer->expires_after(std::chrono::milliseconds(timeout_ms_));
  timer->async_wait([local](const boost::system::error_code& ec) {
    if (!ec) local("did not answer in time");
  });
  waiting_[rid] = {conv_id, std::move(timer)};
}

broker::Accepted ExternalBot::on_reply(const std::string& payload) {
  if (payload.size() > kMaxReplyBytes)
    return broker::Refusal{"oversized", "payload of " + std::to_string(payload.size()) + " bytes"};
  BotReply reply;
  if (payload.empty() || !reply.ParseFromString(payload) || reply.request_id().empty())
    return broker::Refusal{"not_protobuf", "not a BotReply with a request_id"};
  auto it = waiting_.find(reply.request_id());
  if (it == waiting_.end()) {
    log_.info("bot", "late or unknown bot reply ", reply.request_id(), ": dropped");
    return std::nullopt;
  }
  const std::uint64_t conv = it->second.first;
  waiting_.erase(it);  // cancels the timer
  const char* action = reply.action() == BotReply::REPLY      ? "reply"
                       : reply.action() == BotReply::FALLBACK ? "fallback"
                       : reply.action() == BotReply::ESCALATE ? "escalate"
                                                              : "";
  inbox_.external_bot_reply_later(
      conv, reply.request_id(), action, reply.text(), reply.department(), reply.reason(),
      [this, conv, rid = reply.request_id(), alive = alive_](const Result<void>& r) {
        if (r || !*alive) return;
        log_.warn("bot", "bot reply ", rid, " refused: ", r.error().message,
                  "; the local bot answers");
        (void)inbox_.external_bot_timeout(conv, rid);
      });
  return std::nullopt;
}

}  // namespace sb::channels
