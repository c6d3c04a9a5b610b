#include "services/admin/report_scan.h"

#include "services/admin/api_util.h"

namespace sb::admin {

std::shared_ptr<void> ReportSlots::acquire() {
  if (*running_ >= cap_) return nullptr;
  ++*running_;
  // Not a null pointer: a null shared_ptr tests false however it counts.
  return std::shared_ptr<void>(running_.get(), [running = running_](void*) { --*running; });
}

void scan_conversations(const inbox::Inbox& inbox, ConversationScan scan) {
  inbox.conversations_in_steps(std::move(scan));
}

Response reports_busy(const Request& req) {
  Response res = json_error(req, http::status::service_unavailable,
                            "other reports are being prepared; try again in a few seconds");
  res.set(http::field::retry_after, "5");
  return res;
}

}  // namespace sb::admin
