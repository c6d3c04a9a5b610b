#include "services/admin/report_scan.h"

#include "services/admin/api_util.h"
#include "services/store/stepped_scan.h"

namespace sb::admin {

std::shared_ptr<void> ReportSlots::acquire() {
  if (*running_ >= cap_) return nullptr;
  ++*running_;
  // Not a null pointer: a null shared_ptr tests false however it counts.
  return std::shared_ptr<void>(running_.get(), [running = running_](void*) { --*running; });
}

void scan_conversations(const store::Store& store, ConversationScan scan) {
  struct State {
    std::function<bool(const switchboard::store::Conversation&)> add;
    bool damaged = false, stopped = false;
  };
  auto s = std::make_shared<State>(State{std::move(scan.add)});
  store::SteppedScan step;
  step.post = std::move(scan.post);
  step.rows_per_step = scan.rows_per_step;
  step.row = [s](std::string_view, std::string_view v) {
    switchboard::store::Conversation c;
    if (!c.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
      s->damaged = true;
      return false;
    }
    if (!s->add(c)) s->stopped = true;
    return !s->stopped;
  };
  step.done = [s, done = std::move(scan.done)](bool complete) {
    done(complete || (s->stopped && !s->damaged), s->stopped);
  };
  store::scan_in_steps(store, store::Table::conversations, std::move(step));
}

Response reports_busy(const Request& req) {
  Response res = json_error(req, http::status::service_unavailable,
                            "other reports are being prepared; try again in a few seconds");
  res.set(http::field::retry_after, "5");
  return res;
}

}  // namespace sb::admin
