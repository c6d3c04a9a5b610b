// services/handoff/automaton.cpp — building and running the Aho-Corasick DFA.
#include "services/handoff/automaton.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <memory>
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

// The prefilter reads the text through a copy in which every boundary byte is 0 and every
// other byte has its 0x20 bit set (ASCII letters lower-cased; the keys get the same treatment,
// so it is harmless elsewhere). The "feature" of a word start is the 4 bytes there with
// everything from the first 0 on cleared: the word's first 4 bytes, zero-padded.
inline std::uint32_t feature(std::uint32_t f) {
  if constexpr (std::endian::native == std::endian::little) {
    const std::uint32_t t = (f - 0x01010101u) & ~f & 0x80808080u;  // lowest bit: first 0 byte
    return f & ((t & (0u - t)) - 1);
  } else {
    unsigned char b[4];
    std::memcpy(b, &f, 4);
    bool zero = false;
    for (auto& c : b) c = (zero |= c == 0) ? 0 : c;
    std::memcpy(&f, b, 4);
    return f;
  }
}

// The first `l` bytes (in memory order) of a feature.
inline std::uint32_t first_bytes(std::uint32_t f, std::size_t l) {
  unsigned char b[4];
  std::memcpy(b, &f, 4);
  for (std::size_t i = l; i < 4; ++i) b[i] = 0;
  std::memcpy(&f, b, 4);
  return f;
}

inline std::size_t feature_length(std::uint32_t f) {
  unsigned char b[4];
  std::memcpy(b, &f, 4);
  std::size_t l = 0;
  while (l < 4 && b[l]) ++l;
  return l;
}

// The prefilters are "blocked" Bloom filters: one 64-bit product of the key picks a 64-bit
// block (bits 38..51) and two bits in it (bits 52..57 and 58..63), so a probe is one
// multiply, one load and one compare, with no branch: the scan probes every word of a message
// and keeps the ones that pass instead of branching on each (for the everyday words that
// begin phrases, passing is close to a coin toss, and each wrong guess of a branch costs more
// than a probe).
constexpr std::uint64_t kFeatureHash = 0x9E3779B97F4A7C15ULL, kPairHash = 0xC2B2AE3D27D4EB4FULL;
constexpr std::uint32_t kMaxBlockLog = 14;     // bits 38..51 of the product
constexpr std::size_t kFilterBitsPerKey = 32;  // ~0.5% false positives with 2 bits per key

struct BlockProbe {
  std::size_t block;
  std::uint64_t bits;
};
inline BlockProbe block_probe(std::uint64_t g, std::uint64_t block_mask) {
  return {static_cast<std::size_t>((g >> 38) & block_mask),
          (std::uint64_t(1) << (g >> 58)) | (std::uint64_t(1) << ((g >> 52) & 63))};
}

// The pair filter's key: the first word's feature and the second's (or kSolo).
constexpr std::uint32_t kSolo = 0xFFFFFFFFu;
inline std::uint64_t pair_key(std::uint32_t f1, std::uint32_t f2) {
  return (std::uint64_t(f1) * 0x9E3779B97F4A7C15ULL) ^ f2;
}

// 16 bytes at a time with GCC vector extensions (SSE2 on x86-64, NEON on ARM, plain code
// elsewhere). The layout it assumes (ASCII letters/digits/apostrophes and every byte >= 0x80
// are not boundaries; apostrophes, kPad and kIgnore are ignored) is checked against the
// automaton's class table in build(); when they disagree, scan() classifies through the table.
using V16 = unsigned char __attribute__((vector_size(16)));

// The high bit of each of the 16 bytes, as 16 bits. SSE2 has one instruction for it (GCC's
// builtin, no header); elsewhere (NEON) a multiply gathers each half's 8 bits.
inline std::uint32_t movemask16(V16 v) {
#if defined(__SSE2__)
  return static_cast<std::uint32_t>(
      __builtin_ia32_pmovmskb128(reinterpret_cast<char __attribute__((vector_size(16)))>(v)));
#else
  std::uint64_t h[2];
  std::memcpy(h, &v, 16);
  auto gather8 = [](std::uint64_t x) {
    return static_cast<std::uint32_t>(((x & 0x8080808080808080ULL) * 0x0002040810204081ULL) >> 56);
  };
  return gather8(h[0]) | (gather8(h[1]) << 8);
#endif
}

