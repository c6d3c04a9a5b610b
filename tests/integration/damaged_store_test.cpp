// The real binary against a damaged data.mdb: truncated to half and to 8 KB, 200 random 64-byte
// overwrites (several seeds), whole pages overwritten. `verify`, `export`, `backup` and `run`
// must each end with a status below 128 (no signal), one stderr line naming the file and
// saying it is damaged, and never exit 0 with partial data.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "tests/support/inbox_fixture.h"
#include "tests/support/process.h"

namespace fs = std::filesystem;
using namespace sb::test;

namespace {

constexpr int kConversations = 500;

// A store like a gateway's after some use, built once and copied for each case.
const std::string& pristine_dir() {
  static TempDir keep;
  static std::string dir = [] {
    InboxFixture f;
    for (int i = 0; i < kConversations; ++i) {
      std::string who = "+4915100" + std::to_string(100000 + i);
      for (int m = 0; m < 2; ++m)
        REQUIRE(f.ingest("sms", "e" + std::to_string(i) + "-" + std::to_string(m), who,
                         "hello, this is message " + std::to_string(m) +
                             " of a customer who wants to know about the invoice " +
                             std::to_string(i))
                    .ok());
    }
    // Compacted, as a restored backup is: every page is live, so any page hit is damage
    // the checker must see (a fresh file's freed pages would hide some hits).
    std::string out = keep.sub("db");
    REQUIRE(f.store->backup(out).ok());
    return out;
  }();
  return dir;
}

struct Case {
  TempDir dir;
  std::string db = dir.sub("db");
  std::string file = db + "/data.mdb";
  std::string config = dir.sub("switchboard.toml");
  Case() {
    fs::copy(pristine_dir(), db);
    std::ofstream(config) << "[storage]\ndir = \"" << db << "\"\n[admin]\nlisten = \"127.0.0.1:"
                          << free_port() << "\"\n";
  }
  std::uintmax_t size() const { return fs::file_size(file); }
  void overwrite(std::uintmax_t at, const std::string& bytes) {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(at));
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  std::string page(std::uintmax_t n) {
    std::ifstream f(file, std::ios::binary);
    f.seekg(static_cast<std::streamoff>(n * 4096));
    std::string p(4096, '\0');
    f.read(p.data(), 4096);
    return p;
  }

  struct Outcome {
    int status = 0;  // the raw wait status
    std::string out, err;
  };
  Outcome run(std::vector<std::string> args) {
    std::string out = dir.sub("out"), err = dir.sub("err");
    fs::remove(out);
    fs::remove(err);
    Process p(args, out, err);
    Outcome o;
    o.status = p.wait();
    o.out = slurp(out);
    o.err = slurp(err);
    return o;
  }
};

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

// Every verb on the damaged copy in `c`: refused cleanly, or (only when the damage missed
// everything live) whole.
void expect_refused_or_whole(Case& c, bool must_refuse) {
  auto verify = c.run({SWITCHBOARD_BIN, "verify", "--config", c.config});
  INFO("verify: " << verify.err);
  REQUIRE(WIFEXITED(verify.status));
  const bool damaged = WEXITSTATUS(verify.status) != 0;
  if (must_refuse) CHECK(damaged);
  if (damaged) {
    CHECK(WEXITSTATUS(verify.status) == 1);
    CHECK(lines(verify.err) == 1);
    CHECK(verify.err.find(c.file + " is damaged") != std::string::npos);
  }

  auto exp = c.run({SWITCHBOARD_BIN, "export", "--config", c.config});
  INFO("export: " << exp.err);
  REQUIRE(WIFEXITED(exp.status));
  if (WEXITSTATUS(exp.status) == 0) {
    CHECK_FALSE(damaged);
    CHECK(lines(exp.out) == kConversations);  // never exit 0 with partial data
  } else {
    CHECK(WEXITSTATUS(exp.status) < 128);
    CHECK(lines(exp.err) == 1);
    CHECK(exp.err.find(c.file + " is damaged") != std::string::npos);
  }

  auto bak = c.run({SWITCHBOARD_BIN, "backup", c.dir.sub("copy"), "--config", c.config});
  INFO("backup: " << bak.err);
  REQUIRE(WIFEXITED(bak.status));
  if (damaged) {
    CHECK(WEXITSTATUS(bak.status) == 1);
    CHECK(lines(bak.err) == 1);
    CHECK(bak.err.find(c.file + " is damaged") != std::string::npos);
    CHECK_FALSE(fs::exists(c.dir.sub("copy/data.mdb")));
  } else {
    CHECK(WEXITSTATUS(bak.status) == 0);
  }

  if (!damaged) return;
  // The service refuses before it listens; `timeout` turns a service that started anyway into
  // status 124, which fails the checks below rather than hanging the test.
  auto svc = c.run({"/usr/bin/timeout", "60", SWITCHBOARD_BIN, "run", "--config", c.config});
  INFO("run: " << svc.err);
  REQUIRE(WIFEXITED(svc.status));
  CHECK(WEXITSTATUS(svc.status) == 1);
  int damaged_lines = 0;
  std::istringstream in(svc.err);
  for (std::string line; std::getline(in, line);)
    if (line.find(c.file + " is damaged") != std::string::npos) ++damaged_lines;
  CHECK(damaged_lines == 1);
}

}  // namespace

