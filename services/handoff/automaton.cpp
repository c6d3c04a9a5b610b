// services/handoff/automaton.cpp — building and running the Aho-Corasick DFA.
#include "services/handoff/automaton.h"

#include <algorithm>
#include <utility>

#include "services/handoff/normalizer.h"

namespace sb::handoff {
namespace {

struct TrieNode {
  std::vector<std::pair<unsigned char, std::uint32_t>> kids;  // (class, node)
  std::uint32_t own = 0xFFFFFFFFu;
  bool last_space = false;
};

std::uint32_t child(const TrieNode& n, unsigned char c) {
  for (const auto& [k, v] : n.kids)
    if (k == c) return v;
  return 0xFFFFFFFFu;
}

}  // namespace

Automaton Automaton::build(const std::vector<std::string>& keys, std::size_t dense_budget_bytes) {
  Automaton a;
  a.keys_ = keys;
  if (keys.empty()) return a;  // scan() returns at once; nothing else is needed

  // Byte classes. Boundaries are one class, apostrophes/padding another; only bytes that occur
  // in keys get classes of their own, so rows stay short. Upper-case ASCII shares the class of
  // its lower-case letter: the raw ASCII text can then be scanned without folding it first.
  for (int b = 0; b < 128; ++b) {
    const bool alnum = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
    a.cls_[b] = alnum ? kOther : kSpace;
  }
  a.cls_['\''] = a.cls_['`'] = kIgnoreClass;
  a.cls_[kPad] = a.cls_[kIgnore] = kIgnoreClass;
  bool assigned[256] = {};
  unsigned next = 3;
  for (const auto& k : keys) {
    for (const char ch : k) {
      const auto b = static_cast<unsigned char>(ch);
      if (b == ' ' || assigned[b]) continue;
      assigned[b] = true;
      a.cls_[b] = static_cast<unsigned char>(next++);
      if (b >= 'a' && b <= 'z') a.cls_[b - 32] = a.cls_[b];
    }
  }
  a.ncls_ = next;

  // The trie, in insertion order.
  std::vector<TrieNode> trie(1);
  for (std::uint32_t id = 0; id < keys.size(); ++id) {
    std::uint32_t cur = 0;
    for (const char ch : keys[id]) {
      const unsigned char c = a.cls_[static_cast<unsigned char>(ch)];
      std::uint32_t nx = child(trie[cur], c);
      if (nx == kNone) {
        nx = static_cast<std::uint32_t>(trie.size());
        trie[cur].kids.emplace_back(c, nx);
        trie.emplace_back();
        trie[nx].last_space = (c == kSpace);
      }
      cur = nx;
    }
    if (trie[cur].own == kNone) trie[cur].own = id;
    a.max_key_ = std::max<std::uint32_t>(a.max_key_, static_cast<std::uint32_t>(keys[id].size()));
  }

  // BFS order, failure links and dictionary links (in trie numbering).
  const std::size_t n = trie.size();
  std::vector<std::uint32_t> order;
  order.reserve(n);
  order.push_back(0);
  std::vector<std::uint32_t> fail(n, 0), dict(n, kNone);
  for (std::size_t qi = 0; qi < order.size(); ++qi) {
    const std::uint32_t u = order[qi];
    for (const auto& [c, v] : trie[u].kids) {
      std::uint32_t f = 0;
      if (u != 0) {
        std::uint32_t g = fail[u];
        for (;;) {
          const std::uint32_t x = child(trie[g], c);
          if (x != kNone) {
            f = x;
            break;
          }
          if (g == 0) break;
          g = fail[g];
        }
      }
      fail[v] = f;
      dict[v] = trie[f].own != kNone ? f : dict[f];
      order.push_back(v);
    }
  }
  std::vector<std::uint32_t> renum(n);
  for (std::uint32_t i = 0; i < n; ++i) renum[order[i]] = i;

  a.fail_.resize(n);
  a.own_.resize(n);
  a.dict_.resize(n);
  a.last_space_.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t old = order[i];
    a.fail_[i] = renum[fail[old]];
    a.own_[i] = trie[old].own;
    a.dict_[i] = dict[old] == kNone ? kNone : renum[dict[old]];
    a.last_space_[i] = trie[old].last_space;
  }

