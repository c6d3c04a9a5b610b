// The write queue: every machine-rate writer waits in one queue, commits in batches capped by
// count and bytes, is refused at once (the source keeps the message) when the queue or the
// disk is full, and a full disk is tried again only now and then.
#include <doctest/doctest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>

#include "services/inbox/write_queue.h"
#include "tests/support/inbox_fixture.h"

using namespace sb;

TEST_CASE("a batch holds at most the cap in writes and in bytes, oldest first") {
  inbox::WriteLimits l;
  l.batch_writes = 3;
  l.batch_bytes = 100;
  inbox::WriteQueue<int> q(l);
  for (int i = 0; i < 5; ++i) q.push(i, 10);
  CHECK(q.take_batch() == std::vector<int>{0, 1, 2});
  CHECK(q.take_batch() == std::vector<int>{3, 4});
  CHECK(q.take_batch().empty());
  q.push(10, 60);
  q.push(11, 60);  // would make 120 bytes: the next batch
  q.push(12, 500);
  CHECK(q.take_batch() == std::vector<int>{10});
  CHECK(q.take_batch() == std::vector<int>{11});
  CHECK(q.take_batch() == std::vector<int>{12});  // bigger than a batch alone: still taken
  CHECK(q.bytes() == 0);
}

TEST_CASE("a full queue refuses with busy; a full disk refuses with disk_full until the retry") {
  inbox::WriteLimits l;
  l.queue_writes = 2;
  l.queue_bytes = 1000;
  l.disk_full_retry_ms = 2000;
  inbox::WriteQueue<int> q(l);
  CHECK_FALSE(q.refusal(10, 0));
  q.push(1, 10);
  CHECK_FALSE(q.refusal(2000, 0) == std::nullopt);  // too many bytes
  CHECK(q.refusal(2000, 0)->code == ErrorCode::busy);
  q.push(2, 10);
  REQUIRE(q.refusal(10, 0));
  CHECK(q.refusal(10, 0)->code == ErrorCode::busy);
  CHECK(q.take_all().size() == 2);
  q.committed(/*disk_full=*/true, 1000);
  REQUIRE(q.refusal(10, 1500));
  CHECK(q.refusal(10, 1500)->code == ErrorCode::disk_full);
  CHECK_FALSE(q.refusal(10, 3000));  // time for one more try
  q.committed(false, 3000);
  CHECK_FALSE(q.refusal(10, 3001));
}

TEST_CASE_FIXTURE(test::InboxFixture, "ingests beyond the batch cap take several commits, one a turn") {
  inbox::WriteLimits l;
  l.batch_writes = 50;
  inbox.set_write_limits(l);
  const auto commits_before = metrics.value("switchboard_ingest_commits_total");
  int done = 0;
  for (int i = 0; i < 120; ++i)
    inbox.ingest({"webchat", "w-" + std::to_string(i), "+49" + std::to_string(i % 9), "", "hi", 0,
                  {}},
                 [&](const auto& r) { done += r.ok() ? 1 : 0; });
  REQUIRE(posted.size() == 1);
  auto turn = [&] {
    auto f = std::move(posted.front());
    posted.pop_front();
    f();
  };
  turn();
  CHECK(done == 50);  // one batch a turn: the loop answers reads between batches
  REQUIRE(posted.size() == 1);
  run_posted();
  CHECK(done == 120);
  CHECK(metrics.value("switchboard_ingest_commits_total") - commits_before == 3);
}

TEST_CASE_FIXTURE(test::InboxFixture, "a full queue refuses at once and receipts nothing") {
  inbox::WriteLimits l;
  l.queue_writes = 10;
  inbox.set_write_limits(l);
  int ok = 0, busy = 0;
  for (int i = 0; i < 15; ++i)
    inbox.ingest({"webchat", "b-" + std::to_string(i), "+1", "", "hello", 0, {}},
                 [&](const Result<inbox::IngestOutcome>& r) {
                   if (r) ++ok;
                   else if (r.error().code == ErrorCode::busy) ++busy;
                 });
  CHECK(inbox.pending() == 10);
  run_posted();
  CHECK(ok == 10);
  CHECK(busy == 5);
  CHECK(metrics.value("switchboard_ingest_refused_total") == 5);
  // Sent again once there is room: stored, once.
  CHECK(ingest("webchat", "b-12", "+1", "hello").ok());
  CHECK(ingest("webchat", "b-12", "+1", "hello")->duplicate);
}

