#include "services/store/data_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <vector>

namespace sb::store {
namespace {

// LMDB 0.9's on-disk records (mdb.c: MDB_page, MDB_db, MDB_meta, MDB_node), native word size.
using pgno_t = std::size_t;

struct PageHeader {
  pgno_t pgno;
  std::uint16_t pad;
  std::uint16_t flags;
  std::uint16_t lower;  // an overflow page holds its page count in lower+upper instead
  std::uint16_t upper;
};

struct DbRecord {
  std::uint32_t pad;  // page size, in the free-space tree's record
  std::uint16_t flags;
  std::uint16_t depth;
  pgno_t branch_pages;
  pgno_t leaf_pages;
  pgno_t overflow_pages;
  std::size_t entries;
  pgno_t root;
};

struct Meta {
  std::uint32_t magic;
  std::uint32_t version;
  void* address;
  std::size_t mapsize;
  DbRecord dbs[2];  // the free-space tree, then the main tree (which holds the named tables)
  pgno_t last_pg;
  std::size_t txnid;
};

constexpr std::uint32_t kMagic = 0xBEEFC0DE;
constexpr std::uint32_t kVersion = 1;
constexpr std::uint16_t P_BRANCH = 0x01, P_LEAF = 0x02, P_OVERFLOW = 0x04, P_META = 0x08,
                        P_LEAF2 = 0x20;
constexpr std::uint16_t F_BIGDATA = 0x01, F_SUBDATA = 0x02, F_DUPDATA = 0x04;
constexpr pgno_t P_INVALID = ~pgno_t(0);
constexpr std::size_t kHeader = sizeof(PageHeader);
constexpr std::size_t kNode = 8;  // lo, hi, flags, ksize
constexpr unsigned kMaxDepth = 32;

std::uint16_t u16(const unsigned char* p) {
  std::uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}

class Walker {
 public:
  Walker(int fd, std::string file, std::uint64_t psize, pgno_t last,
         const std::atomic<bool>* cancel, bool catalog_only = false, bool pages = false)
      : catalog_only_(catalog_only),
        pages_(pages),
        fd_(fd),
        file_(std::move(file)),
        psize_(psize),
        last_(last),
        seen_(last + 1, false),
        cancel_(cancel) {}

  // Walks one tree and checks it against its record; counts go into `walk`.
  Result<void> tree(const DbRecord& db, const std::string& name, bool main, DataFileWalk& walk) {
    Counts c;
    if (db.root == P_INVALID) {
      if (db.entries != 0 || db.depth != 0)
        return damaged("table " + name + " is empty but its record counts " +
                       std::to_string(db.entries) + " entries");
      return {};
    }
    if (db.depth == 0 || db.depth > kMaxDepth)
      return damaged("table " + name + " has depth " + std::to_string(db.depth));
    if (auto r = page(db.root, 1, db, name, main, c, walk); !r) return r;
    if (c.entries != db.entries || c.branch != db.branch_pages || c.leaf != db.leaf_pages ||
        c.overflow != db.overflow_pages)
      return damaged("table " + name + " holds " + std::to_string(c.entries) + " entries in " +
                     std::to_string(c.branch + c.leaf + c.overflow) + " pages, its record says " +
                     std::to_string(db.entries) + " in " +
                     std::to_string(db.branch_pages + db.leaf_pages + db.overflow_pages));
    if (!main && name != "(free pages)") walk.entries += c.entries;
    return {};
  }

  Error damaged(const std::string& why) const { return fail(file_ + " is damaged: " + why); }

 private:
  struct Counts {
    std::size_t branch = 0, leaf = 0, overflow = 0, entries = 0;
  };

  Result<void> read_page(pgno_t pgno, std::vector<unsigned char>& buf) {
    if (cancel_ && cancel_->load(std::memory_order_relaxed))
      return fail("cancelled: the check of " + file_ + " was stopped");
    buf.resize(psize_);
    ssize_t n = ::pread(fd_, buf.data(), psize_, static_cast<off_t>(pgno * psize_));
    if (n < 0) return fail("cannot read " + file_ + ": " + std::strerror(errno));
    if (static_cast<std::uint64_t>(n) != psize_)
      return damaged("the file ends inside page " + std::to_string(pgno));
    return {};
  }

  Result<void> claim(pgno_t pgno, pgno_t count, const std::string& name) {
    if (pgno < 2 || pgno > last_ || count == 0 || count > last_ + 1 - pgno)
      return damaged("table " + name + " points at page " + std::to_string(pgno) +
                     " outside pages 2.." + std::to_string(last_));
    for (pgno_t p = pgno; p < pgno + count; ++p) {
      if (seen_[p]) return damaged("page " + std::to_string(p) + " is reached twice");
      seen_[p] = true;
    }
    return {};
  }

