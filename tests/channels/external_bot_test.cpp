#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>

#include "services/broker/memory_broker.h"
#include "services/channels/external_bot.h"
#include "tests/support/inbox_fixture.h"

using namespace sb;

namespace {

bot::BotConfig shop() {
  bot::BotConfig c;
  c.answers.push_back({"hours", {"opening hours", "open"}, "We are open 9 to 17, Monday to Friday."});
  return c;
}

struct ExternalBotFixture : test::InboxFixture {
  std::vector<std::string> bot_texts(std::uint64_t conv) {
    std::vector<std::string> out;
    for (auto& m : by_author(conv, "bot")) out.push_back(m.text());
    return out;
  }
};

}  // namespace

TEST_CASE_FIXTURE(ExternalBotFixture, "central's bot answers; when it is silent the local bot does") {
  auto cfg = shop();
  cfg.external_channels = {"webchat"};
  cfg.external_timeout_ms = 50;
  inbox.set_bot(std::make_shared<bot::LocalBot>(cfg));
  boost::asio::io_context io;
  broker::MemoryBroker t;
  t.auto_ack = true;
  channels::ExternalBot ext(io, inbox, t, log, "gw-test", 50);
  inbox.on_external_bot_turn([&](const inbox::ExternalBotTurn& turn) { ext.ask(turn); });

  auto r = ingest("webchat", "1", "visitor", "do you ship to Norway?");
  REQUIRE(t.published().size() == 1);
  CHECK(t.published()[0].topic == "switchboard/gw-test/bot/request");
  switchboard::v1::BotRequest req;
  REQUIRE(req.ParseFromString(t.published()[0].payload));
  CHECK(req.text() == "do you ship to Norway?");
  CHECK(bot_texts(r->conversation_id).empty());  // nobody answered yet

  switchboard::v1::BotReply reply;
  reply.set_request_id(req.request_id());
  reply.set_action(switchboard::v1::BotReply::REPLY);
  reply.set_text("Yes, in 3 to 5 days.");
  CHECK_FALSE(ext.on_reply(reply.SerializeAsString()));  // taken
  run_posted();  // the reply joins the next group commit
  CHECK(bot_texts(r->conversation_id) == std::vector<std::string>{"Yes, in 3 to 5 days."});
  CHECK(ext.waiting() == 0);

  // Central is silent: after the timeout the local bot answers the turn.
  REQUIRE(ingest("webchat", "2", "visitor", "and opening hours?").ok());
  CHECK(ext.waiting() == 1);
  io.run_for(std::chrono::seconds(5));
  CHECK(ext.waiting() == 0);
  CHECK(bot_texts(r->conversation_id).back() == "We are open 9 to 17, Monday to Friday.");
  // A reply that comes too late changes nothing.
  CHECK_FALSE(ext.on_reply(reply.SerializeAsString()));  // taken, and dropped
  CHECK(bot_texts(r->conversation_id).size() == 2);
  auto refused = ext.on_reply("garbage");
  REQUIRE(refused);
  CHECK(refused->kind == "not_protobuf");

  // Offline: the local bot answers at once.
  t.up = false;
  REQUIRE(ingest("webchat", "3", "visitor", "asdf").ok());
  io.restart();
  io.run_for(std::chrono::milliseconds(200));
  CHECK(bot_texts(r->conversation_id).size() == 3);
}

TEST_CASE_FIXTURE(ExternalBotFixture, "a bot reply over the size cap is refused unread") {
  boost::asio::io_context io;
  broker::MemoryBroker t;
  channels::ExternalBot ext(io, inbox, t, log, "gw-test", 50);
  switchboard::v1::BotReply reply;
  reply.set_request_id("r1");
  reply.set_text(std::string(channels::ExternalBot::kMaxReplyBytes, 'a'));
  auto refused = ext.on_reply(reply.SerializeAsString());
  REQUIRE(refused);
  CHECK(refused->kind == "oversized");
  reply.set_text("short");
  auto unknown = ext.on_reply(reply.SerializeAsString());  // parsed: an unknown request
  CHECK_FALSE(unknown);
}
