#include "tests/sim/modem_sim.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "tests/sim/deliver_pdu.h"

namespace sb::sim {

using Clock = std::chrono::steady_clock;

namespace {

bool starts(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

int int_after(const std::string& s, char sep) {
  auto p = s.find(sep);
  if (p == std::string::npos) return -1;
  return std::atoi(s.c_str() + p + 1);
}

// Lines a Huawei stick prints whenever it likes.
constexpr const char* kChatter[] = {"^RSSI: 17", "^BOOT:12345678,0,0,0,72", "^MODE: 5,4",
                                    "^DSFLOWRPT:00000A,00000000,00000000,0000000000000000"};

}  // namespace

ModemSim::ModemSim(Options options) : options_(std::move(options)) {}

ModemSim::~ModemSim() { stop(); }

Result<void> ModemSim::start() {
  {
    std::lock_guard lock(mu_);
    if (auto r = open_pty(); !r) return r;
  }
  {
    std::lock_guard lock(mu_);
    sim_busy_until_ = Clock::now() + std::chrono::milliseconds(options_.profile.sim_busy_ms);
  }
  running_ = true;
  thread_ = std::thread([this] { run(); });
  return {};
}

void ModemSim::stop() {
  if (running_.exchange(false) && thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  close_pty();
}

Result<void> ModemSim::open_pty() {
  int m = ::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (m < 0) return fail(std::string("posix_openpt: ") + std::strerror(errno));
  char name[128] = {};
  if (::grantpt(m) != 0 || ::unlockpt(m) != 0 || ::ptsname_r(m, name, sizeof name) != 0) {
    ::close(m);
    return fail(std::string("pty setup: ") + std::strerror(errno));
  }
  // Raw from the start: with the default ECHO the line discipline would bounce our own
  // answers back to us as if they were commands.
  int s = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (s >= 0) {
    termios t{};
    if (::tcgetattr(s, &t) == 0) {
      ::cfmakeraw(&t);
      ::tcsetattr(s, TCSANOW, &t);
    }
    ::close(s);
  }
  ::unlink(options_.link_path.c_str());
  if (::symlink(name, options_.link_path.c_str()) != 0) {
    ::close(m);
    return fail("symlink " + options_.link_path + ": " + std::strerror(errno));
  }
  master_ = m;
  return {};
}

void ModemSim::close_pty() {
  if (master_ >= 0) ::close(master_);
  master_ = -1;
  connected_ = false;
  inbox_.clear();
  outq_.clear();
  rx_.clear();
  in_pdu_ = false;
  ::unlink(options_.link_path.c_str());
}

void ModemSim::unplug() {
  std::lock_guard lock(mu_);
  close_pty();
}

Result<void> ModemSim::replug() {
  std::lock_guard lock(mu_);
  if (master_ >= 0) return {};
  echo_ = true;  // a modem that was unplugged has restarted
  pin_ok_ = false;
  mr_stalled_ = false;
  sim_busy_until_ = Clock::now() + std::chrono::milliseconds(options_.profile.sim_busy_ms);
  silence_ = Silence::none;
  return open_pty();
}

void ModemSim::run() {
  char buf[4096];
  while (running_) {
    int fd;
    {
      std::lock_guard lock(mu_);
      fd = master_;
    }
    if (fd < 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    pollfd p{fd, POLLIN, 0};
    int n = ::poll(&p, 1, 10);
    bool hangup = n > 0 && (p.revents & POLLHUP) && !(p.revents & POLLIN);
    if (n > 0 && (p.revents & POLLIN)) {
      ssize_t got = ::read(fd, buf, sizeof buf);
      if (got > 0) {
        connected_ = true;
        on_input(buf, static_cast<std::size_t>(got));
      } else if (got < 0 && errno == EIO) {
        hangup = true;
      }
    }
    if (hangup) {
      std::lock_guard lock(mu_);
      if (connected_) {
        // The port was closed: what it had not finished is gone, like on a real modem.
        inbox_.clear();
        outq_.clear();
        rx_.clear();
        in_pdu_ = false;
        if (silence_ == Silence::until_reopen) silence_ = Silence::none;
      }
      connected_ = false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    } else if (n >= 0 && !(p.revents & POLLHUP)) {
      connected_ = true;
    }
    std::lock_guard lock(mu_);
    const auto now = Clock::now();
    while (!inbox_.empty() && inbox_.front().at <= now) {
      std::string line = std::move(inbox_.front().line);
      inbox_.pop_front();
      handle(line);
    }
    flush_due();
  }
}

void ModemSim::flush_due() {
  const auto now = Clock::now();
  while (!outq_.empty() && outq_.front().at <= now) {
    std::string bytes = std::move(outq_.front().bytes);
    outq_.pop_front();
    if (!connected_ || master_ < 0) continue;  // nobody listening: lost
    std::size_t off = 0;
    for (int tries = 0; off < bytes.size() && tries < 1000; ++tries) {
      ssize_t w = ::write(master_, bytes.data() + off, bytes.size() - off);
      if (w > 0) off += static_cast<std::size_t>(w);
      else if (errno == EAGAIN) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      else break;
    }
  }
}

int ModemSim::delay_for(const std::string& line) const {
  int best = 0;
  for (const auto& [prefix, ms] : delays_)
    if (starts(upper(line), upper(prefix).c_str())) best = std::max(best, ms);
  return best;
}

void ModemSim::on_input(const char* data, std::size_t n) {
  std::lock_guard lock(mu_);
  auto queue = [&](std::string line) {
    if (line[0] != 0x1A) commands_.push_back(line);  // as received, even if never answered
    auto at = Clock::now() + std::chrono::milliseconds(delay_for(line));
    if (!inbox_.empty()) at = std::max(at, inbox_.back().at);
    inbox_.push_back({at, std::move(line)});
  };
  for (std::size_t i = 0; i < n; ++i) {
    char c = data[i];
    if (in_pdu_) {
      if (c == 0x1A) {
        in_pdu_ = false;
        queue("\x1A" + pending_cmgs_);
        pending_cmgs_.clear();
      } else if (c == 0x1B) {
        in_pdu_ = false;
        pending_cmgs_.clear();
      } else if (std::isxdigit(static_cast<unsigned char>(c))) {
        pending_cmgs_ += c;
      }
      continue;
    }
    if (c == '\r' || c == '\n') {
      if (!rx_.empty()) queue(std::move(rx_));
      rx_.clear();
      // The prompt must be answered before the PDU can be read: a CMGS switches modes.
      if (!inbox_.empty() && starts(upper(inbox_.back().line), "AT+CMGS=")) in_pdu_ = true;
    } else {
      rx_ += c;
    }
  }
}

void ModemSim::emit(const std::string& bytes) {
  auto at = Clock::now();
  if (!outq_.empty()) at = std::max(at, outq_.back().at);
  outq_.push_back({at, bytes});
}

void ModemSim::answer(std::vector<std::string> lines, const std::string& final) {
  auto chatter = [&] {
    if (flood_) emit(std::string("\r\n") + kChatter[flood_n_++ % 4] + "\r\n");
  };
  for (const auto& l : lines) {
    chatter();
    emit("\r\n" + l + "\r\n");
  }
  chatter();
  emit("\r\n" + final + "\r\n");
}

int ModemSim::store_locked(const std::string& pdu, std::map<int, Slot>& where) {
  int idx = 0;
  while (where.count(idx)) ++idx;
  where[idx] = {pdu, false};
  return idx;
}

void ModemSim::handle(const std::string& raw) {
  if (!raw.empty() && raw[0] == 0x1A) {
    if (silence_ != Silence::none) return;
    std::string pdu = raw.substr(1);
    if (fail_sends_ > 0) {
      --fail_sends_;
      return answer({}, "+CMS ERROR: " + std::to_string(fail_code_));
    }
    if (mr_stalled_)
      return answer({}, "+CMS ERROR: " + std::to_string(options_.profile.mr_stall_cms));
    sent_.push_back(pdu);
    int mr = next_mr_;
    next_mr_ = (next_mr_ + 1) % 256;
    if (mr == 255 && options_.profile.mr_stall_cms) mr_stalled_ = true;
    return answer({"+CMGS: " + std::to_string(mr)}, "OK");
  }
  const std::string cmd = upper(raw);
  if (silence_ == Silence::until_reset && starts(cmd, "AT+CFUN=1,1"))
    silence_ = Silence::none;
  if (silence_ != Silence::none) {
    if (starts(cmd, "AT+CMGS=")) in_pdu_ = false;
    return;
  }
  if (echo_) emit(raw + "\r\n");
  const std::string storage = "\"SM\"";
  if (cmd == "AT") return answer({}, "OK");
  if (cmd == "ATE0") {
    echo_ = false;
    return answer({}, "OK");
  }
  if (cmd == "ATE1") {
    echo_ = true;
    return answer({}, "OK");
  }
  if (starts(cmd, "AT+CMEE=") || starts(cmd, "AT+CMGF=") || starts(cmd, "AT+CNMI=") ||
      cmd == "AT+CNMA")
    return answer({}, "OK");
  if (cmd == "AT+CGMI")
    return answer({options_.profile.name == "generic" ? options_.vendor : options_.profile.cgmi},
                  "OK");
  if (cmd == "AT+CPIN?") {
    std::string state =
        !options_.sim_pin.empty() && !pin_ok_ ? "+CPIN: SIM PIN" : "+CPIN: READY";
    if (options_.profile.cpin_without_ok) return emit("\r\n" + state + "\r\n");
    return answer({state}, "OK");
  }
  if (starts(cmd, "AT+CPIN=")) {
    if (raw.find("\"" + options_.sim_pin + "\"") != std::string::npos) {
      pin_ok_ = true;
      sim_busy_until_ = Clock::now() + std::chrono::milliseconds(options_.profile.sim_busy_ms);
      return answer({}, "OK");
    }
    return answer({}, "+CME ERROR: 16");
  }
  const bool sim_command = starts(cmd, "AT+CPMS") || starts(cmd, "AT+CMGL") ||
                           starts(cmd, "AT+CMGR") || starts(cmd, "AT+CMGD");
  if (sim_command && Clock::now() < sim_busy_until_) return answer({}, "+CME ERROR: 14");
  // The storages as real modems list them (gnokii's atgen.c quotes a Nokia 6230i's
  // ("ME","SM"),("ME","SM"),("MT"); a SIM7670G answers ("ME","SM") for all three).
  if (cmd == "AT+CPMS=?")
    return answer({options_.profile.me_capacity ? R"(+CPMS: ("ME","SM"),("ME","SM"),("ME","SM"))"
                                        : R"(+CPMS: ("SM"),("SM"),("SM"))"},
                  "OK");
  if (starts(cmd, "AT+CPMS=")) {
    const auto q = cmd.find('"');
    const std::string first = q == std::string::npos ? "" : cmd.substr(q + 1, 2);
    if (first != "SM" && !(first == "ME" && options_.profile.me_capacity))
      return answer({}, "+CMS ERROR: 302");  // operation not allowed
    mem1_ = first;
    std::string u = std::to_string(mem1().size()),
                c = std::to_string(first == "ME" ? options_.profile.me_capacity : options_.capacity),
                su = std::to_string(slots_.size()), sc = std::to_string(options_.capacity);
    return answer({"+CPMS: " + u + "," + c + "," + su + "," + sc + "," + su + "," + sc}, "OK");
  }
  if (cmd == "AT+CSMS?") return answer({"+CSMS: 0,1,1,1"}, "OK");
  if (starts(cmd, "AT+CMGL")) {
    std::vector<std::string> lines;
    for (auto& [i, s] : mem1()) {
      lines.push_back("+CMGL: " + std::to_string(i) + "," + (s.read ? "1" : "0") + ",," +
                      std::to_string(tpdu_length(s.pdu)));
      const auto& urcs = options_.profile.listing_urcs;
      if (!urcs.empty()) lines.push_back(urcs[listing_urc_n_++ % urcs.size()]);
      lines.push_back(s.pdu);
      s.read = true;
    }
    return answer(std::move(lines), "OK");
  }
  if (starts(cmd, "AT+CMGR=")) {
    auto it = mem1().find(int_after(cmd, '='));
    if (it == mem1().end()) return answer({}, "+CMS ERROR: 321");
    std::vector<std::string> lines = {"+CMGR: " + std::string(it->second.read ? "1" : "0") +
                                          ",," + std::to_string(tpdu_length(it->second.pdu)),
                                      it->second.pdu};
    it->second.read = true;
    return answer(std::move(lines), "OK");
  }
  if (starts(cmd, "AT+CMGD=")) {
    if (auto it = mem1().find(int_after(cmd, '=')); it != mem1().end()) {
      deleted_.push_back(it->second.pdu);
      if (audit_ && !audit_(it->second.pdu)) violations_.push_back(it->second.pdu);
      mem1().erase(it);
    }
    answer({}, "OK");
    // A slot is free: the network hands over what it was holding back.
    while (!network_.empty() && slots_.size() < options_.capacity) {
      int idx = store_locked(network_.front());
      network_.pop_front();
      emit("\r\n+CMTI: " + storage + "," + std::to_string(idx) + "\r\n");
    }
    return;
  }
  if (starts(cmd, "AT+CMGS=")) {
    in_pdu_ = true;
    pending_cmgs_.clear();
    return emit("\r\n> ");
  }
  if (cmd == "AT+CSQ") return answer({"+CSQ: 20,99"}, "OK");
  if (cmd == "AT+CREG?") return answer({"+CREG: 0,1"}, "OK");
  if (cmd == "AT+COPS?") return answer({"+COPS: 0,0,\"Sim Mobile\",7"}, "OK");
  if (cmd == "AT+CFUN?") return answer({"+CFUN: 1"}, "OK");
  if (starts(cmd, "AT+CFUN=1,1")) {
    answer({}, "OK");
    echo_ = true;
    pin_ok_ = false;
    in_pdu_ = false;
    mr_stalled_ = false;
    mem1_ = "SM";
    sim_busy_until_ = Clock::now() + std::chrono::milliseconds(500 + options_.profile.sim_busy_ms);
    Out o{Clock::now() + std::chrono::milliseconds(500), "\r\nRDY\r\n\r\n+CPIN: READY\r\n"};
    if (!outq_.empty()) o.at = std::max(o.at, outq_.back().at);
    outq_.push_back(o);
    return;
  }
  answer({}, "ERROR");
}

int ModemSim::deliver(const std::string& pdu_hex, bool indicate) {
  std::lock_guard lock(mu_);
  if (slots_.size() >= options_.capacity) {
    network_.push_back(pdu_hex);
    return -1;
  }
  int idx = store_locked(pdu_hex);
  if (indicate) emit("\r\n+CMTI: \"SM\"," + std::to_string(idx) + "\r\n");
  if (options_.profile.store_twice && slots_.size() < options_.capacity) {
    int again = store_locked(pdu_hex);
    if (indicate) emit("\r\n+CMTI: \"SM\"," + std::to_string(again) + "\r\n");
  }
  return idx;
}

int ModemSim::deliver_to_me(const std::string& pdu_hex, bool indicate) {
  std::lock_guard lock(mu_);
  if (me_slots_.size() >= options_.profile.me_capacity) return -1;
  int idx = store_locked(pdu_hex, me_slots_);
  if (indicate) emit("\r\n+CMTI: \"ME\"," + std::to_string(idx) + "\r\n");
  return idx;
}

void ModemSim::status_report(const std::string& pdu_hex) {
  std::lock_guard lock(mu_);
  emit("\r\n+CDS: " + std::to_string(tpdu_length(pdu_hex)) + "\r\n" + pdu_hex + "\r\n");
}

void ModemSim::unsolicited(const std::string& line) {
  std::lock_guard lock(mu_);
  emit("\r\n" + line + "\r\n");
}

void ModemSim::fail_next_sends(int count, int cms_code) {
  std::lock_guard lock(mu_);
  fail_sends_ = count;
  fail_code_ = cms_code;
}

void ModemSim::set_delay(const std::string& prefix, int ms) {
  std::lock_guard lock(mu_);
  delays_[prefix] = ms;
}

void ModemSim::set_flood(bool on) {
  std::lock_guard lock(mu_);
  flood_ = on;
}

void ModemSim::set_silence(Silence s) {
  std::lock_guard lock(mu_);
  silence_ = s;
}

void ModemSim::set_next_mr(int mr) {
  std::lock_guard lock(mu_);
  next_mr_ = mr % 256;
}

void ModemSim::set_delete_audit(DeleteAudit audit) {
  std::lock_guard lock(mu_);
  audit_ = std::move(audit);
}

std::vector<std::string> ModemSim::audit_violations() const {
  std::lock_guard lock(mu_);
  return violations_;
}

std::vector<std::string> ModemSim::deleted_pdus() const {
  std::lock_guard lock(mu_);
  return deleted_;
}

std::vector<std::string> ModemSim::sent_pdus() const {
  std::lock_guard lock(mu_);
  return sent_;
}

std::vector<std::string> ModemSim::commands() const {
  std::lock_guard lock(mu_);
  return commands_;
}

std::map<int, std::string> ModemSim::stored() const {
  std::lock_guard lock(mu_);
  std::map<int, std::string> out;
  for (const auto& [i, s] : slots_) out[i] = s.pdu;
  return out;
}

std::map<int, std::string> ModemSim::stored_in_me() const {
  std::lock_guard lock(mu_);
  std::map<int, std::string> out;
  for (const auto& [i, s] : me_slots_) out[i] = s.pdu;
  return out;
}

std::size_t ModemSim::waiting_in_network() const {
  std::lock_guard lock(mu_);
  return network_.size();
}

int ModemSim::count_commands(const std::string& prefix) const {
  std::lock_guard lock(mu_);
  return static_cast<int>(std::count_if(commands_.begin(), commands_.end(), [&](const auto& c) {
    return starts(upper(c), upper(prefix).c_str());
  }));
}

}  // namespace sb::sim
