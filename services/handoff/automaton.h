// services/handoff/automaton.h — the compiled multi-pattern matcher (Aho-Corasick as a DFA).
//
// Keys are normalized patterns framed by word boundaries: " refund " (whole word) or
// " refund" (prefix form refund*). Because word boundaries are spelled as a space in the key,
// the automaton needs no boundary checks of its own: it reads the text through a byte-class
// table in which every boundary byte is the space class, apostrophes are ignored (a
// self-loop), and a space after a space is a self-loop too ("cancel   my" == "cancel my").
//
// Layout, chosen by measurement (README "Performance"): states are numbered in BFS order; the
// first ones (the shallow, hot part, up to a memory budget) get dense rows of transitions
// indexed by byte class, pre-multiplied so a step is one load; deeper states keep sparse edge
// lists and a failure link, and are only visited while a text really follows a long key.
//
// Word-start prefilter: every key begins with a boundary, so every occurrence begins at a word
// start. scan() classifies the text 16 bytes at a time (GCC vector extensions: SSE2 / NEON)
// into bitmasks of word bytes and ignored bytes and a lower-cased copy; lists the word starts
// (only the words of a length some key's first word has, when some length begins no key);
// then, in stage 1, probes every listed word's first (up to) 4 bytes against a blocked Bloom
// filter of the keys' first words (one 64-bit block per probe, two bits in it, ~32 bits per
// key) without a branch per word, keeping the ones that pass; in stage 2, for each of those,
// probes a second filter: (first word, second word) of the phrase keys and (first word, solo)
// of the one-word keys, so everyday words that only begin phrases ("the", "not", "a") run the
// DFA only when the next word fits too. A run stops at the first boundary after which the DFA
// is in a "quiet" state (one that behaves exactly like the state after a plain boundary), so
// words that no key begins with are never fed to the DFA. Every byte is read by the DFA at
// most once: the scan stays linear whatever the rules and the text.
//
// Immutable after build(); scan() is const and safe to call from many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sb::handoff {

class Automaton {
 public:
  // A key ended at `end`: the index of the byte whose reading completed it, or the text size
  // for the virtual boundary after the last byte.
  struct Hit {
    std::uint32_t key;
    std::uint32_t end;
  };

  static constexpr std::size_t kDefaultDenseBudget = 2u << 20;  // bytes of dense rows

  Automaton() = default;
  // `keys` must each start with ' ' and hold at least one other byte (RuleSet guarantees it).
  static Automaton build(const std::vector<std::string>& keys,
                         std::size_t dense_budget_bytes = kDefaultDenseBudget);

  // Reads `n` bytes (raw ASCII text or the output of fold_into) as if preceded and followed by
  // a boundary; appends every key occurrence to `hits` (in no particular order).
  void scan(const unsigned char* text, std::size_t n, std::vector<Hit>& hits) const;
  // The same without the prefilter (the DFA reads every byte); for tests and fuzzing.
  void scan_full(const unsigned char* text, std::size_t n, std::vector<Hit>& hits) const;

  // Maps a text byte to what the automaton sees (0 other, 1 boundary, 2 ignored, 3.. key bytes).
  unsigned char byte_class(unsigned char b) const { return cls_[b]; }
  const std::string& key(std::uint32_t id) const { return keys_[id]; }
  std::size_t key_count() const { return keys_.size(); }
  std::size_t state_count() const { return fail_.size(); }
  std::size_t memory_bytes() const;

  static constexpr unsigned char kOther = 0, kSpace = 1, kIgnoreClass = 2;

 private:
  static constexpr std::uint32_t kOut = 1u << 31;     // the target state reports keys
  static constexpr std::uint32_t kSparse = 1u << 30;  // low bits are a state id, not a row
  static constexpr std::uint32_t kQuiet = 1u << 29;   // behaves like the state after " "
  static constexpr std::uint32_t kMask = kQuiet - 1;
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  struct Edge {
    std::uint32_t entry;
    unsigned char cls;
  };

  std::uint32_t entry_of(std::uint32_t state) const;
  std::uint32_t state_of(std::uint32_t entry) const;
  std::uint32_t step(std::uint32_t entry, unsigned char c) const;
  std::uint32_t step_sparse(std::uint32_t state, unsigned char c) const;
  void report(std::uint32_t entry, std::uint32_t end, std::vector<Hit>& hits) const;
  // Runs the DFA from the state after a boundary at `from`; with StopWhenQuiet, returns the
  // position after the boundary that made it quiet, else (or at the end) n.
  template <bool StopWhenQuiet>
  std::size_t run(const unsigned char* text, std::size_t from, std::size_t n,
                  std::vector<Hit>& hits) const;

  unsigned char cls_[256] = {};
  std::uint32_t ncls_ = 3;
  std::uint32_t dense_states_ = 0;
  std::uint32_t start_ = 0;  // entry after the virtual leading boundary
  std::uint32_t max_key_ = 0;
  std::vector<std::uint32_t> dense_;       // dense_states_ * ncls_ entries
  std::vector<std::uint32_t> fail_;        // per state
  std::vector<std::uint32_t> own_;         // per state: the key ending here, or kNone
  std::vector<std::uint32_t> dict_;        // per state: next suffix state with a key, or kNone
  std::vector<std::uint32_t> edge_begin_;  // per sparse state (+1 sentinel), into edges_
  std::vector<Edge> edges_;
  std::vector<bool> last_space_;  // per state: reached by a boundary (space self-loop)
  std::vector<bool> quiet_;       // per state: " ", or a leaf after a boundary failing to one
  // Prefilter (see the top of this file).
  std::vector<std::uint64_t> filter_;  // a power of two of 64-bit blocks
  std::uint32_t short_prefixes_ = 0;  // bit L: a prefix key's only word has L < 4 bytes
  std::uint32_t word_lengths_ = 0;    // bit L-1: a key may begin with a word of L (4: 4+) bytes
  bool use_filter_ = false;           // off when the bitset is too full to pay
  // Second stage: (first word, second word) of every phrase key, and (first word, kSolo) of
  // every one-word key. Everyday words that only begin phrases ("the", "not", "a") pass the
  // first filter; this one lets the DFA run only when the next word fits too.
  std::vector<std::uint64_t> pair_filter_;  // a power of two of 64-bit blocks
  bool vector_classes_ = false;       // the vector classifier agrees with cls_ on all bytes
  std::vector<std::string> keys_;
};

}  // namespace sb::handoff
