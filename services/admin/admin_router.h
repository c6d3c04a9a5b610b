// services/admin/admin_router.h — the admin page, /healthz, /metrics and the JSON API.
//
// Order of checks on /api/v1: authentication first (401 for any path and method
// without a session, except login and first-run setup), then routing, then CSRF on every
// state change, then the role.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "services/admin/auth.h"
#include "services/admin/report_scan.h"
#include "services/admin/router.h"
#include "services/common/metrics.h"
#include "services/inbox/inbox.h"

namespace sb::admin {

// What the page shows about the gateway besides the inbox (modem, MQTT, storage…): filled by
// firmware from the live components.
using StatusProvider = std::function<nlohmann::json()>;

struct AdminOptions {
  // The page is served over HTTPS (HttpServer::use_tls): the session cookie is marked Secure.
  bool tls = false;
  // Its recent warnings and errors go into the diagnostics (none shown when null).
  const Log* log = nullptr;
  std::size_t max_streams_per_session = 4;
  // Reports (statistics, exports) scanning at once, and conversations each reads per turn of
  // the event loop (report_scan.h).
  std::size_t max_reports = ReportSlots::kDefaultCap;
  std::size_t report_rows_per_step = ReportSlots::kDefaultRowsPerStep;
};

class AdminRouter : public Router {
 public:
  AdminRouter(inbox::Inbox& inbox, Auth& auth, Metrics& metrics, const Clock& clock,
              StatusProvider status, AdminOptions options = {});

  Response handle(const Request& req, const std::string& peer) override;
  // At most `max_streams_per_session` per session: a session's newest stream ends its oldest
  // (a tab reopened, a page reloaded), so one session cannot hold the connections.
  bool open_stream(const Request& req, LiveStream stream) override;
  // Login, first-run setup, adding a user and a password reset: the password is hashed on
  // Auth's hashing thread, never on the event loop.
  bool handle_later(const Request& req, const std::string& peer,
                    std::function<void(std::function<void()>)> post,
                    std::function<void(Response)> reply) override;
  // Pushes inbox Events to the open live streams.
  void on_events(const std::vector<inbox::Event>& events);
  // Pushes one "activity" event (who views or types where) to the open live streams: it is
  // not stored, and a stream that missed it misses nothing lasting.
  void on_activity(const nlohmann::json& activity);

 private:
  Response api(const Request& req, const std::string& peer);
  void push(const std::string& chunk);
  Response static_file(const Request& req);
  const Session* session_of(const Request& req);
  void end_streams_of_ended_sessions();

  inbox::Inbox& inbox_;
  Auth& auth_;
  Metrics& metrics_;
  const Clock& clock_;
  StatusProvider status_;
  AdminOptions options_;
  ReportSlots reports_;
  struct OpenStream {
    std::string session;  // the token it was opened with
    LiveStream stream;
  };
  std::vector<OpenStream> streams_;  // oldest first
};

}  // namespace sb::admin
