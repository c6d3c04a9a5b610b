// services/store/store.h — the one LMDB environment of a gateway and its named tables.
//
// Promises: a write() that returns ok has been committed durably (LMDB's default sync on
// commit), except what it deferred (put_deferred: see there); a write() that fails has changed
// nothing. When the map is full the map is grown and the write retried, up to `max_map_bytes`
// (capped on 32-bit gateways) and never past what the disk under it can hold; a disk that is
// really full (ENOSPC) fails the write with a clear error while reads keep working. Single writer:
// one process runs the service; other processes (export, backup) only read.
#pragma once

#include <lmdb.h>

#include <atomic>
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "base/result.h"

namespace google::protobuf {
class MessageLite;
}

namespace sb::store {

enum class Table : int {
  meta,              // schema version and counters
  conversations,     // be64(id) -> records.Conversation
  conv_by_contact,   // channel \0 contact -> be64(current conversation id)
  messages,          // be64(message id) -> records.Message (names its conversation's previous one)
  message_index,     // version 2 and older: be64(message id) -> be64(conversation id); emptied
  dedupe,            // channel \0 external id -> be64(message id) be64(event seq)
  events,            // be64(seq) -> v1.Event: the sync outbox and, once acknowledged, the replay log
  channel_outbox,    // be64(message id) -> records.ChannelOutboxEntry
  departments,       // id -> records.Department
  agents,            // id -> records.Agent
  users,             // name -> records.User
  dead_letters,      // be64(at) be64(n) -> records.DeadLetter
  sms_parts,         // sender \0 be64(ref) be64(seq) -> part text (multipart reassembly)
  settings,          // name -> value (config pushed from central, setup state)
  // Agent workflow:
  search_terms,      // term \0 be64(message id) -> "" (inverted index, written with the message)
  contact_terms,     // term \0 be64(contact id) -> "" (contact names and addresses)
  contacts,          // be64(contact id) -> records.Contact
  contact_by_address,     // channel \0 address -> be64(contact id)
  contact_conversations,  // be64(contact id) be64(conversation id) -> ""
  route_queue,       // department \0 be32(~priority) be64(queued at) be64(conv) -> ""
  agent_load,        // agent \0 be64(conversation id) -> "" (assigned conversations)
  awaiting_reply,    // be64(since) be64(conversation id) -> "" (a human reply is owed)
  canned_replies,    // shortcut -> records.CannedReply
  sessions,          // SHA-256(token) hex -> records.AdminSession (admin page logins)
  audit,             // be64(n) -> records.AuditEntry (who did what, from where; bounded)
  snooze_due,        // be64(until) be64(conversation id) -> "" (timed snoozes, to wake them)
  idle_since,        // be64(quiet since) be64(conversation id) -> "" (to auto-close the quiet)
  messages_v2,       // version 2 and older: be64(conversation id) be64(message id) -> Message;
                     // moved into `messages` at the first writable open, then empty
  count_
};

// Version 2 keeps search postings in blocks. A version 1 file (one entry per posting) opens and
// is marked 2 at its first writable open, because from then on this build writes blocks there;
// a build that reads only version 1 then refuses the file with one line instead of answering
// searches wrongly. Version 3 keys messages by their own id (new ones append at the table's
// tail) and chains each conversation's history through them; an older file is marked 3 at its
// first writable open, and the owner of the messages moves them over (a build that reads only
// version 2 would otherwise show empty histories).
constexpr int kSchemaVersion = 3;
constexpr int kOldestSchemaVersion = 1;

// The table's name in the LMDB file ("messages", "search_terms", ...).
const char* table_name(Table t);

// Deferred writes, waiting in memory for the commit that carries them all at once.
struct Deferred {
  std::array<std::map<std::string, std::string, std::less<>>, static_cast<int>(Table::count_)>
      tables;
  std::size_t entries = 0;
};

// A table a read-only Store found missing from an older file: read as empty.
constexpr unsigned kAbsentTable = ~0u;

class ReadTxn {
 public:
  std::optional<std::string_view> get(Table t, std::string_view key) const;
  bool get_proto(Table t, std::string_view key, google::protobuf::MessageLite& into) const;
  // Visits entries with key >= from in key order until `visit` returns false.
  void scan(Table t, std::string_view from,
            const std::function<bool(std::string_view key, std::string_view value)>& visit) const;
  // Visits entries with key <= from in reverse key order until `visit` returns false.
  void scan_back(Table t, std::string_view from,
                 const std::function<bool(std::string_view key, std::string_view value)>& visit)
      const;
  // Entries committed to the file (deferred ones not counted).
  std::size_t entries(Table t) const;
  // The first LMDB failure any read met (0: none). A damaged page (MDB_CORRUPTED,
  // MDB_PAGE_NOTFOUND) ends a scan early; it is recorded here, never taken for the end of the
  // data, and Store::read() then answers false.
  int rc() const { return rc_; }

