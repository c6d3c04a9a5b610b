// SMS out: agent replies as PDUs, retries on +CMS ERROR, delivery reports, TP-MR wrap.
#include <doctest/doctest.h>

#include "hal/modem/pdu/pdu.h"
#include "tests/sms/sms_fixture.h"

using namespace sb;
using namespace sb::test;

namespace {

// An SMS conversation with one inbound message, and an agent reply to it.
std::uint64_t reply(SmsRig& r, const std::string& from, const std::string& text) {
  if (std::none_of(r.sms_conversations().begin(), r.sms_conversations().end(),
                   [&](const auto& c) { return c.contact() == from; })) {
    r.deliver(from, "hi, refund please");
    REQUIRE(r.run_until([&] {
      for (const auto& c : r.sms_conversations())
        if (c.contact() == from) return true;
      return false;
    }));
  }
  for (const auto& c : r.sms_conversations())
    if (c.contact() == from) {
      auto id = r.inbox.reply(c.id(), "ana", text);
      REQUIRE(id.ok());
      return *id;
    }
  FAIL("no conversation");
  return 0;
}

std::string status_of(SmsRig& r, std::uint64_t id) {
  auto m = r.inbox.message(id);
  return m ? inbox::outbound_name_of(*m) : "";
}

// The simulator numbers successful sends from `first_mr`: the reference of the one with `text`.
int mr_of(SmsRig& r, const std::string& text, int first_mr) {
  auto sent = r.sim.sent_pdus();
  for (std::size_t i = 0; i < sent.size(); ++i)
    if (auto d = pdu::decode(sent[i]); d && d->text == text)
      return static_cast<int>((first_mr + i) % 256);
  FAIL("not sent: " << text);
  return -1;
}

std::vector<std::string> sent_texts(SmsRig& r) {
  std::vector<std::string> out;
  for (const auto& p : r.sim.sent_pdus())
    if (auto d = pdu::decode(p)) out.push_back(d->text);
  return out;
}

}  // namespace

TEST_CASE("SMS in, handoff on refund, agent reply out as PDU, delivery report") {
  SmsRig r;
  r.start();
  r.deliver("+491701112233", "I need a refund");
  REQUIRE(r.run_until([&] { return r.sms_conversations().size() == 1; }));
  CHECK(inbox::status_name_of(r.sms_conversations()[0]) == "queued");
  auto id = reply(r, "+491701112233", "Your refund is on its way, Grüße");
  REQUIRE(r.run_until([&] { return status_of(r, id) == "sent"; }));
  auto texts = sent_texts(r);
  CHECK(std::count(texts.begin(), texts.end(), "Your refund is on its way, Grüße") == 1);
  auto d = pdu::decode(r.sim.sent_pdus().back());
  REQUIRE(d.ok());
  CHECK(d->recipient->text == "+491701112233");
  CHECK(d->status_report_requested);
  int mr = mr_of(r, "Your refund is on its way, Grüße", 0);
  r.sim.status_report(sim::build_status_report(static_cast<std::uint8_t>(mr), "+491701112233", 0x00));
  REQUIRE(r.run_until([&] { return status_of(r, id) == "delivered"; }));
}

TEST_CASE("a long reply goes out in parts that decode back to the text") {
  SmsRig r;
  r.start();
  std::string text;
  for (int i = 0; i < 40; ++i) text += "part of a long answer " + std::to_string(i) + ". ";
  auto id = reply(r, "+491701112244", text);
  REQUIRE(r.run_until([&] { return status_of(r, id) == "sent"; }));
  std::vector<pdu::Decoded> parts;
  for (const auto& p : r.sim.sent_pdus()) {
    auto d = pdu::decode(p);
    REQUIRE(d.ok());
    if (d->concat) parts.push_back(*d);
  }
  REQUIRE(parts.size() >= 2);
  auto joined = pdu::reassemble(parts);
  REQUIRE(joined.ok());
  CHECK(joined->text == text);
}

TEST_CASE("+CMS ERROR on send is retried, then marked failed") {
  SmsRig r;
  r.start();
  r.sim.fail_next_sends(1, 500);
  auto ok = reply(r, "+491701112255", "second try works");
  REQUIRE(r.run_until([&] { return status_of(r, ok) == "sent"; }));
  CHECK(r.sim.count_commands("AT+CMGS") >= 2);

  // 21: "short message transfer rejected" (24.011 RP-cause), the network's verdict on this
  // message; a refusal about the modem's state would make it wait instead.
  r.sim.fail_next_sends(100, 21);
  auto bad = reply(r, "+491701112255", "never goes");
  REQUIRE(r.run_until([&] { return status_of(r, bad) == "failed"; }));
  auto m = r.inbox.message(bad);
  CHECK(m->error().find("+CMS ERROR: 21") != std::string::npos);
  r.sim.fail_next_sends(0);
}

TEST_CASE("TP-MR wraps past 255 and reports still find their message") {
  SmsRig r;
  r.start();
  r.sim.set_next_mr(254);
  std::vector<std::uint64_t> ids;
  for (int i = 0; i < 4; ++i) {
    ids.push_back(reply(r, "+491701112266", "wrap " + std::to_string(i)));
    REQUIRE(r.run_until([&] { return status_of(r, ids.back()) == "sent"; }));
  }
  std::vector<int> mrs;
  for (int i = 0; i < 4; ++i) mrs.push_back(mr_of(r, "wrap " + std::to_string(i), 254));
  CHECK(std::find(mrs.begin(), mrs.end(), 0) != mrs.end());  // it did wrap
  r.sim.status_report(sim::build_status_report(static_cast<std::uint8_t>(mrs[2]), "+491701112266", 0x00));
  r.sim.status_report(sim::build_status_report(static_cast<std::uint8_t>(mrs[1]), "+491701112266", 0x41));
  REQUIRE(r.run_until([&] { return status_of(r, ids[2]) == "delivered"; }));
  REQUIRE(r.run_until([&] { return status_of(r, ids[1]) == "failed"; }));
  CHECK(status_of(r, ids[0]) == "sent");
  CHECK(status_of(r, ids[3]) == "sent");
}
