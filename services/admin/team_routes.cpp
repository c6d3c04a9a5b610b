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
#include <memory>
#include <tuple>

#include "services/admin/route_table.h"
#include "services/admin/api_util.h"
#include "services/admin/report_scan.h"
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
  for (const auto& [n, e] : c.ctx.inbox.audit_page(limit, before))
    entries.push_back({{"n", n},
                       {"at_ms", e.at_ms()},
                       {"actor", e.actor()},
                       {"address", e.address()},
                       {"action", e.action()},
                       {"target", e.target()},
                       {"detail", e.detail()}});
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

// What a CSV download needs from its request, taken before the scan starts (the request is
// gone when the scan ends), and the audit entry it leaves once it is sent.
struct Download {
  Request head;
  std::string name, since, until, actor, address;
  inbox::Inbox* inbox;
  std::shared_ptr<void> slot;
};

std::optional<Download> start_download(Call& c, std::string name, Later& later) {
  auto slot = c.ctx.reports ? c.ctx.reports->acquire() : nullptr;
  if (!slot) {
    later.reply(reports_busy(c.req));
    return std::nullopt;
  }
  Download d;
  d.head.base() = c.req.base();
  d.name = std::move(name);
  d.since = query(c.req, "since").value_or("start");
  d.until = query(c.req, "until").value_or("now");
  d.actor = c.s.user;
  d.address = c.ctx.peer;
  d.inbox = &c.ctx.inbox;
  d.slot = std::move(slot);
  return d;
}

Response csv_download(const Download& d, std::string body, bool truncated) {
  Response res = make_response(d.head, http::status::ok, std::move(body), "text/csv; charset=utf-8");
  auto safe = [](std::string v) {  // the file name carries only what a date or time holds
    std::erase_if(v, [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)) && ch != '-'; });
    return v.substr(0, 24);
  };
  res.set(http::field::content_disposition, "attachment; filename=\"" + d.name + "-" +
                                                safe(d.since) + "-" + safe(d.until) + ".csv\"");
  res.set(http::field::cache_control, "no-store");
  if (truncated) res.set("X-Switchboard-Truncated", "true");
  // Customers' data leaving the gateway is worth a line in the audit log.
  inbox::AuditEntry e;
  e.set_actor(d.actor);
  e.set_address(d.address);
  e.set_action("export." + d.name);
  e.set_detail("since=" + d.since + " until=" + d.until);
  d.inbox->audit_later(std::move(e));
  return res;
}

Response damaged(const Request& head) {
  return json_error(head, http::status::internal_server_error,
                    "a conversation record does not parse: the database is damaged");
}

// Both exports read the conversations in steps on the event loop (report_scan.h).
void export_conversations(Call& c, Later later) {
  std::int64_t since = 0, until = 0;
  std::optional<Response> err;
  if (!export_range(c, since, until, err)) return later.reply(std::move(*err));
  auto d = start_download(c, "conversations", later);
  if (!d) return;
  auto csv = std::make_shared<inbox::ConversationsCsv>(since, until, kMaxCsvBytes);
  scan_conversations(
      c.ctx.inbox,
      {std::move(later.post), [csv](const switchboard::store::Conversation& conv) { return csv->add(conv); },
       [csv, d = std::move(*d), reply = std::move(later.reply)](bool sound, bool) {
         if (!sound) return reply(damaged(d.head));
         inbox::CsvText text = csv->take();
         reply(csv_download(d, std::move(text.text), text.truncated));
       },
       c.ctx.reports->rows_per_step()});
}

void export_handoffs(Call& c, Later later) {
  std::int64_t since = 0, until = 0;
  std::optional<Response> err;
  if (!export_range(c, since, until, err)) return later.reply(std::move(*err));
  auto d = start_download(c, "handoffs", later);
  if (!d) return;
  auto csv = std::make_shared<inbox::HandoffStatsCsv>(since, until);
  scan_conversations(
      c.ctx.inbox,
      {std::move(later.post),
       [csv](const switchboard::store::Conversation& conv) {
         csv->add(conv);
         return true;
       },
       [csv, d = std::move(*d), reply = std::move(later.reply)](bool sound, bool) {
         if (!sound) return reply(damaged(d.head));
         reply(csv_download(d, csv->text(), false));
       },
       c.ctx.reports->rows_per_step()});
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
constexpr RouteSpec kTeamRoutes[] = {
    {V::get, "/api/v1/audit", kAdmin, audit_list},
    {V::get, "/api/v1/export/conversations.csv", kAdmin, nullptr, export_conversations},
    {V::get, "/api/v1/export/handoffs.csv", kAdmin, nullptr, export_handoffs},
    {V::post, "/api/v1/conversations/{id}/snooze", kWorkers, snooze},
    {V::post, "/api/v1/conversations/{id}/unsnooze", kWorkers, unsnooze},
    {V::post, "/api/v1/conversations/{id}/transfer", kWorkers, transfer},
};

}  // namespace

std::span<const RouteSpec> team_route_table() { return kTeamRoutes; }

}  // namespace sb::admin
