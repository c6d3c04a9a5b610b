// tests/sms/gateway.h — the real `switchboard` binary run on a temp directory whose config
// points at a simulated modem (tests/sim) on a pty; what it stored is read back through
// `switchboard export` or the admin API, as a user would.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <optional>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "hal/modem/pdu/pdu.h"
#include "tests/sim/deliver_pdu.h"
#include "tests/sim/modem_sim.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace sb::test {

using nlohmann::json;


constexpr const char* kPassword = "correct horse battery";

// A gateway directory with a config pointing at a simulated modem, and the binary run on it.
struct Gateway {
  sb::test::TempDir dir;
  sb::sim::ModemSim sim;
  std::string cfg = dir.sub("config.toml");
  std::string err = dir.sub("err.log");
  int port = sb::test::free_port();
  std::unique_ptr<sb::test::Process> service;
  std::atomic<int> exports_{0};

  explicit Gateway(const std::string& modem_extra = "",
                   sb::sim::VendorProfile profile = sb::sim::generic_profile(),
                   const std::string& sim_pin = "")
      : sim({dir.sub("modem"), 20, "huawei", sim_pin, std::move(profile)}) {
    REQUIRE(sim.start().ok());
    std::ofstream f(cfg);
    f << "gateway_id = \"gw-sms\"\n[storage]\ndir = \"" << dir.sub("data") << "\"\n"
      << "[admin]\nlisten = \"127.0.0.1:" << port << "\"\n"
      << "[modem]\ndevice = \"" << sim.path() << "\"\n"
      << modem_extra;
  }
  ~Gateway() { stop(SIGTERM); }

  void start() {
    service = std::make_unique<sb::test::Process>(
        std::vector<std::string>{SWITCHBOARD_BIN, "run", "--config", cfg}, "/dev/null", err);
    REQUIRE(service->started());
  }
  // Started and serving (the store exists, so `export` finds it).
  void start_and_wait() {
    start();
    sb::test::HttpClient c(port);
    REQUIRE(wait_for([&] { return c.get("/healthz").status == 200; }));
  }
  void stop(int sig) {
    if (service) service->kill(sig);
    service.reset();
  }
  void deliver(const std::string& from, const std::string& text, bool indicate = true,
               std::uint8_t ref = 42) {
    sb::sim::DeliverSpec s;
    s.from = from;
    s.text = text;
    s.concat_ref = ref;
    for (const auto& p : sb::sim::build_deliver(s)) sim.deliver(p, indicate);
  }
  // A message in the modem's own memory (own_memory_profile), left there before the service.
  void deliver_to_me(const std::string& from, const std::string& text, std::uint8_t ref = 42) {
    sb::sim::DeliverSpec s;
    s.from = from;
    s.text = text;
    s.concat_ref = ref;
    for (const auto& p : sb::sim::build_deliver(s)) REQUIRE(sim.deliver_to_me(p) >= 0);
  }
  // Every conversation as `switchboard export` prints it (works while the service runs).
  std::vector<json> exported() {
    const std::string out = dir.sub("export.jsonl");
    std::remove(out.c_str());
    int rc = sb::test::run_to_end({SWITCHBOARD_BIN, "export", "--config", cfg}, out, err);
    INFO(sb::test::slurp(err));
    REQUIRE(rc == 0);
    std::vector<json> all;
    std::istringstream in(sb::test::slurp(out));
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) all.push_back(json::parse(line));
    return all;
  }
  std::vector<std::string> inbound_texts() {
    std::vector<std::string> texts;
    for (const auto& c : exported())
      for (const auto& m : c["messages"])
        if (m["direction"] == "in") texts.push_back(m["text"]);
    return texts;
  }
  sb::test::HttpClient admin() {
    int rc = sb::test::run_to_end(
        {SWITCHBOARD_BIN, "user", "add", "ana", "--role", "admin", "--config", cfg}, "/dev/null",
        err, std::string(kPassword) + "\n");
    REQUIRE(rc == 0);
    sb::test::HttpClient c(port);
    REQUIRE(c.login("ana", kPassword));
    return c;
  }
  std::string log() { return sb::test::slurp(err); }

  // Inbound (contact, text) pairs as `export` shows them; nullopt when export failed. Safe to
  // call from the simulator's thread (no doctest assertions).
  std::optional<std::vector<std::pair<std::string, std::string>>> try_inbound() {
    // A file per call: the simulator's thread and the test's may export at the same time.
    const std::string n = std::to_string(exports_++);
    const std::string out = dir.sub("inbound-" + n + ".jsonl"), e = dir.sub("inbound-" + n + ".err");
    if (sb::test::run_to_end({SWITCHBOARD_BIN, "export", "--config", cfg}, out, e) != 0)
      return std::nullopt;
    std::vector<std::pair<std::string, std::string>> all;
    std::istringstream in(sb::test::slurp(out));
    std::remove(out.c_str());
    std::remove(e.c_str());
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      json c = json::parse(line, nullptr, false);
      if (!c.is_object()) return std::nullopt;
      for (const auto& m : c["messages"])
        if (m["direction"] == "in")
          all.emplace_back(c["contact"].get<std::string>(), m["text"].get<std::string>());
    }
    return all;
  }
  // The simulator checks every deletion: a single SMS's slot may go only once `export` shows
  // its text from its sender (the parts of a long message live in the parts table until the
  // whole is joined, which export cannot see; their deletion is checked by the end result).
  void audit_deletions() {
    sim.set_delete_audit([this](const std::string& pdu) {
      auto d = sb::pdu::decode(pdu);
      if (!d || d->type != sb::pdu::MessageType::deliver) return false;
      if (d->concat && d->concat->total > 1) return true;
      auto all = try_inbound();
      if (!all) return false;
      const std::string from = d->sender ? d->sender->text : "";
      return std::find(all->begin(), all->end(), std::make_pair(from, d->text)) != all->end();
    });
  }
  // (contact, text) of every inbound message, asserting export works.
  std::vector<std::pair<std::string, std::string>> inbound() {
    auto all = try_inbound();
    REQUIRE(all.has_value());
    return *all;
  }
};

}  // namespace sb::test