 protected:
  friend class Store;
  ReadTxn(MDB_txn* txn, const unsigned* dbis, const Deferred* deferred)
      : txn_(txn), dbis_(dbis), deferred_(deferred) {}
  void note(int rc) const {
    if (rc != 0 && rc != MDB_NOTFOUND && rc_ == 0) rc_ = rc;
  }
  const std::map<std::string, std::string, std::less<>>* waiting(Table t) const;
  MDB_txn* txn_;
  const unsigned* dbis_;
  const Deferred* deferred_;
  mutable int rc_ = 0;
};

// Writes record the first LMDB failure; Store::write() turns it into the result (and grows
// the map and replays the whole transaction on MDB_MAP_FULL), so callers need not check each.
class WriteTxn : public ReadTxn {
 public:
  void put(Table t, std::string_view key, std::string_view value);
  void put_proto(Table t, std::string_view key, const google::protobuf::MessageLite& value);
  bool del(Table t, std::string_view key);
  std::uint64_t next_id(std::string_view counter);  // 1, 2, 3 … kept in `meta`
  std::uint64_t peek_counter(std::string_view counter) const;
  void set_counter(std::string_view counter, std::uint64_t value);
  // Puts `key` -> `value` into `t` with a later commit that gathers many such puts, so a table
  // that many commits would each touch a little (an inverted index) is written in batches. Only
  // for what can be rebuilt from durable data: a crash loses the deferred puts of the last
  // batch. Once this transaction commits they are seen by every read of this Store (never by
  // other processes); a transaction that fails defers nothing.
  void put_deferred(Table t, std::string_view key, std::string_view value);
  // Puts and deletes so far (deferred ones too): a caller sharing this transaction among many
  // writers tells from it whether one that failed had already written.
  std::uint64_t writes() const { return writes_; }
  // From here on this transaction's reads see the file and its own writes, not the deferred puts.
  void read_file_only() { deferred_ = nullptr; }

