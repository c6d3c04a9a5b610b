// A disk that is really full: the store refuses the write (so the source keeps the message),
// says why, flags it for the metric, and reads keep working. Uses a real 2 MiB tmpfs, which
// needs root (CI runs as root); elsewhere the case reports that it could not set up the disk.
#include <doctest/doctest.h>
#include <sys/mount.h>
#include <unistd.h>

#include "services/store/store.h"
#include "tests/support/temp_dir.h"

using namespace sb;

TEST_CASE("a full disk refuses writes clearly while reads keep working") {
  test::TempDir dir;
  const std::string mnt = dir.sub("small");
  std::filesystem::create_directories(mnt);
  if (geteuid() != 0 || mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=2m") != 0) {
    MESSAGE("skipped: mounting a small tmpfs needs root");
    return;
  }
  {
    store::StoreOptions o;
    o.initial_map_bytes = 64ull << 20;  // the map is bigger than the disk under it
    auto s = store::Store::open(mnt + "/db", o);
    REQUIRE(s.ok());
    // Ballast to delete later, so the test can give the disk room again.
    {
      std::FILE* f = std::fopen((mnt + "/ballast").c_str(), "w");
      std::string mb(512 * 1024, 'b');
      std::fwrite(mb.data(), 1, mb.size(), f);
      std::fclose(f);
    }
    REQUIRE((*s)->write([](store::WriteTxn& w) -> Result<void> {
                  w.put(store::Table::settings, "first", "kept");
                  return {};
                })
                .ok());
    const std::string blob(32 * 1024, 'x');
    Result<void> r;
    int i = 0;
    for (; i < 1000 && r.ok(); ++i)
      r = (*s)->write([&](store::WriteTxn& w) -> Result<void> {
        w.put(store::Table::settings, "k" + std::to_string(i), blob);
        return {};
      });
    REQUIRE_FALSE(r.ok());
    CHECK(i < 1000);
    CHECK(r.error().message.find("disk full") != std::string::npos);
    CHECK((*s)->disk_full());
    bool read = (*s)->read([](const store::ReadTxn& t) {
      CHECK(t.get(store::Table::settings, "first") == std::optional<std::string_view>("kept"));
    });
    CHECK(read);
    // The environment is not wedged: once there is room again, writes go on.
    std::filesystem::remove(mnt + "/ballast");
    auto small = (*s)->write([](store::WriteTxn& w) -> Result<void> {
      w.del(store::Table::settings, "k0");
      w.put(store::Table::settings, "after", "ok");
      return {};
    });
    CHECK(small.ok());
    if (!small.ok()) MESSAGE(small.error().message);
  }
  umount2(mnt.c_str(), MNT_DETACH);
}

TEST_CASE("the map grows no further than the disk under it can hold") {
  test::TempDir dir;
  const std::string mnt = dir.sub("small");
  std::filesystem::create_directories(mnt);
  if (geteuid() != 0 || mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=4m") != 0) {
    MESSAGE("skipped: mounting a small tmpfs needs root");
    return;
  }
  {
    store::StoreOptions o;
    o.initial_map_bytes = 1ull << 20;  // smaller than the disk: it must grow, then stop
    o.max_map_bytes = 1ull << 30;
    auto s = store::Store::open(mnt + "/db", o);
    REQUIRE(s.ok());
    const std::string blob(32 * 1024, 'x');
    Result<void> r;
    for (int i = 0; i < 1000 && r.ok(); ++i)
      r = (*s)->write([&](store::WriteTxn& w) -> Result<void> {
        w.put(store::Table::settings, "k" + std::to_string(i), blob);
        return {};
      });
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::disk_full);
    CHECK((*s)->map_bytes() > (1ull << 20));  // it did grow while there was room
    CHECK((*s)->map_bytes() <= (4ull << 20));  // and not past the 4 MiB disk
  }
  umount2(mnt.c_str(), MNT_DETACH);
}