  // Dense rows for the shallow states (at least root and " ", which every key starts with).
  std::size_t k = dense_budget_bytes / (a.ncls_ * sizeof(std::uint32_t));
  k = std::min<std::size_t>(std::max<std::size_t>(k, 2), n);  // n >= 2: keys are non-empty
  k = std::min<std::size_t>(k, kMask / a.ncls_);
  a.dense_states_ = static_cast<std::uint32_t>(k);
  a.dense_.assign(k * a.ncls_, 0);
  for (std::uint32_t s = 0; s < k; ++s) {
    const TrieNode& node = trie[order[s]];
    std::uint32_t* row = &a.dense_[std::size_t(s) * a.ncls_];
    const std::uint32_t* frow = &a.dense_[std::size_t(a.fail_[s]) * a.ncls_];
    for (unsigned c = 0; c < a.ncls_; ++c) row[c] = s == 0 ? a.entry_of(0) : frow[c];
    for (const auto& [c, v] : node.kids) row[c] = a.entry_of(renum[v]);
    // Self-loops end no new key: the state's keys were reported when it was entered.
    row[kIgnoreClass] = a.entry_of(s) & ~kOut;
    if (a.last_space_[s]) row[kSpace] = a.entry_of(s) & ~kOut;
  }
  // Sparse edge lists for the rest.
  a.edge_begin_.reserve(n - k + 1);
  for (std::size_t s = k; s < n; ++s) {
    a.edge_begin_.push_back(static_cast<std::uint32_t>(a.edges_.size()));
    for (const auto& [c, v] : trie[order[s]].kids) a.edges_.push_back(Edge{a.entry_of(renum[v]), c});
  }
  a.edge_begin_.push_back(static_cast<std::uint32_t>(a.edges_.size()));
  a.start_ = a.entry_of(1);
  return a;
}

std::uint32_t Automaton::entry_of(std::uint32_t state) const {
  const std::uint32_t out = (own_[state] != kNone || dict_[state] != kNone) ? kOut : 0;
  return (state < dense_states_ ? state * ncls_ : (state | kSparse)) | out;
}

std::uint32_t Automaton::state_of(std::uint32_t entry) const {
  entry &= ~kOut;
  return (entry & kSparse) ? (entry & kMask) : entry / ncls_;
}

std::uint32_t Automaton::step_sparse(std::uint32_t t, unsigned char c) const {
  if (c == kIgnoreClass || (c == kSpace && last_space_[t])) return entry_of(t) & ~kOut;
  for (;;) {
    if (t < dense_states_) return dense_[std::size_t(t) * ncls_ + c];
    const std::uint32_t i = t - dense_states_;
    for (std::uint32_t e = edge_begin_[i]; e < edge_begin_[i + 1]; ++e)
      if (edges_[e].cls == c) return edges_[e].entry;
    t = fail_[t];
  }
}

inline std::uint32_t Automaton::step(std::uint32_t entry, unsigned char c) const {
  if (__builtin_expect((entry & kSparse) != 0, 0)) return step_sparse(entry & kMask, c);
  return dense_[entry + c];
}

void Automaton::report(std::uint32_t entry, std::uint32_t end, std::vector<Hit>& hits) const {
  std::uint32_t t = state_of(entry);
  if (own_[t] == kNone) t = dict_[t];
  while (t != kNone) {
    hits.push_back(Hit{own_[t], end});
    t = dict_[t];
  }
}

void Automaton::scan_range(const unsigned char* text, std::size_t from, std::size_t to,
                           std::size_t report_from, std::uint32_t e, std::vector<Hit>& hits,
                           std::uint32_t* final_entry) const {
  const std::uint32_t* dense = dense_.data();  // locals: no reloads through `this`
  const unsigned char* cls = cls_;
  for (std::size_t i = from; i < to; ++i) {
    const unsigned char c = cls[text[i]];
    e = __builtin_expect((e & kSparse) != 0, 0) ? step_sparse(e & kMask, c) : dense[e + c];
    if (__builtin_expect((e & kOut) != 0, 0)) {
      if (i >= report_from) report(e, static_cast<std::uint32_t>(i), hits);
      e &= ~kOut;
    }
  }
  *final_entry = e;
}

