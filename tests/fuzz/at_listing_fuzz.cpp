// tests/fuzz/at_listing_fuzz.cpp — libFuzzer target for the AT line reader (AtEngine on the
// in-memory link) and the SMS listing parser together.
//
// The input drives a modem's answer to AT+CMGL=4: slots with real PDUs, unsolicited lines
// (vendors' known ones, never-seen ones, a +CDS with its PDU, free text from the input) at any
// point, CR-only / LF-only / CRLF / CR CR LF endings, and the bytes cut into reads of any size.
// Invariants: the command gets exactly one reply; a slot the parser gives a PDU is given the
// PDU that slot really held, never another line; every slot whose header was printed is named.
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "hal/modem/at_engine.h"
#include "hal/serial/memory_serial_link.h"
#include "services/channels/sms/sms_listing.h"

namespace {

// SMS-DELIVER PDUs as modems print them (SMSC prefix first), with their TPDU lengths.
struct Known {
  const char* hex;
  int tpdu;
};
constexpr Known kPdus[] = {
    {"07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37", 28},
    {"07911326040000F0040B911346610089F60000208062917314800CC8F71D14969741F977FD07", 30},
    {"0011000B916407281553F80000AA0AE8329BFD4697D9EC37", 23},
};
constexpr const char* kUrcs[] = {
    "^DSDORMANT:0", "^NDISSTAT: 1,,,\"IPV4\"", "^RSSILVL:80", "^HRSSILVL:60", "^RSSI: 17",
    "+CMTI: \"SM\",3", "RING", "+QIND: SMS DONE", "^NEVERSEEN: 1,2", "SMS DONE", "+CREG: 1",
    "+CPIN: READY", "^BOOT:1,0,0,0,72"};
constexpr const char* kEnds[] = {"\r\n", "\r", "\n", "\r\r\n"};

struct Input {
  const std::uint8_t* p;
  std::size_t n;
  std::uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
};

std::FILE* devnull() {
  static std::FILE* f = std::fopen("/dev/null", "w");
  return f;
}

// Answers the engine's initialization as a plain modem would.
void answer_init(sb::hal::MemorySerialLink& link, boost::asio::io_context& io,
                 sb::modem::AtEngine& engine) {
  for (int i = 0; i < 40 && !engine.ready(); ++i) {
    io.poll();
    const std::string w = link.take_written();
    if (w.empty()) continue;
    if (w.find("AT+CGMI") != std::string::npos) link.feed("\r\nhuawei\r\n");
    if (w.find("AT+CPIN?") != std::string::npos) link.feed("\r\n+CPIN: READY\r\n");
    if (w.find("AT+CSMS?") != std::string::npos) link.feed("\r\n+CSMS: 0,1,1,1\r\n");
    link.feed("\r\nOK\r\n");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  boost::asio::io_context io;
  sb::hal::MemorySerialLink link;
  sb::Log log(sb::Level::error, devnull());
  sb::modem::AtEngine engine(io, link, log, {});
  engine.start();
  answer_init(link, io, engine);
  if (!engine.ready()) std::abort();
  link.take_written();

  int replies = 0;
  sb::modem::AtReply reply;
  engine.command("AT+CMGL=4", [&](const sb::modem::AtReply& r) {
    ++replies;
    reply = r;
  });
  io.poll();

  Input in{data, size};
  std::string stream;
  std::map<int, std::string> held;  // slot -> the PDU it really holds
  auto end = [&] { return kEnds[in.byte() % 4]; };
  for (int ops = 0; in.n > 0 && ops < 64; ++ops) {
    const std::uint8_t op = in.byte();
    switch (op % 4) {
      case 0: {  // a slot: header, maybe URCs, its PDU
        const int slot = in.byte() % 32;
        if (held.count(slot)) break;
        const Known& k = kPdus[in.byte() % 3];
        held[slot] = k.hex;
        stream += "+CMGL: " + std::to_string(slot) + ",1,," + std::to_string(k.tpdu) + end();
        for (int u = in.byte() % 3; u > 0; --u) stream += std::string(kUrcs[in.byte() % 13]) + end();
        stream += std::string(k.hex) + end();
        break;
      }
      case 1:
        stream += std::string(kUrcs[in.byte() % 13]) + end();
        break;
      case 2:  // a routed status report: its two lines come together
        stream += "+CDS: 25" + std::string(end()) +
                  "0006D60B911326880736F4111011719551401110117195714000" + end();
        break;
      case 3: {  // a line no table knows, from the input (never hex, never a final result)
        std::string l = "^";
        for (int c = in.byte() % 24; c > 0; --c) {
          char ch = static_cast<char>(in.byte());
          if (ch != '\r' && ch != '\n') l += ch;
        }
        stream += l + end();
        break;
      }
    }
  }
  stream += "\r\nOK\r\n";

  // Cut into reads of the sizes the remaining input says.
  std::size_t pos = 0;
  while (pos < stream.size()) {
    std::size_t cut = 1 + in.byte() % 16;
    if (in.n == 0) cut = stream.size() - pos;
    link.feed(std::string_view(stream).substr(pos, cut));
    pos += cut;
    io.poll();
  }
  io.poll();
  if (replies != 1 || !reply.ok()) std::abort();

  auto listing = sb::channels::sms::parse_cmgl(reply.lines);
  std::map<int, int> named;
  for (const auto& s : listing.slots) {
    auto it = held.find(s.index);
    if (it == held.end()) std::abort();                       // a slot nobody printed
    if (!s.pdu.empty() && s.pdu != it->second) std::abort();  // another line taken as PDU
    named[s.index]++;
  }
  for (const auto& [slot, pdu] : held)
    if (named[slot] != 1) std::abort();
  engine.stop();
  return 0;
}