TEST_CASE("an undamaged copy verifies, exports every conversation and backs up") {
  Case c;
  auto verify = c.run({SWITCHBOARD_BIN, "verify", "--config", c.config});
  CHECK(WIFEXITED(verify.status));
  CHECK(WEXITSTATUS(verify.status) == 0);
  CHECK(verify.err.find("is sound") != std::string::npos);
  expect_refused_or_whole(c, false);
  auto copy = c.run({SWITCHBOARD_BIN, "verify", "--config", c.config});
  CHECK(WEXITSTATUS(copy.status) == 0);
}

TEST_CASE("a data.mdb truncated to half is refused by every verb") {
  Case c;
  fs::resize_file(c.file, c.size() / 2);
  expect_refused_or_whole(c, true);
}

TEST_CASE("a data.mdb truncated to 8 KB is refused by every verb") {
  Case c;
  fs::resize_file(c.file, 8192);
  expect_refused_or_whole(c, true);
}

TEST_CASE("a data.mdb truncated inside its header page is refused by every verb") {
  Case c;
  fs::resize_file(c.file, 100);
  expect_refused_or_whole(c, true);
}

TEST_CASE("200 random 64-byte overwrites: refused, or whole where they missed everything") {
  for (unsigned seed : {1u, 2u, 3u, 4u, 5u, 6u}) {
    CAPTURE(seed);
    Case c;
    std::mt19937_64 rng(seed);
    const auto size = c.size();
    std::uniform_int_distribution<std::uintmax_t> where(0, size - 64);
    for (int i = 0; i < 200; ++i) {
      std::string junk(64, '\0');
      for (auto& ch : junk) ch = static_cast<char>(rng());
      c.overwrite(where(rng), junk);
    }
    // 200 hits over a compacted file of a few hundred pages land on page headers and node
    // tables, not only inside values: a sound verdict here would be a miss of the checker.
    expect_refused_or_whole(c, true);
  }
}

TEST_CASE("whole pages overwritten (a misdirected write, a zeroed page) are refused") {
  SUBCASE("another page's bytes over pages in the middle") {
    Case c;
    const auto pages = c.size() / 4096;
    const std::string donor = c.page(pages / 3);
    for (std::uintmax_t p = pages / 2; p < pages / 2 + 4; ++p) c.overwrite(p * 4096, donor);
    expect_refused_or_whole(c, true);
  }
  SUBCASE("a page of zeros") {
    Case c;
    c.overwrite((c.size() / 4096 / 2) * 4096, std::string(4096, '\0'));
    expect_refused_or_whole(c, true);
  }
  SUBCASE("the newest header page") {
    Case c;
    // Garbage over both metas' magic: no header left to trust.
    c.overwrite(16, std::string(8, '\x55'));
    c.overwrite(4096 + 16, std::string(8, '\x55'));
    expect_refused_or_whole(c, true);
  }
}
