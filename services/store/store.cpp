#include "services/store/store.h"

#include <google/protobuf/message_lite.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "services/common/bytes.h"
#include "services/store/data_file.h"

namespace sb::store {
namespace {

constexpr const char* kTableNames[] = {
    "meta",   "conversations", "conv_by_contact", "messages_by_id",  "message_index",
    "dedupe", "events",        "channel_outbox",  "departments", "agents",
    "users",  "dead_letters",  "sms_parts",       "settings",
    // Agent workflow
    "search_terms", "contact_terms", "contacts", "contact_by_address", "contact_conversations",
    "route_queue", "agent_load", "awaiting_reply", "canned_replies",
    "sessions", "audit", "snooze_due", "idle_since",
    // Older layouts, read while they are converted
    "messages"};
static_assert(std::size(kTableNames) == static_cast<std::size_t>(Table::count_));

MDB_val val(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
std::string_view view(const MDB_val& v) { return {static_cast<const char*>(v.mv_data), v.mv_size}; }
Error lmdb_error(std::string_view what, int rc) {
  return fail(std::string(what) + ": " + mdb_strerror(rc), ErrorCode::storage);
}

bool is_damage(int rc) {
  return rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND || rc == MDB_INVALID ||
         rc == MDB_VERSION_MISMATCH;
}

std::string damaged_line(const std::string& dir, std::string_view why) {
  return dir + "/data.mdb is damaged: " + std::string(why) +
         "; stop the service and restore the last backup";
}

// LMDB calls abort() right after this returns; a damaged file is the one way a correct program
// gets here, so say that once, plainly, and end with the runtime-failure status instead.
void on_lmdb_assert(MDB_env* env, const char* msg) {
  const char* path = nullptr;
  mdb_env_get_path(env, &path);
  std::string line = damaged_line(path ? path : "(database)",
                                  std::string("LMDB stopped on ") + (msg ? msg : "?")) +
                     "\n";
  (void)!::write(2, line.data(), line.size());
  ::_exit(1);
}

}  // namespace

const char* table_name(Table t) { return kTableNames[static_cast<int>(t)]; }

const std::map<std::string, std::string, std::less<>>* ReadTxn::waiting(Table t) const {
  if (!deferred_ || deferred_->entries == 0) return nullptr;
  const auto& m = deferred_->tables[static_cast<int>(t)];
  return m.empty() ? nullptr : &m;
}

std::optional<std::string_view> ReadTxn::get(Table t, std::string_view key) const {
  if (const auto* m = waiting(t)) {
    if (auto it = m->find(key); it != m->end()) return std::string_view(it->second);
  }
  if (dbis_[static_cast<int>(t)] == kAbsentTable) return std::nullopt;
  MDB_val k = val(key), v;
  int rc = mdb_get(txn_, dbis_[static_cast<int>(t)], &k, &v);
  note(rc);
  if (rc != 0) return std::nullopt;
  return view(v);
}

bool ReadTxn::get_proto(Table t, std::string_view key,
                        google::protobuf::MessageLite& into) const {
  auto v = get(t, key);
  return v && into.ParseFromArray(v->data(), static_cast<int>(v->size()));
}

void ReadTxn::scan(Table t, std::string_view from,
                   const std::function<bool(std::string_view, std::string_view)>& visit) const {
  if (dbis_[static_cast<int>(t)] == kAbsentTable) return;  // read-only: only writers create
  MDB_cursor* c = nullptr;
  if (int orc = mdb_cursor_open(txn_, dbis_[static_cast<int>(t)], &c); orc != 0) {
    note(orc);
    return;
  }
  MDB_val k = val(from), v;
  int rc = from.empty() ? mdb_cursor_get(c, &k, &v, MDB_FIRST)
                        : mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
  if (const auto* m = waiting(t)) {
    // Deferred puts and the file, merged in key order; a deferred put hides the file's entry.
    auto it = m->lower_bound(from);
    for (;;) {
      const bool file = rc == 0, mem = it != m->end();
      if (!file && !mem) break;
      if (mem && (!file || std::string_view(it->first) <= view(k))) {
        if (file && std::string_view(it->first) == view(k)) rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
        if (!visit(it->first, it->second)) break;
        ++it;
      } else {
        if (!visit(view(k), view(v))) break;
        rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
      }
    }
  } else {
    while (rc == 0 && visit(view(k), view(v))) rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
  }
  note(rc);
  mdb_cursor_close(c);
}

void ReadTxn::scan_back(Table t, std::string_view from,
                        const std::function<bool(std::string_view, std::string_view)>& visit)
    const {
  if (dbis_[static_cast<int>(t)] == kAbsentTable) return;
  MDB_cursor* c = nullptr;
  if (int orc = mdb_cursor_open(txn_, dbis_[static_cast<int>(t)], &c); orc != 0) {
    note(orc);
    return;
  }
  MDB_val k = val(from), v;
  int rc;
  if (from.empty()) {
    rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
  } else {
    rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    if (rc == MDB_NOTFOUND) {
      rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
    } else if (rc == 0 && view(k) > from) {
      rc = mdb_cursor_get(c, &k, &v, MDB_PREV);
    }
  }
  if (const auto* m = waiting(t)) {
    // As scan, backwards: `it` is one past the next deferred entry to visit.
    auto it = from.empty() ? m->end() : m->upper_bound(from);
    for (;;) {
      const bool file = rc == 0, mem = it != m->begin();
      if (!file && !mem) break;
      if (mem && (!file || std::string_view(std::prev(it)->first) >= view(k))) {
        --it;
        if (file && std::string_view(it->first) == view(k)) rc = mdb_cursor_get(c, &k, &v, MDB_PREV);
        if (!visit(it->first, it->second)) break;
      } else {
        if (!visit(view(k), view(v))) break;
        rc = mdb_cursor_get(c, &k, &v, MDB_PREV);
      }
    }
  } else {
    while (rc == 0 && visit(view(k), view(v))) rc = mdb_cursor_get(c, &k, &v, MDB_PREV);
  }
  note(rc);
  mdb_cursor_close(c);
}

std::size_t ReadTxn::entries(Table t) const {
  if (dbis_[static_cast<int>(t)] == kAbsentTable) return 0;
  MDB_stat st;
  if (int rc = mdb_stat(txn_, dbis_[static_cast<int>(t)], &st); rc != 0) {
    note(rc);
    return 0;
  }
  return st.ms_entries;
}

void WriteTxn::put(Table t, std::string_view key, std::string_view value) {
  if (rc_) return;
  touch(t);
  ++writes_;
  MDB_val k = val(key), v = val(value);
  rc_ = mdb_put(txn_, dbis_[static_cast<int>(t)], &k, &v, 0);
}

void WriteTxn::put_proto(Table t, std::string_view key,
                         const google::protobuf::MessageLite& value) {
  put(t, key, value.SerializeAsString());
}

bool WriteTxn::del(Table t, std::string_view key) {
  if (rc_) return false;
  MDB_val k = val(key);
  int rc = mdb_del(txn_, dbis_[static_cast<int>(t)], &k, nullptr);
  if (rc == 0) {
    touch(t);
    ++writes_;
  }
  note(rc);
  return rc == 0;
}

void WriteTxn::put_deferred(Table t, std::string_view key, std::string_view value) {
  staged_.emplace_back(t, std::string(key), std::string(value));
  ++writes_;
}

std::uint64_t WriteTxn::peek_counter(std::string_view counter) const {
  auto v = get(Table::meta, counter);
  return v ? from_be64(*v) : 0;
}

void WriteTxn::set_counter(std::string_view counter, std::uint64_t value) {
  put(Table::meta, counter, be64(value));
}

std::uint64_t WriteTxn::next_id(std::string_view counter) {
  std::uint64_t n = peek_counter(counter) + 1;
  set_counter(counter, n);
  return n;
}

Result<std::unique_ptr<Store>> Store::open(const std::string& dir, StoreOptions options) {
  std::error_code ec;
  if (!options.read_only) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail("cannot create storage dir " + dir + ": " + ec.message());
  } else if (!std::filesystem::exists(dir + "/data.mdb")) {
    return fail("no database in " + dir);
  }
  // LMDB maps the file on trust: check it against its own header first.
  const std::string file = dir + "/data.mdb";
  if (std::filesystem::exists(file)) {
    auto header = check_data_file_header(file);
    if (!header) return fail(header.error().message + "; stop the service and restore the last backup");
    // Opening the tables reads the main tree: a damaged one would be a signal in LMDB, so it is
    // checked here even when the whole-file walk runs later, beside the start. Only a writer's
    // open: being the one writer, nothing changes the file under this unlocked read.
    if (!options.check_pages && !options.read_only) {
      auto catalog = walk_data_file(file, 0, nullptr, /*catalog_only=*/true);
      if (!catalog) return fail(catalog.error().message + "; stop the service and restore the last backup");
    }
  }
  std::unique_ptr<Store> s(new Store());
  s->dir_ = dir;
  s->options_ = options;
  int rc = mdb_env_create(&s->env_);
  if (rc) return lmdb_error("mdb_env_create", rc);
  mdb_env_set_assert(s->env_, on_lmdb_assert);
  mdb_env_set_maxdbs(s->env_, static_cast<MDB_dbi>(Table::count_) + 2);
  mdb_env_set_maxreaders(s->env_, 64);
  // The map size is a ceiling on the file, not an allocation. A bigger existing file wins.
  mdb_env_set_mapsize(s->env_, options.initial_map_bytes);
  unsigned flags = MDB_NOTLS | (options.read_only ? MDB_RDONLY : 0u);
  rc = mdb_env_open(s->env_, dir.c_str(), flags, 0640);
  if (rc && is_damage(rc)) return fail(damaged_line(dir, mdb_strerror(rc)));
  if (rc) return lmdb_error("cannot open database in " + dir, rc);
  if (options.check_pages) {
    if (auto r = s->check_pages(); !r) return r.error();
  }
  MDB_envinfo info;
  mdb_env_info(s->env_, &info);
  s->map_bytes_ = info.me_mapsize;

