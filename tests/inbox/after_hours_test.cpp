// Business hours on the fake clock: the after-hours reply (once per closed period, never while
// the bot holds the conversation), response targets in business time, and the on-call alert
// that waits for opening hours unless the conversation is urgent.
#include <doctest/doctest.h>

#include "tests/support/time_units.h"
#include "tests/support/workflow_fixture.h"

using namespace sb;

namespace {
using test::kMin;
constexpr const char* kClosed = "We are closed now and answer from 09:00 on weekdays.";

// Wall-clock ms of a local Berlin time in December (UTC+1).
std::int64_t berlin(unsigned day, int h, int mi) {
  return (days_from_civil(2026, 12, day) * 86400 + h * 3600 + mi * 60 - 3600) * 1000;
}

struct AfterHours : test::WorkflowFixture {
  AfterHours() {
    auto hours = std::make_shared<inbox::BusinessHours>();
    hours->zone_name = "Europe/Berlin";
    auto z = load_time_zone(hours->zone_name);
    REQUIRE(z.ok());
    hours->zone = *z;
    for (int d = 0; d < 5; ++d) hours->week[d] = {{9 * 60, 17 * 60}};  // Mon-Fri 09-17
    hours->holidays.insert(days_from_civil(2026, 12, 25));
    auto w = inbox.workflow();
    w.default_department = "support";
    w.departments["support"].hours = hours;
    w.departments["support"].after_hours_reply = kClosed;
    w.departments["support"].targets = {{0, 20 * kMin}};
    w.alert.sms_to = "+15550100";
    w.alert.interval_ms = 15 * kMin;
    inbox.set_workflow(w);
  }
  void at(std::int64_t ms) {
    REQUIRE(ms >= clock.wall_ms());
    clock.advance(ms - clock.wall_ms());
  }
  std::vector<inbox::Message> after_hours(std::uint64_t id) {
    std::vector<inbox::Message> out;
    for (const auto& m : inbox.history(id))
      if (m.author() == "system" && m.author_name() == "after hours") out.push_back(m);
    return out;
  }
  std::size_t alerts() {
    std::size_t n = 0;
    for (const auto& e : outbox()) {
      auto m = inbox.message(e.message_id());
      n += e.channel() == "sms" && m && m->author_name() == "on-call alert";
    }
    return n;
  }
};
}  // namespace

TEST_CASE_FIXTURE(AfterHours, "the after-hours reply: once per closed period, on the conversation's channel") {
  clock.set_wall(berlin(4, 18, 0));  // Friday evening
  const auto id = handoff("+1");
  CHECK(status(id) == "queued");  // still queued for the department
  auto sent = after_hours(id);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].text() == kClosed);
  CHECK(sent[0].direction() == "out");
  CHECK(inbox::outbound_name_of(sent[0]) == "queued");
  bool in_outbox = false;
  for (const auto& e : outbox())
    in_outbox = in_outbox || (e.message_id() == sent[0].id() && e.channel() == "whatsapp");
  CHECK(in_outbox);
  CHECK(inbox.conversation(id)->after_hours_sent_for_ms() == berlin(7, 9, 0));

  // More messages in the same closed period (the weekend): nothing more.
  at(berlin(4, 22, 0));
  REQUIRE(ingest("whatsapp", "ah-2", "+1", "hello?").ok());
  at(berlin(5, 11, 0));
  REQUIRE(ingest("whatsapp", "ah-3", "+1", "anyone?").ok());
  CHECK(after_hours(id).size() == 1);
  // Open on Monday: nothing; still unanswered Monday evening, a new closed period: again.
  at(berlin(7, 10, 0));
  REQUIRE(ingest("whatsapp", "ah-4", "+1", "good morning").ok());
  CHECK(after_hours(id).size() == 1);
  at(berlin(7, 18, 0));
  REQUIRE(ingest("whatsapp", "ah-5", "+1", "still waiting").ok());
  CHECK(after_hours(id).size() == 2);
  CHECK(inbox.conversation(id)->after_hours_sent_for_ms() == berlin(8, 9, 0));

  // Once a person has answered, nobody is owed a first reply: no more after-hours replies.
  REQUIRE(inbox.reply(id, "ana", "Sorry for the wait").ok());
  at(berlin(8, 20, 0));
  REQUIRE(ingest("whatsapp", "ah-6", "+1", "thanks").ok());
  CHECK(after_hours(id).size() == 2);
}

