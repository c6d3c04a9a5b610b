// The running-a-team API under /api/v1 (admin unless said otherwise):
//   GET  /api/v1/audit[?before=N&limit=M]      the audit log, newest first (M up to 500)
//   GET  /api/v1/export/conversations.csv?since=&until=   one row per conversation created in
//                                                the range (UTC dates or times), a download
//   GET  /api/v1/export/handoffs.csv?since=&until=        handoff statistics per day
//   POST /api/v1/conversations/<id>/snooze     {"until": UTC time} or {} (until the customer
//                                                writes again); agents too
//   POST /api/v1/conversations/<id>/unsnooze   back in the lists now; agents too
//   POST /api/v1/conversations/<id>/transfer   {"department"?, "agent"?, "note"?} to a colleague
//                                                or a department's queue, with a private note;
//                                                agents too
#include <cctype>
#include <charconv>
#include <limits>
#include <tuple>

#include "services/admin/route_table.h"
#include "services/admin/api_util.h"
#include "services/inbox/audit_log.h"
#include "services/inbox/conversation_csv.h"
#include "services/inbox/inbox.h"

namespace sb::admin {

using nlohmann::json;

namespace {

constexpr std::uint64_t kMaxAuditPage = 500;
// An answer is held whole in memory (the server sends string bodies): an export stops before
// this many bytes (about 150,000 conversations) and says so; the CLI streams any number.
constexpr std::size_t kMaxCsvBytes = 16u << 20;

std::optional<std::uint64_t> number(const std::optional<std::string>& q) {
  if (!q) return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(q->data(), q->data() + q->size(), v);
  if (ec != std::errc() || p != q->data() + q->size()) return std::nullopt;
  return v;
}

Response audit_list(Call& c) {
  std::uint64_t limit = 100, before = 0;
  if (auto q = query(c.req, "limit")) {
    auto n = number(q);
    if (!n || *n < 1 || *n > kMaxAuditPage) return bad_request(c.req, "'limit' is 1 to 500");
    limit = *n;
  }
  if (auto q = query(c.req, "before")) {
    auto n = number(q);
    if (!n) return bad_request(c.req, "'before' is an entry number");
    before = *n;
  }
  json entries = json::array();
  c.ctx.inbox.store().read([&](const store::ReadTxn& r) {
    for (const auto& [n, e] : inbox::recent_audit(r, limit, before))
      entries.push_back({{"n", n},
                         {"at_ms", e.at_ms()},
                         {"actor", e.actor()},
                         {"address", e.address()},
                         {"action", e.action()},
                         {"target", e.target()},
                         {"detail", e.detail()}});
  });
  return ok_json(c.req, {{"entries", entries}, {"cap", c.ctx.inbox.audit_cap()}});
}

// The range of an export; the 400 in `err` when a bound is not a date or time.
bool export_range(Call& c, std::int64_t& since, std::int64_t& until, std::optional<Response>& err) {
  since = 0;
  until = std::numeric_limits<std::int64_t>::max();
  for (auto [key, into, is_until] : {std::tuple{"since", &since, false}, {"until", &until, true}}) {
    auto q = query(c.req, key);
    if (!q || q->empty()) continue;
    auto v = inbox::parse_range_time(*q, is_until);
    if (!v) {
      err = bad_request(c.req, std::string("'") + key +
                                   "' is a UTC date (2026-11-30) or time (2026-11-30T12:00:00Z)");
      return false;
    }
    *into = *v;
  }
  if (since >= until) {
    err = bad_request(c.req, "'since' must come before 'until'");
    return false;
  }
  return true;
}

Response csv_download(Call& c, std::string body, const std::string& name, bool truncated) {
  Response res = make_response(c.req, http::status::ok, std::move(body), "text/csv; charset=utf-8");
  const std::string since = query(c.req, "since").value_or("start");
  const std::string until = query(c.req, "until").value_or("now");
  auto safe = [](std::string v) {  // the file name carries only what a date or time holds
    std::erase_if(v, [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)) && ch != '-'; });
    return v.substr(0, 24);
  };
  res.set(http::field::content_disposition,
          "attachment; filename=\"" + name + "-" + safe(since) + "-" + safe(until) + ".csv\"");
  res.set(http::field::cache_control, "no-store");
  if (truncated) res.set("X-Switchboard-Truncated", "true");
  // Customers' data leaving the gateway is worth a line in the audit log.
  inbox::AuditEntry e;
  e.set_actor(c.s.user);
  e.set_address(c.ctx.peer);
  e.set_action("export." + name);
  e.set_detail("since=" + since + " until=" + until);
  c.ctx.inbox.audit_later(std::move(e));
  return res;
}