  MDB_txn* txn = nullptr;
  rc = mdb_txn_begin(s->env_, nullptr, options.read_only ? MDB_RDONLY : 0, &txn);
  if (rc) return fail(s->data_file_error(rc));
  for (int i = 0; i < static_cast<int>(Table::count_); ++i) {
    rc = mdb_dbi_open(txn, kTableNames[i], options.read_only ? 0 : MDB_CREATE, &s->dbis_[i]);
    if (rc == MDB_NOTFOUND && options.read_only) {
      // A table newer than the file (the service creates it on its next start): empty to a
      // reader such as export or verify run after an upgrade.
      s->dbis_[i] = kAbsentTable;
      continue;
    }
    if (rc) {
      mdb_txn_abort(txn);
      if (is_damage(rc)) return fail(s->data_file_error(rc));
      return lmdb_error(std::string("table ") + kTableNames[i], rc);
    }
  }
  MDB_val k = val("schema_version"), v;
  if (mdb_get(txn, s->dbis_[0], &k, &v) == 0) {
    std::uint64_t version = from_be64(view(v));
    if (version < kOldestSchemaVersion || version > kSchemaVersion) {
      mdb_txn_abort(txn);
      return fail("database in " + dir + " has schema version " + std::to_string(version) +
                  ", this build reads versions " + std::to_string(kOldestSchemaVersion) + " to " +
                  std::to_string(kSchemaVersion));
    }
    if (version < kSchemaVersion && !options.read_only) {
      std::string ver = be64(kSchemaVersion);
      MDB_val nv = val(ver);
      mdb_put(txn, s->dbis_[0], &k, &nv, 0);
    }
  } else if (!options.read_only) {
    std::string ver = be64(kSchemaVersion);
    MDB_val nv = val(ver);
    mdb_put(txn, s->dbis_[0], &k, &nv, 0);
  }
  // Committing (read-only too) is what makes the table handles outlive this transaction.
  rc = mdb_txn_commit(txn);
  if (rc) return lmdb_error("cannot initialise database", rc);
  return s;
}

Store::~Store() {
  if (env_ && deferred_.entries && !options_.read_only) {
    // A clean close leaves nothing for the owner to rebuild; if this fails, it rebuilds.
    flush_deferred_now_ = true;
    (void)write([](WriteTxn&) -> Result<void> { return {}; });
  }
  if (env_) mdb_env_close(env_);
}

Result<void> Store::write(const std::function<Result<void>(WriteTxn&)>& fn) {
  if (options_.read_only) return fail("database opened read-only", ErrorCode::storage);
  for (;;) {
    MDB_txn* txn = nullptr;
    int rc = mdb_txn_begin(env_, nullptr, 0, &txn);
    if (rc) return lmdb_error("begin write", rc);
    WriteTxn w(txn, dbis_, &deferred_);
    Result<void> r = fn(w);
    if (!r.ok() && w.rc() == 0) {
      mdb_txn_abort(txn);
      return r;
    }
    // The deferred puts ride on this commit once enough wait, all of them in one go.
    const bool flush = w.rc() == 0 && (deferred_.entries + w.staged_.size() >= options_.deferred_batch ||
                                       (flush_deferred_now_ && deferred_.entries + w.staged_.size()));
    if (flush) {
      std::array<std::map<std::string, std::string, std::less<>>, static_cast<int>(Table::count_)>
          batch;  // only for tables with a writer: the waiting puts and this transaction's
      for (const auto& [t, key, value] : w.staged_)
        if (deferred_writers_[static_cast<int>(t)]) batch[static_cast<int>(t)][key] = value;
      for (int t = 0; t < static_cast<int>(Table::count_); ++t) {
        if (!deferred_writers_[t]) {
          for (const auto& [key, value] : deferred_.tables[t]) w.put(static_cast<Table>(t), key, value);
          continue;
        }
        if (deferred_.tables[t].empty() && batch[t].empty()) continue;
        batch[t].insert(deferred_.tables[t].begin(), deferred_.tables[t].end());  // staged win
        WriteTxn file(txn, dbis_, nullptr);
        file.rc_ = w.rc_;
        deferred_writers_[t](file, batch[t]);
        w.rc_ = file.rc_;
        w.touched_ |= file.touched_;
        w.writes_ += file.writes_;
      }
      for (const auto& [t, key, value] : w.staged_)
        if (!deferred_writers_[static_cast<int>(t)]) w.put(t, key, value);
    }
    rc = w.rc() ? w.rc() : mdb_txn_commit(txn);
    if (w.rc()) mdb_txn_abort(txn);
    if (rc == 0) {
      disk_full_ = false;
      if (flush) {
        for (auto& m : deferred_.tables) m.clear();
        deferred_.entries = 0;
      } else {
        for (auto& [t, key, value] : w.staged_) {
          auto [it, fresh] = deferred_.tables[static_cast<int>(t)].insert_or_assign(
              std::move(key), std::move(value));
          if (fresh) deferred_.entries++;
        }
      }
      if (w.touched_) {
        stats_.commits++;
        stats_.tables_touched += static_cast<unsigned>(__builtin_popcount(w.touched_));
        stats_.last_tables = w.touched_;
      }
      return {};
    }
    if (rc == MDB_MAP_FULL && map_bytes_ < options_.max_map_bytes) {
      std::uint64_t next = std::min(map_bytes_ * 2, options_.max_map_bytes);
      // The map is only a ceiling, but a ceiling above what the disk can hold lets a big
      // transaction dirty pages that can never be written: grow no further than the file plus
      // the free space under it.
      if (auto room = disk_room(); room && next > *room) {
        if (*room <= map_bytes_) {
          disk_full_ = true;
          return fail("disk full: the database (" + std::to_string(map_bytes_ >> 20) +
                          " MiB map) cannot grow on " + dir_ + "; refusing new writes",
                      ErrorCode::disk_full);
        }
        next = *room;
      }
      int grc = mdb_env_set_mapsize(env_, next);
      if (grc) return lmdb_error("cannot grow the database map", grc);
      map_bytes_ = next;
      continue;  // replay the whole transaction in the bigger map
    }
    // A full disk shows as ENOSPC, or as EIO from LMDB's short write: ask the filesystem.
    if (rc == ENOSPC || rc == EDQUOT || rc == EIO) {
      struct statvfs fs;
      if (statvfs(dir_.c_str(), &fs) == 0) {
        const std::uint64_t free_bytes = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
        if (rc != EIO || free_bytes < (4u << 20)) {
          disk_full_ = true;
          return fail("disk full: " + std::to_string(free_bytes >> 10) + " KiB free under " +
                      dir_ + "; refusing new writes (reads keep working)",
                      ErrorCode::disk_full);
        }
      }
    }
    if (rc == MDB_MAP_FULL)
      return fail("database is at its size limit (" + std::to_string(map_bytes_ >> 20) +
                  " MiB): refusing new writes",
                  ErrorCode::disk_full);
    if (is_damage(rc)) return fail(data_file_error(rc), ErrorCode::storage);
    return lmdb_error("commit", rc);
  }
}

std::optional<std::uint64_t> Store::disk_room() const {
  struct statvfs fs;
  std::error_code ec;
  const auto file = std::filesystem::file_size(dir_ + "/data.mdb", ec);
  if (ec || statvfs(dir_.c_str(), &fs) != 0) return std::nullopt;
  const std::uint64_t page = 4096;
  const std::uint64_t room = file + static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
  return room / page * page;
}

Result<void> Store::check_pages(const std::atomic<bool>* cancel) const {
  // The walk reads the pages of one snapshot while an LMDB read transaction pins it, so a
  // writer in another process cannot reuse them under the walk; if the writer has committed
  // twice before the walk read the header, that snapshot's meta is gone: take a newer one.
  for (int attempt = 0; attempt < 8; ++attempt) {
    MDB_txn* txn = nullptr;
    int rc = mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn);
    if (rc == MDB_MAP_RESIZED) {
      mdb_env_set_mapsize(env_, 0);
      continue;
    }
    if (rc) return fail(data_file_error(rc));
    auto walk = walk_data_file(dir_ + "/data.mdb", mdb_txn_id(txn), cancel);
    mdb_txn_abort(txn);
    if (walk) return {};
    if (walk.error().message.rfind("cancelled", 0) == 0) return walk.error();
    if (walk.error().message.rfind("snapshot ", 0) != 0)
      return fail(walk.error().message + "; stop the service and restore the last backup");
  }
  return fail(dir_ + "/data.mdb changed under every check; try again");
}

