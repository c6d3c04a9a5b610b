// Posting blocks: the codec, the batch writer that appends to them, the packer of the old layout,
// and the block-at-a-time reader.
#include "services/inbox/posting_blocks.h"

#include <algorithm>
#include <optional>

#include "services/common/bytes.h"

namespace sb::inbox {

namespace {

constexpr std::string_view kFormatKey = kSearchFormatKey;
constexpr std::string_view kFormat = "2";
constexpr std::string_view kPackedTo = "search_packed_to";  // where packing goes on

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

// The last block of `term` in the file: its ids (empty: the term has none).
std::vector<std::uint64_t> last_block(store::WriteTxn& file, std::string_view term) {
  std::vector<std::uint64_t> ids;
  file.scan_back(store::Table::search_terms, posting_key(term, ~std::uint64_t{0}),
                 [&](std::string_view k, std::string_view v) {
                   std::string_view t;
                   if (posting_term(k, t) && t == term) decode_block(from_be64(k, t.size() + 1), v, ids);
                   return false;
                 });
  return ids;
}

void put_blocks(store::WriteTxn& file, std::string_view term, const std::vector<std::uint64_t>& ids,
                std::size_t from) {
  for (std::size_t i = from; i < ids.size(); i += kBlockIds) {
    const std::size_t n = std::min(kBlockIds, ids.size() - i);
    file.put(store::Table::search_terms, posting_key(term, ids[i]), encode_block(&ids[i], n));
  }
}

// An id below the term's newest (only when messages are indexed again out of order): into the
// block that covers it, split in two when full.
void insert_one(store::WriteTxn& file, std::string_view term, std::uint64_t id) {
  std::vector<std::uint64_t> ids;
  file.scan_back(store::Table::search_terms, posting_key(term, id),
                 [&](std::string_view k, std::string_view v) {
                   std::string_view t;
                   if (posting_term(k, t) && t == term) decode_block(from_be64(k, t.size() + 1), v, ids);
                   return false;
                 });
  if (ids.empty()) {  // below the term's first block: a block of its own
    file.put(store::Table::search_terms, posting_key(term, id), {});
    return;
  }
  auto at = std::lower_bound(ids.begin(), ids.end(), id);
  if (at != ids.end() && *at == id) return;
  ids.insert(at, id);
  if (ids.size() <= kBlockIds) {
    put_blocks(file, term, ids, 0);
    return;
  }
  const std::size_t half = ids.size() / 2;
  file.put(store::Table::search_terms, posting_key(term, ids[0]), encode_block(ids.data(), half));
  file.put(store::Table::search_terms, posting_key(term, ids[half]),
           encode_block(ids.data() + half, ids.size() - half));
}

void merge_term(store::WriteTxn& file, std::string_view term, std::vector<std::uint64_t>& fresh) {
  std::sort(fresh.begin(), fresh.end());
  fresh.erase(std::unique(fresh.begin(), fresh.end()), fresh.end());
  std::vector<std::uint64_t> ids = last_block(file, term);
  if (!ids.empty() && fresh.front() <= ids.back()) {
    for (std::uint64_t id : fresh) insert_one(file, term, id);
    return;
  }
  // The usual case: every new id is above the term's newest. A full last block stays as it is.
  const std::size_t from = ids.size() == kBlockIds ? ids.size() : 0;
  ids.insert(ids.end(), fresh.begin(), fresh.end());
  put_blocks(file, term, ids, from);
}

}  // namespace

std::string posting_key(std::string_view term, std::uint64_t id) {
  std::string k(term);
  k += '\0';
  k += be64(id);
  return k;
}

bool posting_term(std::string_view key, std::string_view& term) {
  if (key.size() < 9 || key[key.size() - 9] != '\0') return false;
  term = key.substr(0, key.size() - 9);
  return true;
}

bool decode_block(std::uint64_t first, std::string_view value, std::vector<std::uint64_t>& out) {
  out.push_back(first);
  std::uint64_t prev = first, delta = 0;
  unsigned shift = 0;
  for (unsigned char c : value) {
    if (shift > 63) return false;
    delta |= static_cast<std::uint64_t>(c & 0x7f) << shift;
    if (c & 0x80) {
      shift += 7;
      continue;
    }
    if (delta == 0 || prev + delta < prev) return false;
    prev += delta;
    out.push_back(prev);
    delta = 0;
    shift = 0;
  }
  return shift == 0;
}

std::string encode_block(const std::uint64_t* ids, std::size_t n) {
  std::string out;
  for (std::size_t i = 1; i < n; ++i) put_varint(out, ids[i] - ids[i - 1]);
  return out;
}

void write_postings(store::WriteTxn& file,
                    const std::map<std::string, std::string, std::less<>>& waiting) {
  std::string_view term;
  std::vector<std::uint64_t> fresh;
  for (const auto& [key, value] : waiting) {
    std::string_view t;
    if (!posting_term(key, t)) continue;  // not a posting: nothing of ours writes such a key
    if (t != term && !fresh.empty()) {
      merge_term(file, term, fresh);
      fresh.clear();
    }
    term = t;
    decode_block(from_be64(key, t.size() + 1), value, fresh);
  }
  if (!fresh.empty()) merge_term(file, term, fresh);
}

Result<bool> pack_postings_step(store::Store& store, std::size_t max_entries) {
  bool done = false;
  auto r = store.write([&](store::WriteTxn& w) -> Result<void> {
    w.read_file_only();  // postings waiting for their batch are packed when it is written
    auto format = w.get(store::Table::meta, kFormatKey);
    done = format && *format == kFormat;
    if (done) return {};
    const std::string from(w.get(store::Table::meta, kPackedTo).value_or(std::string_view()));
    std::vector<std::pair<std::string, bool>> seen;  // key, holds one posting
    std::optional<std::string> next;
    w.scan(store::Table::search_terms, from, [&](std::string_view k, std::string_view v) {
      if (seen.size() >= max_entries) {
        next = std::string(k);
        return false;
      }
      seen.emplace_back(std::string(k), v.empty());
      return true;
    });
    // Runs of one-posting entries of one term become blocks: the first key holds the block.
    std::vector<std::uint64_t> run;
    std::string_view run_term;
    auto end_run = [&] {
      if (run.size() > 1) {
        w.put(store::Table::search_terms, posting_key(run_term, run[0]),
              encode_block(run.data(), run.size()));
        for (std::size_t i = 1; i < run.size(); ++i)
          w.del(store::Table::search_terms, posting_key(run_term, run[i]));
      }
      run.clear();
    };
    for (const auto& [key, single] : seen) {
      std::string_view t;
      const bool posting = posting_term(key, t);
      if (!posting || !single || t != run_term || run.size() == kBlockIds) end_run();
      if (!posting || !single) continue;
      run_term = t;
      run.push_back(from_be64(key, t.size() + 1));
    }
    end_run();
    if (next) {
      w.put(store::Table::meta, kPackedTo, *next);
    } else {
      w.put(store::Table::meta, kFormatKey, kFormat);
      w.del(store::Table::meta, kPackedTo);
      done = true;
    }
    return {};
  });
  if (!r) return r.error();
  return done;
}

std::uint64_t PostingRun::seek_le(std::uint64_t x) {
  if (ids_.empty() || x < ids_.front() || x > upto_) {
    ids_.clear();
    ++blocks_read_;
    r_->scan_back(t_, posting_key(term_, x), [&](std::string_view k, std::string_view v) {
      std::string_view t;
      if (posting_term(k, t) && t == term_) decode_block(from_be64(k, t.size() + 1), v, ids_);
      return false;
    });
    if (ids_.empty()) return 0;
    upto_ = x;
  }
  auto it = std::upper_bound(ids_.begin(), ids_.end(), x);
  return it == ids_.begin() ? 0 : *std::prev(it);
}

}  // namespace sb::inbox
