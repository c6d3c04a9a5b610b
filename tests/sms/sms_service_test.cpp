// The real `switchboard` binary against the simulator: SIGKILLed after the commit and before
// the SIM deletion has happened (the simulator sits on AT+CMGD), restarted, and the message
// must be stored exactly once (re-read, deduplicated, then deleted).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "tests/sim/deliver_pdu.h"
#include "tests/sim/modem_sim.h"
#include "tests/support/temp_dir.h"

namespace {

bool wait_for(const std::function<bool()>& f, int ms = 20000) {
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < end) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return f();
}

pid_t spawn(const std::vector<std::string>& args, const std::string& out, const std::string& err) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(o, 1);
    ::dup2(e, 2);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

int occurrences(const std::string& hay, const std::string& needle) {
  int n = 0;
  for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("SIGKILL between reading and deleting: stored exactly once after restart") {
  sb::test::TempDir dir;
  const std::string modem = dir.sub("modem");
  sb::sim::ModemSim sim({modem, 20, "huawei", ""});
  REQUIRE(sim.start().ok());
  const std::string cfg = dir.sub("config.toml");
  {
    std::ofstream f(cfg);
    f << "gateway_id = \"gw-sms\"\n[storage]\ndir = \"" << dir.sub("data") << "\"\n"
      << "[admin]\nlisten = \"127.0.0.1:" << 20000 + ::getpid() % 20000 << "\"\n"
      << "[modem]\ndevice = \"" << modem << "\"\n";
  }
  const std::string bin = SWITCHBOARD_BIN, err = dir.sub("err.log");
  sim.set_delay("AT+CMGD", 600000);  // the deletion never lands while the first run lives
  sb::sim::DeliverSpec s;
  s.text = "refund crash test";
  for (const auto& p : sb::sim::build_deliver(s)) sim.deliver(p, false);

  pid_t pid = spawn({bin, "run", "--config", cfg}, "/dev/null", err);
  REQUIRE(pid > 0);
  bool asked = wait_for([&] { return sim.count_commands("AT+CMGD") >= 1; }, 30000);
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  INFO(slurp(err));
  REQUIRE(asked);  // committed (deletion is only asked after the commit) ...
  CHECK(sim.stored().size() == 1);  // ... and not yet deleted

  sim.set_delay("AT+CMGD", 0);
  pid = spawn({bin, "run", "--config", cfg}, "/dev/null", err);
  REQUIRE(pid > 0);
  bool emptied = wait_for([&] { return sim.stored().empty(); }, 30000);
  ::kill(pid, SIGTERM);
  ::waitpid(pid, nullptr, 0);
  REQUIRE(emptied);

  const std::string out = dir.sub("export.jsonl");
  pid = spawn({bin, "export", "--config", cfg}, out, err);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(occurrences(slurp(out), "refund crash test") == 1);
}
