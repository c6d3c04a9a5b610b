// services/store/stepped_scan.h — a whole-table scan cut into bounded steps, for reports
// (statistics, exports) that must read every record without holding the event loop.
//
// Why steps, not a thread: a scan of a million conversations takes seconds, and the event loop
// answers every channel and agent; a reader thread would hold an LMDB read transaction while
// the loop may grow the map (which remaps the file under any reader of this process). Each
// step here is one short read transaction of at most `rows_per_step` entries; the next one is
// posted behind whatever else waits on the loop and resumes after the last key it saw. The
// rows of one scan therefore come from several snapshots: a record written meanwhile may be
// seen in its old or new state, never twice, which a report over history can accept.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "services/store/store.h"

namespace sb::store {

struct SteppedScan {
  // Hands a step to the event loop (asio::post in the service; run at once in tests).
  std::function<void(std::function<void()>)> post;
  // One entry; false ends the scan early (a report full or a record it cannot read).
  std::function<bool(std::string_view key, std::string_view value)> row;
  // Once, after the last row: `complete` is false when `row` ended it or a read failed.
  std::function<void(bool complete)> done;
  std::size_t rows_per_step = 2000;
};

// Starts the scan of `table`; the first step runs through `post` too. `store` must outlive it.
void scan_in_steps(const Store& store, Table table, SteppedScan scan);

}  // namespace sb::store
