// services/inbox/dead_letters.h — bad input from a channel or a broker topic: counted by kind,
// logged once per kind per minute, and kept (bounded) for the technician's diagnostics. Never a
// crash, never a silent drop. Kept through the inbox's write queue, in the next group commit.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "hal/clock/clock.h"
#include "base/log.h"
#include "services/common/metrics.h"
#include "services/inbox/inbox.h"
#include "services/proto/records.pb.h"
#include "services/store/store.h"

namespace sb::inbox {

class DeadLetters {
 public:
  static constexpr std::size_t kKeep = 500;
  static constexpr std::size_t kMaxPayload = 4096;  // bytes kept of each

  DeadLetters(Inbox& inbox, const Clock& clock, Log& log, Metrics& metrics)
      : inbox_(inbox), clock_(clock), log_(log), metrics_(metrics) {}

  // `kind` is a short stable name ("not_protobuf", "missing_external_id", …). At most 20 a
  // second are kept; `kept` (may be empty) hears, after the commit, whether this one was
  // durably kept, with its payload whole (the caller may then let go of the original).
  void record(const std::string& source, const std::string& kind, const std::string& reason,
              std::string_view payload, std::function<void(bool kept)> kept = {});
  // The newest `n` kept, newest first.
  std::vector<switchboard::store::DeadLetter> recent(std::size_t n) const {
    return inbox_.dead_letters(n);
  }
  // The same read on a store without a DeadLetters (every channel's go into one table):
  // Inbox::dead_letters answers with it.
  static std::vector<switchboard::store::DeadLetter> recent(const store::Store& store,
                                                            std::size_t n);

 private:
  Inbox& inbox_;
  const Clock& clock_;
  Log& log_;
  Metrics& metrics_;
  std::map<std::string, std::int64_t> last_logged_;
  std::int64_t window_start_ = 0;
  int stored_in_window_ = 0;
};

}  // namespace sb::inbox
