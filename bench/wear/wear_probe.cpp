// wear_probe — bytes written to storage, measured by the kernel (write_bytes in /proc/self/io,
// the bytes this process sent towards the disk), for two halves of bench_wear.py:
//
//   wear_probe kinds DIR      the service's own code on a real LMDB store, one commit kind at a
//                             time: KiB written per commit, tables changed per commit, commits
//                             per inbound message
//   wear_probe burst DIR N BATCH CONTACTS
//                             N messages from CONTACTS contacts, BATCH per group commit, each
//                             commit also carrying the DELIVERED statuses of the bot replies the
//                             one before queued (as under load in the field): KiB and pages
//                             written per message, and which tables those pages belong to (two
//                             snapshots of data.mdb compared: pages in the newer tree and not in
//                             the older are what the commit wrote)
//   wear_probe history DIR N CONTACTS
//                             N messages from CONTACTS contacts (with the bot's replies), then
//                             every conversation's history read through Inbox::history five
//                             times: microseconds per history, nanoseconds per message read
//   wear_probe upgrade DIR N CONTACTS
//                             the same N messages rewritten into the older layout (schema
//                             version 2), then the time the conversion at open takes
//   wear_probe sqlite DIR N BATCH
//                             SQLite in WAL mode with synchronous=FULL storing the same rows
//                             (conversation, message, event) for N messages, BATCH per
//                             transaction, half from new contacts and half from known ones
//
// A benchmark: it prints figures and never passes or fails.
#include <sqlite3.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <algorithm>
#include <iterator>
#include <string>

#include "bench/support/bench_support.h"
#include "hal/clock/fake_clock.h"
#include "services/broker/broker.h"
#include "services/common/bytes.h"
#include "services/channels/mqtt_channel.h"
#include "services/store/data_file.h"
#include "services/sync/event_publisher.h"
#if __has_include("services/inbox/message_log.h")
#include "services/inbox/message_log.h"
#define WEAR_PROBE_UPGRADE 1
#endif

namespace {

// write_bytes: what the kernel charged this process for dirtying the page cache, in whole
// folios (a large folio counts whole for a 4 KiB write into it); wchar: what the process passed
// to write calls (here only the database files: the link is in memory, the log goes nowhere).
std::uint64_t io_field(const char* field) {
  std::ifstream io("/proc/self/io");
  std::string key;
  std::uint64_t v = 0;
  while (io >> key >> v)
    if (key == field) return v;
  return 0;
}
std::uint64_t written_bytes() { return io_field("write_bytes:"); }
std::uint64_t syscall_bytes() { return io_field("wchar:"); }

// A broker link that is always up and acknowledges each publish when ack_all() is called (a
// broker answers after the publish call has returned), counting the outbound messages.
class AckingTransport final : public sb::broker::Broker {
 public:
  bool connected() const override { return true; }
  bool publish(const std::string& topic, std::string, bool,
               std::function<void(bool)> done) override {
    if (topic.find("/out/") != std::string::npos) outbound++;
    waiting_.push_back(std::move(done));
    return true;
  }
  void ack_all() {
    while (!waiting_.empty()) {
      auto done = std::move(waiting_.front());
      waiting_.erase(waiting_.begin());
      done(true);
    }
  }
  int outbound = 0;

