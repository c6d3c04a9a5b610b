// services/inbox/posting_blocks.h — how a term's postings lie in an index table.
//
// A term's ids are cut into blocks of at most kBlockIds ascending ids. A block is one LMDB entry:
// key term \0 be64(its first id), value the other ids as LEB128 deltas (each >= 1) from the one
// before. Blocks of one term never overlap: every id of a block is below the next block's first
// id, so "the greatest id <= x" is one seek (the block whose first id is the greatest <= x) and a
// search in that block. An entry with an empty value is a block of one id, which is exactly the
// layout before blocks (one entry per posting, still used for contact_terms), so both read alike
// and a file part-way through packing answers every query as a packed one would.
//
// Format: meta "search_format" = "2" once search_terms is packed. A file without it (indexed one
// entry per posting) is packed at start by pack_postings_step, a bounded step at a time; new
// postings are packed as their batch is written (write_postings) whatever the format says.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "services/store/store.h"

namespace sb::inbox {

inline constexpr std::size_t kBlockIds = 128;
inline constexpr std::string_view kSearchFormatKey = "search_format";  // in meta

std::string posting_key(std::string_view term, std::uint64_t id);
// The term of a posting key, or false when `key` is not one.
bool posting_term(std::string_view key, std::string_view& term);

// The block's ids in ascending order, appended to `out`. False when the value is damaged (the ids
// before the damage are kept): a bad block costs its own hits, never the process.
bool decode_block(std::uint64_t first, std::string_view value, std::vector<std::uint64_t>& out);
// The value of the block holding ids[0..n) (ascending, distinct, n >= 1).
std::string encode_block(const std::uint64_t* ids, std::size_t n);

// A store::DeferredWriter for search_terms: merges a batch of postings into their terms' blocks
// (appending to each term's last block, the usual case since ids only grow).
void write_postings(store::WriteTxn& file,
                    const std::map<std::string, std::string, std::less<>>& waiting);

// Packs up to `max_entries` one-posting entries of search_terms into blocks in one commit, and
// remembers where it stopped. True once the whole table is packed (meta "search_format" = "2").
Result<bool> pack_postings_step(store::Store& store, std::size_t max_entries);

// One term's postings in a read snapshot, read a block at a time: successive seeks to falling
// ids (a leapfrog walking newest first) mostly search the block already decoded.
class PostingRun {
 public:
  PostingRun(const store::ReadTxn& r, store::Table t, std::string term)
      : r_(&r), t_(t), term_(std::move(term)) {}
  // The greatest id <= x holding the term, 0 when there is none.
  std::uint64_t seek_le(std::uint64_t x);
  // Blocks read from the table so far (the work a query did).
  std::size_t blocks_read() const { return blocks_read_; }

 private:
  const store::ReadTxn* r_;
  store::Table t_;
  std::string term_;
  std::vector<std::uint64_t> ids_;  // the block last read; valid for x in [ids_.front(), upto_]
  std::uint64_t upto_ = 0;
  std::size_t blocks_read_ = 0;
};

}  // namespace sb::inbox
