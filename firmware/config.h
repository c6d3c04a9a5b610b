// firmware/config.h — the service's configuration (the external contract's keys and more).
//
// One parser, one error style: every error names the file, the line and the key, and why.
// Every key has a default; the embedded default is the config with no keys at all.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "services/bot/local_bot.h"
#include "services/handoff/rule_set.h"
#include "base/log.h"
#include "base/result.h"
#include "services/inbox/workflow_config.h"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace sb::firmware {

struct Department {
  std::string id;
  std::string name;
};

struct AgentEntry {
  std::string id;
  std::string name;
  std::string department;
};

struct CannedReply {
  std::string shortcut;  // e.g. "/hours"
  std::string text;      // may hold {name}, filled with the contact's name
};

struct Config {
  std::string source = "(embedded default)";  // the file it came from
  std::string text;                             // the TOML it was parsed from
  std::string gateway_id = "gw-local";
  Level log_level = Level::info;
  struct {
    std::string dir = "./var/switchboard";
    std::uint64_t max_map_mib = sizeof(void*) == 4 ? 1024 : 65536;
    // The write queue (services/inbox/write_queue.h): per group commit, and waiting in all.
    std::uint64_t write_batch_messages = 1024;
    std::uint64_t write_batch_kib = 1024;
    std::uint64_t write_queue_messages = 4096;
    std::uint64_t write_queue_kib = 16384;
    // At a trickle, a commit waits this long for others to join it (flash pays per commit).
    std::uint64_t commit_window_ms = 300;
  } storage;
  struct {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    std::string tls_cert, tls_key;  // both set: the page and API are served over HTTPS only
    // Caps (README "Configuration"): connections held at once, overall and per client address;
    // live-update streams per login session; wrong passwords a minute per account and per
    // address; logins waiting for their password check.
    int max_connections = 512;
    int max_connections_per_address = 128;
    int max_streams_per_session = 4;
    int login_failures_per_account = 10;
    int login_failures_per_address = 30;
    int login_queue = 4;
  } admin;
  struct {
    std::string device;  // empty: no modem
    unsigned baud = 115200;
    std::string sim_pin;
    int part_wait_s = 600;         // a long SMS with a part missing goes in marked after this
    int rescan_s = 60;             // whole-storage listing (catches lost indications)
    int health_poll_s = 30;
    int send_attempts = 3;         // then an outbound SMS is marked failed
    int retry_initial_s = 5;       // backoff between attempts, doubling up to retry_max_s
    int retry_max_s = 300;
    std::string reset_command = "AT+CFUN=1,1";  // the reset step of the recovery ladders
    int reset_wait_s = 20;              // after the reset command, before re-opening
    int refusals_before_recovery = 3;   // modem-side send refusals in a row, per ladder step
    int sim_busy_wait_s = 60;           // "SIM busy" after the PIN is asked again this long
  } modem;
  struct {
    std::string uri;  // empty: no broker, events wait in the outbox
    std::string username, password, ca_file, cert_file, key_file;
    int keepalive_s = 30;
  } mqtt;
  struct {
    int retry_initial_s = 2;
    int retry_max_s = 300;
    int fail_after_s = 3600;
  } outbound;
  struct {
    int max_age_h = 72;
    std::uint64_t max_events = 1000000;
  } replay;
  struct {
    std::uint64_t max_entries = 50000;  // the audit log keeps this many; the oldest go first
  } audit;
  // Caps on what a config (the local file, or central's) may hold (README "Configuration");
  // only the local file sets them, so central cannot raise its own.
  struct {
    std::size_t config_max_bytes = 1u << 20;  // a GatewayConfig payload on the config topic
    handoff::RuleLimits rules;                // rule count, patterns, pattern length, matcher
    std::uint64_t replay_events_per_request = 10000;  // events one ReplayRequest republishes
    int replay_requests_per_minute = 6;               // ReplayRequests taken a minute
    int mqtt_in_flight = 100;  // publishes awaiting the broker's acknowledgement at once
  } limits;
  std::vector<Department> departments{{"support", "Support"}};
  std::vector<AgentEntry> agents;
  std::vector<CannedReply> canned_replies;
  bot::BotConfig bot;
  // Agent workflow: [routing] (default_department, away_after_min), per [[departments]] routing,
  // max_per_agent and targets, [alerts] (sms_to, interval_min, min_priority), [vip].
  inbox::WorkflowConfig workflow;
  // The [handoff] table, kept whole: the handoff engine parses and compiles it.
  std::shared_ptr<const toml::table> handoff;
};

// Parses TOML text; `source` names it in errors.
Result<Config> parse_config(std::string_view text, const std::string& source);
Result<Config> load_config(const std::string& path);
// --config, else $SWITCHBOARD_CONFIG, else /etc/switchboard/switchboard.toml if it
// exists, else the embedded default.
Result<Config> resolve_config(const std::optional<std::string>& flag);

}  // namespace sb::firmware
