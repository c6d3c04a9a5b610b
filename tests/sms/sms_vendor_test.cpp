// The real `switchboard` binary against the simulator playing real modems' quirks
// (tests/sim/vendor_profiles.cpp names the source of each): every SMS the SIM held is stored
// exactly once with its text and sender, no slot is deleted before its message is stored
// (the simulator audits each AT+CMGD), and replies reach the modem once.
#include <doctest/doctest.h>

#include <map>

#include "tests/sms/gateway.h"

namespace {

using sb::test::Gateway;
using sb::test::wait_for;
using Inbound = std::vector<std::pair<std::string, std::string>>;

// Puts `n` single SMS and one two-part message on the SIM; returns (sender, text) of each.
Inbound fill_sim(Gateway& g, int n, bool indicate) {
  Inbound want;
  for (int i = 0; i < n; ++i) {
    const std::string from = "+4917100000" + std::to_string(10 + i);
    const std::string text = "vendor test message " + std::to_string(i) + " äöü";
    g.deliver(from, text, indicate, static_cast<std::uint8_t>(i + 1));
    want.emplace_back(from, text);
  }
  const std::string long_text = "a long one: " + std::string(170, 'L') + " end";
  g.deliver("+491719999999", long_text, indicate, 77);
  want.emplace_back("+491719999999", long_text);
  return want;
}

// Every wanted message stored exactly once, nothing else, no deletion ahead of storage, and
// each reply the service queued (the bot's, per sender) reaching the modem exactly once.
void check_all_stored_once(Gateway& g, const Inbound& want) {
  REQUIRE(wait_for([&] { return g.sim.stored().empty() && g.inbound().size() >= want.size(); },
                   60000));
  INFO(g.log());
  auto got = g.inbound();
  CHECK(got.size() == want.size());
  for (const auto& w : want)
    CHECK_MESSAGE(std::count(got.begin(), got.end(), w) == 1, w.first, ": ", w.second);
  CHECK(g.sim.audit_violations().empty());
  CHECK(g.log().find("refused input") == std::string::npos);  // nothing dead-lettered
  std::map<std::string, int> queued;  // outbound messages per contact, as export shows them
  std::size_t total = 0;
  const bool all_sent = wait_for(
      [&] {
        queued.clear();
        total = 0;
        for (const auto& c : g.exported())
          for (const auto& m : c["messages"])
            if (m["direction"] == "out" && m["author"] != "system")
              queued[c["contact"].get<std::string>()]++, total++;
        return queued.size() == want.size() && g.sim.sent_pdus().size() >= total;
      },
      60000);
  INFO("contacts with replies " << queued.size() << ", replies " << total << ", at the modem "
                                << g.sim.sent_pdus().size());
  if (!all_sent)  // which replies did not reach the modem
    for (const auto& c : g.exported())
      for (const auto& m : c["messages"])
        if (m["direction"] == "out") MESSAGE(c["contact"], " ", m["status"], " ", m["text"]);
  REQUIRE(all_sent);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // a second copy would show
  std::map<std::string, int> replies;
  for (const auto& p : g.sim.sent_pdus()) {
    auto d = sb::pdu::decode(p);
    REQUIRE(d.ok());
    replies[d->recipient ? d->recipient->text : "?"]++;
  }
  for (const auto& w : want) {
    CHECK_MESSAGE(queued[w.first] >= 1, w.first);
    CHECK_MESSAGE(replies[w.first] == queued[w.first], w.first);
  }
  CHECK(replies.size() == want.size());
}

}  // namespace

TEST_CASE("Huawei: unsolicited lines (known and never seen) inside the listing lose nothing") {
  Gateway g("rescan_s = 1\n", sb::sim::huawei_urc_profile());
  g.audit_deletions();
  auto want = fill_sim(g, 6, false);  // found by the listing, which the URCs interleave
  g.start_and_wait();
  check_all_stored_once(g, want);
  // Every slot was listed with a line between its header and its PDU.
  CHECK(g.sim.deleted_pdus().size() == want.size() + 1);
}

TEST_CASE("Wavecom: AT+CPIN? answered without OK; the SMS are read all the same") {
  // Each AT+CPIN? costs the engine its information-line wait (1.5 s): a poll every 3 s leaves
  // the replies room to go out, where a poll every second kept the queue busy for a minute.
  Gateway g("rescan_s = 1\nhealth_poll_s = 3\n", sb::sim::wavecom_cpin_profile());
  g.audit_deletions();
  auto want = fill_sim(g, 3, false);
  g.start_and_wait();
  check_all_stored_once(g, want);
  // Once at start, then by the health poll: a missing OK must not make the modem look dead.
  CHECK(wait_for([&] { return g.sim.count_commands("AT+CPIN?") >= 3; }, 15000));
  CHECK(g.log().find("recovering") == std::string::npos);
}

