// hal/modem/at_init.cpp — the initialization sequence of AtEngine (see at_engine.h for the
// commands and why each is chosen).
#include <algorithm>
#include <chrono>

#include "hal/modem/at_engine.h"

namespace sb::modem {

namespace {

std::string after_colon(const std::string& line) {
  auto c = line.find(':');
  if (c == std::string::npos) return line;
  std::size_t s = c + 1;
  while (s < line.size() && line[s] == ' ') ++s;
  return line.substr(s);
}

}  // namespace

void AtEngine::begin_init(const std::string& why) {
  ++init_epoch_;
  ready_ = false;
  init_timer_.cancel();
  std::erase_if(queue_, [](const Pending& p) { return p.internal; });
  log_.info("modem", "initializing (", why, ")");
  sim_busy_tries_ = 0;
  sim_busy_waited_ms_ = 0;
  init_step(0, init_epoch_);
}

void AtEngine::init_failed(const std::string& what, std::uint64_t epoch) {
  if (epoch != init_epoch_) return;
  problem_ = what;
  log_.warn("modem", what, "; trying again in ", options_.init_retry_ms / 1000, " s");
  init_timer_.expires_after(std::chrono::milliseconds(options_.init_retry_ms));
  init_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !*alive || !link_up_) return;
    begin_init("retry");
  });
}

bool AtEngine::sim_busy(const AtReply& r) {
  // 27.007 +CME ERROR: 14 "SIM busy", 515 "please wait, init or command processing in
  // progress"; 27.005 +CMS ERROR: 314 "SIM busy".
  return (r.status == AtStatus::cme_error && (r.code == 14 || r.code == 515)) ||
         (r.status == AtStatus::cms_error && r.code == 314);
}

void AtEngine::retry_sim_busy(int step, std::uint64_t epoch) {
  const int wait = std::min(500 << std::min(sim_busy_tries_++, 4), 5'000);
  sim_busy_waited_ms_ += wait;
  problem_ = "SIM busy; asking again";
  log_.info("modem", "SIM busy; asking again in ", wait, " ms");
  init_timer_.expires_after(std::chrono::milliseconds(wait));
  init_timer_.async_wait([this, step, epoch, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !*alive || epoch != init_epoch_ || !link_up_) return;
    init_step(step, epoch);
  });
}

void AtEngine::restart_seen(const std::string& line) {
  log_.notice("modem", "the modem restarted (", line, "); initializing again");
  if (!link_up_) return;
  ready_ = false;
  const std::uint64_t epoch = ++init_epoch_;
  // A restarting modem prints several such lines (RDY, +CPIN: READY, SMS DONE): start once,
  // after the burst.
  init_timer_.expires_after(std::chrono::milliseconds(1500));
  init_timer_.async_wait([this, epoch, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !*alive || epoch != init_epoch_ || !link_up_) return;
    begin_init("modem restarted");
  });
}

void AtEngine::init_done() {
  ready_ = true;
  problem_.clear();
  log_.info("modem", "ready (vendor ", vendor_name_.empty() ? "unknown" : vendor_name_,
            ", SIM ", sim_state_, ")");
  auto alive = alive_;
  if (listener_.on_ready) listener_.on_ready();
  if (*alive) send_next();
}

