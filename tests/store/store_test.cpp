#include <doctest/doctest.h>

#include "services/common/bytes.h"
#include "services/proto/records.pb.h"
#include "services/store/store.h"
#include "tests/support/temp_dir.h"

using namespace sb;
using store::Table;

TEST_CASE("a committed write is there after reopening; a refused one left nothing") {
  test::TempDir dir;
  {
    auto s = store::Store::open(dir.path());
    REQUIRE(s.ok());
    auto ok = (*s)->write([](store::WriteTxn& w) -> Result<void> {
      w.put(Table::settings, "a", "1");
      return {};
    });
    CHECK(ok.ok());
    auto refused = (*s)->write([](store::WriteTxn& w) -> Result<void> {
      w.put(Table::settings, "b", "2");
      return fail("changed my mind");
    });
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message == "changed my mind");
  }
  auto s = store::Store::open(dir.path());
  REQUIRE(s.ok());
  (*s)->read([](const store::ReadTxn& r) {
    CHECK(r.get(Table::settings, "a") == std::optional<std::string_view>("1"));
    CHECK_FALSE(r.get(Table::settings, "b").has_value());
  });
}

TEST_CASE("the schema version is recorded and a different one is refused") {
  test::TempDir dir;
  {
    auto s = store::Store::open(dir.path());
    REQUIRE(s.ok());
    (*s)->read([](const store::ReadTxn& r) {
      auto v = r.get(Table::meta, "schema_version");
      REQUIRE(v.has_value());
      CHECK(from_be64(*v) == store::kSchemaVersion);
    });
    auto w = (*s)->write([](store::WriteTxn& w) -> Result<void> {
      w.put(Table::meta, "schema_version", be64(store::kSchemaVersion + 1));
      return {};
    });
    REQUIRE(w.ok());
  }
  auto s = store::Store::open(dir.path());
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message.find("schema version") != std::string::npos);
}

TEST_CASE("an older schema version opens and is marked current; read-only leaves it") {
  test::TempDir dir;
  auto version_of = [&](store::StoreOptions o) {
    auto s = store::Store::open(dir.path(), o);
    REQUIRE(s.ok());
    std::uint64_t v = 0;
    (*s)->read([&](const store::ReadTxn& r) { v = from_be64(*r.get(Table::meta, "schema_version")); });
    return v;
  };
  {
    auto s = store::Store::open(dir.path());
    REQUIRE(s.ok());
    REQUIRE((*s)->write([](store::WriteTxn& w) -> Result<void> {
      w.put(Table::meta, "schema_version", be64(store::kOldestSchemaVersion));
      return {};
    }).ok());
  }
  store::StoreOptions ro;
  ro.read_only = true;
  CHECK(version_of(ro) == std::uint64_t(store::kOldestSchemaVersion));
  CHECK(version_of({}) == std::uint64_t(store::kSchemaVersion));
  CHECK(version_of(ro) == std::uint64_t(store::kSchemaVersion));
}

TEST_CASE("the map grows on MDB_MAP_FULL instead of failing, up to its cap") {
  test::TempDir dir;
  store::StoreOptions o;
  o.initial_map_bytes = 1 << 20;
  o.max_map_bytes = 8 << 20;
  auto s = store::Store::open(dir.path(), o);
  REQUIRE(s.ok());
  const std::string blob(64 * 1024, 'x');
  int written = 0;
  for (int i = 0; i < 40; ++i) {  // ~2.5 MiB: more than the first map
    auto r = (*s)->write([&](store::WriteTxn& w) -> Result<void> {
      w.put(Table::settings, "k" + std::to_string(i), blob);
      return {};
    });
    REQUIRE(r.ok());
    written++;
  }
  CHECK(written == 40);
  CHECK((*s)->map_bytes() > (1u << 20));
  // Past the cap: a clear refusal, and reads still work.
  Result<void> last;
  for (int i = 0; i < 400 && last.ok(); ++i)
    last = (*s)->write([&](store::WriteTxn& w) -> Result<void> {
      w.put(Table::settings, "more" + std::to_string(i), blob);
      return {};
    });
  REQUIRE_FALSE(last.ok());
  CHECK(last.error().message.find("size limit") != std::string::npos);
  bool read = (*s)->read([](const store::ReadTxn& r) { CHECK(r.get(Table::settings, "k0")); });
  CHECK(read);
}

