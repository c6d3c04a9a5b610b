// What the page shows besides conversations: the trigger rules and a test of a text against
// them, departments and agents, and the handoff statistics (a scan of the conversations
// table: fine for a gateway's thousands of conversations; an index can come when it is not).
#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "services/admin/api_routes.h"
#include "services/handoff/verdict.h"

namespace sb::admin {

using nlohmann::json;

json rules_json(const handoff::RuleSet& rs) {
  json rules = json::array();
  for (const auto& r : rs.rules()) {
    json j = {{"id", r.id},
              {"kind", std::string(handoff::to_string(r.kind))},
              {"patterns", r.patterns},
              {"priority", r.priority},
              {"department", r.department ? json(*r.department) : json(nullptr)},
              {"urgent", r.urgent}};
    if (r.kind == handoff::TriggerKind::frustration) {
      json sig = json::array();
      if (r.caps) sig.push_back("caps");
      if (r.punctuation) sig.push_back("punctuation");
      if (r.repeat) sig.push_back("repeat");
      j["signals"] = sig;
    }
    rules.push_back(std::move(j));
  }
  return {{"rules", rules},
          {"fallback_threshold", rs.fallback_threshold()},
          {"fallback_priority", rs.fallback_priority()},
          {"fallback_department",
           rs.fallback_department() ? json(*rs.fallback_department()) : json(nullptr)}};
}

json verdict_json(const handoff::RuleSet& rs, const std::string& text) {
  handoff::Verdict v = rs.match(text);
  json spans = json::array();
  for (const auto& s : v.spans) {
    std::size_t b = std::min(s.begin, text.size()), e = std::min(s.end, text.size());
    spans.push_back({{"begin", b}, {"end", std::max(b, e)}, {"text", text.substr(b, e - b)}});
  }
  if (!v.handoff) return {{"handoff", false}, {"spans", spans}};
  return {{"handoff", true},
          {"trigger", std::string(handoff::to_string(v.trigger))},
          {"rule", v.rule},
          {"priority", v.priority},
          {"urgent", v.urgent},
          {"department", v.department ? json(*v.department) : json(nullptr)},
          {"spans", spans}};
}

json departments_json(store::Store& store) {
  json out = json::array();
  store.read([&](const store::ReadTxn& r) {
    r.scan(store::Table::departments, {}, [&](std::string_view, std::string_view v) {
      switchboard::store::Department d;
      if (d.ParseFromArray(v.data(), static_cast<int>(v.size())))
        out.push_back({{"id", d.id()}, {"name", d.name()}});
      return true;
    });
  });
  return out;
}

json hours_json(const inbox::DepartmentRouting* routing, std::int64_t now_ms) {
  if (!routing || !routing->hours) return nullptr;
  const auto& h = *routing->hours;
  const bool open = h.open_at(now_ms);
  json out = {{"timezone", h.zone_name}, {"open", open}, {"opens_at_ms", nullptr}, {"opens", nullptr}};
  if (open) return out;
  if (auto next = h.next_open(now_ms)) {
    out["opens_at_ms"] = *next;
    out["opens"] = h.local_text(*next);
  }
  return out;
}

json agents_json(store::Store& store) {
  json out = json::array();
  store.read([&](const store::ReadTxn& r) {
    r.scan(store::Table::agents, {}, [&](std::string_view, std::string_view v) {
      switchboard::store::Agent a;
      if (a.ParseFromArray(v.data(), static_cast<int>(v.size())))
        out.push_back({{"id", a.id()},
                       {"name", a.name()},
                       {"department", a.department().empty() ? json(nullptr)
                                                             : json(a.department())}});
      return true;
    });
  });
  return out;
}

namespace {

struct Tally {
  std::int64_t conversations = 0, handoffs = 0;
  json to_json() const {
    return {{"conversations", conversations},
            {"handoffs", handoffs},
            {"rate", conversations ? static_cast<double>(handoffs) / conversations : 0.0}};
  }
};

// Satisfaction answers (1 to 5): how many of each, and their mean.
struct Csat {
  std::int64_t answers = 0, sum = 0;
  std::array<std::int64_t, 5> scores{};
  void add(int s) {
    answers++;
    sum += s;
    scores[static_cast<std::size_t>(s - 1)]++;
  }
  json to_json() const {
    return {{"answers", answers},
            {"average", answers ? json(static_cast<double>(sum) / static_cast<double>(answers))
                                : json(nullptr)},
            {"scores", scores}};
  }
};

// One day of the chosen range: its tally, its handoffs by trigger and by channel, and the
// times from handoff to first human reply of the handoffs made that day.
struct Day {
  Tally tally;
  std::map<std::string, std::int64_t> triggers, channels;
  std::vector<std::int64_t> waits;
};

// The value at quantile q (0..1) of sorted `v`, nearest rank.
// (Days' waits are sorted before they are read.)
std::int64_t quantile(const std::vector<std::int64_t>& v, double q) {
  if (v.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

}  // namespace

json stats_json(store::Store& store, std::int64_t now_ms, int days) {
  constexpr std::int64_t kDayMs = 86400000;
  const std::int64_t today = now_ms / kDayMs;  // days since the epoch, UTC
  Tally all;
  std::map<std::string, std::int64_t> by_trigger;
  std::map<std::string, Tally> by_channel;
  std::vector<Day> by_day(static_cast<std::size_t>(days));
  std::vector<std::int64_t> waits;  // handoff -> first human reply, ms
  std::int64_t unanswered = 0;
  // Per rule, over the same range as the days: handoffs and the ones agents marked not needed.
  struct RuleTally {
    std::string trigger;
    std::int64_t handoffs = 0, not_needed = 0;
  };
  std::map<std::string, RuleTally> by_rule;
  std::int64_t closed = 0, auto_closed = 0;
  Csat csat;
  std::map<std::string, Csat> csat_agents, csat_departments;
  auto day_slot = [&](std::int64_t at_ms) -> Day* {
    std::int64_t back = today - at_ms / kDayMs;
    if (at_ms <= 0 || back < 0 || back >= days) return nullptr;
    return &by_day[static_cast<std::size_t>(days - 1 - back)];
  };
  store.read([&](const store::ReadTxn& r) {
    r.scan(store::Table::conversations, {}, [&](std::string_view, std::string_view v) {
      switchboard::store::Conversation c;
      if (!c.ParseFromArray(v.data(), static_cast<int>(v.size()))) return true;
      const bool handed = c.has_handoff() && !c.handoff().trigger().empty();
      all.conversations++;
      by_channel[c.channel()].conversations++;
      if (Day* d = day_slot(c.created_at_ms())) d->tally.conversations++;
      if (c.status() == "closed" || c.status() == "archived") {
        closed++;
        if (c.auto_closed()) auto_closed++;
      }
      if (c.csat_score() >= 1 && c.csat_score() <= 5) {
        csat.add(c.csat_score());
        csat_agents[c.assignee().empty() ? "(none)" : c.assignee()].add(c.csat_score());
        csat_departments[c.department().empty() ? "(none)" : c.department()].add(c.csat_score());
      }
      if (!handed) return true;
      all.handoffs++;
      by_channel[c.channel()].handoffs++;
      by_trigger[c.handoff().trigger()]++;
      const std::int64_t at = c.handoff().at_ms() ? c.handoff().at_ms() : c.queued_at_ms();
      Day* d = day_slot(at ? at : c.created_at_ms());
      if (d) {
        RuleTally& rt = by_rule[c.handoff().rule().empty() ? c.handoff().trigger()
                                                           : c.handoff().rule()];
        rt.trigger = c.handoff().trigger();
        rt.handoffs++;
        if (c.handoff().not_needed()) rt.not_needed++;
        d->tally.handoffs++;
        d->triggers[c.handoff().trigger()]++;
        d->channels[c.channel()]++;
      }
      if (c.first_human_reply_ms() > 0 && at > 0) {
        waits.push_back(std::max<std::int64_t>(0, c.first_human_reply_ms() - at));
        if (d) d->waits.push_back(waits.back());
      }
      else if (c.first_human_reply_ms() == 0)
        unanswered++;
      return true;
    });
  });
  std::sort(waits.begin(), waits.end());
  json channels = json::object();
  for (const auto& [name, t] : by_channel) channels[name] = t.to_json();
  json day_list = json::array();
  for (int i = 0; i < days; ++i) {
    Day& day = by_day[static_cast<std::size_t>(i)];
    json d = day.tally.to_json();
    d["day_start_ms"] = (today - (days - 1 - i)) * kDayMs;
    d["by_trigger"] = day.triggers;
    d["by_channel"] = day.channels;
    std::sort(day.waits.begin(), day.waits.end());
    d["first_reply_median_ms"] = day.waits.empty() ? json(nullptr) : json(quantile(day.waits, 0.5));
    day_list.push_back(std::move(d));
  }
  json rules = json::object();
  for (const auto& [name, t] : by_rule)
    rules[name] = {{"trigger", t.trigger},
                   {"handoffs", t.handoffs},
                   {"not_needed", t.not_needed},
                   {"not_needed_share", static_cast<double>(t.not_needed) /
                                            static_cast<double>(t.handoffs)}};
  json j = all.to_json();
  j["by_trigger"] = by_trigger;
  j["by_rule"] = std::move(rules);
  j["by_channel"] = channels;
  j["by_day"] = day_list;
  j["closed"] = {{"total", closed}, {"auto", auto_closed}, {"by_people", closed - auto_closed}};
  json per_agent = json::object(), per_department = json::object();
  for (const auto& [k, v] : csat_agents) per_agent[k] = v.to_json();
  for (const auto& [k, v] : csat_departments) per_department[k] = v.to_json();
  j["csat"] = csat.to_json();
  j["csat"]["by_agent"] = per_agent;
  j["csat"]["by_department"] = per_department;
  j["first_reply"] = {{"count", waits.size()},
                      {"median_ms", waits.empty() ? json(nullptr) : json(quantile(waits, 0.5))},
                      {"p90_ms", waits.empty() ? json(nullptr) : json(quantile(waits, 0.9))},
                      {"unanswered", unanswered}};
  return j;
}

}  // namespace sb::admin
