#include <doctest/doctest.h>

#include <set>

#include "services/broker/memory_broker.h"
#include "services/channels/mqtt_channel.h"
#include "tests/support/inbox_fixture.h"

using namespace sb;

namespace {

struct ChannelFixture : test::InboxFixture {
  broker::MemoryBroker broker;
  std::vector<inbox::Event> receipts_again;
  channels::MqttChannel channel{inbox,
                                broker,
                                [this](const inbox::Event& e) { receipts_again.push_back(e); },
                                clock,
                                log,
                                "gw-t",
                                channels::OutboundPolicy{}};

  std::string inbound(const std::string& eid, const std::string& text) {
    switchboard::v1::InboundMessage m;
    m.set_external_id(eid);
    m.set_sender("+4915550001");
    m.set_text(text);
    return m.SerializeAsString();
  }
};

}  // namespace

TEST_CASE_FIXTURE(ChannelFixture, "a duplicate is stored once and receipted again from its outcome") {
  CHECK_FALSE(channel.on_inbound("whatsapp", inbound("w1", "hello")));
  run_posted();
  CHECK(receipts_again.empty());  // the first receipt is the commit's own message_in Event
  CHECK_FALSE(channel.on_inbound("whatsapp", inbound("w1", "hello")));
  run_posted();
  REQUIRE(receipts_again.size() == 1);
  CHECK(receipts_again[0].kind() == inbox::Event::MESSAGE_IN);
  CHECK(receipts_again[0].external_id() == "w1");
  CHECK(receipts_again[0].channel() == "whatsapp");
  CHECK(inbox.conversations({}).size() == 1);
}

TEST_CASE_FIXTURE(ChannelFixture, "what the topics do not carry is refused with a kind") {
  CHECK(channel.on_inbound("whatsapp", "\xff\xff garbage")->kind == "not_protobuf");
  CHECK(channel.on_inbound("sms", inbound("s1", "hi"))->kind == "bad_channel");
  CHECK(channel.on_inbound("WhatsApp", inbound("s1", "hi"))->kind == "bad_channel");
  CHECK(channel.on_inbound("whatsapp", inbound("", "hi"))->kind == "missing_external_id");
  CHECK(channel.on_inbound("whatsapp", inbound("w2", ""))->kind == "empty");
  CHECK(channel.on_inbound("whatsapp", std::string(channels::MqttChannel::kMaxPayload + 1, 'x'))
            ->kind == "oversized");
  switchboard::v1::DeliveryStatus d;
  d.set_id("12345");
  d.set_state(switchboard::v1::DeliveryStatus::DELIVERED);
  CHECK(channel.on_delivery("whatsapp", d.SerializeAsString())->kind == "unknown_message");
  d.set_id("not-a-number");
  CHECK(channel.on_delivery("whatsapp", d.SerializeAsString())->kind == "unknown_message");
  run_posted();
  CHECK(inbox.conversations({}).empty());
}

TEST_CASE_FIXTURE(ChannelFixture, "a bot reply goes out on out/<channel> and its delivery lands") {
  CHECK_FALSE(channel.on_inbound("webchat", inbound("c1", "hello there")));
  run_posted();
  channel.pump();
  auto out = broker.published("switchboard/gw-t/out/webchat");
  REQUIRE_FALSE(out.empty());
  switchboard::v1::OutboundMessage m;
  REQUIRE(m.ParseFromString(out[0].payload));
  CHECK(m.recipient() == "+4915550001");
  switchboard::v1::DeliveryStatus d;
  d.set_id(m.id());
  d.set_state(switchboard::v1::DeliveryStatus::DELIVERED);
  CHECK_FALSE(channel.on_delivery("webchat", d.SerializeAsString()));
  run_posted();  // the status joins the next group commit
  auto msg = inbox.message(std::stoull(m.id()));
  REQUIRE(msg);
  CHECK(inbox::outbound_name_of(*msg) == "delivered");
}

TEST_CASE_FIXTURE(ChannelFixture, "a burst of outbound messages is paced by the broker's window") {
  for (int i = 0; i < 300; ++i) {
    switchboard::v1::InboundMessage m;
    m.set_external_id("b" + std::to_string(i));
    m.set_sender("+49155" + std::to_string(100000 + i));
    m.set_text("hello");
    CHECK_FALSE(channel.on_inbound("webchat", m.SerializeAsString()));
  }
  run_posted();
  broker.window = 50;
  channel.pump();
  CHECK(broker.sent.size() == 50);  // the window, not the whole burst
  std::size_t max_seen = 0;
  for (int i = 0; i < 1000 && broker.ack(); ++i) max_seen = std::max(max_seen, broker.sent.size());
  CHECK(max_seen <= 50);
  // Every reply went out exactly once: held ones were sent when room came back, without
  // waiting for a retry's backoff, and none counted as a failed attempt.
  std::set<std::string> ids;
  std::size_t published = 0;
  for (const auto& s : broker.published("")) {
    if (s.topic != "switchboard/gw-t/out/webchat") continue;
    switchboard::v1::OutboundMessage o;
    REQUIRE(o.ParseFromString(s.payload));
    ids.insert(o.id());
    published++;
  }
  CHECK(published >= 300);
  CHECK(ids.size() == published);
}