TEST_CASE_FIXTURE(test::InboxFixture, "delivery statuses and dead letters join the group commit") {
  auto first = ingest("whatsapp", "x1", "+7", "hello there");
  REQUIRE(first.ok());
  std::uint64_t out_id = 0;
  for (auto& m : inbox.history(first->conversation_id))
    if (m.direction() == "out" && m.author() == "bot") out_id = m.id();
  REQUIRE(out_id != 0);
  const auto commits_before = metrics.value("switchboard_ingest_commits_total");
  std::optional<Result<void>> status;
  inbox.set_outbound_status_later(out_id, inbox::OUTBOUND_DELIVERED, "", [&](const Result<void>& r) { status = r; });
  inbox.ingest({"whatsapp", "x2", "+8", "", "another", 0, {}}, [](const auto&) {});
  std::optional<Result<void>> unknown;
  inbox.set_outbound_status_later(987654, inbox::OUTBOUND_SENT, "", [&](const Result<void>& r) { unknown = r; });
  CHECK_FALSE(status);
  run_posted();
  REQUIRE(status);
  CHECK(status->ok());
  CHECK(inbox::outbound_name_of(*inbox.message(out_id)) == "delivered");
  REQUIRE(unknown);
  CHECK(unknown->error().code == ErrorCode::not_found);
  CHECK(metrics.value("switchboard_ingest_commits_total") - commits_before == 1);
}

TEST_CASE_FIXTURE(test::InboxFixture, "a writer that refuses after writing fails alone") {
  int good = 0;
  std::optional<Result<void>> bad;
  inbox.ingest({"webchat", "g-1", "+1", "", "hello", 0, {}}, [&](const auto& r) { good += r.ok(); });
  inbox.write_later(
      64,
      [](store::WriteTxn& w) -> Result<void> {
        w.put(store::Table::settings, "half-done", "x");
        return fail("changed its mind");
      },
      [&](const Result<void>& r) { bad = r; });
  inbox.ingest({"webchat", "g-2", "+2", "", "hello", 0, {}}, [&](const auto& r) { good += r.ok(); });
  run_posted();
  CHECK(good == 2);
  REQUIRE(bad);
  CHECK_FALSE(bad->ok());
  CHECK(bad->error().message == "changed its mind");
  bool seen = true;
  store->read([&](const store::ReadTxn& r) { seen = r.get(store::Table::settings, "half-done").has_value(); });
  CHECK_FALSE(seen);  // its half-write went with it
}

TEST_CASE("on a full disk the inbox refuses at once, tries again now and then, and goes on") {
  test::TempDir dir;
  const std::string mnt = dir.sub("small");
  std::filesystem::create_directories(mnt);
  if (geteuid() != 0 || mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=3m") != 0) {
    MESSAGE("skipped: mounting a small tmpfs needs root");
    return;
  }
  {
    std::FILE* devnull = std::fopen("/dev/null", "w");
    Log log(Level::error, devnull);
    Metrics metrics;
    FakeClock clock;
    auto st = store::Store::open(mnt + "/db").value();
    {
      std::FILE* f = std::fopen((mnt + "/ballast").c_str(), "w");
      std::string mb(1024 * 1024, 'b');
      std::fwrite(mb.data(), 1, mb.size(), f);
      std::fclose(f);
    }
    std::deque<std::function<void()>> posted;
    inbox::Inbox in(*st, clock, log, metrics,
                    [&](std::function<void()> f) { posted.push_back(std::move(f)); });
    auto run = [&] {
      while (!posted.empty()) {
        auto f = std::move(posted.front());
        posted.pop_front();
        f();
      }
    };
    const std::string text(3000, 'z');
    std::optional<Error> refused;
    int stored = 0;
    for (int i = 0; i < 2000 && !refused; ++i) {
      in.ingest({"webchat", "d-" + std::to_string(i), "+" + std::to_string(i), "", text, 0, {}},
                [&](const Result<inbox::IngestOutcome>& r) {
                  if (r) ++stored;
                  else refused = r.error();
                });
      run();
    }
    REQUIRE(refused);
    CHECK(refused->code == ErrorCode::disk_full);
    CHECK(stored > 0);
    CHECK(st->map_bytes() <= (64ull << 20));
    // While the door is shut, a write costs no commit.
    const auto commits = metrics.value("switchboard_ingest_commits_total");
    std::optional<Error> again;
    in.ingest({"webchat", "late", "+1", "", "hi", 0, {}}, [&](const auto& r) {
      if (!r) again = r.error();
    });
    run();
    REQUIRE(again);
    CHECK(again->code == ErrorCode::disk_full);
    CHECK(metrics.value("switchboard_ingest_commits_total") == commits);
    // Room again, and the retry time passed: it is stored.
    std::filesystem::remove(mnt + "/ballast");
    clock.advance(inbox::WriteLimits{}.disk_full_retry_ms + 1);
    std::optional<Result<inbox::IngestOutcome>> late;
    in.ingest({"webchat", "late", "+1", "", "hi", 0, {}}, [&](const auto& r) { late = r; });
    run();
    REQUIRE(late);
    CHECK(late->ok());
    std::fclose(devnull);
  }
  umount2(mnt.c_str(), MNT_DETACH);
}

