// The message index is written in batches: a committed message is findable at once, and a crash
// that loses the batch loses nothing findable, because the next start indexes those messages
// again from the stored mark.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/inbox_fixture.h"

using namespace sb;

namespace {

std::size_t hits(const inbox::Inbox& in, const std::string& q) {
  return in.search(q, 100).messages.size();
}

std::size_t stored_postings(const store::Store& s) {
  std::size_t n = 0;
  s.read([&](const store::ReadTxn& r) { n = r.entries(store::Table::search_terms); });
  return n;
}

}  // namespace

TEST_CASE_FIXTURE(test::InboxFixture, "a message is findable once committed, before its batch is written") {
  REQUIRE(ingest("whatsapp", "e1", "+100", "where is my parcel").ok());
  REQUIRE(ingest("whatsapp", "e2", "+101", "parcel arrived broken").ok());
  CHECK(store->deferred_waiting() > 0);
  CHECK(stored_postings(*store) == 0);
  CHECK(hits(inbox, "parcel") == 2);
  CHECK(hits(inbox, "parcel bro") == 1);
  CHECK(hits(inbox, "nothing") == 0);
}

TEST_CASE("after a crash the lost batch is indexed again at start") {
  test::TempDir dir;
  const std::string db = dir.sub("db");
  const pid_t pid = fork();
  if (pid == 0) {
    std::FILE* devnull = std::fopen("/dev/null", "w");
    Log log(Level::error, devnull);
    Metrics metrics;
    FakeClock clock;
    auto st = store::Store::open(db);
    if (!st) _exit(3);
    std::vector<std::function<void()>> posted;
    inbox::Inbox in(**st, clock, log, metrics,
                    [&](std::function<void()> f) { posted.push_back(std::move(f)); });
    for (int i = 0; i < 30; ++i) {
      bool ok = false;
      in.ingest({"whatsapp", "e" + std::to_string(i), "+1" + std::to_string(i), "",
                 "refund for order " + std::to_string(i), 0, {}},
                [&](const Result<inbox::IngestOutcome>& r) { ok = r.ok(); });
      for (auto& f : posted) f();
      posted.clear();
      if (!ok) _exit(4);
    }
    if ((*st)->deferred_waiting() == 0) _exit(5);  // the batch must still be waiting
    kill(getpid(), SIGKILL);
    _exit(6);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFSIGNALED(status));
  std::FILE* devnull = std::fopen("/dev/null", "w");
  Log log(Level::error, devnull);
  Metrics metrics;
  FakeClock clock;
  auto st = store::Store::open(db).value();
  CHECK(stored_postings(*st) == 0);  // the batch died with the process
  {
    inbox::Inbox in(*st, clock, log, metrics, [](std::function<void()>) {});
    CHECK(hits(in, "refund") == 30);
    CHECK(hits(in, "order 17") == 1);
  }
  std::fclose(devnull);
}
