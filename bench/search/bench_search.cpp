// Search on a big history: fills MESSAGES messages through the real Inbox (group commits of
// BATCH ingests, the index written in the same transactions), then times each query through
// Inbox::search (p50/p99 over repeated runs) against a full scan of the messages table doing
// the same matching, and prints what the index costs in bytes.
//   bench_search [DIR] [MESSAGES] [BATCH] [single]   (defaults ./var/bench-search 1000000 5000)
// `single` writes the index as it was before posting blocks (one entry per posting: the store
// without the block writer), times the queries on it, then packs it as a start on such a file
// does (timed) and times them again: the before and after of one run on the same data.
#include <lmdb.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <random>
#include <vector>

#include "bench/support/bench_support.h"
#include "services/common/bytes.h"
#include "services/inbox/posting_blocks.h"
#include "services/inbox/search_index.h"
#include "tests/support/search_by_scan.h"

using namespace sb;
using bench::ms_since;
using bench::Steady;

namespace {

// Message text: 6-14 words drawn Zipf-like from a vocabulary of common words and generated
// rare ones (order numbers, names), like a support inbox.
struct TextGen {
  std::mt19937 rng{42};
  std::vector<std::string> vocab;
  TextGen() {
    for (const char* w : {"the", "my", "order", "is", "not", "here", "yet", "please", "help",
                          "parcel", "late", "delivery", "refund", "invoice", "payment", "card",
                          "address", "change", "thanks", "hello", "when", "will", "it", "arrive",
                          "wrong", "size", "return", "broken", "tracking", "number", "account",
                          "password", "login", "app", "error", "charged", "twice", "cancel",
                          "subscription", "delivered", "courier", "store", "opening", "hours"})
      vocab.push_back(w);
    std::uniform_int_distribution<int> len(4, 9), ch('a', 'z');
    for (int i = 0; i < 20000; ++i) {  // a long tail of rarer words
      std::string w;
      for (int n = len(rng); n > 0; --n) w += static_cast<char>(ch(rng));
      vocab.push_back(w);
    }
  }
  std::string next(int i) {
    std::uniform_int_distribution<int> words(6, 14);
    std::uniform_real_distribution<double> u(0, 1);
    std::string s;
    for (int n = words(rng); n > 0; --n) {
      // Zipf-ish: an index drawn as v^3 favours the first (common) words.
      const double x = u(rng);
      const auto k = static_cast<std::size_t>(x * x * x * static_cast<double>(vocab.size()));
      s += vocab[std::min(k, vocab.size() - 1)] + " ";
    }
    s += "#" + std::to_string(100000 + i % 900000);  // an order number
    return s;
  }
};

// What the index saves us from: every message read and matched.
std::vector<std::uint64_t> full_scan(store::Store& st, const inbox::ParsedQuery& q, std::size_t limit) {
  return test::search_by_scan(st, q, limit);
}

void table_bytes(const std::string& dir) {
  MDB_env* env = nullptr;
  mdb_env_create(&env);
  mdb_env_set_maxdbs(env, 64);
  if (mdb_env_open(env, dir.c_str(), MDB_RDONLY, 0640) != 0) return;
  MDB_txn* txn = nullptr;
  mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn);
  double total = 0;
  for (const char* name : {"messages_by_id", "messages", "message_index", "search_terms",
                           "contacts", "contact_terms", "conversations", "events", "dedupe"}) {
    MDB_dbi dbi;
    MDB_stat s;
    if (mdb_dbi_open(txn, name, 0, &dbi) != 0 || mdb_stat(txn, dbi, &s) != 0) continue;
    const double bytes = static_cast<double>(s.ms_branch_pages + s.ms_leaf_pages + s.ms_overflow_pages) * s.ms_psize;
    total += bytes;
    std::printf("  %-14s %10zu entries %9.1f MiB\n", name, s.ms_entries, bytes / (1 << 20));
  }
  std::printf("  (these tables: %.1f MiB)\n", total / (1 << 20));
  mdb_txn_abort(txn);
  mdb_env_close(env);
}

