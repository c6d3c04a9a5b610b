// services/inbox/search_index.h — the inverted index behind Inbox::search.
//
// Contacts are indexed in the same LMDB transaction as their profile. Messages are indexed with
// deferred puts (Store::put_deferred), which reads see as soon as the message's commit is done
// and which reach the file in batches, packed into their terms' posting blocks
// (posting_blocks.h): each commit would otherwise rewrite a leaf page for every word of its
// message. A crash loses the last batch; resume_message_index rebuilds it at start from the
// messages after the stored mark. So a committed message is always findable and a refused one
// never is. A term's postings are one ordered run of blocks, so "newest first" walks backwards;
// a query intersects the runs by leapfrogging (seek to the greatest id <= the candidate in each
// run, mostly inside the block already decoded), so its cost follows the rarest term, not the
// size of the history.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "services/store/store.h"

namespace sb::inbox {

// The searchable words of a text: case-folded (ASCII, Latin-1, Greek, Cyrillic, through the
// handoff normalizer), split on anything that is not a letter or digit, each once, at most
// kMaxTermBytes long (longer ones are cut: a prefix still finds them).
std::vector<std::string> search_terms(std::string_view text);
inline constexpr std::size_t kMaxTermBytes = 48;
inline constexpr std::size_t kMaxTermsPerText = 256;

void index_text(store::WriteTxn& w, store::Table t, std::uint64_t id, std::string_view text);
// Indexes message `id` in search_terms with deferred puts, and moves the mark of what is indexed.
void index_message(store::WriteTxn& w, std::uint64_t id, std::string_view text);
// At start: indexes again the messages after the mark (the batch a crash lost). A store without
// a mark (new, or indexed before batches existed) gets one at its last message.
Result<void> resume_message_index(store::Store& store);

// For one-posting-per-entry tables (contact_terms), not the packed search_terms.
void unindex_terms(store::WriteTxn& w, store::Table t, std::uint64_t id,
                   const std::vector<std::string>& terms);

struct ParsedQuery {
  std::vector<std::string> exact;  // every word but the last: whole-word match
  std::string prefix;              // the last word: prefix match (empty: none)
};
ParsedQuery parse_query(std::string_view query);

// The indexed terms of one record (for a prefix too common to expand into postings runs).
using TermsOf = std::function<std::vector<std::string>(std::uint64_t id)>;

// Ids in `t` whose text holds every term of `q`, newest (highest id) first, at most `limit`.
// `id_table` is keyed by be64(id) (messages, contacts): walked newest first when the
// query is one very common prefix. `max_steps` bounds the work of a pathological query.
std::vector<std::uint64_t> find_ids(const store::ReadTxn& r, store::Table t,
                                    store::Table id_table, const ParsedQuery& q,
                                    std::size_t limit, const TermsOf& terms_of,
                                    std::size_t max_steps = 200000);

// A short window of `text` around the first place one of `q`'s words occurs, on UTF-8
// character boundaries.
std::string snippet(std::string_view text, const ParsedQuery& q, std::size_t width = 120);

}  // namespace sb::inbox