// Writes the prefilter's copy of p[0..16) to `low`; returns bit i = byte i is not a boundary;
// ORs into `seen` the ignored bytes.
inline std::uint32_t classify16(const unsigned char* p, unsigned char* low, V16& seen,
                                std::uint32_t& ignored) {
  V16 x;
  std::memcpy(&x, p, 16);
  const V16 lo = x | 0x20;
  const V16 apos = reinterpret_cast<V16>(x == '\'') | reinterpret_cast<V16>(x == '`');
  const V16 ig = apos | reinterpret_cast<V16>(x >= 0xFE);
  seen |= ig;
  ignored = movemask16(ig);
  const V16 m = reinterpret_cast<V16>(static_cast<V16>(lo - 'a') < 26) |
                reinterpret_cast<V16>(static_cast<V16>(x - '0') < 10) | apos |
                reinterpret_cast<V16>(x >= 0x80);
  const V16 out = lo & m;
  std::memcpy(low, &out, 16);
  return movemask16(m);
}

inline bool nonspace_byte(unsigned char b) {
  const unsigned char lo = b | 0x20;
  return static_cast<unsigned char>(lo - 'a') < 26 || static_cast<unsigned char>(b - '0') < 10 ||
         b == '\'' || b == '`' || b >= 0x80;
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
  a.cls_[static_cast<unsigned char>('\'')] = a.cls_[static_cast<unsigned char>('`')] = kIgnoreClass;
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
  a.quiet_.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t old = order[i];
    a.fail_[i] = renum[fail[old]];
    a.own_[i] = trie[old].own;
    a.dict_[i] = dict[old] == kNone ? kNone : renum[dict[old]];
    a.last_space_[i] = trie[old].last_space;
    // Quiet: the DFA from here does exactly what it does from " " (state 1): a leaf reached by
    // a boundary has no edges of its own, so it follows its failure link, which also ends in a
    // boundary; both loop on boundaries and ignored bytes. BFS order: fail_[i] is done.
    a.quiet_[i] = i == 1 || (i > 1 && trie[old].kids.empty() && a.last_space_[i] &&
                             a.quiet_[a.fail_[i]]);
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
    // Self-loops end no new key: the state's keys were reported when it was entered. An
    // ignored byte is no boundary, so it does not make the state quiet either.
    row[kIgnoreClass] = a.entry_of(s) & ~(kOut | kQuiet);
    if (a.last_space_[s]) row[kSpace] = a.entry_of(s) & ~kOut;
  }
  // Sparse edge lists for the rest.
  a.edge_begin_.reserve(n - k + 1);
  for (std::size_t s = k; s < n; ++s) {
    a.edge_begin_.push_back(static_cast<std::uint32_t>(a.edges_.size()));
    for (const auto& [c, v] : trie[order[s]].kids) a.edges_.push_back(Edge{a.entry_of(renum[v]), c});
  }
  a.edge_begin_.push_back(static_cast<std::uint32_t>(a.edges_.size()));
  a.start_ = a.entry_of(1) & ~(kOut | kQuiet);  // " " reports nothing: keys have 2+ bytes

  // The prefilter: the first word of every key, as scan() will see it at a word start.
  std::vector<std::uint32_t> features;
  std::vector<std::uint64_t> pairs;
  // The feature of the word at key[j] (4 bytes, zero-padded); j ends after what was read.
  auto word_feature = [&](const std::string& key, std::size_t& j, std::size_t& len) {
    unsigned char b[4] = {};
    len = 0;
    for (; j < key.size() && len < 4; ++j) {
      const unsigned char c = a.cls_[static_cast<unsigned char>(key[j])];
      if (c == kSpace) break;
      if (c != kIgnoreClass) b[len++] = static_cast<unsigned char>(key[j]) | 0x20;
    }
    std::uint32_t f;
    std::memcpy(&f, b, 4);
    return f;
  };
  for (const auto& key : keys) {
    std::size_t len = 0, j = 1;
    const std::uint32_t f = word_feature(key, j, len);
    // The second word, if any: skip the rest of the first word and the space after it.
    std::size_t k = j;
    while (k < key.size() && key[k] != ' ') ++k;
    std::size_t len2 = 0, k2 = k + 1;
    const bool phrase = k + 1 < key.size();
    const std::uint32_t f2 = phrase ? word_feature(key, k2, len2) : 0;
    // A short prefix-form second word ("not ok*") could be a longer word in the text: solo.
    if (phrase && !(len2 < 4 && k2 == key.size())) pairs.push_back(pair_key(f, f2));
    else pairs.push_back(pair_key(f, kSolo));
    // A prefix key whose only word is shorter than 4 bytes: words that merely begin with it.
    const bool open = len < 4 && j == key.size();
    if (open) a.short_prefixes_ |= 1u << len;
    // Which word lengths (1, 2, 3, 4 or more bytes) can begin a key.
    if (len > 0) a.word_lengths_ |= open ? (0xFu << (len - 1)) & 0xFu : 1u << (len - 1);
    features.push_back(f);
  }
  std::sort(features.begin(), features.end());
  features.erase(std::unique(features.begin(), features.end()), features.end());
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  // Blocks: a power of two, at least kFilterBitsPerKey bits per key, 64 .. 16,384 blocks.
  auto blocks = [](std::size_t count) {
    std::uint32_t log = 6;
    while (log < kMaxBlockLog && (std::size_t(64) << log) < count * kFilterBitsPerKey) ++log;
    return std::size_t(1) << log;
  };
  a.filter_.assign(blocks(features.size()), 0);
  for (const std::uint32_t f : features) {
    const BlockProbe b = block_probe(f * kFeatureHash, a.filter_.size() - 1);
    a.filter_[b.block] |= b.bits;
  }
  a.pair_filter_.assign(blocks(pairs.size()), 0);
  for (const std::uint64_t p : pairs) {
    const BlockProbe b = block_probe(p * kPairHash, a.pair_filter_.size() - 1);
    a.pair_filter_[b.block] |= b.bits;
  }
  std::size_t set = 0;
  for (const std::uint64_t w : a.filter_) set += static_cast<std::size_t>(std::popcount(w));
  // Too full (> 1/2: a quarter of all words would pass), or a key without a first word (only
  // a hand-made key can be one): the DFA alone is cheaper than probing first.
  a.use_filter_ = set * 2 < a.filter_.size() * 64 && !(a.short_prefixes_ & 1);
  a.vector_classes_ = true;
  for (int b = 0; b < 256; ++b) {
    const unsigned char c = a.cls_[b];
    const bool ignore = b == '\'' || b == '`' || b == kPad || b == kIgnore;
    a.vector_classes_ &= nonspace_byte(static_cast<unsigned char>(b)) == (c != kSpace) &&
                         ignore == (c == kIgnoreClass);
  }
  return a;
}

