#include "hal/modem/at_engine.h"

#include <chrono>

namespace sb::modem {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A modem that prints garbage without line ends must not grow the buffer without bound.
constexpr std::size_t kMaxLine = 64 * 1024;

}  // namespace

AtEngine::AtEngine(boost::asio::io_context& io, hal::SerialLink& link, Log& log, Options options)
    : link_(link), log_(log), options_(std::move(options)), timeout_(io), init_timer_(io) {
  link_.set_handlers({[this](std::string_view b) { on_bytes(b); },
                      [this](bool up, const std::string& why) { on_link(up, why); }});
}

AtEngine::~AtEngine() {
  *alive_ = false;
  link_.set_handlers({});
}

void AtEngine::start() {
  started_ = true;
  if (auto r = link_.open(); !r) {
    problem_ = r.error().message;
    log_.warn("modem", r.error().message, " (retrying)");
  }
}

void AtEngine::stop() {
  started_ = false;
  ++init_epoch_;
  ready_ = false;
  timeout_.cancel();
  init_timer_.cancel();
  fail_all(AtStatus::link_down);
  link_.close();
  link_up_ = false;
}

void AtEngine::command(std::string text, Done done, int timeout_ms) {
  // A read command ("AT+CPIN?") answers one information line: a modem that forgets the OK
  // after it (Wavecom) must not stall the queue for the whole timeout.
  const int info = !text.empty() && text.back() == '?' ? options_.info_wait_ms : 0;
  queue_.push_back({std::move(text), std::nullopt, std::move(done), timeout_ms, false, info});
  send_next();
}

void AtEngine::command_next(std::string text, Done done, int timeout_ms) {
  // Initialization begun again (a restart seen, a recovery) would run first and may undo what
  // the first of the pair selected: the second is not sent, and the caller tries later.
  if (!ready_ || (!queue_.empty() && queue_.front().internal)) {
    if (done) done({AtStatus::link_down, -1, {}});
    return;
  }
  const int info = !text.empty() && text.back() == '?' ? options_.info_wait_ms : 0;
  queue_.push_front({std::move(text), std::nullopt, std::move(done), timeout_ms, false, info});
  send_next();
}

void AtEngine::send_pdu(std::string text, std::string pdu, Done done, int timeout_ms) {
  queue_.push_back({std::move(text), std::move(pdu), std::move(done),
                    timeout_ms ? timeout_ms : options_.send_timeout_ms, false, 0});
  send_next();
}

void AtEngine::enqueue_internal(std::string text, Done done, int timeout_ms,
                                int info_suffices_ms) {
  queue_.push_front(
      {std::move(text), std::nullopt, std::move(done), timeout_ms, true, info_suffices_ms});
  send_next();
}

void AtEngine::send_next() {
  if (current_ || !link_up_) return;
  auto it = queue_.begin();
  if (!ready_)
    while (it != queue_.end() && !it->internal) ++it;
  if (it == queue_.end()) return;
  current_ = std::move(*it);
  queue_.erase(it);
  lines_.clear();
  prompt_sent_ = false;
  current_prefix_ = response_prefix(current_->text);
  log_.debug("modem", "> ", current_->text);
  link_.write(current_->text + "\r");
  arm_timeout(current_->timeout_ms ? current_->timeout_ms : options_.command_timeout_ms);
}

void AtEngine::arm_timeout(int ms) {
  timeout_.expires_after(std::chrono::milliseconds(ms));
  timeout_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !*alive) return;
    on_timeout();
  });
}

void AtEngine::on_timeout() {
  if (!current_) return;
  if (current_->info_suffices_ms > 0 && !lines_.empty()) {
    log_.debug("modem", current_->text, " answered without a final result; taking ",
               lines_.back(), " as the answer");
    return finish({AtStatus::ok, -1, {}});
  }
  ++consecutive_timeouts_;
  log_.warn("modem", "no answer to ", current_->text, " (", consecutive_timeouts_,
            " in a row)");
  rx_.clear();  // a half line of the unanswered command must not prefix the next answer
  finish({AtStatus::timeout, -1, {}});
  if (started_ && consecutive_timeouts_ >= options_.recover_after) recover();
}

void AtEngine::finish(AtReply reply) {
  if (!current_) return;
  timeout_.cancel();
  if (reply.status != AtStatus::timeout) {
    consecutive_timeouts_ = 0;
    recovery_step_ = 0;
  }
  Pending p = std::move(*current_);
  current_.reset();
  reply.lines = std::move(lines_);
  lines_.clear();
  prompt_sent_ = false;
  auto alive = alive_;
  if (p.done) p.done(reply);
  if (*alive) send_next();
}

void AtEngine::fail_all(AtStatus why) {
  std::vector<Done> user;
  if (current_) {
    timeout_.cancel();
    if (!current_->internal && current_->done) user.push_back(std::move(current_->done));
    current_.reset();
  }
  for (auto& p : queue_)
    if (!p.internal && p.done) user.push_back(std::move(p.done));
  queue_.clear();
  lines_.clear();
  prompt_sent_ = false;
  pdu_header_.reset();
  auto alive = alive_;
  for (auto& d : user) {
    if (!*alive) return;
    d({why, -1, {}});
  }
}

