// Posting blocks: the codec, the batch writer, packing a file indexed one entry per posting, and
// search results checked against a brute-force scan of the messages table on a generated corpus.
#include "services/inbox/posting_blocks.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <random>
#include <set>

#include "services/common/bytes.h"
#include "services/inbox/search_index.h"
#include "tests/support/inbox_fixture.h"
#include "tests/support/search_by_scan.h"

using namespace sb;

namespace {

// What a query must find: every non-system message whose words hold it, newest first.
std::vector<std::uint64_t> brute_force(store::Store& st, const std::string& query, std::size_t limit) {
  return test::search_by_scan(st, inbox::parse_query(query), limit);
}

std::vector<std::uint64_t> searched(const inbox::Inbox& in, const std::string& query, std::size_t limit) {
  std::vector<std::uint64_t> out;
  for (const auto& h : in.search(query, limit).messages) out.push_back(h.message_id);
  return out;
}

// Words with shared prefixes (deliver, delivery, delivered) and a long tail, as a support inbox.
struct Corpus {
  std::mt19937 rng{7};
  std::vector<std::string> words{"refund", "order", "parcel", "late", "deliver", "delivery",
                                 "delivered", "del", "help", "please", "invoice", "payment",
                                 "card", "pago", "tarjeta", "ελληνικά", "привет", "x1", "x2"};
  Corpus() {
    std::uniform_int_distribution<int> ch('a', 'f');
    for (int i = 0; i < 60; ++i) words.push_back(std::string(1, static_cast<char>(ch(rng))) +
                                                 static_cast<char>(ch(rng)) + std::to_string(i));
  }
  std::string text() {
    std::uniform_real_distribution<double> u(0, 1);
    std::uniform_int_distribution<int> n(1, 8);
    std::string s;
    for (int k = n(rng); k > 0; --k) {
      const double x = u(rng);
      s += words[std::min(words.size() - 1, static_cast<std::size_t>(x * x * static_cast<double>(words.size())))];
      s += k % 3 ? " " : ", ";
    }
    return s;
  }
  std::vector<std::string> queries() {
    std::vector<std::string> q{"de", "deli", "delivere", "pa", "ref", "x", "zzz", "refund late",
                               "order help please", "invoice payment card", "delivery ", "ελλ",
                               "прив", "card pa", "order de"};
    for (const auto& w : words) q.push_back(w);
    std::uniform_int_distribution<std::size_t> pick(0, 18);  // the common words
    for (int i = 0; i < 40; ++i)
      q.push_back(words[pick(rng)] + " " + words[pick(rng)] + " " + words[pick(rng)].substr(0, 3));
    return q;
  }
};

void ingest_batch(test::InboxFixture& f, Corpus& c, int from, int n) {
  for (int i = from; i < from + n; ++i)
    f.inbox.ingest({i % 3 ? "whatsapp" : "sms", "e" + std::to_string(i), "+34" + std::to_string(600 + i % 37),
                    "", c.text(), 0, {}},
                   [](const auto& r) { REQUIRE(r.ok()); });
  f.run_posted();
}

void check_all(test::InboxFixture& f, Corpus& c, const std::vector<std::string>& queries) {
  for (const auto& q : queries) {
    for (std::size_t limit : {std::size_t{20}, std::size_t{5000}}) {
      INFO("query '", q, "' limit ", limit);
      CHECK(searched(f.inbox, q, limit) == brute_force(*f.store, q, limit));
    }
  }
  (void)c;
}

std::size_t entries(store::Store& st) {
  std::size_t n = 0;
  st.read([&](const store::ReadTxn& r) { n = r.entries(store::Table::search_terms); });
  return n;
}

}  // namespace

