// services/admin/report_scan.h — how the reports (statistics, exports) read the whole
// conversations table: in steps on the event loop (store/stepped_scan.h), at most a few at
// once.
//
// Why a cap: each running report holds its tallies (or, for a CSV download, up to its byte
// cap) in memory and shares the loop with every channel; an admin's reloads or a script
// asking again and again must not multiply that. Past the cap the answer is 503 with
// Retry-After: the report is asked again, nothing is queued.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

#include "services/admin/router.h"
#include "services/proto/records.pb.h"
#include "services/inbox/inbox.h"

namespace sb::admin {

class ReportSlots {
 public:
  static constexpr std::size_t kDefaultCap = 2;
  // A conversation record parses in a few microseconds: a step stays within milliseconds.
  static constexpr std::size_t kDefaultRowsPerStep = 1000;
  explicit ReportSlots(std::size_t cap = kDefaultCap, std::size_t rows_per_step = kDefaultRowsPerStep)
      : cap_(cap), rows_per_step_(rows_per_step) {}
  // A slot held until the last copy of the token goes (it may outlive this object); nullptr
  // when every slot is taken. Event loop thread only.
  std::shared_ptr<void> acquire();
  std::size_t running() const { return *running_; }
  std::size_t rows_per_step() const { return rows_per_step_; }

 private:
  std::size_t cap_, rows_per_step_;
  std::shared_ptr<std::size_t> running_ = std::make_shared<std::size_t>(0);
};

// Feeds every conversation record to `add` (false stops the scan) in steps handed to `post`,
// then calls `done` with whether the scan read every record: false when a record does not
// parse (a damaged file), a read failed, or `add` stopped it (`stopped_early` tells which).
using ConversationScan = inbox::ConversationSteps;
void scan_conversations(const inbox::Inbox& inbox, ConversationScan scan);

// 503 "busy, retry" when every report slot is taken.
Response reports_busy(const Request& req);

}  // namespace sb::admin