void run_queries(inbox::Inbox& inbox, store::Store& st) {
  const char* queries[] = {"refund", "parcel late", "deliv", "order help please", "#471100",
                           "invoice payment card", "zzzzqx", "a"};
  const std::size_t limit = 20;
  std::printf("%-24s %8s %10s %10s %12s\n", "query (limit 20)", "hits", "p50 ms", "p99 ms",
              "scan ms");
  for (const char* q : queries) {
    std::vector<double> lat;
    std::size_t hits = 0;
    for (int rep = 0; rep < 200; ++rep) {
      auto t = Steady::now();
      hits = inbox.search(q, limit).messages.size();
      lat.push_back(ms_since(t));
    }
    auto t = Steady::now();
    auto scanned = full_scan(st, inbox::parse_query(q), limit);
    const double scan_ms = ms_since(t);
    // The index and the scan must agree (the scan is the reference).
    auto indexed = inbox.search(q, limit).messages;
    bool same = indexed.size() == scanned.size();
    for (std::size_t i = 0; same && i < indexed.size(); ++i) same = indexed[i].message_id == scanned[i];
    std::printf("%-24s %8zu %10.3f %10.3f %12.1f%s\n", q, hits, bench::percentile(lat, 0.5),
                bench::percentile(lat, 0.99), scan_ms, same ? "" : "  (differs from the scan!)");
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "./var/bench-search";
  const int total = argc > 2 ? std::atoi(argv[2]) : 1000000;
  const int batch = argc > 3 ? std::atoi(argv[3]) : 5000;
  const bool single = argc > 4 && std::string_view(argv[4]) == "single";
  std::filesystem::remove_all(dir);
  // Closed before table_bytes() opens the environment on its own.
  std::optional<bench::BenchInbox> b;
  b.emplace(dir, bench::BenchInbox::Posting::by_hand);  // flushed by hand
  auto& inbox = *b->inbox;
  bot::BotConfig quiet;
  quiet.enabled = false;  // inbound text only: what is searched
  inbox.set_bot(std::make_shared<bot::LocalBot>(quiet));
  // One commit per BATCH ingests: the queue must hold a whole batch (a refusal would be lost,
  // since nothing turns the posted answers here).
  inbox::WriteLimits limits;
  limits.batch_writes = limits.queue_writes = static_cast<std::size_t>(batch);
  limits.batch_bytes = limits.queue_bytes = std::size_t{1} << 30;
  inbox.set_write_limits(limits);
  if (single) b->store().set_deferred_writer(store::Table::search_terms, nullptr);

  TextGen gen;
  auto t0 = Steady::now();
  for (int i = 0; i < total;) {
    for (int n = 0; n < batch && i < total; ++n, ++i)
      inbox.ingest({i % 2 ? "sms" : "whatsapp", "m" + std::to_string(i),
                    "+49151" + std::to_string(1000000 + i % 50000), "", gen.next(i), 0, {}},
                   [](const Result<inbox::IngestOutcome>& r) {
                     if (!r) std::exit(2);
                   });
    inbox.flush();
  }
  const double fill_s = ms_since(t0) / 1000;
  std::printf("filled %d messages (50,000 contacts) in %.1f s: %.0f msgs/s in commits of %d\n",
              total, fill_s, total / fill_s, batch);
  std::printf("database: %.1f MiB used\n", static_cast<double>(b->store().used_bytes()) / (1 << 20));

  run_queries(inbox, b->store());
  if (single) {
    // As a file written before posting blocks: no format mark.
    (void)b->store().write([](store::WriteTxn& w) -> Result<void> {
      w.del(store::Table::meta, inbox::kSearchFormatKey);
      return {};
    });
    b.reset();
    std::printf("index cost by table, one entry per posting:\n");
    table_bytes(dir);
    // Opening the file starts packing it (the Inbox's first step); the rest as the loop would.
    auto t1 = Steady::now();
    b.emplace(dir, bench::BenchInbox::Posting::by_hand);
    int steps = 1;
    for (;; ++steps) {
      auto r = inbox::pack_postings_step(b->store(), inbox::Inbox::kPackStepEntries);
      if (!r) {
        std::fprintf(stderr, "packing: %s\n", r.error().message.c_str());
        return 1;
      }
      if (*r) break;
    }
    std::printf("packed into blocks at start in %.1f s (%d commits of up to %zu entries)\n",
                ms_since(t1) / 1000, steps, inbox::Inbox::kPackStepEntries);
    run_queries(*b->inbox, b->store());
  }
  b.reset();
  std::printf("index cost by table:\n");
  table_bytes(dir);
  std::filesystem::remove_all(dir);
  return 0;
}
