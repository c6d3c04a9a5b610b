#include "hal/modem/at_lines.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace sb::modem {

namespace {

bool starts(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// 27.005 / 27.007 unsolicited results every modem may print.
constexpr std::array<std::string_view, 16> kGenericUnsolicited = {
    "+CMTI:", "+CDSI:", "+CBM:", "RING", "+CRING:", "+CLIP:", "NO CARRIER", "+CREG:",
    "+CGREG:", "+CEREG:", "+CUSD:", "+CIEV:", "+CPIN:", "+CGEV:", "+CTZV:", "+CCWA:"};
// Printed unasked by most modems once the SIM is ready after a (re)start: settings such as
// ATE0 and AT+CNMI are gone, so the engine initializes again.
constexpr std::array<std::string_view, 1> kGenericRestart = {"+CPIN: READY"};
constexpr std::array<std::string_view, 2> kGenericPdu = {"+CMT:", "+CDS:"};

constexpr std::array<std::string_view, 0> kNone = {};
// The unsolicited results ModemManager's plugins register a handler for (or filter out) in
// src/plugins/<vendor>/mm-broadband-modem-<vendor>.c / mm-shared-<vendor>.c /
// mm-common-<vendor>.c (linux-mobile-broadband/ModemManager). A prefix missing here is not
// fatal: the SMS listing parser sets aside any line that is not what it waits for.
constexpr std::array<std::string_view, 36> kHuaweiChatter = {
    "^BOOT", "^RSSI", "^RSSILVL", "^HRSSILVL", "^MODE", "^DSFLOWRPT", "^NDISSTAT",
    "^DSDORMANT", "^SRVST", "^SIMST", "^HCSQ", "^CEND", "^ORIG", "^CONF", "^CONN", "^STIN",
    "^NWTIME", "^ACTIVEBAND", "^RFSWITCH", "^EONS", "^DDTMF", "^CONNECT ", "^CSNR",
    "^PDPDEACT", "^NDISEND", "^POSITION", "^POSEND", "^ECCLIST", "^LTERSRP",
    "^CSCHANNELINFO", "^CCALLSTATE", "^LWURC", "+CUSATP:", "+CUSATEND", "^SRVSTATE",
    "^SYSINFOEX"};
constexpr std::array<std::string_view, 1> kHuaweiRestart = {"^SYSSTART"};
constexpr std::array<std::string_view, 6> kQuectelChatter = {
    "+QIND:", "+QUSIM:", "+QCSQ:", "+QGPSURC:", "+QLWURC:", "+QTONEDET:"};
constexpr std::array<std::string_view, 2> kQuectelRestart = {"RDY", "POWERED DOWN"};
constexpr std::array<std::string_view, 8> kSimcomChatter = {
    "SMS DONE", "PB DONE", "+PACSP", "+CPSI:", "+CNSMOD:", "+NITZ:", "VOICE CALL:",
    "MISSED_CALL:"};
constexpr std::array<std::string_view, 2> kSimcomRestart = {"START", "*ATREADY"};
constexpr std::array<std::string_view, 2> kSierraChatter = {"!PCINFO:", "+PACSP"};
constexpr std::array<std::string_view, 2> kCinterionChatter = {"^SLCC:", "+CTZU:"};
constexpr std::array<std::string_view, 2> kCinterionRestart = {"^SYSSTART", "^SHUTDOWN"};
constexpr std::array<std::string_view, 5> kZteChatter = {"+ZUSIMR:", "+ZDONR:", "+ZPASR:",
                                                          "+ZPSTM:", "+ZEND"};
constexpr std::array<std::string_view, 3> kUbloxChatter = {"+UCALLSTAT:", "+UUDTMFD:",
                                                           "+PBREADY"};
constexpr std::array<std::string_view, 1> kWavecomChatter = {"+WWSM:"};
constexpr std::array<std::string_view, 1> kFibocomChatter = {"+SIM READY"};

constexpr std::array<VendorQuirks, 9> kVendors = {{
    {"huawei", "huawei", kHuaweiChatter, kHuaweiRestart},
    {"quectel", "quectel", kQuectelChatter, kQuectelRestart},
    {"simcom", "simcom", kSimcomChatter, kSimcomRestart},
    {"sierra", "sierra", kSierraChatter, kNone},
    {"cinterion", "cinterion", kCinterionChatter, kCinterionRestart},
    {"zte", "zte", kZteChatter, kNone},
    {"u-blox", "u-blox", kUbloxChatter, kNone},
    {"wavecom", "wavecom", kWavecomChatter, kNone},
    {"fibocom", "fibocom", kFibocomChatter, kNone},
}};
constexpr VendorQuirks kGeneric = {"generic", "", kNone, kGenericRestart};

bool any_prefix(std::string_view line, std::span<const std::string_view> prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](std::string_view p) { return starts(line, p); });
}

}  // namespace

std::optional<FinalResult> parse_final(std::string_view line) {
  if (line == "OK") return FinalResult{AtStatus::ok};
  if (line == "ERROR" || line == "COMMAND NOT SUPPORT" || line == "TOO MANY PARAMETERS")
    return FinalResult{AtStatus::error};
  auto coded = [&](std::string_view prefix, AtStatus s) -> std::optional<FinalResult> {
    if (!starts(line, prefix)) return std::nullopt;
    std::string_view rest = line.substr(prefix.size());
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    int n = 0;
    bool digits = !rest.empty();
    for (char c : rest) {
      if (!std::isdigit(static_cast<unsigned char>(c))) {
        digits = false;
        break;
      }
      n = n * 10 + (c - '0');
      if (n > 100000) break;
    }
    return FinalResult{s, digits ? n : -1};
  };
  if (auto f = coded("+CME ERROR:", AtStatus::cme_error)) return f;
  if (auto f = coded("+CMS ERROR:", AtStatus::cms_error)) return f;
  return std::nullopt;
}

std::string response_prefix(std::string_view command) {
  if (command.size() < 3 || (command[0] != 'A' && command[0] != 'a')) return {};
  std::string_view rest = command.substr(2);
  if (rest.empty() || (rest[0] != '+' && rest[0] != '^' && rest[0] != '$' && rest[0] != '!'))
    return {};
  std::size_t end = rest.find_first_of("=?");
  return std::string(rest.substr(0, end)) + ":";
}

std::span<const VendorQuirks> vendor_table() { return kVendors; }
const VendorQuirks& generic_quirks() { return kGeneric; }

const VendorQuirks* find_vendor(std::string_view cgmi) {
  std::string lower(cgmi);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& v : kVendors)
    if (lower.find(v.match) != std::string::npos) return &v;
  return nullptr;
}

LineKind classify(std::string_view line, const VendorQuirks* vendor) {
  if (any_prefix(line, kGenericPdu)) return LineKind::unsolicited_pdu;
  auto check = [&](const VendorQuirks& v) -> std::optional<LineKind> {
    if (any_prefix(line, v.restart)) return LineKind::restart;
    if (any_prefix(line, v.chatter)) return LineKind::chatter;
    return std::nullopt;
  };
  if (vendor) {
    if (auto k = check(*vendor)) return *k;
  } else {
    for (const auto& v : kVendors)
      if (auto k = check(v)) return *k;
  }
  if (auto k = check(kGeneric)) return *k;
  if (any_prefix(line, kGenericUnsolicited)) return LineKind::unsolicited;
  return LineKind::other;
}

}  // namespace sb::modem
