// The inverted index: terms, postings, and the leapfrog intersection that answers a query.
#include "services/inbox/search_index.h"

#include <algorithm>
#include <cctype>
#include <limits>

#include "services/common/bytes.h"
#include "services/handoff/normalizer.h"
#include "services/inbox/posting_blocks.h"
#include "services/proto/records.pb.h"

namespace sb::inbox {

namespace {

// A prefix matching more words than this is checked against each candidate's own terms
// instead of being expanded into that many postings runs (each a cursor seek per step).
constexpr std::size_t kMaxExpansion = 64;

// The indexed words starting with `prefix`, at most `cap` + 1 of them (more than `cap` means
// "too many to expand"). One seek per word: the scan jumps over each word's postings.
std::vector<std::string> expand(const store::ReadTxn& r, store::Table t, const std::string& prefix,
                                std::size_t cap) {
  std::vector<std::string> out;
  std::string from = prefix;
  while (out.size() <= cap) {
    std::optional<std::string> term;
    r.scan(t, from, [&](std::string_view k, std::string_view) {
      if (k.substr(0, prefix.size()) == prefix) term = std::string(k.substr(0, k.find('\0')));
      return false;
    });
    if (!term) break;
    out.push_back(*term);
    from = *term + '\x01';  // past every term \0 id of this word
  }
  return out;
}

bool has_prefix_term(const std::vector<std::string>& terms, const std::string& prefix) {
  for (const auto& t : terms)
    if (t.compare(0, prefix.size(), prefix) == 0) return true;
  return false;
}

}  // namespace

std::vector<std::string> search_terms(std::string_view text) {
  std::vector<std::string> out;
  const std::string norm = handoff::normalize(text);
  std::size_t i = 0;
  while (i < norm.size() && out.size() < kMaxTermsPerText) {
    std::size_t j = norm.find(' ', i);
    if (j == std::string::npos) j = norm.size();
    if (j > i) {
      std::string term = norm.substr(i, std::min(j - i, kMaxTermBytes));
      // A cut must not split a UTF-8 sequence.
      while (!term.empty() && term.size() < j - i &&
             (static_cast<unsigned char>(term.back()) & 0xC0) == 0x80)
        term.pop_back();
      if (!term.empty() && (static_cast<unsigned char>(term.back()) & 0xC0) == 0xC0)
        term.pop_back();
      if (!term.empty() && std::find(out.begin(), out.end(), term) == out.end())
        out.push_back(std::move(term));
    }
    i = j + 1;
  }
  return out;
}

void index_text(store::WriteTxn& w, store::Table t, std::uint64_t id, std::string_view text) {
  for (const auto& term : search_terms(text)) w.put(t, posting_key(term, id), {});
}

namespace {
constexpr std::string_view kIndexedUpTo = "search_indexed_message";
}

void index_message(store::WriteTxn& w, std::uint64_t id, std::string_view text) {
  for (const auto& term : search_terms(text))
    w.put_deferred(store::Table::search_terms, posting_key(term, id), {});
  w.put_deferred(store::Table::meta, kIndexedUpTo, be64(id));
}

Result<void> resume_message_index(store::Store& store) {
  return store.write([&](store::WriteTxn& w) -> Result<void> {
    auto mark = w.get(store::Table::meta, kIndexedUpTo);
    if (!mark) {
      w.put(store::Table::meta, kIndexedUpTo, be64(w.peek_counter("message_id")));
      return {};
    }
    std::vector<std::pair<std::uint64_t, std::string>> lost;  // message, text
    w.scan(store::Table::messages, be64(from_be64(*mark) + 1),
           [&](std::string_view k, std::string_view v) {
             switchboard::store::Message m;
             if (m.ParseFromArray(v.data(), static_cast<int>(v.size())) && m.author() != "system")
               lost.emplace_back(from_be64(k), m.text());
             return true;
           });
    for (const auto& [id, text] : lost) index_message(w, id, text);
    return {};
  });
}

void unindex_terms(store::WriteTxn& w, store::Table t, std::uint64_t id,
                   const std::vector<std::string>& terms) {
  for (const auto& term : terms) w.del(t, posting_key(term, id));
}

ParsedQuery parse_query(std::string_view query) {
  ParsedQuery q;
  auto terms = search_terms(query);
  if (terms.empty()) return q;
  // A query ending in a separator ("refund ") has finished its last word: match it whole.
  const unsigned char last = static_cast<unsigned char>(query.back());
  const bool open_last = last >= 0x80 || std::isalnum(last);
  q.prefix = open_last ? terms.back() : std::string();
  if (open_last) terms.pop_back();
  q.exact = std::move(terms);
  return q;
}

std::vector<std::uint64_t> find_ids(const store::ReadTxn& r, store::Table t,
                                    store::Table id_table, const ParsedQuery& q,
                                    std::size_t limit, const TermsOf& terms_of,
                                    std::size_t max_steps) {
  std::vector<std::uint64_t> out;
  if (limit == 0 || (q.exact.empty() && q.prefix.empty())) return out;

  // Each group answers "the greatest id <= x holding me".
  std::vector<std::vector<std::string>> groups;
  for (const auto& e : q.exact) groups.push_back({e});
  bool verify_prefix = false;
  if (!q.prefix.empty()) {
    auto words = expand(r, t, q.prefix, kMaxExpansion);
    if (words.empty()) return out;
    if (words.size() <= kMaxExpansion)
      groups.push_back(std::move(words));
    else
      verify_prefix = true;
  }
  std::size_t steps = 0;
  auto accept = [&](std::uint64_t id) {
    if (!verify_prefix) return true;
    return has_prefix_term(terms_of(id), q.prefix);
  };

  if (groups.empty()) {
    // Only a very common prefix ("a"): matches are dense, so the newest records, checked
    // one by one, fill the page quickly.
    r.scan_back(id_table, {}, [&](std::string_view k, std::string_view) {
      const std::uint64_t id = from_be64(k);
      if (accept(id)) out.push_back(id);
      return out.size() < limit && ++steps < max_steps;
    });
    return out;
  }

  std::vector<std::vector<PostingRun>> runs(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (const auto& term : groups[g]) runs[g].emplace_back(r, t, term);
  auto group_le = [&](std::vector<PostingRun>& g, std::uint64_t id) {
    std::uint64_t best = 0;
    for (auto& run : g) best = std::max(best, run.seek_le(id));
    return best;
  };
  std::uint64_t cand = std::numeric_limits<std::uint64_t>::max();
  while (out.size() < limit && steps < max_steps) {
    std::size_t agreed = 0, i = 0;
    bool found = true;
    while (agreed < groups.size()) {
      ++steps;
      const std::uint64_t x = group_le(runs[i], cand);
      if (x == 0) {
        found = false;
        break;
      }
      if (x == cand) {
        ++agreed;
      } else {
        cand = x;
        agreed = 1;
      }
      i = (i + 1) % groups.size();
    }
    if (!found) break;
    if (accept(cand)) out.push_back(cand);
    if (cand == 1) break;
    --cand;
  }
  return out;
}

std::string snippet(std::string_view text, const ParsedQuery& q, std::size_t width) {
  std::string folded(text.size(), ' ');
  handoff::fold_into(text, reinterpret_cast<unsigned char*>(folded.data()));
  std::size_t at = std::string::npos;
  auto words = q.exact;
  if (!q.prefix.empty()) words.push_back(q.prefix);
  for (const auto& w : words) {
    for (std::size_t p = folded.find(w); p != std::string::npos; p = folded.find(w, p + 1)) {
      const bool starts_word = p == 0 || folded[p - 1] == ' ';
      if (starts_word) {
        at = std::min(at, p);
        break;
      }
    }
  }
  if (at == std::string::npos) at = 0;
  std::size_t begin = at > width / 3 ? at - width / 3 : 0;
  std::size_t end = std::min(text.size(), begin + width);
  auto continuation = [&](std::size_t i) {
    return i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80;
  };
  while (begin > 0 && continuation(begin)) --begin;
  while (end < text.size() && continuation(end)) --end;
  std::string out;
  if (begin > 0) out += "…";
  out += text.substr(begin, end - begin);
  if (end < text.size()) out += "…";
  return out;
}

}  // namespace sb::inbox
