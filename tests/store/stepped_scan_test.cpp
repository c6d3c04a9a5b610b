#include <doctest/doctest.h>

#include <deque>
#include <functional>
#include <set>
#include <string>

#include "services/common/bytes.h"
#include "services/store/stepped_scan.h"
#include "tests/support/temp_dir.h"

using namespace sb;
using store::Table;

namespace {

// The event loop as the scan sees it: posted steps wait in a queue until the test runs them.
struct Loop {
  std::deque<std::function<void()>> queue;
  std::function<void(std::function<void()>)> post() {
    return [this](std::function<void()> f) { queue.push_back(std::move(f)); };
  }
  bool run_one() {
    if (queue.empty()) return false;
    auto f = std::move(queue.front());
    queue.pop_front();
    f();
    return true;
  }
};

void put_range(store::Store& s, int from, int to) {
  REQUIRE(s.write([&](store::WriteTxn& w) -> Result<void> {
    for (int i = from; i < to; ++i) w.put(Table::settings, be64(static_cast<std::uint64_t>(i)), "v");
    return {};
  }).ok());
}

}  // namespace

TEST_CASE("a stepped scan reads every entry once, a bounded number per step, nothing before it is run") {
  test::TempDir dir;
  auto s = store::Store::open(dir.path());
  REQUIRE(s.ok());
  put_range(**s, 0, 1000);
  Loop loop;
  std::vector<std::uint64_t> seen;
  std::size_t in_this_step = 0, most_in_a_step = 0;
  bool finished = false, complete = false;
  store::SteppedScan scan;
  scan.post = loop.post();
  scan.rows_per_step = 64;
  scan.row = [&](std::string_view k, std::string_view) {
    seen.push_back(from_be64(k));
    most_in_a_step = std::max(most_in_a_step, ++in_this_step);
    return true;
  };
  scan.done = [&](bool c) {
    finished = true;
    complete = c;
  };
  store::scan_in_steps(**s, Table::settings, scan);
  CHECK(seen.empty());  // the first step waits its turn too
  int steps = 0;
  while (loop.run_one()) {
    ++steps;
    in_this_step = 0;
    if (steps == 3) put_range(**s, 1000, 1010);  // written between steps: after the cursor
  }
  CHECK(finished);
  CHECK(complete);
  CHECK(most_in_a_step == 64);
  CHECK(steps == 1010 / 64 + 1);
  REQUIRE(seen.size() == 1010);
  for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == i);
}

TEST_CASE("a stepped scan ends where its row callback says, reporting it incomplete") {
  test::TempDir dir;
  auto s = store::Store::open(dir.path());
  REQUIRE(s.ok());
  put_range(**s, 0, 300);
  Loop loop;
  int rows = 0;
  std::optional<bool> complete;
  store::SteppedScan scan;
  scan.post = loop.post();
  scan.rows_per_step = 100;
  scan.row = [&](std::string_view, std::string_view) { return ++rows < 150; };
  scan.done = [&](bool c) { complete = c; };
  store::scan_in_steps(**s, Table::settings, scan);
  while (loop.run_one()) {
  }
  CHECK(rows == 150);
  REQUIRE(complete.has_value());
  CHECK_FALSE(*complete);
}

TEST_CASE("a stepped scan of an empty table finishes complete in one step") {
  test::TempDir dir;
  auto s = store::Store::open(dir.path());
  REQUIRE(s.ok());
  Loop loop;
  int rows = 0, done = 0;
  store::SteppedScan scan;
  scan.post = loop.post();
  scan.row = [&](std::string_view, std::string_view) { return ++rows > 0; };
  scan.done = [&](bool c) { done += c ? 1 : 100; };
  store::scan_in_steps(**s, Table::settings, scan);
  int steps = 0;
  while (loop.run_one()) ++steps;
  CHECK(steps == 1);
  CHECK(rows == 0);
  CHECK(done == 1);
}
