// The running-a-team API under /api/v1 (admin unless said otherwise):
//   GET  /api/v1/audit[?before=N&limit=M]      the audit log, newest first (M up to 500)
#include <charconv>

#include "services/admin/route_table.h"
#include "services/admin/api_util.h"
#include "services/inbox/audit_log.h"

namespace sb::admin {

using nlohmann::json;

namespace {

constexpr std::uint64_t kMaxAuditPage = 500;

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

using V = http::verb;
constexpr RouteSpec kRoutes[] = {
    {V::get, "/api/v1/audit", kAdmin, audit_list},
};

}  // namespace

std::span<const RouteSpec> team_route_table() { return kRoutes; }

}  // namespace sb::admin
