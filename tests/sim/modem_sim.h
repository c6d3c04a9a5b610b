// tests/sim/modem_sim.h — a GSM modem on a pty, for tests and for trying the service by hand.
//
// It answers like a real modem (echo until ATE0, +CMEE, +CPIN, +CMGF, +CPMS, +CNMI, +CMGL,
// +CMGR, +CMGD, +CMGS with the "> " prompt, +CSQ, +CREG, +COPS, +CFUN) with a SIM store of
// PDUs, and lets a test play the failures field gateways see: lost indications, slow answers,
// vendor chatter in the middle of responses, a full SIM, +CMS ERROR on send, TP-MR wrapping,
// a modem gone silent, and unplug/replug (the pty is recreated behind the same symlink).
//
// The modem runs on its own thread; every control method is thread-safe. Like a real port,
// what it prints while nobody has the port open is lost, and a command it has not finished
// when the port is closed is dropped.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"
#include "tests/sim/vendor_profiles.h"

namespace sb::sim {

class ModemSim {
 public:
  struct Options {
    std::string link_path;       // the symlink the service is configured with
    std::size_t capacity = 20;   // SIM slots
    std::string vendor = "huawei";
    std::string sim_pin;         // non-empty: the SIM asks for it
    VendorProfile profile = generic_profile();  // a real device's quirks (vendor_profiles.h)
  };
  // Asked with the PDU of every slot about to be deleted: true when the service has already
  // stored it. A false answer is kept as a violation (the deletion still happens, as a real
  // modem would do it).
  using DeleteAudit = std::function<bool(const std::string& pdu)>;
  enum class Silence { none, until_reopen, until_reset };

  explicit ModemSim(Options options);
  ~ModemSim();
  ModemSim(const ModemSim&) = delete;
  ModemSim& operator=(const ModemSim&) = delete;

  Result<void> start();
  void stop();
  const std::string& path() const { return options_.link_path; }

  // A message arrives from the network. Stored in the first free slot and indicated with
  // +CMTI (unless `indicate` is false: a lost indication); with the SIM full it waits in the
  // network until a slot frees. Returns the slot, or -1 when it had to wait.
  int deliver(const std::string& pdu_hex, bool indicate = true);
  // A message in the modem's own memory: stored there before the service set the storages
  // (by the modem's defaults, or another program), indicated +CMTI: "ME",<i> when `indicate`.
  int deliver_to_me(const std::string& pdu_hex, bool indicate = false);
  void status_report(const std::string& pdu_hex);  // +CDS: <len> then the PDU
  void unsolicited(const std::string& line);       // prints any line ("RING", "^BOOT:…")

  void fail_next_sends(int count, int cms_code = 500);
  // Every command starting with `prefix` ("" = all) is answered `ms` late.
  void set_delay(const std::string& prefix, int ms);
  void set_flood(bool on);  // ^RSSI / ^BOOT / ^MODE between the lines of every answer
  void set_silence(Silence s);
  void set_next_mr(int mr);
  void unplug();  // closes the pty master and removes the symlink
  Result<void> replug();

  void set_delete_audit(DeleteAudit audit);
  std::vector<std::string> audit_violations() const;  // PDUs deleted before they were stored
  std::vector<std::string> deleted_pdus() const;      // every PDU AT+CMGD removed, in order

  // What the modem saw.
  std::vector<std::string> sent_pdus() const;         // PDUs given to AT+CMGS, in order
  std::vector<std::string> commands() const;          // every command line received (on arrival)
  std::map<int, std::string> stored() const;          // SIM slot -> PDU
  std::map<int, std::string> stored_in_me() const;    // modem memory slot -> PDU
  std::size_t waiting_in_network() const;
  int count_commands(const std::string& prefix) const;
  bool connected() const { return connected_; }

 private:
  struct Slot {
    std::string pdu;
    bool read = false;
  };
  struct Out {
    std::chrono::steady_clock::time_point at;
    std::string bytes;
  };
  struct In {
    std::chrono::steady_clock::time_point at;
    std::string line;
  };

  void run();
  Result<void> open_pty();
  void close_pty();
  void on_input(const char* data, std::size_t n);
  void handle(const std::string& line);                    // under mu_
  void answer(std::vector<std::string> lines, const std::string& final);  // under mu_
  void emit(const std::string& bytes);                     // under mu_
  int store_locked(const std::string& pdu, std::map<int, Slot>& where);
  int store_locked(const std::string& pdu) { return store_locked(pdu, slots_); }
  std::map<int, Slot>& mem1() { return mem1_ == "ME" ? me_slots_ : slots_; }
  void flush_due();
  int delay_for(const std::string& line) const;

  Options options_;
  mutable std::mutex mu_;
  int master_ = -1;
  std::thread thread_;
  std::atomic<bool> running_{false};
  std::atomic<bool> connected_{false};
  std::string rx_;
  bool in_pdu_ = false;  // after the "> " prompt, until Ctrl-Z
  std::string pending_cmgs_;
  std::deque<In> inbox_;   // commands waiting for their (delayed) turn
  std::deque<Out> outq_;   // bytes to print, in order
  std::map<int, Slot> slots_;     // the SIM ("SM")
  std::map<int, Slot> me_slots_;  // the modem's own memory ("ME")
  std::string mem1_ = "SM";       // where AT+CMGL/CMGR/CMGD read and delete
  std::deque<std::string> network_;  // messages waiting for a free slot
  std::vector<std::string> sent_;
  std::vector<std::string> commands_;
  std::map<std::string, int> delays_;
  bool echo_ = true;
  bool flood_ = false;
  bool pin_ok_ = false;
  Silence silence_ = Silence::none;
  int fail_sends_ = 0;
  int fail_code_ = 500;
  int next_mr_ = 0;
  int flood_n_ = 0;
  int listing_urc_n_ = 0;
  bool mr_stalled_ = false;
  std::chrono::steady_clock::time_point sim_busy_until_{};
  DeleteAudit audit_;
  std::vector<std::string> violations_;
  std::vector<std::string> deleted_;
};

}  // namespace sb::sim