Response export_conversations(Call& c) {
  std::int64_t since = 0, until = 0;
  std::optional<Response> err;
  if (!export_range(c, since, until, err)) return std::move(*err);
  inbox::CsvText csv;
  c.ctx.inbox.store().read([&](const store::ReadTxn& r) {
    csv = inbox::conversations_csv(r, since, until, kMaxCsvBytes);
  });
  if (!csv.sound)
    return json_error(c.req, http::status::internal_server_error,
                      "a conversation record does not parse: the database is damaged");
  return csv_download(c, std::move(csv.text), "conversations", csv.truncated);
}

Response export_handoffs(Call& c) {
  std::int64_t since = 0, until = 0;
  std::optional<Response> err;
  if (!export_range(c, since, until, err)) return std::move(*err);
  std::string text;
  c.ctx.inbox.store().read(
      [&](const store::ReadTxn& r) { text = inbox::handoff_stats_csv(r, since, until); });
  return csv_download(c, std::move(text), "handoffs", false);
}

Response snooze(Call& c) {
  if (!c.ctx.inbox.conversation(c.id))
    return json_error(c.req, http::status::not_found, "no such conversation");
  std::optional<Response> err;
  auto j = body_json(c.req, err);
  if (!j) return std::move(*err);
  std::int64_t until = 0;
  if (auto u = str_field(*j, "until"); u && !u->empty()) {
    auto v = inbox::parse_range_time(*u, false);
    if (!v || u->size() != 20)
      return bad_request(c.req, "'until' is a UTC time like 2026-11-30T12:00:00Z");
    until = *v;
  }
  auto r = c.ctx.inbox.snooze(c.id, until, c.s.user);
  if (!r) return error_response(c.req, r.error());
  return ok_json(c.req, {{"ok", true}});
}

Response unsnooze(Call& c) {
  if (!c.ctx.inbox.conversation(c.id))
    return json_error(c.req, http::status::not_found, "no such conversation");
  auto r = c.ctx.inbox.unsnooze(c.id, c.s.user);
  if (!r) return error_response(c.req, r.error());
  return ok_json(c.req, {{"ok", true}});
}

Response transfer(Call& c) {
  if (!c.ctx.inbox.conversation(c.id))
    return json_error(c.req, http::status::not_found, "no such conversation");
  std::optional<Response> err;
  auto j = body_json(c.req, err);
  if (!j) return std::move(*err);
  std::optional<std::string> dep, agent, note;
  for (auto [key, into] : {std::pair{"department", &dep}, {"agent", &agent}, {"note", &note}}) {
    if (!j->contains(key)) continue;
    if (!(*into = str_field(*j, key))) return bad_request(c.req, std::string("'") + key + "' must be a string");
    if (into != &note && (*into)->empty()) into->reset();  // "— none —" in a form
  }
  if (!dep && !agent) return bad_request(c.req, "a transfer needs a 'department' or an 'agent'");
  if (note && note->size() > inbox::Inbox::kMaxTransferNote)
    return bad_request(c.req, "a transfer note is at most 1024 bytes");
  auto r = c.ctx.inbox.transfer(c.id, dep, agent, note.value_or(""), c.s.user);
  if (!r) return error_response(c.req, r.error());
  return ok_json(c.req, {{"ok", true}});
}

using V = http::verb;
constexpr RouteSpec kRoutes[] = {
    {V::get, "/api/v1/audit", kAdmin, audit_list},
    {V::get, "/api/v1/export/conversations.csv", kAdmin, export_conversations},
    {V::get, "/api/v1/export/handoffs.csv", kAdmin, export_handoffs},
    {V::post, "/api/v1/conversations/{id}/snooze", kWorkers, snooze},
    {V::post, "/api/v1/conversations/{id}/unsnooze", kWorkers, unsnooze},
    {V::post, "/api/v1/conversations/{id}/transfer", kWorkers, transfer},
};

}  // namespace

std::span<const RouteSpec> team_route_table() { return kRoutes; }

}  // namespace sb::admin