TEST_CASE_FIXTURE(AfterHours, "never while the bot holds the conversation; a holiday is closed") {
  clock.set_wall(berlin(25, 11, 0));  // Christmas Day, a Friday: a holiday
  auto r = ingest("whatsapp", "b-1", "+2", "hello");
  REQUIRE(r.ok());
  const auto id = r->conversation_id;
  CHECK(status(id) == "bot");
  CHECK(after_hours(id).empty());
  CHECK_FALSE(by_author(id, "bot").empty());  // the bot answered, nothing else
  REQUIRE(ingest("whatsapp", "b-3", "+2", "I want a human").ok());
  CHECK(status(id) == "queued");
  REQUIRE(after_hours(id).size() == 1);
  CHECK(inbox.conversation(id)->after_hours_sent_for_ms() == berlin(28, 9, 0));
  // The bot's handoff notice comes first, then the after-hours reply.
  auto h = inbox.history(id);
  CHECK(h.back().author_name() == "after hours");

  // Open now: nothing.
  clock.set_wall(berlin(28, 10, 0));
  const auto open_now = handoff("+3");
  CHECK(after_hours(open_now).empty());
}

TEST_CASE_FIXTURE(AfterHours, "targets count business time: Friday 16:50 is late on Monday at 09:10") {
  clock.set_wall(berlin(4, 16, 50));
  const auto id = handoff("+1");
  CHECK(after_hours(id).empty());  // open when it came
  at(berlin(4, 17, 0));
  inbox.workflow_tick();
  CHECK(inbox.waited_ms(*inbox.conversation(id), clock.wall_ms()) == 10 * kMin);
  at(berlin(7, 9, 9));
  inbox.workflow_tick();
  CHECK_FALSE(inbox.conversation(id)->over_target());
  CHECK(alerts() == 0);
  at(berlin(7, 9, 10));
  inbox.workflow_tick();
  CHECK(inbox.conversation(id)->over_target());
  CHECK(history_says(id, "waiting 20 min, over the 20 min target"));
  CHECK(alerts() == 1);  // open, late: the on-call hears of it

  // A department without hours: all time counts, as before.
  auto w = inbox.workflow();
  w.departments["support"].hours = nullptr;
  inbox.set_workflow(w);
  CHECK(inbox.waited_ms(*inbox.conversation(id), clock.wall_ms()) == berlin(7, 9, 10) - berlin(4, 16, 50));
}

TEST_CASE_FIXTURE(AfterHours, "the on-call alert waits for opening hours, except for urgent conversations") {
  clock.set_wall(berlin(4, 16, 0));  // Friday
  const auto normal = handoff("+1");  // priority 80
  at(berlin(4, 16, 20));
  inbox.workflow_tick();
  CHECK(inbox.conversation(normal)->over_target());
  CHECK(alerts() == 1);
  at(berlin(4, 16, 40));  // past the interval, still open: the reminder
  inbox.workflow_tick();
  CHECK(alerts() == 2);
  at(berlin(4, 17, 30));  // closed: the late one waits for Monday without paging anyone
  inbox.workflow_tick();
  at(berlin(4, 18, 0));
  inbox.workflow_tick();
  CHECK(alerts() == 2);

  const auto urgent = handoff("+2", "urgent: the alarm is going off");  // priority 100
  CHECK(inbox.conversation(urgent)->priority() >= 100);
  at(berlin(4, 18, 19));
  inbox.workflow_tick();
  CHECK_FALSE(inbox.conversation(urgent)->over_target());
  at(berlin(4, 18, 20));  // urgent: all time counts, and it pages at night
  inbox.workflow_tick();
  CHECK(inbox.conversation(urgent)->over_target());
  CHECK(alerts() == 3);

  // With the threshold above 100 the same conversation waits for the morning too.
  auto w = inbox.workflow();
  w.alert.urgent_priority = 101;
  inbox.set_workflow(w);
  at(berlin(4, 19, 0));
  inbox.workflow_tick();
  CHECK(alerts() == 3);
}
