#include "services/admin/admin_router.h"

#include <nlohmann/json.hpp>

#include "services/admin/action_audit.h"
#include "services/admin/api_routes.h"
#include "services/admin/api_util.h"
#include "services/admin/assets.h"
#include "services/admin/health.h"
#include "services/admin/route_table.h"

namespace sb::admin {

using nlohmann::json;

AdminRouter::AdminRouter(inbox::Inbox& inbox, Auth& auth, Metrics& metrics, const Clock& clock,
                         StatusProvider status, AdminOptions options)
    : inbox_(inbox),
      auth_(auth),
      metrics_(metrics),
      clock_(clock),
      status_(std::move(status)),
      options_(options),
      reports_(options.max_reports, options.report_rows_per_step) {}

namespace {
std::string cookie(const Request& req, const std::string& name) {
  auto it = req.find(http::field::cookie);
  if (it == req.end()) return {};
  std::string_view c = sv(it->value());
  std::size_t pos = 0;
  while (pos < c.size()) {
    std::size_t end = c.find(';', pos);
    if (end == std::string_view::npos) end = c.size();
    std::string_view part = c.substr(pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.substr(0, name.size()) == name && part.size() > name.size() &&
        part[name.size()] == '=')
      return std::string(part.substr(name.size() + 1));
    pos = end + 1;
  }
  return {};
}

bool reads_only(const Request& req) {
  return req.method() == http::verb::get || req.method() == http::verb::head;
}

// A browser names the page a request comes from in Origin on every cross-site request that
// changes state; it must be this server (the Host the browser addressed). No Origin at all is
// a client that is no browser (curl, a script), which the session and CSRF token guard.
bool same_origin(const Request& req) {
  auto o = req.find(http::field::origin);
  if (o == req.end()) return true;
  std::string_view origin = sv(o->value());
  auto scheme = origin.find("://");
  if (scheme == std::string_view::npos) return false;  // "null" and the like
  std::string_view host = origin.substr(scheme + 3);
  auto h = req.find(http::field::host);
  return h != req.end() && !host.empty() && boost::beast::iequals(boost::beast::string_view(host.data(), host.size()), h->value());
}

Response cross_origin(const Request& req) {
  return json_error(req, http::status::forbidden,
                    "a request that changes state must come from this page (Origin)");
}

}  // namespace

const Session* AdminRouter::session_of(const Request& req) {
  std::string token = cookie(req, "sb_session");
  return token.empty() ? nullptr : auth_.session(token);
}

Response AdminRouter::handle(const Request& req, const std::string& peer) {
  std::string_view target = sv(req.target());
  std::string_view path = target.substr(0, target.find('?'));
  if (path == "/healthz") {
    // Still 200 while degraded: the process is alive; the reasons say what is down.
    json h = status_ ? status_() : json::object();
    json summary = health_json(h);
    h["status"] = summary["status"];
    if (!summary["reasons"].empty()) h["reasons"] = summary["reasons"];
    return ok_json(req, h);
  }
  if (path == "/metrics")
    return make_response(req, http::status::ok, metrics_.exposition(),
                         "text/plain; version=0.0.4; charset=utf-8");
  if (path.substr(0, 8) == "/api/v1/" || path == "/api/v1") {
    Response res = api(req, peer);
    end_streams_of_ended_sessions();  // a logout, or a change to a user, ends its streams now
    return res;
  }
  return static_file(req);
}

void AdminRouter::end_streams_of_ended_sessions() {
  std::vector<std::function<void()>> ends;
  std::erase_if(streams_, [&](OpenStream& s) {
    if (auth_.holds(s.session)) return false;
    if (s.stream.end) ends.push_back(std::move(s.stream.end));
    return true;
  });
  for (auto& end : ends) end();
}

Response AdminRouter::static_file(const Request& req) {
  if (req.method() != http::verb::get && req.method() != http::verb::head)
    return json_error(req, http::status::method_not_allowed, "only GET here");
  std::string_view target = sv(req.target());
  std::string_view path = target.substr(0, target.find('?'));
  for (const Asset& a : assets()) {
    if (path != a.path) continue;
    auto ae = req.find(http::field::accept_encoding);
    bool gzip = ae != req.end() && sv(ae->value()).find("gzip") != std::string_view::npos;
    Response res{http::status::ok, req.version()};
    res.set(http::field::content_type, a.content_type);
    res.set(http::field::cache_control, "no-cache");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("X-Frame-Options", "DENY");
    res.set("Content-Security-Policy",
            "default-src 'self'; img-src 'self' https: data:; style-src 'self'; "
            "script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
    res.set("Referrer-Policy", "no-referrer");
    res.set(http::field::vary, "Accept-Encoding");
    if (gzip) {
      res.set(http::field::content_encoding, "gzip");
      res.body().assign(reinterpret_cast<const char*>(a.gzip), a.size);
    } else {
      res.body() = gunzip(a.gzip, a.size);
    }
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    if (req.method() == http::verb::head) res.body().clear();
    return res;
  }
  return json_error(req, http::status::not_found, "no such page");
}

Response AdminRouter::api(const Request& req, const std::string& peer) {
  ApiContext ctx{inbox_,  auth_, metrics_,     clock_,
                 status_, peer,  options_.tls, options_.log,
                 [this](const json& a) { on_activity(a); }, &reports_};
  std::string_view target = sv(req.target());
  std::string path(target.substr(0, target.find('?')));
  // Before any session: first-run setup's GET (its POST and login are answered later).
  if (auto open = open_routes(ctx, req, path)) return std::move(*open);
  const Session* s = session_of(req);
  if (!s) return json_error(req, http::status::unauthorized, "log in first");
  if (!reads_only(req) && !same_origin(req)) return cross_origin(req);
  return session_routes(ctx, req, path, *s, cookie(req, "sb_session"));
}

bool AdminRouter::handle_later(const Request& req, const std::string& peer,
                               std::function<void(std::function<void()>)> post,
                               std::function<void(Response)> reply) {
  std::string_view target = sv(req.target());
  std::string path(target.substr(0, target.find('?')));
  const bool login = path == "/api/v1/login", setup = path == "/api/v1/setup";
  if ((login || setup) && req.method() == http::verb::post && !same_origin(req)) {
    reply(cross_origin(req));
    return true;
  }
  ApiContext ctx{inbox_, auth_, metrics_, clock_, status_, peer, options_.tls, options_.log, {},
                 &reports_};
  if (login)
    return login_route(ctx, req, path, std::move(post),
                       audit_login(inbox_, req, peer, std::move(reply)));
  if (setup) return setup_route(ctx, req, path, std::move(post), std::move(reply));
  for (auto table : {api_route_table(), workflow_route_table(), team_route_table()}) {
    if (!answers_later(table, req.method(), path)) continue;
    // The checks api() makes before the route table's own.
    const Session* s = session_of(req);
    if (!s) {
      reply(json_error(req, http::status::unauthorized, "log in first"));
      return true;
    }
    if (!same_origin(req)) {
      reply(cross_origin(req));
      return true;
    }
    Later later{std::move(post), reply};
    if (auto now = dispatch(table, ctx, req, path, *s, cookie(req, "sb_session"), &later))
      reply(std::move(*now));
    return true;
  }
  return false;
}

bool AdminRouter::open_stream(const Request& req, LiveStream stream) {
  if (req.method() != http::verb::get || sv(req.target()) != "/api/v1/live") return false;
  if (!session_of(req)) return false;  // answered 401 by handle()
  const std::string token = cookie(req, "sb_session");
  // Forget streams whose client is gone (an empty push writes nothing), then make room.
  std::erase_if(streams_, [](OpenStream& s) { return !s.stream.send({}); });
  std::size_t mine = 0;
  for (const auto& s : streams_) mine += s.session == token;
  for (auto it = streams_.begin(); mine >= options_.max_streams_per_session && it != streams_.end();) {
    if (it->session != token) {
      ++it;
      continue;
    }
    auto end = std::move(it->stream.end);
    it = streams_.erase(it);
    --mine;
    if (end) end();
  }
  streams_.push_back({token, std::move(stream)});
  return true;
}

void AdminRouter::on_events(const std::vector<inbox::Event>& events) {
  end_streams_of_ended_sessions();
  if (streams_.empty()) return;
  json batch = json::array();
  for (const auto& e : events) batch.push_back(event_json(e));
  push("event: inbox\ndata: " + json_text(batch) + "\n\n");
}

void AdminRouter::on_activity(const json& activity) {
  if (!streams_.empty()) push("event: activity\ndata: " + json_text(activity) + "\n\n");
}

void AdminRouter::push(const std::string& chunk) {
  std::erase_if(streams_, [&](OpenStream& s) { return !s.stream.send(chunk); });
}

}  // namespace sb::admin