void AtEngine::init_step(int step, std::uint64_t epoch) {
  auto then = [this, epoch](std::function<void(const AtReply&)> f) {
    return [this, epoch, f = std::move(f)](const AtReply& r) {
      if (epoch != init_epoch_) return;
      f(r);
    };
  };
  auto next = [this, epoch](int s) { init_step(s, epoch); };
  switch (step) {
    case 0:  // is anybody there? (a timeout here counts toward recovery)
      return enqueue_internal("AT", then([this, next, epoch](const AtReply& r) {
                                if (r.status == AtStatus::timeout) {
                                  if (consecutive_timeouts_ > 0) return next(0);
                                  return init_failed("no answer to AT", epoch);
                                }
                                next(1);
                              }),
                              3000);
    case 1:
      return enqueue_internal("ATE0", then([next](const AtReply&) { next(2); }));
    case 2:
      return enqueue_internal("AT+CMEE=1", then([next](const AtReply&) { next(3); }));
    case 3:
      return enqueue_internal("AT+CGMI", then([this, next](const AtReply& r) {
                                std::string all;
                                for (const auto& l : r.lines) all += l + " ";
                                vendor_ = find_vendor(all);
                                vendor_name_ = vendor_ ? std::string(vendor_->name) : "";
                                next(4);
                              }));
    case 4:
      return enqueue_internal("AT+CPIN?", then([this, next, epoch](const AtReply& r) {
                                std::string state;
                                for (const auto& l : r.lines)
                                  if (l.rfind("+CPIN:", 0) == 0) state = after_colon(l);
                                if (!r.ok())
                                  state = r.status == AtStatus::cme_error && r.code == 10
                                              ? "not inserted"
                                              : r.describe();
                                if (!pin_refused_ || state != "SIM PIN") sim_state_ = state;
                                if (state == "READY") return next(6);
                                if (state == "SIM PIN") {
                                  if (pin_refused_)
                                    return init_failed(
                                        "the SIM refused the configured PIN; not trying it "
                                        "again (that would lock the SIM); fix [modem] sim_pin "
                                        "and restart",
                                        epoch);
                                  if (options_.sim_pin.empty())
                                    return init_failed(
                                        "the SIM asks for a PIN and [modem] sim_pin is not set",
                                        epoch);
                                  return next(5);
                                }
                                init_failed("SIM not ready (" + state + ")", epoch);
                              }),
                              0, options_.info_wait_ms);
    case 5:
      return enqueue_internal("AT+CPIN=\"" + options_.sim_pin + "\"",
                              then([this, next, epoch](const AtReply& r) {
                                if (r.ok()) return next(4);
                                if (r.status == AtStatus::timeout)
                                  return init_failed("no answer to the SIM PIN", epoch);
                                pin_refused_ = true;
                                sim_state_ = "wrong PIN";
                                init_failed("the SIM refused the configured PIN (" +
                                                r.describe() + ")",
                                            epoch);
                              }));
    case 6:
      return enqueue_internal("AT+CMGF=0", then([this, next, epoch](const AtReply& r) {
                                if (!r.ok())
                                  return init_failed("PDU mode refused: " + r.describe(), epoch);
                                next(7);
                              }));
    case 7:
      return enqueue_internal("AT+CPMS=\"SM\",\"SM\",\"SM\"",
                              then([this, next, epoch](const AtReply& r) {
                                if (r.ok()) {
                                  sim_busy_waited_ms_ = 0;
                                  return next(9);
                                }
                                // The SIM is still reading its files after the PIN (up to
                                // 30 s on some): the messages on it are only reachable by
                                // waiting, never by switching to the modem's own memory.
                                if (sim_busy(r) && sim_busy_waited_ms_ < options_.sim_busy_wait_ms)
                                  return retry_sim_busy(7, epoch);
                                sim_busy_waited_ms_ = 0;
                                log_.warn("modem", "SIM storage refused (", r.describe(),
                                          "); using the modem's own storage");
                                next(8);
                              }));
    case 8:
      return enqueue_internal("AT+CPMS=\"ME\",\"ME\",\"ME\"",
                              then([this, next, epoch](const AtReply& r) {
                                if (!r.ok())
                                  return init_failed("no message storage: " + r.describe(),
                                                     epoch);
                                next(9);
                              }));
    case 9:
      return enqueue_internal("AT+CNMI=2,1,0,1,0",
                              then([next](const AtReply& r) { next(r.ok() ? 11 : 10); }));
    case 10:
      // Without status reports routed we still get messages; delivery stays at "sent".
      return enqueue_internal("AT+CNMI=2,1,0,0,0", then([this, next](const AtReply&) {
                                log_.warn("modem", "no delivery reports from this modem");
                                next(11);
                              }));
    case 11:
      return enqueue_internal("AT+CSMS?", then([this](const AtReply& r) {
                                cnma_needed_ = false;
                                for (const auto& l : r.lines)
                                  if (l.rfind("+CSMS:", 0) == 0 && after_colon(l)[0] == '1')
                                    cnma_needed_ = true;
                                init_done();
                              }));
    default: return;
  }
}

}  // namespace sb::modem
