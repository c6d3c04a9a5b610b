// How inbox records look in the API (and in `export`, which shares these shapes).
#include <zlib.h>

#include "services/admin/api_routes.h"
#include "services/handoff/verdict.h"
#include "services/inbox/lifecycle.h"

namespace sb::admin {

using nlohmann::json;

json conversation_json(const inbox::Conversation& c, std::int64_t now_ms) {
  json j = {{"id", c.id()},
            {"channel", c.channel()},
            {"contact", c.contact()},
            {"contact_name", c.contact_name()},
            {"status", inbox::status_name_of(c)},
            {"priority", c.priority()},
            {"department", c.department().empty() ? json(nullptr) : json(c.department())},
            {"assignee", c.assignee().empty() ? json(nullptr) : json(c.assignee())},
            {"tags", json(std::vector<std::string>(c.tags().begin(), c.tags().end()))},
            {"last_text", c.last_text()},
            {"last_inbound_text", c.last_inbound_text()},
            {"last_at_ms", c.last_at_ms()},
            {"created_at_ms", c.created_at_ms()}};
  if (c.has_handoff() && !c.handoff().trigger().empty()) {
    const auto& h = c.handoff();
    j["handoff"] = {{"trigger", h.trigger()},       {"rule", h.rule()},
                    {"priority", h.priority()},     {"at_ms", h.at_ms()},
                    {"matched_text", h.matched_text()},
                    {"reason", inbox::describe_handoff(h)},
                    {"not_needed", h.not_needed()}};
    if (!h.reviewed_by().empty()) j["handoff"]["reviewed_by"] = h.reviewed_by();
  } else {
    j["handoff"] = nullptr;
  }
  if (inbox::status_of(c) == inbox::STATUS_QUEUED && c.queued_at_ms() > 0)
    j["waiting_s"] = std::max<std::int64_t>(0, (now_ms - c.queued_at_ms()) / 1000);
  j["over_target"] = c.over_target();
  j["contact_id"] = c.contact_id();
  if (c.snoozed()) {
    j["snoozed"] = true;
    j["snooze_until_ms"] = c.snooze_until_ms() ? json(c.snooze_until_ms()) : json(nullptr);
  }
  if (c.woke_at_ms()) j["woke_at_ms"] = c.woke_at_ms();
  j["unread"] = inbox::unread_of(c);
  const bool over = inbox::status_of(c) == inbox::STATUS_CLOSED ||
                    inbox::status_of(c) == inbox::STATUS_ARCHIVED;
  if (c.auto_closed() && over)
    j["auto_closed"] = true;
  if (c.csat_score() > 0) j["csat"] = c.csat_score();
  if (c.transfer_at_ms() && !over)
    j["transfer"] = {{"by", c.transfer_by()}, {"at_ms", c.transfer_at_ms()}, {"note", c.transfer_note()}};
  return j;
}

std::set<std::string> urgent_rules(const handoff::RuleSet& rules) {
  std::set<std::string> out;
  for (const auto& r : rules.rules())
    if (r.urgent) out.insert(r.id);
  return out;
}

void mark_urgent(json& j, const std::set<std::string>& urgent) {
  if (j.is_array()) {
    for (auto& c : j) mark_urgent(c, urgent);
    return;
  }
  const auto h = j.find("handoff");
  j["urgent"] = h != j.end() && h->is_object() && urgent.count(h->value("rule", std::string())) > 0;
}

json message_json(const inbox::Message& m) {
  json j = {{"id", m.id()},
            {"external_id", m.external_id()},
            {"direction", m.direction()},
            {"author", m.author()},
            {"author_name", m.author_name()},
            {"text", m.text()},
            {"at_ms", m.at_ms()},
            {"status", inbox::outbound_name_of(m).empty() ? json(nullptr)
                                                          : json(inbox::outbound_name_of(m))}};
  if (!m.error().empty()) j["error"] = m.error();
  if (m.attachments_size()) {
    json a = json::array();
    for (const auto& x : m.attachments())
      a.push_back({{"media_type", x.media_type()},
                   {"file_name", x.file_name()},
                   {"size", x.size()},
                   {"caption", x.caption()},
                   {"url", x.url()}});
    j["attachments"] = a;
  }
  if (m.note()) j["note"] = true;
  if (!m.transfer_to().empty()) j["transfer_to"] = m.transfer_to();
  return j;
}

json event_json(const inbox::Event& e) {
  json j = {{"seq", e.seq()},
            {"kind", inbox::Event::Kind_Name(e.kind())},
            {"at_ms", e.at_ms()},
            {"conversation_id", e.conversation_id()},
            {"channel", e.channel()},
            {"status", e.status()},
            {"priority", e.priority()}};
  if (e.has_handoff()) j["trigger"] = e.handoff().trigger();
  return j;
}

std::string gunzip(const unsigned char* data, std::size_t size) {
  std::string out;
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return out;
  z.next_in = const_cast<unsigned char*>(data);
  z.avail_in = static_cast<uInt>(size);
  char buf[16384];
  int rc;
  do {
    z.next_out = reinterpret_cast<unsigned char*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
  } while (rc == Z_OK);
  inflateEnd(&z);
  return out;
}

}  // namespace sb::admin
