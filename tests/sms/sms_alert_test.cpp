// Response targets end to end on a fake clock: a handed-off SMS conversation crosses its
// target, is marked, and the on-call alert leaves through the modem (the simulator's AT+CMGS)
// exactly once per interval, however many conversations are late.
#include <doctest/doctest.h>

#include "hal/modem/pdu/pdu.h"
#include "tests/sms/sms_fixture.h"

using namespace sb;
using namespace sb::test;

namespace {

constexpr std::int64_t kMin = 60 * 1000;
constexpr const char* kOnCall = "+15550100";

// The texts the modem sent to the on-call number, in order.
std::vector<std::string> alerts_sent(SmsRig& r) {
  std::vector<std::string> out;
  for (const auto& p : r.sim.sent_pdus())
    if (auto d = pdu::decode(p); d && d->recipient && d->recipient->text == kOnCall)
      out.push_back(d->text);
  return out;
}

std::uint64_t queued_from(SmsRig& r, const std::string& from) {
  std::uint64_t id = 0;
  r.run_until([&] {
    for (const auto& c : r.sms_conversations())
      if (c.contact() == from && inbox::status_name_of(c) == "queued") id = c.id();
    return id != 0;
  });
  REQUIRE(id != 0);
  return id;
}

}  // namespace

TEST_CASE("a conversation past its target is marked; one SMS alert per interval via the modem") {
  FakeClock fake;
  SmsRig r(SmsRig::options(), &fake);
  auto w = r.inbox.workflow();
  w.default_department = "support";
  w.departments["support"].targets = {{0, 10 * kMin}, {90, 5 * kMin}};
  w.alert.sms_to = kOnCall;
  w.alert.interval_ms = 15 * kMin;
  w.alert.min_priority = 90;
  r.inbox.set_workflow(w);
  r.start();

  r.deliver("+491709990001", "urgent: the line is down", 1);
  const auto first = queued_from(r, "+491709990001");
  CHECK(r.inbox.conversation(first)->priority() >= 90);

  fake.advance(4 * kMin);
  r.inbox.workflow_tick();
  r.settle(600);  // the channel pumps every 200 ms: an alert would have gone by now
  CHECK_FALSE(r.inbox.conversation(first)->over_target());
  CHECK(alerts_sent(r).empty());

  fake.advance(2 * kMin);  // 6 min waiting: over the 5 min target
  r.inbox.workflow_tick();
  REQUIRE(r.run_until([&] { return alerts_sent(r).size() == 1; }));
  CHECK(alerts_sent(r)[0] == "1 urgent conversation waiting over 5 min");
  CHECK(r.inbox.conversation(first)->over_target());
  bool said = false;
  for (const auto& m : r.inbox.history(first))
    said |= m.text() == "waiting 6 min, over the 5 min target";
  CHECK(said);
  CHECK(r.metrics.value("switchboard_conversations_over_target") == 1);

  // Two more urgent ones go late within the interval: marked, no second SMS.
  r.deliver("+491709990002", "emergency, no signal", 2);
  r.deliver("+491709990003", "urgent please call", 3);
  const auto second = queued_from(r, "+491709990002");
  const auto third = queued_from(r, "+491709990003");
  fake.advance(6 * kMin);
  r.inbox.workflow_tick();
  r.settle(600);
  CHECK(r.inbox.conversation(second)->over_target());
  CHECK(r.inbox.conversation(third)->over_target());
  CHECK(alerts_sent(r).size() == 1);

  fake.advance(8 * kMin);  // 14 min after the first alert
  r.inbox.workflow_tick();
  r.settle(600);
  CHECK(alerts_sent(r).size() == 1);

  fake.advance(1 * kMin);  // 15 min after the first alert: the next one may go
  r.inbox.workflow_tick();
  REQUIRE(r.run_until([&] { return alerts_sent(r).size() == 2; }));
  CHECK(alerts_sent(r)[1] == "3 urgent conversations waiting over 5 min");
  r.inbox.workflow_tick();
  r.settle(600);
  CHECK(alerts_sent(r).size() == 2);
}