std::size_t Automaton::lane_start(const unsigned char* text, std::size_t boundary) const {
  // Far enough back that any key ending at or after `boundary` starts inside the lane: more
  // word bytes than the longest key has (spaces and ignored bytes may be any number).
  std::size_t j = boundary, words = 0;
  while (j > 0 && words <= max_key_) {
    --j;
    const unsigned char c = cls_[text[j]];
    if (c != kSpace && c != kIgnoreClass) ++words;
  }
  return j;
}

template <int L>
std::uint32_t Automaton::scan_lanes(const unsigned char* text, std::size_t n,
                                    std::vector<Hit>& hits) const {
  // The text is cut in L lanes of equal length that run in lockstep: L independent chains of
  // dependent loads keep the core busy while each one waits on the cache. Lane l scans
  // [from[l], from[l] + len) but reports only ends in [own[l], own[l + 1]), so the overlap
  // (lane_start) is read twice and reported once.
  const std::size_t overlap = max_key_ + 8;
  const std::size_t len = (n + (L - 1) * overlap) / L;
  std::size_t from[L], own[L + 1];
  std::uint32_t e[L];
  from[0] = own[0] = 0;
  e[0] = start_;
  for (int l = 1; l < L; ++l) {
    own[l] = std::min(n, from[l - 1] + len);
    from[l] = lane_start(text, own[l]);
    e[l] = from[l] == 0 ? start_ : 0;
  }
  own[L] = n;
  std::size_t end[L];
  for (int l = 0; l < L; ++l) end[l] = l + 1 < L ? own[l + 1] : n;
  std::size_t common = len;
  for (int l = 0; l < L; ++l) common = std::min(common, end[l] - from[l]);
  const std::uint32_t* dense = dense_.data();  // locals: no reloads through `this`
  const unsigned char* cls = cls_;
  const unsigned char* at[L];
  for (int l = 0; l < L; ++l) at[l] = text + from[l];
  for (std::size_t k = 0; k < common; ++k) {
    std::uint32_t any = 0;
#pragma GCC unroll 4
    for (int l = 0; l < L; ++l) {
      const unsigned char c = cls[at[l][k]];
      e[l] = __builtin_expect((e[l] & kSparse) != 0, 0) ? step_sparse(e[l] & kMask, c)
                                                         : dense[e[l] + c];
      any |= e[l];
    }
    if (__builtin_expect((any & kOut) != 0, 0)) {
#pragma GCC unroll 4
      for (int l = 0; l < L; ++l) {
        if (!(e[l] & kOut)) continue;
        if (from[l] + k >= own[l]) report(e[l], static_cast<std::uint32_t>(from[l] + k), hits);
        e[l] &= ~kOut;
      }
    }
  }
  std::uint32_t last = 0;
  for (int l = 0; l < L; ++l) {
    std::uint32_t fin = e[l];
    scan_range(text, from[l] + common, end[l], own[l], e[l], hits, &fin);
    if (l == L - 1) last = fin;
  }
  return last;
}

void Automaton::scan(const unsigned char* text, std::size_t n, std::vector<Hit>& hits) const {
  if (keys_.empty()) return;
  std::uint32_t last = 0;
  const std::size_t lane_min = 2 * (std::size_t(max_key_) + 8);
  // Two lanes measured faster than four on x86-64 (four spill to the stack); see README.
  if (n >= 2 * lane_min) last = scan_lanes<2>(text, n, hits);
  else scan_range(text, 0, n, 0, start_, hits, &last);
  const std::uint32_t e = step(last, kSpace);  // the virtual boundary after the text
  if (e & kOut) report(e, static_cast<std::uint32_t>(n), hits);
}

std::size_t Automaton::memory_bytes() const {
  std::size_t m = sizeof(*this);
  m += dense_.capacity() * sizeof(std::uint32_t);
  m += (fail_.capacity() + own_.capacity() + dict_.capacity() + edge_begin_.capacity()) *
       sizeof(std::uint32_t);
  m += edges_.capacity() * sizeof(Edge) + last_space_.capacity() / 8;
  for (const auto& k : keys_) m += sizeof(std::string) + (k.capacity() > 15 ? k.capacity() : 0);
  return m;
}

}  // namespace sb::handoff
