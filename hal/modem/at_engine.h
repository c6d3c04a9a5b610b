// hal/modem/at_engine.h — the AT command engine of one modem port.
//
// Owns framing, echo, timeouts, unsolicited results and recovery; never parses PDUs (it hands
// PDU lines on as text). One command is in flight at a time; the rest wait in order. Every
// command gets exactly one reply: its final result, a timeout, or link_down.
//
// Initialization (on every open, and again after the modem shows it restarted): AT, ATE0,
// AT+CMEE=1, AT+CGMI (picks the vendor's quirks table), AT+CPIN? (+ the configured PIN when the
// SIM asks; a PIN the SIM refused is never sent again, so we cannot lock it into PUK), AT+CMGF=0
// (PDU mode), AT+CPMS="SM","SM","SM" (while the SIM answers "busy", +CME ERROR: 14, it is
// asked again with backoff for up to `sim_busy_wait_ms`; any other refusal falls back to
// "ME"), AT+CNMI=2,1,0,1,0 and AT+CSMS?. A read command ("AT+CPIN?") whose information line
// came but whose final result does not within `info_wait_ms` is answered by that line.
// AT+CNMI=2,1,0,1,0: new messages are stored and indicated (+CMTI: "SM",i) so they survive
// until deleted after the inbox commit; status reports come direct (+CDS: len + PDU) because
// storing them would fill the SIM with reports nobody deletes. Routed +CDS needs an AT+CNMA
// acknowledgement only with AT+CSMS=1, which we never select; the engine sends it when
// AT+CSMS? says the modem runs in phase 2+ mode anyway.
//
// Recovery: after `recover_after` consecutive timeouts the port is re-opened and the modem
// initialized again; if timeouts go on, AT+CFUN=1,1 (or `reset_command`) resets it (and we wait `reset_wait_ms`
// for it to come back), then the cycle repeats. Any answer ends the recovery.
//
// Threading: everything on the io_context thread; callbacks are called from it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "hal/modem/at_lines.h"
#include "hal/modem/at_reply.h"
#include "hal/serial/serial_link.h"
#include "base/log.h"

namespace sb::modem {

class AtEngine {
 public:
  using Done = std::function<void(const AtReply&)>;
  struct Options {
    std::string sim_pin;
    int command_timeout_ms = 10'000;
    int send_timeout_ms = 60'000;   // AT+CMGS: the network answers, not the modem
    int recover_after = 3;          // consecutive timeouts before a recovery step
    int reset_wait_ms = 20'000;     // after AT+CFUN=1,1, before opening again
    int init_retry_ms = 10'000;     // an init step failed (SIM busy, not registered yet)
    int info_wait_ms = 1'500;       // AT+CPIN? answered without OK: the line is the answer
    int sim_busy_wait_ms = 60'000;  // +CME ERROR: 14 (SIM busy) is retried this long
    std::string reset_command = "AT+CFUN=1,1";  // the reset step of both recovery ladders
  };
  struct Listener {
    std::function<void()> on_ready;  // initialized: the first time and after each recovery
    std::function<void(const std::string& why)> on_down;
    std::function<void(const Unsolicited&)> on_unsolicited;
  };

  AtEngine(boost::asio::io_context& io, hal::SerialLink& link, Log& log, Options options);
  ~AtEngine();
  AtEngine(const AtEngine&) = delete;
  AtEngine& operator=(const AtEngine&) = delete;

  void set_listener(Listener l) { listener_ = std::move(l); }
  // Opens the link and initializes; recovery and re-opening go on by themselves until stop().
  void start();
  void stop();

  // Queues a command ("AT+CMGR=3"); `timeout_ms` 0 takes the default. Commands queued while
  // the modem is not ready wait for it (their time starts when they are sent).
  void command(std::string text, Done done, int timeout_ms = 0);
  // Queues a command ahead of every one waiting. Called from another command's `done`, it is
  // the very next one sent: for a pair that must not be split (select a message storage, then
  // read or delete in it), where a command slipping in between would act on the wrong one.
  // While the modem is being initialized again it is not sent: `done` hears link_down at once.
  void command_next(std::string text, Done done, int timeout_ms = 0);
  // AT+CMGS=<len>: waits for the "> " prompt, then writes `pdu` and Ctrl-Z.
  void send_pdu(std::string text, std::string pdu, Done done, int timeout_ms = 0);

  // The modem refuses what it should do (every AT+CMGS answered +CMS ERROR although it answers
  // commands: a Falcom A2 after TP-MR 255). Each call climbs one step: initialize again, then
  // the reset command (and `reset_wait_ms`), then re-open the port; then reset and re-open in
  // turn. note_working() puts the ladder back to its first step.
  void recover_from_refusals(const std::string& why);
  void note_working() { refusal_step_ = 0; }

  bool ready() const { return ready_; }
  const std::string& vendor() const { return vendor_name_; }
  const std::string& sim_state() const { return sim_state_; }  // "READY", "SIM PIN", "wrong PIN"…
  const std::string& last_problem() const { return problem_; }
  int recoveries() const { return recoveries_; }

 private:
  struct Pending {
    std::string text;
    std::optional<std::string> pdu;
    Done done;
    int timeout_ms = 0;
    bool internal = false;  // init / recovery: may run while not ready
    // > 0: once an information line has come, wait at most this long for the final result,
    // then take the information line as the answer (Wavecom's AT+CPIN? never says OK).
    int info_suffices_ms = 0;
  };

  void on_bytes(std::string_view bytes);
  void on_link(bool up, const std::string& why);
  void on_line(std::string line);
  void finish(AtReply reply);
  void send_next();
  void arm_timeout(int ms);
  void on_timeout();
  void fail_all(AtStatus why);
  void enqueue_internal(std::string text, Done done, int timeout_ms = 0,
                        int info_suffices_ms = 0);

  // Initialization (at_init.cpp).
  void begin_init(const std::string& why);
  void init_step(int step, std::uint64_t epoch);
  void init_failed(const std::string& what, std::uint64_t epoch);
  void init_done();
  void restart_seen(const std::string& line);
  static bool sim_busy(const AtReply& r);
  void retry_sim_busy(int step, std::uint64_t epoch);
  void recover();
  // What every recovery step does first: fail what waits, forget readiness, log the problem.
  void begin_recovery();
  void reset_modem();
  void reopen_port();

  hal::SerialLink& link_;
  Log& log_;
  Options options_;
  Listener listener_;
  std::string rx_;
  std::deque<Pending> queue_;
  std::optional<Pending> current_;
  std::vector<std::string> lines_;
  std::string current_prefix_;
  bool prompt_sent_ = false;
  std::optional<std::string> pdu_header_;  // +CMT / +CDS waiting for its PDU line
  boost::asio::steady_timer timeout_;
  boost::asio::steady_timer init_timer_;
  bool started_ = false;
  bool link_up_ = false;
  bool ready_ = false;
  std::uint64_t init_epoch_ = 0;
  int consecutive_timeouts_ = 0;
  int recovery_step_ = 0;
  int refusal_step_ = 0;
  int recoveries_ = 0;
  bool pin_refused_ = false;
  int sim_busy_tries_ = 0;
  int sim_busy_waited_ms_ = 0;
  bool cnma_needed_ = false;
  const VendorQuirks* vendor_ = nullptr;
  std::string vendor_name_;
  std::string sim_state_;
  std::string problem_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace sb::modem