TEST_CASE("SIM busy after the PIN: AT+CPMS is asked again, the SIM's messages are all read") {
  Gateway g("rescan_s = 1\nsim_pin = \"4321\"\n", sb::sim::sim_busy_profile(), "4321");
  g.audit_deletions();
  auto want = fill_sim(g, 4, false);
  g.start_and_wait();
  check_all_stored_once(g, want);
  CHECK(g.sim.count_commands("AT+CPMS=\"SM\"") >= 2);  // refused busy at least once
  CHECK(g.sim.count_commands("AT+CPMS=\"ME\"") == 0);  // never gave up on the SIM
}

TEST_CASE("a modem that stores each SMS twice: late copies of joined parts make no stray") {
  Gateway g("rescan_s = 1\npart_wait_s = 2\n", sb::sim::stores_twice_profile());
  g.audit_deletions();
  g.start_and_wait();
  auto want = fill_sim(g, 2, true);
  check_all_stored_once(g, want);
  // The modem hands out its second copy of each part once more, well after the join.
  sb::sim::DeliverSpec s;
  s.from = want.back().first;
  s.text = want.back().second;
  s.concat_ref = 77;
  auto parts = sb::sim::build_deliver(s);
  REQUIRE(parts.size() == 2);
  g.sim.deliver(parts[1], false);
  REQUIRE(wait_for([&] { return g.sim.stored().empty(); }, 30000));
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));  // past part_wait_s
  INFO(g.log());
  auto got = g.inbound();
  CHECK(got.size() == want.size());
  for (const auto& m : got) CHECK_MESSAGE(m.second.find("[…]") == std::string::npos, m.second);
  CHECK(g.sim.audit_violations().empty());
}

TEST_CASE("Falcom A2 message-reference stall: refusals climb the ladder, replies go once") {
  Gateway g("rescan_s = 1\nretry_initial_s = 1\nretry_max_s = 1\nreset_wait_s = 2\n"
            "refusals_before_recovery = 2\n",
            sb::sim::mr_stall_profile());
  g.audit_deletions();
  g.sim.set_next_mr(254);  // the second reply gets TP-MR 255, then every send is refused
  g.start_and_wait();
  auto want = fill_sim(g, 4, true);
  check_all_stored_once(g, want);  // includes: every sender's reply reached the modem once
  INFO(g.log());
  CHECK(g.sim.count_commands("AT+CFUN=1,1") >= 1);  // the ladder reached the reset
  CHECK(g.log().find("failed after") == std::string::npos);
}

TEST_CASE("SIMCom with its own memory: messages left there are read as well as the SIM's") {
  // No timed rescan: what is found is found by the first listing and by indications.
  Gateway g("rescan_s = 3600\n", sb::sim::own_memory_profile());
  g.audit_deletions();
  auto want = fill_sim(g, 3, false);
  for (int i = 0; i < 3; ++i) {
    const std::string from = "+4917200000" + std::to_string(10 + i);
    const std::string text = "left in the modem's memory " + std::to_string(i);
    g.deliver_to_me(from, text, static_cast<std::uint8_t>(40 + i));
    want.emplace_back(from, text);
  }
  g.start_and_wait();
  REQUIRE(wait_for([&] { return g.sim.stored_in_me().empty(); }, 60000));
  // One more arrives in the modem's memory, indicated +CMTI: "ME",<i>.
  sb::sim::DeliverSpec s;
  s.from = "+491720000099";
  s.text = "indicated in the modem's memory";
  for (const auto& p : sb::sim::build_deliver(s)) REQUIRE(g.sim.deliver_to_me(p, true) >= 0);
  want.emplace_back(s.from, s.text);
  REQUIRE(wait_for([&] { return g.sim.stored_in_me().empty() && g.inbound().size() >= want.size(); },
                   60000));
  check_all_stored_once(g, want);
  // Each read and delete in the modem's memory was preceded by selecting it.
  CHECK(g.sim.count_commands("AT+CPMS=\"ME\"") >= 5);
  CHECK(g.sim.count_commands("AT+CPMS=?") >= 1);
}