std::uint32_t Automaton::entry_of(std::uint32_t state) const {
  const std::uint32_t out = (own_[state] != kNone || dict_[state] != kNone) ? kOut : 0;
  const std::uint32_t quiet = quiet_[state] ? kQuiet : 0;
  return (state < dense_states_ ? state * ncls_ : (state | kSparse)) | out | quiet;
}

std::uint32_t Automaton::state_of(std::uint32_t entry) const {
  entry &= ~(kOut | kQuiet);
  return (entry & kSparse) ? (entry & kMask) : entry / ncls_;
}

std::uint32_t Automaton::step_sparse(std::uint32_t t, unsigned char c) const {
  if (c == kIgnoreClass) return entry_of(t) & ~(kOut | kQuiet);
  if (c == kSpace && last_space_[t]) return entry_of(t) & ~kOut;
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

template <bool StopWhenQuiet>
std::size_t Automaton::run(const unsigned char* text, std::size_t from, std::size_t n,
                           std::vector<Hit>& hits) const {
  const std::uint32_t* dense = dense_.data();  // locals: no reloads through `this`
  const unsigned char* cls = cls_;
  constexpr std::uint32_t kFlags = StopWhenQuiet ? (kOut | kQuiet) : kOut;
  std::uint32_t e = start_;
  for (std::size_t i = from; i < n; ++i) {
    const unsigned char c = cls[text[i]];
    e = __builtin_expect((e & kSparse) != 0, 0) ? step_sparse(e & kMask, c) : dense[e + c];
    if (__builtin_expect((e & kFlags) != 0, 0)) {
      if (e & kOut) report(e, static_cast<std::uint32_t>(i), hits);
      if (StopWhenQuiet && (e & kQuiet)) return i + 1;
    }
    e &= ~(kOut | kQuiet);
  }
  e = step(e, kSpace);  // the virtual boundary after the text
  if (e & kOut) report(e, static_cast<std::uint32_t>(n), hits);
  return n;
}

void Automaton::scan_full(const unsigned char* text, std::size_t n, std::vector<Hit>& hits) const {
  if (keys_.empty()) return;
  run<false>(text, 0, n, hits);
}

void Automaton::scan(const unsigned char* text, std::size_t n, std::vector<Hit>& hits) const {
  if (keys_.empty()) return;
  if (!use_filter_ || n >= (std::size_t(1) << 30)) {
    run<false>(text, 0, n, hits);
    return;
  }
  // Bit i of `word`: byte i is not a boundary (a word byte or an ignored one); of `ign`: byte
  // i is ignored. One spare word of zeros at the end so a run's length can look ahead.
  // `low`: the prefilter's copy (see feature()), zero-padded.
  const std::size_t words = n / 64 + 2;
  const std::size_t low_size = (n / 16 + 2) * 16;
  constexpr std::size_t kLocalWords = 34;  // texts up to 2,111 bytes stay on the stack
  std::uint64_t local_bits[2 * kLocalWords];
  alignas(16) unsigned char local_low[kLocalWords * 64 + 32];  // >= low_size, see below
  // Word starts to probe (at most one per two bytes, and the end); the ones that pass stage 1
  // (their index, with flags: indexes stay below 2^30 as longer texts take the plain DFA
  // above) and their features.
  constexpr std::size_t kLocalStarts = kLocalWords * 32 + 1;
  std::uint32_t local_probe[kLocalStarts], local_cand[kLocalStarts], local_feature[kLocalStarts];
  std::unique_ptr<std::uint64_t[]> heap_bits;
  std::unique_ptr<unsigned char[]> heap_low;
  std::unique_ptr<std::uint32_t[]> heap_starts;
  std::uint64_t* word = local_bits;
  unsigned char* low = local_low;
  std::uint32_t* probe_at = local_probe;
  std::uint32_t* cand = local_cand;
  std::uint32_t* cand_feature = local_feature;
  if (words > kLocalWords) {
    heap_bits = std::make_unique<std::uint64_t[]>(2 * words);
    heap_low = std::make_unique<unsigned char[]>(low_size);
    const std::size_t max_starts = words * 32 + 1;
    heap_starts = std::make_unique<std::uint32_t[]>(3 * max_starts);
    word = heap_bits.get();
    low = heap_low.get();
    probe_at = heap_starts.get();
    cand = probe_at + max_starts;
    cand_feature = cand + max_starts;
  }
  std::uint64_t* ign = word + words;
  std::memset(word, 0, 2 * words * sizeof(std::uint64_t));
  bool any_ignored = false;
  std::size_t i = 0;
  if (vector_classes_) {
    V16 seen{};
    std::uint32_t g0, g1, g2, g3;
    for (; i + 64 <= n; i += 64) {  // one store per 64 bytes: no read-modify-write chain
      word[i / 64] = std::uint64_t(classify16(text + i, low + i, seen, g0)) |
                     (std::uint64_t(classify16(text + i + 16, low + i + 16, seen, g1)) << 16) |
                     (std::uint64_t(classify16(text + i + 32, low + i + 32, seen, g2)) << 32) |
                     (std::uint64_t(classify16(text + i + 48, low + i + 48, seen, g3)) << 48);
      ign[i / 64] = std::uint64_t(g0) | (std::uint64_t(g1) << 16) | (std::uint64_t(g2) << 32) |
                    (std::uint64_t(g3) << 48);
    }
    for (; i + 16 <= n; i += 16) {
      word[i / 64] |= std::uint64_t(classify16(text + i, low + i, seen, g0)) << (i % 64);
      ign[i / 64] |= std::uint64_t(g0) << (i % 64);
    }
    unsigned char tail[16] = {};  // zeros are boundaries
    std::memcpy(tail, text + i, n - i);
    word[i / 64] |= std::uint64_t(classify16(tail, low + i, seen, g0)) << (i % 64);
    ign[i / 64] |= std::uint64_t(g0) << (i % 64);
    std::memset(low + i + 16, 0, 16);
    std::uint64_t h[2];
    std::memcpy(h, &seen, 16);
    any_ignored = (h[0] | h[1]) != 0;
  } else {
    std::memset(low, 0, low_size);
    for (; i < n; ++i) {
      const unsigned char c = cls_[text[i]];
      word[i / 64] |= std::uint64_t(c != kSpace) << (i % 64);
      ign[i / 64] |= std::uint64_t(c == kIgnoreClass) << (i % 64);
      low[i] = c == kSpace ? 0 : (text[i] | 0x20);
    }
    any_ignored = true;
  }
  // From here on, bit i of `ign`: one of the 4 bytes from i is ignored (then a feature is
  // gathered the slow way). In place, low words first: word w reads only w and w + 1.
  if (any_ignored)
    for (std::size_t w = 0; w + 1 < words; ++w) {
      const std::uint64_t cur = ign[w], next = ign[w + 1];
      ign[w] = cur | (cur >> 1) | (next << 63) | (cur >> 2) | (next << 62) | (cur >> 3) | (next << 61);
    }
  // Word starts (a non-boundary byte after a boundary, or at the start), in order. When some
  // word length begins no key (bit arithmetic finds each word's length, 64 bytes at a time),
  // only the words of the other lengths, or with an ignored byte among their first 4 (their
  // length is not known yet); else all of them, and then the word after probe_at[j] begins
  // at probe_at[j + 1].
  const bool all_starts = word_lengths_ == 0xF;
  std::size_t to_probe = 0;
  {
    const std::uint64_t len1 = (word_lengths_ & 1) ? ~0ULL : 0, len2 = (word_lengths_ & 2) ? ~0ULL : 0,
                        len3 = (word_lengths_ & 4) ? ~0ULL : 0, len4 = (word_lengths_ & 8) ? ~0ULL : 0;
    std::uint64_t carry = 0;
    for (std::size_t w = 0; w + 1 < words; ++w) {
      const std::uint64_t cur = word[w];
      std::uint64_t keep = cur & ~((cur << 1) | carry);
      carry = cur >> 63;
      if (!all_starts) {
        const std::uint64_t next = word[w + 1];
        const std::uint64_t ge2 = keep & ((cur >> 1) | (next << 63));
        const std::uint64_t ge3 = ge2 & ((cur >> 2) | (next << 62));
        const std::uint64_t ge4 = ge3 & ((cur >> 3) | (next << 61));
        keep &= (keep & ~ge2 & len1) | (ge2 & ~ge3 & len2) | (ge3 & ~ge4 & len3) | (ge4 & len4) |
                (any_ignored ? ign[w] : 0);
      }
      while (keep) {
        probe_at[to_probe++] = static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(__builtin_ctzll(keep)));
        keep &= keep - 1;
      }
    }
    probe_at[to_probe] = static_cast<std::uint32_t>(n);
  }
  // The start of the word after the one at `at`, or n: the end of the word, then the next
  // non-boundary byte, 64 bits at a time (the spare zero word at the end stops both).
  auto next_word = [&](std::size_t at) {
    std::size_t e = at;
    for (;;) {
      const std::uint64_t rest = ~word[e / 64] >> (e % 64);
      if (rest) {
        e += static_cast<std::size_t>(__builtin_ctzll(rest));
        break;
      }
      e = (e / 64 + 1) * 64;
    }
    for (;;) {
      if (e >= n) return n;
      const std::uint64_t rest = word[e / 64] >> (e % 64);
      if (rest) return std::min(n, e + static_cast<std::size_t>(__builtin_ctzll(rest)));
      e = (e / 64 + 1) * 64;
    }
  };
  auto ignored4 = [&](std::size_t at) { return ((ign[at / 64] >> (at % 64)) & 1) != 0; };
  // The feature of the word at `at` (see feature()); 0 when it holds only ignored bytes.
  auto feature_at = [&](std::size_t at) {
    std::uint32_t f;
    if (__builtin_expect(any_ignored, 0) && ignored4(at)) {
      unsigned char b[4] = {};
      std::size_t len = 0;
      for (std::size_t j = at; j < n && len < 4; ++j) {
        const unsigned char c = cls_[text[j]];
        if (c == kSpace) break;
        if (c != kIgnoreClass) b[len++] = text[j] | 0x20;
      }
      std::memcpy(&f, b, 4);
      return f;
    }
    std::memcpy(&f, low + at, 4);
    return feature(f);
  };
  const std::uint64_t* filter = filter_.data();
  const std::uint64_t filter_mask = filter_.size() - 1;
  auto probe = [&](std::uint32_t f) {
    const BlockProbe b = block_probe(f * kFeatureHash, filter_mask);
    return (filter[b.block] & b.bits) == b.bits;
  };
  const std::uint64_t* pair_filter = pair_filter_.data();
  const std::uint64_t pair_mask = pair_filter_.size() - 1;
  auto probe_pair = [&](std::uint32_t f1, std::uint32_t f2) {
    const BlockProbe b = block_probe(pair_key(f1, f2) * kPairHash, pair_mask);
    return (pair_filter[b.block] & b.bits) == b.bits;
  };
  // Stage 1, every word: its first word feature in the filter, or (only with short one-word
  // prefix keys, "ab*") a shorter prefix of it. The ones that pass are kept, with no branch.
  const std::uint32_t short_prefixes = short_prefixes_;
  std::size_t kept = 0;
  for (std::size_t j = 0; j < to_probe; ++j) {
    const std::uint32_t at = probe_at[j];
    const std::uint32_t f = feature_at(at);
    std::uint32_t pass = probe(f);
    if (__builtin_expect(short_prefixes != 0, 0)) {
      std::uint32_t any = 0;
      for (std::size_t l = 1; l < 4 && l <= feature_length(f); ++l)
        any |= ((short_prefixes >> l) & 1) && probe(first_bytes(f, l));
      pass |= any << 1;
    }
    pass &= f != 0 ? 3u : 0u;  // only ignored bytes: no word here
    cand[kept] = static_cast<std::uint32_t>(j) | (pass << 30);
    cand_feature[kept] = f;
    kept += pass != 0;
  }
  // Stage 2, the words that passed: a one-word key begins with the word, or a phrase key with
  // the word and the next one (an ignored byte among the next word's first 4: say yes). The
  // DFA runs from the words that pass both, or begin a short prefix key.
  std::size_t done = 0;  // bytes before this were read by a DFA run
  for (std::size_t i = 0; i < kept; ++i) {
    const std::size_t j = cand[i] & ((1u << 30) - 1);
    const std::size_t at = probe_at[j];
    if (at < done) continue;
    const std::uint32_t f = cand_feature[i];
    bool go = (cand[i] >> 31) != 0;  // a short prefix key
    if (cand[i] & (1u << 30)) {
      const std::size_t s = all_starts ? probe_at[j + 1] : next_word(at);
      std::uint32_t f2;
      std::memcpy(&f2, low + s, 4);  // zeros past the text
      go = go || probe_pair(f, kSolo) ||
           (s < n && (probe_pair(f, feature(f2)) || (any_ignored && ignored4(s))));
    }
    if (go) done = run<true>(text, at, n, hits);
  }
}

std::size_t Automaton::memory_bytes() const {
  std::size_t m = sizeof(*this);
  m += dense_.capacity() * sizeof(std::uint32_t);
  m += (fail_.capacity() + own_.capacity() + dict_.capacity() + edge_begin_.capacity()) *
       sizeof(std::uint32_t);
  m += edges_.capacity() * sizeof(Edge) + (last_space_.capacity() + quiet_.capacity()) / 8;
  m += (filter_.capacity() + pair_filter_.capacity()) * sizeof(std::uint64_t);
  for (const auto& k : keys_) m += sizeof(std::string) + (k.capacity() > 15 ? k.capacity() : 0);
  return m;
}

}  // namespace sb::handoff
