// Every record of a small table (departments, agents, canned replies), in key order: the lists
// the admin page shows whole. A record that does not parse is left out of the list.
#pragma once

#include <string_view>
#include <vector>

#include "services/store/store.h"

namespace sb::inbox {

template <typename Record>
std::vector<Record> records_of(const store::ReadTxn& r, store::Table table) {
  std::vector<Record> out;
  r.scan(table, {}, [&](std::string_view, std::string_view v) {
    Record rec;
    if (rec.ParseFromArray(v.data(), static_cast<int>(v.size()))) out.push_back(std::move(rec));
    return true;
  });
  return out;
}

}  // namespace sb::inbox