  Result<void> page(pgno_t pgno, unsigned level, const DbRecord& db, const std::string& name,
                    bool main, Counts& c, DataFileWalk& walk) {
    if (auto r = claim(pgno, 1, name); !r) return r;
    if (pages_) walk.pages_of[name].push_back(pgno);
    std::vector<unsigned char> buf;
    if (auto r = read_page(pgno, buf); !r) return r;
    ++walk.pages;
    PageHeader h;
    std::memcpy(&h, buf.data(), kHeader);
    const std::string where = "page " + std::to_string(pgno) + " (table " + name + ")";
    if (h.pgno != pgno)
      return damaged(where + " says it is page " + std::to_string(h.pgno));
    const bool leaf = h.flags & (P_LEAF | P_LEAF2);
    const bool branch = h.flags & P_BRANCH;
    if (leaf == branch) return damaged(where + " is neither a branch nor a leaf");
    if (leaf != (level == db.depth))
      return damaged(where + " is at level " + std::to_string(level) + " of " +
                     std::to_string(db.depth));
    if (h.lower < kHeader || h.lower > h.upper || h.upper > psize_ || (h.lower - kHeader) % 2)
      return damaged(where + " has bounds " + std::to_string(h.lower) + ".." +
                     std::to_string(h.upper));
    const std::size_t keys = (h.lower - kHeader) / 2;
    if (h.flags & P_LEAF2) {  // fixed-size keys packed without nodes: bounds alone
      ++c.leaf;
      c.entries += keys;
      return {};
    }
    if (branch) {
      ++c.branch;
      if (keys == 0) return damaged(where + " is a branch with no children");
    } else {
      ++c.leaf;
    }
    for (std::size_t i = 0; i < keys; ++i) {
      const std::size_t off = u16(buf.data() + kHeader + 2 * i);
      if (off < h.upper || off + kNode > psize_)
        return damaged(where + " has node " + std::to_string(i) + " at offset " +
                       std::to_string(off));
      const unsigned char* node = buf.data() + off;
      const std::uint64_t lo = u16(node), hi = u16(node + 2), flags = u16(node + 4);
      const std::size_t ksize = u16(node + 6);
      if (off + kNode + ksize > psize_)
        return damaged(where + " has a key running past the page");
      if (branch) {
        pgno_t child = lo | (hi << 16);
        if constexpr (sizeof(pgno_t) > 4) child |= static_cast<pgno_t>(flags) << 32;
        if (auto r = page(child, level + 1, db, name, main, c, walk); !r) return r;
        continue;
      }
      ++c.entries;
      const std::size_t dsize = lo | (hi << 16);
      const unsigned char* data = node + kNode + ksize;
      if (flags & F_BIGDATA) {
        if (off + kNode + ksize + sizeof(pgno_t) > psize_)
          return damaged(where + " has a large value's page number running past the page");
        pgno_t first;
        std::memcpy(&first, data, sizeof first);
        if (first < 2 || first > last_)
          return damaged(where + " points at page " + std::to_string(first) +
                         " outside the file");
        std::vector<unsigned char> ob;
        if (auto r = read_page(first, ob); !r) return r;
        PageHeader oh;
        std::memcpy(&oh, ob.data(), kHeader);
        std::uint32_t count;
        std::memcpy(&count, ob.data() + offsetof(PageHeader, lower), sizeof count);
        if (oh.pgno != first || !(oh.flags & P_OVERFLOW))
          return damaged("page " + std::to_string(first) + " (table " + name +
                         ") is not the large value it should be");
        if (static_cast<std::uint64_t>(count) * psize_ - kHeader < dsize)
          return damaged("page " + std::to_string(first) + " (table " + name + ") holds " +
                         std::to_string(count) + " pages, too few for " +
                         std::to_string(dsize) + " bytes");
        if (auto r = claim(first, count, name); !r) return r;
        if (pages_)
          for (pgno_t p = first; p < first + count; ++p) walk.pages_of[name].push_back(p);
        c.overflow += count;
        walk.pages += count;
        continue;
      }
      if (off + kNode + ksize + dsize > psize_)
        return damaged(where + " has a value running past the page");
      if (flags & F_SUBDATA) {
        // Named tables live in the main tree; a table's own values nest one level at most.
        const bool nested = name.size() > 12 && name.ends_with("(duplicates)");
        if (dsize != sizeof(DbRecord) || nested)
          return damaged(where + " has a bad table record");
        DbRecord sub;
        std::memcpy(&sub, data, sizeof sub);
        std::string sub_name = main ? std::string(reinterpret_cast<const char*>(node + kNode),
                                                  ksize)
                                    : name + " (duplicates)";
        if (main) ++walk.tables;
        if (catalog_only_) {
          if (sub.root != P_INVALID && (sub.root < 2 || sub.root > last_))
            return damaged("table " + sub_name + " has its root at page " +
                           std::to_string(sub.root) + " outside pages 2.." + std::to_string(last_));
          continue;
        }
        if (auto r = tree(sub, sub_name, false, walk); !r) return r;
      } else if ((flags & F_DUPDATA) && dsize < kHeader) {
        return damaged(where + " has a bad duplicates page");
      }
    }
    return {};
  }

