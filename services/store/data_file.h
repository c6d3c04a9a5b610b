// services/store/data_file.h — LMDB's data.mdb checked against its own header and trees with
// plain reads, before (and without) mapping it.
//
// Why: LMDB trusts its file. A data.mdb shorter than its meta page says gets mapped and the
// first touch past the end is SIGBUS; a garbage node size sends a reader off the end of the map
// (a segfault) or into one of LMDB's assertions (abort). Reading the pages with pread instead,
// and checking every offset, count and page number against the page and the file, turns each of
// these into an error that names the file and the page.
//
// The layout mirrored here is LMDB 0.9's (the one Debian ships): two meta pages, then B+trees of
// branch, leaf and overflow pages, all of the native word size. LMDB refuses files of another
// word size itself, so only native files are read.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"

namespace sb::store {

struct DataFileHeader {
  std::uint64_t page_size = 0;
  std::uint64_t last_page = 0;   // of the newest meta
  std::uint64_t txnid = 0;       // of the newest meta
  std::uint64_t file_bytes = 0;
};

struct DataFileWalk {
  std::uint64_t pages = 0;    // pages reached from the roots (branch, leaf and overflow)
  std::uint64_t entries = 0;  // leaf entries over every table
  std::uint64_t tables = 0;   // named tables
  // Filled only when asked (walk_data_file's `pages`): each tree's page numbers, keyed by the
  // table's name ("(main)" for the catalog, "(free pages)" for LMDB's free list). A benchmark
  // compares two snapshots with it: pages in the newer and not the older are what a commit wrote.
  std::map<std::string, std::vector<std::uint64_t>> pages_of;
};

// Both meta pages (meta flag, magic, format version, page size) and the file's length against
// the newest meta's last page. An empty file is a new database and passes with page_size 0.
// Errors read "<file> is damaged: <why>" (or "cannot read <file>: <errno text>").
Result<DataFileHeader> check_data_file_header(const std::string& file);

// Walks every tree of the snapshot whose transaction id is `txnid` (the newest meta when 0):
// each page's own number, kind and bounds, every node inside its page, every child and overflow
// page inside the file and reached once, and each table's page and entry counts against its
// record. A caller that holds an LMDB read transaction for `txnid` can walk while a writer runs
// (LMDB keeps that snapshot's pages); when neither meta carries `txnid` any more the error says
// so and starts with "snapshot", not "is damaged".
// `cancel`, when given and set, ends the walk early with an error starting "cancelled".
// `catalog_only`: the main tree alone (the table records LMDB reads when a table is opened),
// each table's root checked to lie in the file but not walked: a few pages, cheap at every open.
Result<DataFileWalk> walk_data_file(const std::string& file, std::uint64_t txnid = 0,
                                    const std::atomic<bool>* cancel = nullptr,
                                    bool catalog_only = false, bool pages = false);

}  // namespace sb::store