 private:
  std::vector<std::function<void(bool)>> waiting_;
};

// A text like the field's: a few words, some repeated across messages.
std::string text_of(int i) {
  static const char* words[] = {"hello", "order",  "where", "is",      "my",    "parcel",
                                "thanks", "please", "the",   "invoice", "today", "number"};
  std::string t;
  for (int w = 0; w < 8; ++w) {
    if (w) t += ' ';
    t += words[(i * 7 + w * 5) % 12];
  }
  return t + " " + std::to_string(100000 + i);
}

// The I-th WhatsApp message of the run, from one of CONTACTS customers; ids prefixed by PREFIX.
sb::inbox::InboundMessage customer_message(const std::string& prefix, int i, int contacts) {
  sb::inbox::InboundMessage m;
  m.channel = "whatsapp";
  m.external_id = prefix + std::to_string(i);
  m.sender = "+4478009" + std::to_string(10000 + i % contacts);
  m.sender_name = "Customer";
  m.text = text_of(i);
  return m;
}

struct Kind {
  const char* name;
  int commits = 0;
  std::uint64_t bytes = 0;
  std::uint64_t passed = 0;  // to write calls
  std::uint64_t tables = 0;
  std::uint32_t mask = 0;
};

void print_kind(const Kind& k, int per_inbound_of) {
  std::string names;
  for (int t = 0; t < static_cast<int>(sb::store::Table::count_); ++t)
    if (k.mask & (1u << t)) {
      if (!names.empty()) names += ',';
      names += sb::store::table_name(static_cast<sb::store::Table>(t));
    }
  std::printf("  %-34s %5d commits %6.1f KiB/commit (%5.1f to write calls) %4.1f tables/commit %5.2f commits/inbound  [%s]\n",
              k.name, k.commits, k.commits ? k.bytes / 1024.0 / k.commits : 0.0,
              k.commits ? k.passed / 1024.0 / k.commits : 0.0,
              k.commits ? static_cast<double>(k.tables) / k.commits : 0.0,
              per_inbound_of ? static_cast<double>(k.commits) / per_inbound_of : 0.0,
              names.c_str());
}

// Runs `op`, charging what it wrote and the commits it made to `k`.
template <class Op>
void charge(sb::store::Store& store, Kind& k, Op op) {
  const auto before = store.write_stats();
  const std::uint64_t b0 = written_bytes(), w0 = syscall_bytes();
  op();
  k.bytes += written_bytes() - b0;
  k.passed += syscall_bytes() - w0;
  const auto& after = store.write_stats();
  k.commits += static_cast<int>(after.commits - before.commits);
  k.tables += after.tables_touched - before.tables_touched;
  if (after.commits != before.commits) k.mask |= after.last_tables;
}

int kinds(const std::string& dir) {
  using namespace sb;
  std::filesystem::remove_all(dir);
  bench::BenchInbox b(dir, bench::BenchInbox::Posting::by_hand);
  store::Store& store = b.store();
  AckingTransport link;
  std::FILE* devnull = std::fopen("/dev/null", "w");
  Log log(Level::error, devnull);
  sync::EventPublisher events(store, link, b.clock, log, b.metrics, "gw-wear", {});
  FakeClock mono;
  channels::MqttChannel channel(
      *b.inbox, link, [&](const inbox::Event& e) { events.publish_now(e); }, mono, log,
      "gw-wear", channels::OutboundPolicy{});

  constexpr int kNew = 300, kKnown = 300;
  Kind ingest_new{"ingest, new contact (+bot reply)"}, ingest_known{"ingest, known contact (+bot reply)"};
  Kind delivery{"delivery status"}, ack{"outbox acknowledgement"}, resend{"re-send attempt"};
  Kind ext_reply{"bot reply from central's bot"};
  std::vector<std::uint64_t> outbound;
  auto ingest_one = [&](int i, const std::string& sender) {
    inbox::InboundMessage m;
    m.channel = "whatsapp";
    m.external_id = "x" + std::to_string(i);
    m.sender = sender;
    m.sender_name = "Contact " + std::to_string(i);
    m.text = text_of(i);
    b.inbox->ingest(std::move(m), [&](const Result<inbox::IngestOutcome>&) {});
    b.inbox->flush();
  };
  auto collect_outbound = [&] {
    store.read([&](const store::ReadTxn& r) {
      r.scan(store::Table::channel_outbox, {}, [&](std::string_view k, std::string_view) {
        outbound.push_back(from_be64(k));
        return true;
      });
    });
  };
  for (int i = 0; i < kNew + kKnown; ++i) {
    const bool fresh = i < kNew;
    const std::string sender = "+4477009" + std::to_string(fresh ? i : i - kNew);
    charge(store, fresh ? ingest_new : ingest_known, [&] { ingest_one(i, sender); });
    // As in the field, the broker acknowledges events a moment later: the boundary moves on.
    events.drain();
    charge(store, ack, [&] {
      link.ack_all();
      events.maintain();
    });
  }
  collect_outbound();
  // The bridge has not answered yet: every queued reply is due again (no commit expected).
  mono.advance(10 * 60 * 1000);
  charge(store, resend, [&] { channel.pump(); });
  for (std::uint64_t id : outbound)
    charge(store, delivery,
           [&] { (void)b.inbox->set_outbound_status(id, inbox::OUTBOUND_DELIVERED); });

  // Central's bot: the turn goes out with the ingest, the answer comes back as its own commit.
  bot::BotConfig cfg;
  cfg.external_channels = {"whatsapp"};
  b.inbox->set_bot(std::make_shared<bot::LocalBot>(cfg));
  std::vector<inbox::ExternalBotTurn> turns;
  b.inbox->on_external_bot_turn([&](const inbox::ExternalBotTurn& t) { turns.push_back(t); });
  for (int i = 0; i < 100; ++i)
    ingest_one(kNew + kKnown + i, "+4477009" + std::to_string(i));
  for (const auto& t : turns)
    charge(store, ext_reply, [&] {
      (void)b.inbox->external_bot_reply(t.conversation_id, t.request_id, "reply",
                                        "Your parcel is on its way.", "", "");
    });

  const int inbound = kNew + kKnown;
  std::printf("per commit kind (the service's code on LMDB, one message at a time, %d inbound;\n"
              "tables = the service's own, LMDB adds its main and free-page trees to each):\n",
              inbound);
  print_kind(ingest_new, inbound);
  print_kind(ingest_known, inbound);
  print_kind(ext_reply, static_cast<int>(turns.size()));
  print_kind(delivery, inbound);
  print_kind(ack, inbound);
  std::printf("  %-34s %6d attempts %7.1f KiB written, %d commits\n", resend.name, link.outbound,
              resend.bytes / 1024.0, resend.commits);
  const double per_in =
      (ingest_new.bytes + ingest_known.bytes + delivery.bytes + ack.bytes) / 1024.0 / inbound;
  const double passed_in =
      (ingest_new.passed + ingest_known.passed + delivery.passed + ack.passed) / 1024.0 / inbound;
  std::printf("  all kinds, one message at a time:  %.1f KiB per inbound message (%.1f to write calls)\n",
              per_in, passed_in);
  std::fclose(devnull);
  return 0;
}

// The pages of each tree in the snapshot `txnid` of `file` (sorted), or nothing on failure.
std::map<std::string, std::vector<std::uint64_t>> pages_of(const std::string& file,
                                                           std::uint64_t txnid) {
  auto w = sb::store::walk_data_file(file, txnid, nullptr, false, /*pages=*/true);
  if (!w) {
    std::fprintf(stderr, "%s\n", w.error().message.c_str());
    return {};
  }
  for (auto& [name, pages] : w->pages_of) std::sort(pages.begin(), pages.end());
  return std::move(w->pages_of);
}

std::uint64_t newest_txnid(const std::string& file) {
  auto h = sb::store::check_data_file_header(file);
  return h ? h->txnid : 0;
}

int burst(const std::string& dir, int n, int batch, int contacts) {
  using namespace sb;
  std::filesystem::remove_all(dir);
  bench::BenchInbox b(dir, bench::BenchInbox::Posting::by_hand);
  store::Store& store = b.store();
  const std::string file = dir + "/data.mdb";
  std::map<std::string, std::uint64_t> written;  // pages per table over the measured commits
  std::uint64_t total_pages = 0, bytes = 0, passed = 0;
  int commits = 0, measured = 0;
  std::vector<std::uint64_t> replies;  // bot replies queued by the last commit
  auto queue_ingest = [&](int i) {
    b.inbox->ingest(customer_message("m", i, contacts), [](const Result<inbox::IngestOutcome>&) {});
  };
  auto outbox_now = [&] {
    std::vector<std::uint64_t> ids;
    store.read([&](const store::ReadTxn& r) {
      r.scan(store::Table::channel_outbox, {}, [&](std::string_view k, std::string_view) {
        ids.push_back(from_be64(k));
        return true;
      });
    });
    return ids;
  };
  std::set<std::uint64_t> answered;
  // A first pass of contacts, as the field's store already knows them, is not measured.
  for (int i = 0; i < n + contacts; i += batch) {
    const bool measure = i >= contacts;
    for (int j = i; j < std::min(i + batch, n + contacts); ++j) queue_ingest(j);
    for (std::uint64_t id : replies)
      if (answered.insert(id).second)
        b.inbox->set_outbound_status_later(id, inbox::OUTBOUND_DELIVERED, "",
                                           [](const Result<void>&) {});
    const std::uint64_t before = newest_txnid(file);
    const std::uint64_t b0 = written_bytes(), w0 = syscall_bytes();
    b.inbox->flush();
    const std::uint64_t db = written_bytes() - b0, dw = syscall_bytes() - w0;
    const std::uint64_t after = newest_txnid(file);
    replies = outbox_now();
    if (!measure) continue;
    bytes += db;
    passed += dw;
    measured += std::min(batch, n + contacts - i);
    if (after != before + 1) {
      commits += static_cast<int>(after - before);
      continue;  // a deferred batch or two commits: pages not attributable pairwise
    }
    ++commits;
    auto old_pages = pages_of(file, before), new_pages = pages_of(file, after);
    for (auto& [name, pages] : new_pages) {
      const auto& was = old_pages[name];
      std::vector<std::uint64_t> fresh;
      std::set_difference(pages.begin(), pages.end(), was.begin(), was.end(),
                          std::back_inserter(fresh));
      // A page that moved from one tree to another counts for the tree it is in now.
      written[name] += fresh.size();
      total_pages += fresh.size();
    }
  }
  std::printf("burst: %d messages from %d contacts (each known), %d per commit, %d commits, with "
              "the last commit's bot replies DELIVERED in each\n",
              measured, contacts, batch, commits);
  std::printf("  %.1f KiB/msg written (%.1f to write calls), %.1f pages per commit (+2 meta "
              "writes)\n",
              bytes / 1024.0 / measured, passed / 1024.0 / measured,
              commits ? static_cast<double>(total_pages) / commits : 0.0);
  std::vector<std::pair<std::uint64_t, std::string>> rows;
  for (auto& [name, pages] : written) rows.push_back({pages, name});
  std::sort(rows.rbegin(), rows.rend());
  for (auto& [pages, name] : rows)
    if (pages)
      std::printf("  %-28s %7.1f pages/commit %5.1f%%\n", name.c_str(),
                  static_cast<double>(pages) / commits, 100.0 * pages / total_pages);
  return 0;
}

// N messages from CONTACTS contacts through the inbox, 500 per commit (bot replies included).
void fill_history(sb::bench::BenchInbox& b, int n, int contacts) {
  using namespace sb;
  for (int i = 0; i < n; i += 500) {
    for (int j = i; j < std::min(i + 500, n); ++j) {
      b.inbox->ingest(customer_message("h", j, contacts),
                      [](const Result<inbox::IngestOutcome>&) {});
    }
    b.inbox->flush();
  }
}

std::vector<std::uint64_t> conversation_ids(const sb::store::Store& store) {
  std::vector<std::uint64_t> ids;
  store.read([&](const sb::store::ReadTxn& r) {
    r.scan(sb::store::Table::conversations, {}, [&](std::string_view k, std::string_view) {
      ids.push_back(sb::from_be64(k));
      return true;
    });
  });
  return ids;
}

int history(const std::string& dir, int n, int contacts) {
  using namespace sb;
  std::filesystem::remove_all(dir);
  bench::BenchInbox b(dir, bench::BenchInbox::Posting::by_hand);
  fill_history(b, n, contacts);
  const auto convs = conversation_ids(b.store());
  std::vector<double> per;
  std::size_t read = 0;
  double total_ms = 0;
  for (int round = 0; round < 5; ++round)
    for (std::uint64_t conv : convs) {
      const auto t0 = bench::Steady::now();
      read += b.inbox->history(conv).size();
      const double ms = bench::ms_since(t0);
      total_ms += ms;
      per.push_back(ms * 1000);
    }
  std::printf("history: %d messages from %d contacts, %zu conversations, %.1f messages per "
              "history read\n",
              n, contacts, convs.size(), static_cast<double>(read) / per.size());
  std::printf("  per history: p50 %.1f us, p99 %.1f us; %.0f ns per message read\n",
              bench::percentile(per, 0.5), bench::percentile(per, 0.99),
              total_ms * 1e6 / static_cast<double>(read));
  return 0;
}

int upgrade(const std::string& dir, int n, int contacts) {
#ifdef WEAR_PROBE_UPGRADE
  using namespace sb;
  std::filesystem::remove_all(dir);
  {
    bench::BenchInbox b(dir, bench::BenchInbox::Posting::by_hand);
    fill_history(b, n, contacts);
  }
  // The older layout, as a version 2 build wrote it: keyed by conversation, an index beside.
  auto st = store::Store::open(dir).value();
  for (bool more = true; more;) {
    more = false;
    (void)st->write([&](store::WriteTxn& w) -> Result<void> {
      std::vector<std::string> batch;
      w.scan(store::Table::messages, {}, [&](std::string_view, std::string_view v) {
        batch.emplace_back(v);
        return batch.size() < 20000;
      });
      for (const auto& v : batch) {
        inbox::Message m;
        m.ParseFromString(v);
        w.del(store::Table::messages, be64(m.id()));
        m.clear_previous_id();
        w.put_proto(store::Table::messages_v2, be64(m.conversation_id()) + be64(m.id()), m);
        w.put(store::Table::message_index, be64(m.id()), be64(m.conversation_id()));
      }
      more = batch.size() == 20000;
      return {};
    });
  }
  (void)st->write([&](store::WriteTxn& w) -> Result<void> {
    for (std::uint64_t id : conversation_ids(*st)) {
      inbox::Conversation c;
      if (!w.get_proto(store::Table::conversations, be64(id), c)) continue;
      c.clear_newest_message_id();
      w.put_proto(store::Table::conversations, be64(id), c);
    }
    w.put(store::Table::meta, "schema_version", be64(2));
    return {};
  });
  st.reset();
  const auto t0 = bench::Steady::now();
  st = store::Store::open(dir).value();
  auto moved = inbox::upgrade_message_layout(*st);
  const double ms = bench::ms_since(t0);
  if (!moved) {
    std::fprintf(stderr, "upgrade: %s\n", moved.error().message.c_str());
    return 1;
  }
  std::printf("upgrade: %llu messages moved to the id-keyed layout in %.0f ms (%.0f msgs/s), "
              "%llu commits of 4,096\n",
              static_cast<unsigned long long>(*moved), ms, *moved / (ms / 1000),
              static_cast<unsigned long long>(*moved / 4096 + 1));
  return 0;
#else
  (void)dir, (void)n, (void)contacts;
  std::fprintf(stderr, "upgrade: this build has one message layout\n");
  return 2;
#endif
}

int exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "sqlite: %s: %s\n", sql, err ? err : "?");
    sqlite3_free(err);
    return 1;
  }
  return 0;
}