TEST_CASE("counters are gap-free and survive reopening") {
  test::TempDir dir;
  {
    auto s = store::Store::open(dir.path());
    REQUIRE(s.ok());
    for (int i = 0; i < 3; ++i)
      REQUIRE((*s)->write([](store::WriteTxn& w) -> Result<void> {
                    w.next_id("seq");
                    return {};
                  })
                  .ok());
    // A refused transaction does not consume a number.
    REQUIRE_FALSE((*s)->write([](store::WriteTxn& w) -> Result<void> {
                        w.next_id("seq");
                        return fail("no");
                      })
                      .ok());
  }
  auto s = store::Store::open(dir.path());
  REQUIRE(s.ok());
  std::uint64_t next = 0;
  REQUIRE((*s)->write([&](store::WriteTxn& w) -> Result<void> {
                next = w.next_id("seq");
                return {};
              })
              .ok());
  CHECK(next == 4);
}

TEST_CASE("scan and scan_back visit keys in order from a starting key") {
  test::TempDir dir;
  auto s = store::Store::open(dir.path());
  REQUIRE(s.ok());
  REQUIRE((*s)->write([](store::WriteTxn& w) -> Result<void> {
                for (std::uint64_t i = 1; i <= 5; ++i) w.put(Table::events, be64(i * 10), "e");
                return {};
              })
              .ok());
  std::vector<std::uint64_t> fwd, back;
  (*s)->read([&](const store::ReadTxn& r) {
    r.scan(Table::events, be64(25), [&](auto k, auto) {
      fwd.push_back(from_be64(k));
      return true;
    });
    r.scan_back(Table::events, be64(35), [&](auto k, auto) {
      back.push_back(from_be64(k));
      return true;
    });
    CHECK(r.entries(Table::events) == 5);
  });
  CHECK(fwd == std::vector<std::uint64_t>{30, 40, 50});
  CHECK(back == std::vector<std::uint64_t>{30, 20, 10});
}

TEST_CASE("backup writes a compacted copy that opens with the same data, and never overwrites") {
  test::TempDir dir;
  auto s = store::Store::open(dir.sub("live"));
  REQUIRE(s.ok());
  REQUIRE((*s)->write([](store::WriteTxn& w) -> Result<void> {
                switchboard::store::Department d;
                d.set_id("billing");
                w.put_proto(Table::departments, "billing", d);
                return {};
              })
              .ok());
  REQUIRE((*s)->backup(dir.sub("copy")).ok());
  CHECK_FALSE((*s)->backup(dir.sub("copy")).ok());
  store::StoreOptions ro;
  ro.read_only = true;
  auto copy = store::Store::open(dir.sub("copy"), ro);
  REQUIRE(copy.ok());
  (*copy)->read([](const store::ReadTxn& r) {
    switchboard::store::Department d;
    CHECK(r.get_proto(Table::departments, "billing", d));
    CHECK(d.id() == "billing");
  });
}

TEST_CASE("a read-only open of a missing database is a clear error") {
  test::TempDir dir;
  store::StoreOptions ro;
  ro.read_only = true;
  auto s = store::Store::open(dir.sub("nothing"), ro);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message.find("no database") != std::string::npos);
}

TEST_CASE("a read-only open of a file older than a table reads that table as empty") {
  test::TempDir dir;
  const std::string db = dir.sub("db");
  {
    auto s = store::Store::open(db).value();
    REQUIRE(s->write([](store::WriteTxn& w) -> Result<void> {
                 w.put(store::Table::settings, "kept", "yes");
                 return {};
               })
                .ok());
  }
  {
    // The file as an older build left it: no `sessions` table.
    MDB_env* env = nullptr;
    REQUIRE(mdb_env_create(&env) == 0);
    mdb_env_set_maxdbs(env, 64);
    REQUIRE(mdb_env_open(env, db.c_str(), MDB_NOTLS, 0640) == 0);
    MDB_txn* txn = nullptr;
    REQUIRE(mdb_txn_begin(env, nullptr, 0, &txn) == 0);
    MDB_dbi dbi;
    REQUIRE(mdb_dbi_open(txn, store::table_name(store::Table::sessions), 0, &dbi) == 0);
    REQUIRE(mdb_drop(txn, dbi, 1) == 0);
    REQUIRE(mdb_txn_commit(txn) == 0);
    mdb_env_close(env);
  }
  store::StoreOptions ro;
  ro.read_only = true;
  auto s = store::Store::open(db, ro);
  REQUIRE(s.ok());
  bool read = (*s)->read([](const store::ReadTxn& r) {
    CHECK(r.get(store::Table::settings, "kept") == std::optional<std::string_view>("yes"));
    CHECK_FALSE(r.get(store::Table::sessions, "x"));
    CHECK(r.entries(store::Table::sessions) == 0);
    int n = 0;
    r.scan(store::Table::sessions, {}, [&](auto, auto) { return ++n, true; });
    CHECK(n == 0);
  });
  CHECK(read);
  CHECK((*s)->read_all_tables().ok());
}
