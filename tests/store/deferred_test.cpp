// Deferred puts: seen by reads of the same Store at once, merged with the file in key order,
// written in one batch, never by a transaction that failed, and lost (only they) by a crash.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "services/store/store.h"
#include "tests/support/temp_dir.h"

using namespace sb;
using store::Table;

namespace {

std::vector<std::string> keys_forward(const store::Store& s, std::string_view from) {
  std::vector<std::string> out;
  s.read([&](const store::ReadTxn& r) {
    r.scan(Table::search_terms, from, [&](std::string_view k, std::string_view) {
      out.emplace_back(k);
      return true;
    });
  });
  return out;
}

std::vector<std::string> keys_backward(const store::Store& s, std::string_view from) {
  std::vector<std::string> out;
  s.read([&](const store::ReadTxn& r) {
    r.scan_back(Table::search_terms, from, [&](std::string_view k, std::string_view) {
      out.emplace_back(k);
      return true;
    });
  });
  return out;
}

std::size_t in_file(const store::Store& s) {
  std::size_t n = 0;
  s.read([&](const store::ReadTxn& r) { n = r.entries(Table::search_terms); });
  return n;
}

Result<void> put(store::Store& s, std::vector<std::string> now, std::vector<std::string> later) {
  return s.write([&](store::WriteTxn& w) -> Result<void> {
    for (const auto& k : now) w.put(Table::search_terms, k, {});
    for (const auto& k : later) w.put_deferred(Table::search_terms, k, {});
    return {};
  });
}

}  // namespace

TEST_CASE("deferred puts are read at once, in key order with the file's, and written in one batch") {
  test::TempDir dir;
  store::StoreOptions o;
  o.deferred_batch = 6;
  auto s = store::Store::open(dir.path(), o).value();
  REQUIRE(put(*s, {"b", "d", "f"}, {"a", "c", "e"}).ok());
  CHECK(in_file(*s) == 3);
  CHECK(s->deferred_waiting() == 3);
  CHECK(keys_forward(*s, {}) == std::vector<std::string>{"a", "b", "c", "d", "e", "f"});
  CHECK(keys_forward(*s, "bb") == std::vector<std::string>{"c", "d", "e", "f"});
  CHECK(keys_backward(*s, {}) == std::vector<std::string>{"f", "e", "d", "c", "b", "a"});
  CHECK(keys_backward(*s, "cc") == std::vector<std::string>{"c", "b", "a"});
  CHECK(keys_backward(*s, "c") == std::vector<std::string>{"c", "b", "a"});
  s->read([](const store::ReadTxn& r) {
    CHECK(r.get(Table::search_terms, "c").has_value());
    CHECK_FALSE(r.get(Table::search_terms, "cc").has_value());
  });
  // A put deferred again, and one the file also holds, are each seen once.
  REQUIRE(put(*s, {}, {"c", "d"}).ok());
  CHECK(s->deferred_waiting() == 4);
  CHECK(keys_forward(*s, {}) == std::vector<std::string>{"a", "b", "c", "d", "e", "f"});
  CHECK(keys_backward(*s, {}) == std::vector<std::string>{"f", "e", "d", "c", "b", "a"});
  // A failed transaction defers nothing.
  auto refused = s->write([](store::WriteTxn& w) -> Result<void> {
    w.put_deferred(Table::search_terms, "zz", {});
    return fail("no");
  });
  CHECK_FALSE(refused.ok());
  CHECK(s->deferred_waiting() == 4);
  // The batch is full: the next commit carries all of it.
  REQUIRE(put(*s, {"g"}, {"h", "i"}).ok());
  CHECK(s->deferred_waiting() == 0);
  CHECK(in_file(*s) == 9);
  CHECK(keys_forward(*s, {}) ==
        std::vector<std::string>{"a", "b", "c", "d", "e", "f", "g", "h", "i"});
}

TEST_CASE("a clean close writes what waits; a crash loses only the deferred puts") {
  test::TempDir dir;
  {
    auto s = store::Store::open(dir.path()).value();
    REQUIRE(put(*s, {"kept"}, {"closed"}).ok());
  }
  const pid_t pid = fork();
  if (pid == 0) {
    auto s = store::Store::open(dir.path());
    if (!s || !put(**s, {"durable"}, {"lost"}).ok()) _exit(1);
    kill(getpid(), SIGKILL);  // no destructor runs
    _exit(2);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFSIGNALED(status));
  auto s = store::Store::open(dir.path()).value();
  CHECK(keys_forward(*s, {}) == std::vector<std::string>{"closed", "durable", "kept"});
}
