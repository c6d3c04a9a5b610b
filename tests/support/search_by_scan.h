// tests/support/search_by_scan.h — what a search must find, found the slow way: every message
// read and matched (non-system ones whose words hold the query), newest first. The reference
// the search index is checked against (tests) and measured against (bench_search).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "services/inbox/search_index.h"
#include "services/proto/records.pb.h"
#include "services/store/store.h"

namespace sb::test {

inline std::vector<std::uint64_t> search_by_scan(const store::Store& st, const inbox::ParsedQuery& q,
                                                 std::size_t limit) {
  std::vector<std::uint64_t> hits;
  st.read([&](const store::ReadTxn& r) {
    r.scan(store::Table::messages, {}, [&](std::string_view, std::string_view v) {
      switchboard::store::Message m;
      if (!m.ParseFromArray(v.data(), static_cast<int>(v.size())) || m.author() == "system") return true;
      auto terms = inbox::search_terms(m.text());
      bool all = true;
      for (const auto& e : q.exact) all = all && std::find(terms.begin(), terms.end(), e) != terms.end();
      if (all && !q.prefix.empty())
        all = std::any_of(terms.begin(), terms.end(),
                          [&](const std::string& t) { return t.rfind(q.prefix, 0) == 0; });
      if (all) hits.push_back(m.id());
      return true;
    });
  });
  // Newest first: the table is walked oldest first.
  std::sort(hits.rbegin(), hits.rend());
  if (hits.size() > limit) hits.resize(limit);
  return hits;
}

}  // namespace sb::test