  bool catalog_only_;
  bool pages_;
  int fd_;
  std::string file_;
  std::uint64_t psize_;
  pgno_t last_;
  std::vector<bool> seen_;
  const std::atomic<bool>* cancel_;
};

struct Opened {
  int fd = -1;
  ~Opened() {
    if (fd >= 0) ::close(fd);
  }
};

// Reads both metas; `metas[i].magic == 0` marks one not read (an empty file).
Result<DataFileHeader> read_metas(int fd, const std::string& file, Meta (&metas)[2]) {
  auto damaged = [&](const std::string& why) { return fail(file + " is damaged: " + why); };
  struct stat st;
  if (::fstat(fd, &st) != 0) return fail("cannot read " + file + ": " + std::strerror(errno));
  DataFileHeader h;
  h.file_bytes = static_cast<std::uint64_t>(st.st_size);
  if (h.file_bytes == 0) return h;
  std::uint64_t psize = 0;
  for (int i = 0; i < 2; ++i) {
    unsigned char buf[kHeader + sizeof(Meta)];
    const std::uint64_t at = i * psize;
    ssize_t n = ::pread(fd, buf, sizeof buf, static_cast<off_t>(at));
    if (n < 0) return fail("cannot read " + file + ": " + std::strerror(errno));
    if (static_cast<std::size_t>(n) != sizeof buf)
      return damaged("it is " + std::to_string(h.file_bytes) +
                     " bytes, too short for its two header pages");
    PageHeader ph;
    std::memcpy(&ph, buf, kHeader);
    Meta& m = metas[i];
    std::memcpy(&m, buf + kHeader, sizeof m);
    const std::string which = i == 0 ? "first" : "second";
    if (!(ph.flags & P_META) || m.magic != kMagic)
      return damaged("its " + which + " header page is not an LMDB header");
    if (m.version != kVersion)
      return damaged("its " + which + " header page has format version " +
                     std::to_string(m.version));
    const std::uint64_t ps = m.dbs[0].pad;
    if (ps < 512 || ps > 65536 || (ps & (ps - 1)) || (i == 1 && ps != psize))
      return damaged("its " + which + " header page gives page size " + std::to_string(ps));
    psize = ps;
  }
  const Meta& newest = metas[1].txnid > metas[0].txnid ? metas[1] : metas[0];
  h.page_size = psize;
  h.last_page = newest.last_pg;
  h.txnid = newest.txnid;
  if (newest.last_pg < 1 || newest.last_pg > h.file_bytes / psize - 1)
    return damaged("it is " + std::to_string(h.file_bytes) + " bytes but its header counts " +
                   std::to_string(newest.last_pg + 1) + " pages of " + std::to_string(psize) +
                   " bytes (truncated?)");
  for (const DbRecord& db : newest.dbs)
    if (db.root != P_INVALID && (db.root < 2 || db.root > newest.last_pg))
      return damaged("its header points at page " + std::to_string(db.root) +
                     " outside the file");
  return h;
}

}  // namespace

Result<DataFileHeader> check_data_file_header(const std::string& file) {
  Opened f;
  f.fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0) return fail("cannot read " + file + ": " + std::strerror(errno));
  Meta metas[2] = {};
  return read_metas(f.fd, file, metas);
}

Result<DataFileWalk> walk_data_file(const std::string& file, std::uint64_t txnid,
                                    const std::atomic<bool>* cancel, bool catalog_only,
                                    bool pages) {
  Opened f;
  f.fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0) return fail("cannot read " + file + ": " + std::strerror(errno));
  Meta metas[2] = {};
  auto h = read_metas(f.fd, file, metas);
  if (!h) return h.error();
  DataFileWalk walk;
  if (h->page_size == 0) return walk;
  const Meta* m = nullptr;
  if (txnid == 0) {
    m = metas[1].txnid > metas[0].txnid ? &metas[1] : &metas[0];
  } else {
    for (const Meta& candidate : metas)
      if (candidate.txnid == txnid) m = &candidate;
    if (!m) return fail("snapshot " + std::to_string(txnid) + " of " + file + " is gone");
  }
  if (m->last_pg > h->file_bytes / h->page_size - 1)
    return fail(file + " is damaged: its header counts more pages than the file holds");
  Walker w(f.fd, file, h->page_size, m->last_pg, cancel, catalog_only, pages);
  if (!catalog_only)
    if (auto r = w.tree(m->dbs[0], "(free pages)", false, walk); !r) return r.error();
  if (auto r = w.tree(m->dbs[1], "(main)", true, walk); !r) return r.error();
  return walk;
}

}  // namespace sb::store