int sqlite_rows(const std::string& dir, int n, int batch) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/wear.db";
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return std::fprintf(stderr, "cannot open %s\n", path.c_str()), 1;
  if (exec(db, "PRAGMA journal_mode=WAL") || exec(db, "PRAGMA synchronous=FULL") ||
      exec(db, "CREATE TABLE conversation(id INTEGER PRIMARY KEY, channel TEXT, contact TEXT,"
               " status TEXT, updated_at INTEGER, last_text TEXT, UNIQUE(channel, contact))") ||
      exec(db, "CREATE TABLE message(id INTEGER PRIMARY KEY, conversation INTEGER,"
               " external_id TEXT UNIQUE, author TEXT, text TEXT, at INTEGER)") ||
      exec(db, "CREATE TABLE event(seq INTEGER PRIMARY KEY, kind INTEGER, body BLOB)"))
    return 1;
  const std::uint64_t b0 = written_bytes(), w0 = syscall_bytes();
  sqlite3_stmt *conv, *msg, *ev;
  sqlite3_prepare_v2(db,
                     "INSERT INTO conversation(channel, contact, status, updated_at, last_text)"
                     " VALUES('whatsapp', ?1, 'bot', ?2, ?3) ON CONFLICT(channel, contact) DO"
                     " UPDATE SET updated_at = ?2, last_text = ?3 RETURNING id",
                     -1, &conv, nullptr);
  sqlite3_prepare_v2(db,
                     "INSERT INTO message(conversation, external_id, author, text, at)"
                     " VALUES(?1, ?2, 'contact', ?3, ?4)",
                     -1, &msg, nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO event(kind, body) VALUES(2, ?1)", -1, &ev, nullptr);
  const std::string body(160, 'e');  // about the size of a message_in Event
  for (int i = 0; i < n; ++i) {
    if (i % batch == 0) exec(db, "BEGIN");
    const std::string contact = "+4477009" + std::to_string(i < n / 2 ? i : i - n / 2);
    const std::string text = text_of(i), eid = "x" + std::to_string(i);
    sqlite3_bind_text(conv, 1, contact.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(conv, 2, i);
    sqlite3_bind_text(conv, 3, text.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(conv);
    const sqlite3_int64 id = sqlite3_column_int64(conv, 0);
    sqlite3_reset(conv);
    sqlite3_bind_int64(msg, 1, id);
    sqlite3_bind_text(msg, 2, eid.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(msg, 3, text.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(msg, 4, i);
    sqlite3_step(msg);
    sqlite3_reset(msg);
    sqlite3_bind_blob(ev, 1, body.data(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
    sqlite3_step(ev);
    sqlite3_reset(ev);
    if (i % batch == batch - 1 || i == n - 1) exec(db, "COMMIT");
  }
  sqlite3_finalize(conv);
  sqlite3_finalize(msg);
  sqlite3_finalize(ev);
  sqlite3_close(db);  // the last connection checkpoints the WAL into the database: counted
  std::printf("%.1f %.1f\n", (written_bytes() - b0) / 1024.0 / n, (syscall_bytes() - w0) / 1024.0 / n);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "kinds" && argc == 3) return kinds(argv[2]);
  if (mode == "burst" && argc == 6)
    return burst(argv[2], std::atoi(argv[3]), std::max(1, std::atoi(argv[4])),
                 std::max(1, std::atoi(argv[5])));
  if ((mode == "history" || mode == "upgrade") && argc == 5)
    return (mode == "history" ? history : upgrade)(argv[2], std::max(1, std::atoi(argv[3])),
                                                   std::max(1, std::atoi(argv[4])));
  if (mode == "sqlite" && argc == 5) return sqlite_rows(argv[2], std::atoi(argv[3]), std::max(1, std::atoi(argv[4])));
  std::fprintf(stderr, "usage: wear_probe kinds DIR | wear_probe burst DIR N BATCH CONTACTS | "
                       "wear_probe history|upgrade DIR N CONTACTS | wear_probe sqlite DIR N BATCH\n");
  return 2;
}
