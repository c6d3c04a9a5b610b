#include "firmware/service.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "firmware/central_config.h"
#include "firmware/central_link.h"
#include "firmware/config_worker.h"
#include "firmware/protobuf_log.h"
#include "firmware/rules_loader.h"
#include "firmware/systemd_notify.h"
#include "hal/clock/system_clock.h"
#include "services/admin/admin_router.h"
#include "services/admin/auth.h"
#include "services/admin/http_server.h"
#include "hal/modem/at_engine.h"
#include "hal/serial/linux_serial_link.h"
#include "services/channels/sms_channel.h"
#include "services/inbox/dead_letters.h"
#include "services/inbox/inbox.h"
#include "services/store/store.h"

namespace sb::firmware {

namespace asio = boost::asio;

namespace {

// Config sections that can change while running; the rest is reported and kept until restart.
// `rules` are `c`'s, compiled already (compiling is the slow part; it is done once).
void apply_live(const Config& c, std::shared_ptr<const handoff::RuleSet> rules,
                inbox::Inbox& inbox, Log& log) {
  for (const auto& d : c.departments)
    if (auto r = inbox.upsert_department(d.id, d.name); !r)
      log.error("config", "department ", d.id, ": ", r.error().message);
  inbox.set_rules(std::move(rules));
  for (const auto& a : c.agents)
    if (auto r = inbox.upsert_agent(a.id, a.name, a.department); !r)
      log.error("config", "agent ", a.id, ": ", r.error().message);
  inbox.set_bot(std::make_shared<bot::LocalBot>(c.bot));
  // Agent workflow: routing, targets, alerts, VIP rule; canned replies into LMDB
  // when the config's set changed (admins' edits survive restarts and SIGHUP).
  inbox.set_workflow(c.workflow);
  std::vector<std::pair<std::string, std::string>> canned;
  for (const auto& r : c.canned_replies) canned.emplace_back(r.shortcut, r.text);
  if (auto done = inbox.apply_config_canned(canned); !done)
    log.error("config", done.error().message);
  else if (*done)
    log.info("config", canned.size(), " canned replies from the config applied");
}

constexpr const char* kCentralConfigKey = "central_config";

// A config and its compiled rules.
struct Effective {
  Config config;
  std::shared_ptr<const handoff::RuleSet> rules;
};

// Central's last accepted config, as stored (read on the event loop's thread).
std::optional<switchboard::v1::GatewayConfig> stored_central(store::Store& store) {
  std::optional<switchboard::v1::GatewayConfig> central;
  store.read([&](const store::ReadTxn& r) {
    switchboard::v1::GatewayConfig g;
    if (r.get_proto(store::Table::settings, kCentralConfigKey, g)) central = std::move(g);
  });
  return central;
}

// The local file's config with central's last accepted sections on top (they survive
// restarts); the local one alone when there are none or they no longer fit it (or its
// limits). Fails only when the local config's own rules do not compile. Touches no shared
// state: it runs on the config worker for a reload.
Result<Effective> effective_config(const Config& local,
                                   const std::optional<switchboard::v1::GatewayConfig>& central,
                                   Log& log) {
  if (central) {
    auto merged = merge_central(local, *central);
    auto rules = merged ? load_rules(*merged) : Result<std::shared_ptr<const handoff::RuleSet>>(
                                                    merged.error());
    if (rules) {
      log.info("config", "central config v", central->version(), " on top of ", local.source);
      return Effective{std::move(*merged), *rules};
    }
    log.error("config", "the stored central config v", central->version(),
              " does not fit the local config: ", rules.error().message,
              "; running on the local config");
  }
  auto rules = load_rules(local);
  if (!rules) return rules.error();
  return Effective{local, *rules};
}

}  // namespace

int run_service(Config config, std::optional<std::string> config_path, Log& log) {
  log.set_level(config.log_level);
  asio::io_context io(1);
  hal::SystemClock clock;
  ProtobufLogRoute protobuf_log(log);  // bad payloads' parse complaints into the service log
  Metrics metrics;
  // Channel names come from the bridges' topics: only the known ones get their own series.
  metrics.known_values("switchboard_messages_in_total", "channel",
                       {"sms", "whatsapp", "instagram", "webchat", "email", "messenger",
                        "telegram"});
  const std::int64_t started_ms = clock.monotonic_ms();

  store::StoreOptions so;
  so.max_map_bytes = config.storage.max_map_mib << 20;
  auto opened = store::Store::open(config.storage.dir, so);
  if (!opened) {
    log.error("store", opened.error().message);
    return 1;
  }
  store::Store& store = **opened;
  log.info("store", "database in ", config.storage.dir, " (map ", store.map_bytes() >> 20,
           " MiB)");
  metrics.gauge_fn("switchboard_storage_bytes", "Bytes used in the LMDB file",
                   [&] { return static_cast<double>(store.used_bytes()); });
  metrics.gauge_fn("switchboard_storage_disk_full", "1 while ingest is refused for lack of disk",
                   [&] { return store.disk_full() ? 1.0 : 0.0; });

  inbox::Inbox inbox(
      store, clock, log, metrics, [&io](std::function<void()> f) { asio::post(io, std::move(f)); },
      /*resume_search_now=*/false);
  {
    inbox::WriteLimits wl;
    wl.batch_writes = static_cast<std::size_t>(config.storage.write_batch_messages);
    wl.batch_bytes = static_cast<std::size_t>(config.storage.write_batch_kib << 10);
    wl.queue_writes = static_cast<std::size_t>(config.storage.write_queue_messages);
    wl.queue_bytes = static_cast<std::size_t>(config.storage.write_queue_kib << 10);
    wl.commit_window_ms = static_cast<std::int64_t>(config.storage.commit_window_ms);
    wl.quiet_gap_ms = 50;  // under load, commit at a 50 ms pause in arrivals (write_queue.h)
    inbox.set_write_limits(wl);
    inbox.set_audit_cap(static_cast<std::size_t>(config.audit.max_entries));
    inbox.set_commit_timer([&io](std::int64_t ms, std::function<void()> f) {
      auto t = std::make_shared<asio::steady_timer>(io, std::chrono::milliseconds(ms));
      t->async_wait([t, f = std::move(f)](const boost::system::error_code& ec) {
        if (!ec) f();
      });
    });
  }
  metrics.gauge_fn("switchboard_write_queue_waiting", "Writes waiting for the next group commit",
                   [&] { return static_cast<double>(inbox.pending()); });
  Config local = config;  // what SIGHUP re-reads; `config` is what runs
  {
    auto effective = effective_config(local, stored_central(store), log);
    if (!effective) {
      log.error("config", effective.error().message);
      return 2;
    }
    config = std::move(effective->config);
    apply_live(config, std::move(effective->rules), inbox, log);
  }

  admin::LoginLimits login_limits;
  login_limits.per_account = config.admin.login_failures_per_account;
  login_limits.per_address = config.admin.login_failures_per_address;
  admin::InboxRoster roster(inbox);
  admin::Auth auth(store, clock, roster, admin::Auth::kIterations, login_limits,
                   static_cast<std::size_t>(config.admin.login_queue));
  const bool admin_tls = !config.admin.tls_cert.empty();  // config makes sure tls_key is set too
  const char* admin_scheme = admin_tls ? "https" : "http";
  if (std::string token = auth.setup_token(); !token.empty())
    log.notice("admin", "no admin account yet: first-run setup token ", token,
               " (enter it on the admin page at ", admin_scheme, "://", config.admin.host, ":",
               config.admin.port, "/ to create the first admin)");

  // Central's config: merged and compiled on the worker thread, stored and applied here on
  // the event loop's thread when it compiled.
  ConfigWorker config_worker(io);
  using Done = std::function<void(Result<void>)>;
  auto apply_central = [&](const switchboard::v1::GatewayConfig& central, Done done) {
    auto work = [local_copy = local, central, done, &store, &inbox, &log, &config,
                 &clock]() -> ConfigWorker::Continuation {
      auto merged = merge_central(local_copy, central);
      if (!merged) return [done, e = merged.error()] { done(e); };
      auto rules = load_rules(*merged);
      if (!rules) return [done, e = rules.error()] { done(e); };
      return [done, central, merged = std::move(*merged), rules = std::move(*rules), &store,
              &inbox, &log, &config, &clock]() mutable {
        auto saved = store.write([&](store::WriteTxn& w) -> Result<void> {
          w.put_proto(store::Table::settings, kCentralConfigKey, central);
          inbox::AuditEntry e;  // the audit log's record of it, in the same commit
          e.set_at_ms(clock.wall_ms());
          e.set_actor("central");
          e.set_address("mqtt");
          e.set_action("config.central");
          inbox::append_audit(w, e, inbox.audit_cap());
          return {};
        });
        if (!saved) return done(saved.error());
        apply_live(merged, std::move(rules), inbox, log);
        config = std::move(merged);
        done({});
      };
    };
    config_worker.submit({std::move(work), [done](std::string why) { done(fail(why)); }});
  };
  CentralLink mqtt(io, inbox, store, clock, log, metrics, CentralLink::Options::from(config),
                   apply_central);

  // The SMS channel: only when [modem] device is set.
  std::unique_ptr<hal::LinuxSerialLink> sms_link;
  std::unique_ptr<modem::AtEngine> sms_engine;
  std::unique_ptr<inbox::DeadLetters> sms_dead;
  std::unique_ptr<channels::SmsChannel> sms;
  if (!config.modem.device.empty()) {
    sms_link = std::make_unique<hal::LinuxSerialLink>(
        io, hal::LinuxSerialLink::Options{config.modem.device, config.modem.baud, 2000});
    modem::AtEngine::Options eo;
    eo.sim_pin = config.modem.sim_pin;
    eo.reset_command = config.modem.reset_command;
    eo.reset_wait_ms = config.modem.reset_wait_s * 1000;
    eo.sim_busy_wait_ms = config.modem.sim_busy_wait_s * 1000;
    sms_engine = std::make_unique<modem::AtEngine>(io, *sms_link, log, eo);
    sms_dead = std::make_unique<inbox::DeadLetters>(inbox, clock, log, metrics);
    channels::SmsOptions so;
    so.device = config.modem.device;
    so.part_wait_ms = config.modem.part_wait_s * 1000ll;
    so.rescan_ms = config.modem.rescan_s * 1000ll;
    so.health_poll_ms = config.modem.health_poll_s * 1000ll;
    so.send_attempts = config.modem.send_attempts;
    so.retry_initial_ms = config.modem.retry_initial_s * 1000ll;
    so.retry_max_ms = config.modem.retry_max_s * 1000ll;
    so.refusals_before_recovery = config.modem.refusals_before_recovery;
    sms = std::make_unique<channels::SmsChannel>(io, *sms_engine, inbox, store, *sms_dead, clock, log,
                                                 metrics, so);
    log.info("sms", "modem on ", config.modem.device, " at ", config.modem.baud, " baud");
  }
  auto status = [&] {
    nlohmann::json j = {{"gateway_id", config.gateway_id},
                        {"version", SWITCHBOARD_VERSION},
                        {"uptime_s", (clock.monotonic_ms() - started_ms) / 1000},
                        {"storage", {{"dir", config.storage.dir},
                                     {"used_bytes", store.used_bytes()},
                                     {"map_bytes", store.map_bytes()},
                                     {"disk_full", store.disk_full()}}},
                        {"mqtt", mqtt.status_json()}};
    if (sms) j["modem"] = sms->status_json();
    return j;
  };
  admin::AdminRouter router(
      inbox, auth, metrics, clock, status,
      {admin_tls, &log, static_cast<std::size_t>(config.admin.max_streams_per_session)});
  inbox.subscribe([&router](const auto& events) { router.on_events(events); });
  admin::HttpLimits http_limits;
  http_limits.max_connections = static_cast<std::size_t>(config.admin.max_connections);
  http_limits.max_per_address = static_cast<std::size_t>(config.admin.max_connections_per_address);
  admin::HttpServer http(io, router, log, http_limits);
  if (admin_tls) {
    // A certificate or key that cannot be used is a config error (exit 2, naming the file).
    if (auto r = http.use_tls(config.admin.tls_cert, config.admin.tls_key); !r) {
      log.error("config", r.error().message);
      return 2;
    }
  }
  if (auto r = http.listen(config.admin.host, config.admin.port); !r) {
    log.error("admin", r.error().message);
    return 1;
  }
  log.info("admin", "serving ", admin_scheme, "://", config.admin.host, ":", http.port(), "/");
  mqtt.start();
  if (sms) sms->start();

  // Agent workflow: presence timeouts, response targets and the on-call alert are checked on the monotonic clock every 15 s (targets are minutes; 15 s is fine-grained enough).
  asio::steady_timer workflow_timer(io);
  std::function<void()> workflow_tick = [&] {
    workflow_timer.expires_after(std::chrono::seconds(15));
    workflow_timer.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      inbox.workflow_tick();
      workflow_tick();
    });
  };
  workflow_tick();

  asio::signal_set stop_signals(io, SIGTERM, SIGINT);
  asio::signal_set hup(io, SIGHUP);
  stop_signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    log.notice("service", "signal ", sig, ": stopping");
    systemd::stopping();
    inbox.flush();  // what is pending is committed (and receipted) before we go
    mqtt.stop();
    if (sms) sms->stop();
    http.stop();
    hup.cancel();
    workflow_timer.cancel();
    io.stop();
  });
  // SIGHUP: the file is read, merged and compiled on the config worker; what it gives is
  // applied here. One reload at a time; a SIGHUP during one runs again after it.
  bool reloading = false, reload_again = false;
  std::function<void()> reload;
  auto reloaded = [&](Result<Effective> effective, Config read) {
    reloading = false;
    if (!effective) {
      log.error("config", "SIGHUP: ", effective.error().message, " (keeping the running config)");
    } else {
      local = std::move(read);
      auto next = std::make_optional(std::move(effective->config));
      if (next->storage.dir != config.storage.dir || next->admin.host != config.admin.host ||
          next->admin.port != config.admin.port ||
          next->admin.tls_cert != config.admin.tls_cert ||
          next->admin.tls_key != config.admin.tls_key || next->mqtt.uri != config.mqtt.uri ||
          next->modem.device != config.modem.device || next->gateway_id != config.gateway_id)
        log.warn("config",
                 "SIGHUP: gateway_id, storage, admin (listen, TLS), mqtt and modem keys change "
                 "only at restart; keeping the running ones");
      log.set_level(next->log_level);
      apply_live(*next, std::move(effective->rules), inbox, log);
      config.departments = next->departments;
      config.agents = next->agents;
      config.canned_replies = next->canned_replies;
      config.bot = next->bot;
      config.workflow = next->workflow;
      config.handoff = next->handoff;
      inbox.set_audit_cap(static_cast<std::size_t>(next->audit.max_entries));
      inbox::AuditEntry e;
      e.set_actor("config file");
      e.set_address(*config_path);
      e.set_action("config.reload");
      inbox.audit_later(std::move(e));
      log.notice("config", "SIGHUP: reloaded ", *config_path);
    }
    systemd::ready();
    if (reload_again) {
      reload_again = false;
      reload();
    }
  };
  reload = [&] {
    systemd::reloading();
    reloading = true;
    auto work = [path = *config_path, central = stored_central(store), &log,
                 &reloaded]() -> ConfigWorker::Continuation {
      auto read = load_config(path);
      if (!read) return [&reloaded, e = read.error()] { reloaded(e, Config{}); };
      auto effective = effective_config(*read, central, log);
      return [&reloaded, effective = std::move(effective), read = std::move(*read)]() mutable {
        reloaded(std::move(effective), std::move(read));
      };
    };
    config_worker.submit({std::move(work), [&reloaded](std::string why) {
                            reloaded(fail(why), Config{});
                          }});
  };
  std::function<void()> wait_hup = [&] {
    hup.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      if (!config_path)
        log.notice("config", "SIGHUP: running on the embedded default, nothing to re-read");
      else if (reloading)
        reload_again = true;
      else
        reload();
      wait_hup();
    });
  };
  wait_hup();

  // The whole-file page walk reads every page of data.mdb: seconds for a big store on flash,
  // so it runs on a thread of its own beside the service rather than before its start. A
  // damaged file found this way stops the service with the one line and exit status 1.
  int exit_code = 0;
  std::atomic<bool> stop_page_check{false};
  std::thread page_check([&] {
    auto r = store.check_pages(&stop_page_check);
    if (r && !stop_page_check) asio::post(io, [&] { inbox.resume_search_index(); });
    if (!r && !stop_page_check)
      asio::post(io, [&, why = r.error().message] {
        log.error("store", why);
        exit_code = 1;
        ::kill(::getpid(), SIGTERM);  // the orderly stop of stop_signals
      });
  });
  struct JoinPageCheck {
    std::thread& t;
    std::atomic<bool>& stop;
    ~JoinPageCheck() {
      stop = true;
      t.join();
    }
  } join_page_check{page_check, stop_page_check};

  systemd::Watchdog watchdog(io);
  systemd::ready();
  log.notice("service", "switchboard ", SWITCHBOARD_VERSION, " running as gateway ",
             config.gateway_id);
  io.run();
  log.notice("service", "stopped");
  return exit_code;
}

}  // namespace sb::firmware
