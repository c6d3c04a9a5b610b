#include "services/store/stepped_scan.h"

#include <memory>
#include <string>

namespace sb::store {

namespace {

struct ScanState {
  const Store& store;
  Table table;
  SteppedScan scan;
  std::string last;  // the last key seen; empty before the first step
  bool started = false;
};

void step(const std::shared_ptr<ScanState>& s) {
  bool more = false, stopped = false;
  std::size_t rows = 0;
  const bool read = s->store.read([&](const ReadTxn& r) {
    r.scan(s->table, s->last, [&](std::string_view k, std::string_view v) {
      if (s->started && k == s->last) return true;  // the step before ended on it
      if (rows == s->scan.rows_per_step) {
        more = true;
        return false;
      }
      ++rows;
      s->last.assign(k);
      s->started = true;
      if (!s->scan.row(k, v)) {
        stopped = true;
        return false;
      }
      return true;
    });
  });
  if (read && more && !stopped) {
    auto post = s->scan.post;
    post([s] { step(s); });
    return;
  }
  auto done = std::move(s->scan.done);
  done(read && !stopped);
}

}  // namespace

void scan_in_steps(const Store& store, Table table, SteppedScan scan) {
  if (scan.rows_per_step == 0) scan.rows_per_step = 1;
  auto s = std::make_shared<ScanState>(ScanState{store, table, std::move(scan), {}, false});
  auto post = s->scan.post;
  post([s] { step(s); });
}

}  // namespace sb::store
