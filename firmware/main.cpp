// firmware/main.cpp — the switchboard binary: the verbs of the external contract on CLI11.
#include <CLI/CLI.hpp>
#include <iostream>

#include "firmware/config.h"
#include "firmware/rules_loader.h"
#include "firmware/service.h"
#include "services/admin/tls_context.h"
#include "firmware/verbs/data_verbs.h"
#include "firmware/verbs/report_verbs.h"
#include "firmware/verbs/user_verbs.h"
#include "firmware/verbs/verbs.h"

namespace {

// Loads the config a verb should use, printing the contract's one-line reason on failure.
std::optional<sb::firmware::Config> config_for(const char* verb,
                                               const std::optional<std::string>& flag) {
  auto c = sb::firmware::resolve_config(flag);
  if (!c) {
    std::cerr << "switchboard " << verb << ": " << c.error().message << '\n';
    return std::nullopt;
  }
  return *c;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"switchboard — an on-premise unified inbox for gateways", "switchboard"};
  app.require_subcommand(0, 1);
  bool version = false;
  app.add_flag("--version", version, "print the version and exit");

  std::optional<std::string> config_file;
  auto* run = app.add_subcommand("run", "run the service (the default)");
  run->add_option("--config", config_file, "TOML config file (default: embedded)");

  std::string check_file;
  auto* check = app.add_subcommand("check-config", "validate a config file");
  check->add_option("FILE", check_file, "the config file")->required();

  std::optional<std::string> rules_file;
  std::vector<std::string> texts;
  auto* match = app.add_subcommand("match", "run texts through the handoff triggers");
  match->add_option("--rules", rules_file, "TOML file with a [handoff] table");
  match->add_option("TEXT", texts, "texts (default: one per line from stdin)");
  bool explain = false;
  match->add_flag("--explain", explain, "add normalization, candidates and suppressors");

  auto* pdu = app.add_subcommand("pdu", "decode or encode SMS PDUs");
  pdu->require_subcommand(1);
  std::vector<std::string> hexes;
  auto* decode = pdu->add_subcommand("decode", "decode PDUs (hex, with SMSC prefix)");
  decode->add_option("HEX", hexes, "PDUs (default: one per line from stdin)");
  std::string to, text;
  bool status_report = false;
  auto* encode = pdu->add_subcommand("encode", "print the SMS-SUBMIT PDU(s) for a text");
  encode->add_option("--to", to, "recipient number")->required();
  encode->add_flag("--status-report", status_report, "ask for a delivery report");
  encode->add_option("TEXT", text, "the text (after -- if it begins with -)")->required();

  auto* exp = app.add_subcommand("export", "print every conversation as JSON Lines");
  exp->add_option("--config", config_file, "TOML config file");
  std::string export_format = "json", export_what = "conversations";
  std::optional<std::string> since, until;
  exp->add_option("--format", export_format, "json (the default: every conversation with its "
                  "messages) or csv (one row per conversation, or per day with --what handoffs)");
  exp->add_option("--what", export_what, "with --format csv: conversations or handoffs");
  exp->add_option("--since", since, "with --format csv: from this UTC date or time");
  exp->add_option("--until", until, "with --format csv: through this UTC date (or before a time)");

  auto* audit = app.add_subcommand("audit", "print the audit log (who did what, from where) as JSON Lines");
  audit->add_option("--config", config_file, "TOML config file");
  audit->add_option("--since", since, "from this UTC date or time (2026-11-30, 2026-11-30T12:00:00Z)");
  audit->add_option("--until", until, "through this UTC date, or before this time");

  std::string dest;
  auto* backup = app.add_subcommand("backup", "write a consistent compacted copy of the database");
  backup->add_option("DEST", dest, "destination directory")->required();
  backup->add_option("--config", config_file, "TOML config file");