void AtEngine::on_link(bool up, const std::string& why) {
  if (up) {
    link_up_ = true;
    rx_.clear();
    begin_init("port opened");
    return;
  }
  const bool was = link_up_;
  link_up_ = false;
  ready_ = false;
  ++init_epoch_;
  init_timer_.cancel();
  problem_ = why;
  if (was) log_.warn("modem", why);
  fail_all(AtStatus::link_down);
  if (listener_.on_down) listener_.on_down(why);
}

void AtEngine::on_bytes(std::string_view bytes) {
  rx_.append(bytes);
  std::size_t pos = 0;
  auto alive = alive_;
  while (*alive) {
    while (pos < rx_.size() && (rx_[pos] == '\r' || rx_[pos] == '\n')) ++pos;
    if (pos >= rx_.size()) break;
    if (current_ && current_->pdu && !prompt_sent_ && rx_[pos] == '>') {
      ++pos;
      if (pos < rx_.size() && rx_[pos] == ' ') ++pos;
      prompt_sent_ = true;
      link_.write(*current_->pdu + "\x1A");
      continue;
    }
    std::size_t end = rx_.find_first_of("\r\n", pos);
    if (end == std::string::npos) break;
    std::string line(trim(std::string_view(rx_).substr(pos, end - pos)));
    pos = end;
    if (!line.empty()) on_line(std::move(line));
  }
  if (!*alive) return;
  rx_.erase(0, pos);
  if (rx_.size() > kMaxLine) {
    log_.warn("modem", "dropping ", rx_.size(), " bytes without a line end");
    rx_.clear();
  }
}

void AtEngine::on_line(std::string line) {
  log_.debug("modem", "< ", line);
  if (pdu_header_) {
    Unsolicited u{std::move(*pdu_header_), std::move(line)};
    pdu_header_.reset();
    if (cnma_needed_) enqueue_internal("AT+CNMA", nullptr);
    if (listener_.on_unsolicited) listener_.on_unsolicited(u);
    return;
  }
  if (current_ && (line == current_->text || (current_->pdu && line.find(*current_->pdu) == 0)))
    return;  // echo (before ATE0, or after the modem restarted and forgot it)
  if (auto f = parse_final(line)) {
    if (current_) return finish({f->status, f->code, {}});
    log_.debug("modem", "final result without a command: ", line);
    return;
  }
  if (current_ && !current_prefix_.empty() && line.compare(0, current_prefix_.size(),
                                                           current_prefix_) == 0) {
    lines_.push_back(std::move(line));
    if (current_->info_suffices_ms > 0) arm_timeout(current_->info_suffices_ms);
    return;
  }
  switch (classify(line, vendor_)) {
    case LineKind::unsolicited_pdu: pdu_header_ = std::move(line); return;
    case LineKind::chatter: return;
    case LineKind::restart: return restart_seen(line);
    case LineKind::unsolicited:
      if (listener_.on_unsolicited) listener_.on_unsolicited({std::move(line), std::nullopt});
      return;
    case LineKind::other:
      if (current_)
        lines_.push_back(std::move(line));
      else
        log_.debug("modem", "unexpected line: ", line);
      return;
  }
}

void AtEngine::recover() {
  consecutive_timeouts_ = 0;
  const int step = recovery_step_++ % 2;
  if (listener_.on_down) listener_.on_down("modem silent; recovering");
  if (step == 0) {
    problem_ = "modem silent: re-opening the port";
    return reopen_port();
  }
  problem_ = "modem still silent: resetting it with " + options_.reset_command;
  reset_modem();
}

void AtEngine::recover_from_refusals(const std::string& why) {
  if (!started_) return;
  const int step = refusal_step_ == 0 ? 0 : 1 + (refusal_step_ - 1) % 2;
  ++refusal_step_;
  if (listener_.on_down) listener_.on_down("modem refuses to send; recovering");
  if (step == 0) {
    ++recoveries_;
    problem_ = "modem refuses to send (" + why + "): initializing it again";
    log_.warn("modem", problem_);
    return begin_init("sends refused");
  }
  if (step == 1) {
    problem_ = "modem still refuses to send (" + why + "): resetting it with " +
               options_.reset_command;
    return reset_modem();
  }
  problem_ = "modem still refuses to send (" + why + "): re-opening the port";
  reopen_port();
}

void AtEngine::begin_recovery() {
  ++recoveries_;
  ready_ = false;
  ++init_epoch_;
  init_timer_.cancel();
  fail_all(AtStatus::link_down);
  log_.warn("modem", problem_);
}

void AtEngine::reopen_port() {
  begin_recovery();
  link_up_ = false;
  link_.reopen();  // its `up` report starts the init
}

void AtEngine::reset_modem() {
  begin_recovery();
  link_.write(options_.reset_command + "\r");
  link_up_ = false;  // nothing is sent until the modem has had time to come back
  init_timer_.expires_after(std::chrono::milliseconds(options_.reset_wait_ms));
  init_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !*alive || !started_) return;
    link_.reopen();
  });
}

}  // namespace sb::modem
