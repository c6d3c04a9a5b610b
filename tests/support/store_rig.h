// tests/support/store_rig.h — what a suite driving the inbox over a real store starts from: an
// LMDB file in a temp dir, a fake clock, metrics, and a log that goes nowhere.
#pragma once

#include <cstdio>
#include <memory>

#include "base/log.h"
#include "hal/clock/fake_clock.h"
#include "services/common/metrics.h"
#include "services/store/store.h"
#include "tests/support/temp_dir.h"

namespace sb::test {

struct StoreRig {
  TempDir dir;
  FakeClock clock;
  std::FILE* devnull = std::fopen("/dev/null", "w");
  Log log{Level::debug, devnull};
  Metrics metrics;
  std::unique_ptr<store::Store> store = store::Store::open(dir.sub("db")).value();

  StoreRig() = default;
  StoreRig(const StoreRig&) = delete;
  StoreRig& operator=(const StoreRig&) = delete;
  ~StoreRig() { std::fclose(devnull); }
};

}  // namespace sb::test