TEST_CASE_FIXTURE(test::InboxFixture, "at a trickle a commit waits one window for company; a batch worth a commit does not") {
  std::vector<std::pair<std::int64_t, std::function<void()>>> timers;
  inbox.set_commit_timer([&](std::int64_t ms, std::function<void()> f) {
    timers.emplace_back(ms, std::move(f));
  });
  inbox::WriteLimits l;
  l.commit_window_ms = 200;
  l.window_writes = 4;
  inbox.set_write_limits(l);
  const auto commits_before = metrics.value("switchboard_ingest_commits_total");
  int done = 0;
  auto send = [&](const std::string& id) {
    inbox.ingest({"sms", id, "+4917", "", "hello", 0, {}}, [&](const auto& r) { done += r.ok(); });
  };
  send("t1");
  send("t2");
  run_posted();
  CHECK(done == 0);  // waiting for the window, receipted only after the commit
  REQUIRE(timers.size() == 1);
  CHECK(timers[0].first == 200);
  send("t3");
  CHECK(timers.size() == 1);  // one window at a time
  timers[0].second();
  run_posted();
  CHECK(done == 3);
  CHECK(metrics.value("switchboard_ingest_commits_total") - commits_before == 1);
  // Enough for a commit at once: committed on the next turn, no window.
  timers.clear();
  for (int i = 0; i < 4; ++i) send("full-" + std::to_string(i));
  run_posted();
  CHECK(done == 7);
  CHECK(metrics.value("switchboard_ingest_commits_total") - commits_before == 2);
}

TEST_CASE_FIXTURE(test::InboxFixture, "under load a batch gathers while writes keep coming and commits at the first pause") {
  std::vector<std::pair<std::int64_t, std::function<void()>>> timers;
  inbox.set_commit_timer([&](std::int64_t ms, std::function<void()> f) {
    timers.emplace_back(ms, std::move(f));
  });
  inbox::WriteLimits l;
  l.commit_window_ms = 300;
  l.window_writes = 4;
  l.batch_writes = 10;
  l.quiet_gap_ms = 20;
  inbox.set_write_limits(l);
  const auto commits = [&] { return metrics.value("switchboard_ingest_commits_total"); };
  const auto commits_before = commits();
  int done = 0;
  auto send = [&](const std::string& id) {
    inbox.ingest({"sms", id, "+4917", "", "hello", 0, {}}, [&](const auto& r) { done += r.ok(); });
  };
  for (int i = 0; i < 4; ++i) send("a" + std::to_string(i));
  run_posted();
  CHECK(done == 0);  // worth a commit, but writes are still coming: it gathers
  REQUIRE(timers.size() == 2);  // the window, and the look for a pause
  CHECK(timers[0].first == 300);
  CHECK(timers[1].first == 20);
  clock.advance(15);
  send("a4");  // 15 ms later another arrives: no pause yet
  clock.advance(5);
  timers[1].second();
  run_posted();
  CHECK(done == 0);
  REQUIRE(timers.size() == 3);
  CHECK(timers[2].first == 15);  // looks again when 20 ms since the last write could be over
  clock.advance(15);
  timers[2].second();
  run_posted();
  CHECK(done == 5);  // the pause came: one commit for all five
  CHECK(commits() - commits_before == 1);
  // A full batch commits at once, pause or not.
  timers.clear();
  for (int i = 0; i < 10; ++i) send("b" + std::to_string(i));
  run_posted();
  CHECK(done == 15);
  CHECK(commits() - commits_before == 2);
}