std::string Store::data_file_error(int rc) const {
  if (is_damage(rc)) return damaged_line(dir_, mdb_strerror(rc));
  return dir_ + "/data.mdb: " + mdb_strerror(rc);
}

Result<std::uint64_t> Store::read_all_tables() const {
  std::uint64_t entries = 0;
  int rc = 0;
  bool ok = read([&](const ReadTxn& txn) {
    for (int i = 0; i < static_cast<int>(Table::count_) && txn.rc() == 0; ++i)
      txn.scan(static_cast<Table>(i), {}, [&](std::string_view, std::string_view) {
        ++entries;
        return true;
      });
    rc = txn.rc();
  });
  if (rc) return fail(data_file_error(rc));
  if (!ok) return fail("cannot read " + dir_ + "/data.mdb: no read snapshot to be had");
  return entries;
}

bool Store::read(const std::function<void(const ReadTxn&)>& fn) const {
  for (int attempt = 0; attempt < 2; ++attempt) {
    MDB_txn* txn = nullptr;
    int rc = mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn);
    if (rc == MDB_MAP_RESIZED) {
      // Another process (the service) grew the map: adopt its size and try again.
      mdb_env_set_mapsize(env_, 0);
      continue;
    }
    if (rc) return false;
    ReadTxn r(txn, dbis_, &deferred_);
    fn(r);
    mdb_txn_abort(txn);
    return r.rc() == 0;
  }
  return false;
}

Result<void> Store::backup(const std::string& dest_dir) const {
  // The compacting copy trusts every page it meets: walk them first (a damaged page must stop
  // the backup with a clear line, not crash it or copy garbage).
  if (auto r = check_pages(); !r) return r;
  std::error_code ec;
  std::filesystem::create_directories(dest_dir, ec);
  if (ec) return fail("cannot create " + dest_dir + ": " + ec.message());
  if (std::filesystem::exists(dest_dir + "/data.mdb"))
    return fail(dest_dir + " already holds a database; backup never overwrites one");
  int rc = mdb_env_copy2(env_, dest_dir.c_str(), MDB_CP_COMPACT);
  if (rc && is_damage(rc)) return fail(data_file_error(rc));
  if (rc) return lmdb_error("backup to " + dest_dir, rc);
  return {};
}

std::uint64_t Store::used_bytes() const {
  MDB_envinfo info;
  MDB_stat st;
  mdb_env_info(env_, &info);
  mdb_env_stat(env_, &st);
  return (info.me_last_pgno + 1) * static_cast<std::uint64_t>(st.ms_psize);
}

}  // namespace sb::store