TEST_CASE("a block's ids survive encoding; a damaged block gives what came before the damage") {
  const std::vector<std::uint64_t> ids{5, 6, 200, 70000, 1ull << 40, (1ull << 40) + 1};
  std::vector<std::uint64_t> out;
  CHECK(inbox::decode_block(ids[0], inbox::encode_block(ids.data(), ids.size()), out));
  CHECK(out == ids);
  out.clear();
  CHECK(inbox::decode_block(9, "", out));
  CHECK(out == std::vector<std::uint64_t>{9});
  out.clear();
  CHECK_FALSE(inbox::decode_block(9, std::string("\x02\x00", 2), out));  // a delta of 0
  CHECK(out == std::vector<std::uint64_t>{9, 11});
  out.clear();
  CHECK_FALSE(inbox::decode_block(9, "\x81", out));  // cut inside a varint
  CHECK(out == std::vector<std::uint64_t>{9});
  out.clear();
  CHECK_FALSE(inbox::decode_block(9, std::string(12, '\xff'), out));  // longer than 64 bits
  out.clear();
  CHECK_FALSE(inbox::decode_block(~0ull - 1, "\x05", out));  // past the largest id
  CHECK(out == std::vector<std::uint64_t>{~0ull - 1});
}

TEST_CASE("the batch writer keeps blocks ordered and apart, whatever order ids come in") {
  test::TempDir dir;
  auto st = store::Store::open(dir.sub("db")).value();
  st->set_deferred_writer(store::Table::search_terms, inbox::write_postings);
  std::mt19937 rng(3);
  std::set<std::uint64_t> want;
  for (int round = 0; round < 12; ++round) {
    std::vector<std::uint64_t> ids;
    // Mostly above everything so far (ids only grow), some below (a batch indexed again).
    std::uniform_int_distribution<std::uint64_t> low(1, 4000);
    for (int i = 0; i < 300; ++i) ids.push_back(round * 400 + 4000 + static_cast<std::uint64_t>(i));
    for (int i = 0; i < 40; ++i) ids.push_back(low(rng));
    REQUIRE(st->write([&](store::WriteTxn& w) -> Result<void> {
                for (auto id : ids) w.put_deferred(store::Table::search_terms, inbox::posting_key("w", id), {});
                return {};
              }).ok());
    want.insert(ids.begin(), ids.end());
  }
  st.reset();  // a clean close writes what waits
  st = store::Store::open(dir.sub("db")).value();
  std::vector<std::uint64_t> got;
  std::size_t blocks = 0;
  st->read([&](const store::ReadTxn& r) {
    r.scan(store::Table::search_terms, {}, [&](std::string_view k, std::string_view v) {
      std::vector<std::uint64_t> ids;
      CHECK(inbox::decode_block(from_be64(k, 2), v, ids));
      CHECK(ids.size() <= inbox::kBlockIds);
      if (!got.empty()) CHECK(ids.front() > got.back());  // blocks apart and in order
      got.insert(got.end(), ids.begin(), ids.end());
      ++blocks;
      return true;
    });
    // Every seek agrees with the set, walking down as a query does.
    inbox::PostingRun run(r, store::Table::search_terms, "w");
    std::size_t wrong = 0;
    for (std::uint64_t x = *want.rbegin() + 5; x > 7; x -= 7) {
      auto it = want.upper_bound(x);
      const std::uint64_t expect = it == want.begin() ? 0 : *std::prev(it);
      if (run.seek_le(x) != expect) ++wrong;
    }
    CHECK(wrong == 0);
    CHECK(run.blocks_read() < blocks + 20);  // each block read once on the walk down (and a few
                                             // misses below the first id)
  });
  CHECK(got == std::vector<std::uint64_t>(want.begin(), want.end()));
  CHECK(blocks < want.size() / 32);
}