  auto* user = app.add_subcommand("user", "manage local users");
  user->require_subcommand(1);
  std::string user_name, role;
  auto* user_add = user->add_subcommand("add", "create a user; the password is read from stdin");
  user_add->add_option("NAME", user_name, "user name")->required();
  user_add->add_option("--role", role, "admin, agent or technician")->required();
  user_add->add_option("--config", config_file, "TOML config file");
  auto* user_list = user->add_subcommand("list", "list the users: name, role, disabled");
  user_list->add_option("--config", config_file, "TOML config file");
  auto* user_passwd = user->add_subcommand("passwd", "set a new password, read from stdin; ends the user's sessions");
  user_passwd->add_option("NAME", user_name, "user name")->required();
  user_passwd->add_option("--config", config_file, "TOML config file");
  bool user_enable = false;
  auto* user_disable = user->add_subcommand("disable", "disable a user (--enable: enable again); ends its sessions");
  user_disable->add_option("NAME", user_name, "user name")->required();
  user_disable->add_flag("--enable", user_enable, "enable the user again");
  user_disable->add_option("--config", config_file, "TOML config file");
  auto* user_role = user->add_subcommand("role", "change a user's role; ends its sessions");
  user_role->add_option("NAME", user_name, "user name")->required();
  user_role->add_option("ROLE", role, "admin, agent or technician")->required();
  user_role->add_option("--config", config_file, "TOML config file");

  auto* verify = app.add_subcommand("verify", "check the database file, page by page");
  verify->add_option("--config", config_file, "TOML config file");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // CLI11 exits 109 for some errors; the contract says 2 for bad usage, with one line.
    std::cerr << "switchboard: " << e.what() << " (see switchboard --help)\n";
    return 2;
  }

  if (version) {
    std::cout << "switchboard " << SWITCHBOARD_VERSION << '\n';
    return 0;
  }
  if (*check) {
    auto c = sb::firmware::load_config(check_file);
    if (!c) {
      std::cerr << c.error().message << '\n';
      return 2;
    }
    if (auto rules = sb::firmware::load_rules(*c); !rules) {
      std::cerr << rules.error().message << '\n';
      return 2;
    }
    // The files the config names must be usable too: a technician checks before a restart.
    if (!c->admin.tls_cert.empty()) {
      if (auto tls = sb::admin::make_tls_context(c->admin.tls_cert, c->admin.tls_key); !tls) {
        std::cerr << check_file << ": " << tls.error().message << '\n';
        return 2;
      }
    }
    std::cerr << check_file << ": ok\n";
    return 0;
  }
  if (*match) return sb::verbs::match(rules_file, texts, std::cin, std::cout, std::cerr, explain);
  if (*decode) return sb::verbs::pdu_decode(hexes, std::cin, std::cout, std::cerr);
  if (*encode) return sb::verbs::pdu_encode(to, status_report, text, std::cout, std::cerr);
  if (*exp) {
    if (export_format != "json" && export_format != "csv") {
      std::cerr << "switchboard export: --format must be json or csv\n";
      return 2;
    }
    if (export_format == "json" && (since || until || export_what != "conversations")) {
      std::cerr << "switchboard export: --since, --until and --what go with --format csv\n";
      return 2;
    }
    auto c = config_for("export", config_file);
    if (!c) return 2;
    if (export_format == "csv")
      return sb::verbs::export_csv(*c, export_what, since, until, std::cout, std::cerr);
    return sb::verbs::export_data(*c, std::cout, std::cerr);
  }
  if (*audit) {
    auto c = config_for("audit", config_file);
    return c ? sb::verbs::audit_report(*c, since, until, std::cout, std::cerr) : 2;
  }
  if (*backup) {
    auto c = config_for("backup", config_file);
    return c ? sb::verbs::backup(*c, dest, std::cerr) : 2;
  }
  if (*user_add) {
    auto c = config_for("user add", config_file);
    return c ? sb::verbs::user_add(*c, user_name, role, std::cin, std::cerr) : 2;
  }
  if (*user_list) {
    auto c = config_for("user list", config_file);
    return c ? sb::verbs::user_list(*c, std::cout, std::cerr) : 2;
  }
  if (*user_passwd) {
    auto c = config_for("user passwd", config_file);
    return c ? sb::verbs::user_passwd(*c, user_name, std::cin, std::cerr) : 2;
  }
  if (*user_disable) {
    auto c = config_for("user disable", config_file);
    return c ? sb::verbs::user_disable(*c, user_name, user_enable, std::cerr) : 2;
  }
  if (*user_role) {
    auto c = config_for("user role", config_file);
    return c ? sb::verbs::user_role(*c, user_name, role, std::cerr) : 2;
  }
  if (*verify) {
    auto c = config_for("verify", config_file);
    return c ? sb::verbs::verify(*c, std::cerr) : 2;
  }
  // `run`, or no verb at all.
  sb::Log log;
  auto c = config_for("run", config_file);
  if (!c) return 2;
  std::optional<std::string> reload_path = config_file;
  if (!reload_path && c->source != "(embedded default)") reload_path = c->source;
  return sb::firmware::run_service(std::move(*c), reload_path, log);
}