 private:
  friend class Store;
  using ReadTxn::ReadTxn;
  void touch(Table t) { touched_ |= 1u << static_cast<int>(t); }
  std::uint32_t touched_ = 0;  // the tables this transaction changed, one bit each
  std::uint64_t writes_ = 0;
  std::vector<std::tuple<Table, std::string, std::string>> staged_;  // put_deferred
};
static_assert(static_cast<int>(Table::count_) <= 32, "WriteTxn::touched_ holds one bit a table");

// Writes one table's deferred puts when their batch is flushed, instead of putting each as it is
// (a table that packs many small entries into fewer, bigger ones). `file` reads and writes the
// file alone (deferred entries hidden); `waiting` holds the batch's puts in key order.
using DeferredWriter = void (*)(WriteTxn& file,
                                const std::map<std::string, std::string, std::less<>>& waiting);

// What the writes cost, for benchmarks and metrics: each table a commit changes rewrites its
// root-to-leaf path (LMDB copies on write), so tables per commit is what flash pays for.
struct WriteStats {
  std::uint64_t commits = 0;              // commits that changed something
  std::uint64_t tables_touched = 0;       // summed over those commits
  std::uint32_t last_tables = 0;          // bit mask of the last such commit's tables
};

struct StoreOptions {
  std::uint64_t initial_map_bytes = 64ull << 20;
  std::uint64_t max_map_bytes = sizeof(void*) == 4 ? (1ull << 30) : (64ull << 30);
  bool read_only = false;
  // Walk every page of data.mdb (with plain reads) at open, so a damaged file is refused
  // before anything reads it. The header is always checked. Off by default: the walk reads the
  // whole file (seconds for a big store on flash), so the service runs it beside its start
  // (check_pages()) while export, backup and verify, which read everything anyway, ask for it.
  bool check_pages = false;
  // Deferred puts (WriteTxn::put_deferred) are written once this many wait (and at close):
  // the memory they hold, and what a crash makes the owner rebuild, are bounded by it.
  std::size_t deferred_batch = 4096;
};

class Store {
 public:
  // Refuses a damaged data.mdb with an error reading "<dir>/data.mdb is damaged: <why>" before
  // LMDB maps it (a file shorter than its header says would otherwise be SIGBUS). LMDB's own
  // assertions, which abort, are turned into that one line on stderr and exit status 1.
  static Result<std::unique_ptr<Store>> open(const std::string& dir, StoreOptions options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Runs `fn` in one write transaction and commits it durably. `fn` may run more than once
  // (after the map grows), so it must only change state through the transaction.
  Result<void> write(const std::function<Result<void>(WriteTxn&)>& fn);
  // Runs `fn` in a read snapshot. False when no snapshot can be had (every reader slot taken,
  // or the environment broken; `fn` not run), or when `fn`'s reads met a damaged page (what
  // `fn` saw is then partial: ReadTxn::rc() says why; data_file_error() words it).
  bool read(const std::function<void(const ReadTxn&)>& fn) const;

  // A consistent compacted copy into `dest_dir` (created if missing), while writers go on.
  Result<void> backup(const std::string& dest_dir) const;

  // "<dir>/data.mdb is damaged: …" for LMDB's damage codes, else the LMDB message.
  std::string data_file_error(int rc) const;
  // Every table read end to end with LMDB's cursors, as the service would; the entries read.
  Result<std::uint64_t> read_all_tables() const;

  std::uint64_t map_bytes() const { return map_bytes_; }
  std::uint64_t used_bytes() const;
  const std::string& dir() const { return dir_; }
  // Set when the last write failed for lack of disk (ingest refuses until a write succeeds).
  bool disk_full() const { return disk_full_; }
  const WriteStats& write_stats() const { return stats_; }
  std::size_t deferred_waiting() const { return deferred_.entries; }
  // From now on `t`'s deferred puts reach the file through `writer` (see DeferredWriter).
  void set_deferred_writer(Table t, DeferredWriter writer) {
    deferred_writers_[static_cast<int>(t)] = writer;
  }

  // Walks every page of data.mdb under a read snapshot (see data_file.h); the error reads
  // "<dir>/data.mdb is damaged: …". Safe on any thread; `cancel` stops it early.
  Result<void> check_pages(const std::atomic<bool>* cancel = nullptr) const;

 private:
  Store() = default;
  // How big data.mdb could become: its size plus the free space under it (nullopt: unknown).
  std::optional<std::uint64_t> disk_room() const;
  MDB_env* env_ = nullptr;
  unsigned dbis_[static_cast<int>(Table::count_)] = {};
  std::string dir_;
  StoreOptions options_;
  std::uint64_t map_bytes_ = 0;
  bool disk_full_ = false;
  WriteStats stats_;
  Deferred deferred_;
  std::array<DeferredWriter, static_cast<int>(Table::count_)> deferred_writers_{};
  bool flush_deferred_now_ = false;  // at close: write what waits, however little
};

}  // namespace sb::store