TEST_CASE_FIXTURE(test::InboxFixture, "search finds what a brute-force scan finds, batches waiting or written") {
  Corpus c;
  const auto queries = c.queries();
  int n = 0;
  for (; n < 600; n += 100) ingest_batch(*this, c, n, 100);
  check_all(*this, c, queries);  // some postings still wait for their batch
  // Conversations closed and archived: their messages stay searchable, and a new message from
  // the same contact (a new conversation) too.
  for (std::uint64_t conv = 1; conv <= 12; ++conv) {
    (void)inbox.close(conv, "ana");
    if (conv % 2) (void)inbox.archive(conv, "ana");
  }
  run_posted();
  for (; n < 2400; n += 200) ingest_batch(*this, c, n, 200);
  CHECK(store->write_stats().commits > 0);
  check_all(*this, c, queries);
  CHECK(entries(*store) * 4 < 2400 * 3);  // far fewer entries than postings
}

TEST_CASE("a file indexed one entry per posting is packed in steps, and answers alike throughout") {
  Corpus c;
  const auto queries = c.queries();
  test::TempDir dir;
  std::size_t singles = 0;
  {
    test::InboxFixture f;  // its own dir; the old file is written there, then moved over
    f.store->set_deferred_writer(store::Table::search_terms, nullptr);  // as before blocks
    for (int n = 0; n < 1500; n += 150) ingest_batch(f, c, n, 150);
    REQUIRE(f.store->write([](store::WriteTxn& w) -> Result<void> {
                      w.del(store::Table::meta, inbox::kSearchFormatKey);
                      return {};
                    }).ok());
    check_all(f, c, queries);
    // What an older binary left: reopen the same file under a new Inbox that packs by hand.
    const std::string db = f.dir.sub("db");
    f.posted.clear();
    std::filesystem::rename(db, dir.sub("old"));
  }
  FakeClock clock;
  std::FILE* devnull = std::fopen("/dev/null", "w");
  Log log(Level::error, devnull);
  Metrics metrics;
  auto st = store::Store::open(dir.sub("old")).value();
  singles = entries(*st);
  REQUIRE(singles > 5000);
  {
    std::deque<std::function<void()>> posted;
    inbox::Inbox in(*st, clock, log, metrics, [&](std::function<void()> f) { posted.push_back(std::move(f)); },
                    /*resume_search_now=*/false);
    auto turn = [&] {
      while (!posted.empty()) {
        auto f = std::move(posted.front());
        posted.pop_front();
        f();
      }
    };
    int n = 1500, steps = 0;
    for (;;) {
      auto r = inbox::pack_postings_step(*st, 900);
      REQUIRE(r.ok());
      ++steps;
      // New messages between steps: appended to blocks (or to a term's last old entry).
      for (int i = n; i < n + 20; ++i)
        in.ingest({"sms", "e" + std::to_string(i), "+34" + std::to_string(600 + i % 37), "", c.text(), 0, {}},
                  [](const auto& res) { REQUIRE(res.ok()); });
      n += 20;
      turn();
      for (const auto& q : {std::string("refund"), std::string("order de"), std::string("de"),
                            std::string("invoice payment card")}) {
        INFO("query '", q, "' after step ", steps);
        std::vector<std::uint64_t> got;
        for (const auto& h : in.search(q, 5000).messages) got.push_back(h.message_id);
        CHECK(got == brute_force(*st, q, 5000));
      }
      if (*r) break;
    }
    CHECK(steps > 3);
    st->read([&](const store::ReadTxn& r) {
      CHECK(r.get(store::Table::meta, inbox::kSearchFormatKey) == std::optional<std::string_view>("2"));
    });
  }
  st.reset();
  st = store::Store::open(dir.sub("old")).value();
  CHECK(entries(*st) * 3 < singles);
  {
    inbox::Inbox in(*st, clock, log, metrics, [](std::function<void()>) {});
    for (const auto& q : queries) {
      INFO("query '", q, "'");
      std::vector<std::uint64_t> got;
      for (const auto& h : in.search(q, 5000).messages) got.push_back(h.message_id);
      CHECK(got == brute_force(*st, q, 5000));
    }
  }
  std::fclose(devnull);
}
