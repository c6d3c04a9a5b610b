// tests/sim/modem_sim_main.cpp — `modem-sim <symlink>`: a simulated modem on a pty, driven by
// lines on stdin (one command per line; `help` lists them). Point [modem] device at <symlink>.
#include <iostream>
#include <sstream>

#include "hal/modem/pdu/pdu.h"
#include "tests/sim/deliver_pdu.h"
#include "tests/sim/modem_sim.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: modem-sim <symlink path> [capacity]\n";
    return 2;
  }
  sb::sim::ModemSim::Options o;
  o.link_path = argv[1];
  if (argc > 2) o.capacity = static_cast<std::size_t>(std::stoul(argv[2]));
  sb::sim::ModemSim sim(o);
  if (auto r = sim.start(); !r) {
    std::cerr << "modem-sim: " << r.error().message << '\n';
    return 1;
  }
  std::cout << "modem on " << o.link_path << "; type help" << std::endl;
  std::string line;
  int ref = 1;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string cmd;
    in >> cmd;
    if (cmd == "help") {
      std::cout << "deliver <from> <text> | lost <from> <text> | report <mr> <to> <status>\n"
                   "fail-sends <n> [code] | delay <prefix> <ms> | flood on|off\n"
                   "silent reopen|reset|off | mr <n> | unplug | replug | sent | stored | quit\n";
    } else if (cmd == "deliver" || cmd == "lost") {
      sb::sim::DeliverSpec s;
      in >> s.from;
      std::getline(in >> std::ws, s.text);
      s.concat_ref = static_cast<std::uint8_t>(ref++);
      for (const auto& p : sb::sim::build_deliver(s))
        std::cout << "slot " << sim.deliver(p, cmd == "deliver") << std::endl;
    } else if (cmd == "report") {
      int mr = 0, st = 0;
      std::string to;
      in >> mr >> to >> st;
      sim.status_report(sb::sim::build_status_report(static_cast<std::uint8_t>(mr), to,
                                                     static_cast<std::uint8_t>(st)));
    } else if (cmd == "fail-sends") {
      int n = 1, code = 500;
      in >> n >> code;
      sim.fail_next_sends(n, code);
    } else if (cmd == "delay") {
      std::string prefix;
      int ms = 0;
      in >> prefix >> ms;
      sim.set_delay(prefix, ms);
    } else if (cmd == "flood") {
      std::string v;
      in >> v;
      sim.set_flood(v == "on");
    } else if (cmd == "silent") {
      std::string v;
      in >> v;
      sim.set_silence(v == "reopen"  ? sb::sim::ModemSim::Silence::until_reopen
                      : v == "reset" ? sb::sim::ModemSim::Silence::until_reset
                                     : sb::sim::ModemSim::Silence::none);
    } else if (cmd == "mr") {
      int n = 0;
      in >> n;
      sim.set_next_mr(n);
    } else if (cmd == "unplug") {
      sim.unplug();
    } else if (cmd == "replug") {
      if (auto r = sim.replug(); !r) std::cout << r.error().message << std::endl;
    } else if (cmd == "sent") {
      for (const auto& p : sim.sent_pdus()) {
        auto d = sb::pdu::decode(p);
        std::cout << p << "  " << (d ? d->text : d.error().message) << std::endl;
      }
    } else if (cmd == "stored") {
      for (const auto& [i, p] : sim.stored()) std::cout << i << ": " << p << std::endl;
    } else if (cmd == "quit") {
      break;
    } else if (!cmd.empty()) {
      std::cout << "unknown command; type help" << std::endl;
    }
  }
  return 0;
}
