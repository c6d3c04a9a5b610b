#include "services/admin/stats_view.h"

#include <algorithm>
#include <cmath>

#include "services/inbox/lifecycle.h"

namespace sb::admin {

using nlohmann::json;

json StatsReport::Tally::to_json() const {
  return {{"conversations", conversations},
          {"handoffs", handoffs},
          {"rate", conversations ? static_cast<double>(handoffs) / conversations : 0.0}};
}

void StatsReport::Csat::add(int s) {
  answers++;
  sum += s;
  scores[static_cast<std::size_t>(s - 1)]++;
}

json StatsReport::Csat::to_json() const {
  return {{"answers", answers},
          {"average", answers ? json(static_cast<double>(sum) / static_cast<double>(answers))
                              : json(nullptr)},
          {"scores", scores}};
}

StatsReport::StatsReport(std::int64_t now_ms, int days)
    : today_(now_ms / kDayMs), days_(days), by_day_(static_cast<std::size_t>(days)) {}

StatsReport::Day* StatsReport::day_slot(std::int64_t at_ms) {
  std::int64_t back = today_ - at_ms / kDayMs;
  if (at_ms <= 0 || back < 0 || back >= days_) return nullptr;
  return &by_day_[static_cast<std::size_t>(days_ - 1 - back)];
}

void StatsReport::add(const switchboard::store::Conversation& c) {
  const bool handed = c.has_handoff() && !c.handoff().trigger().empty();
  all_.conversations++;
  by_channel_[c.channel()].conversations++;
  if (Day* d = day_slot(c.created_at_ms())) d->tally.conversations++;
  if (const inbox::Status s = inbox::status_of(c);
      s == inbox::STATUS_CLOSED || s == inbox::STATUS_ARCHIVED) {
    closed_++;
    if (c.auto_closed()) auto_closed_++;
  }
  if (c.csat_score() >= 1 && c.csat_score() <= 5) {
    csat_.add(c.csat_score());
    csat_agents_[c.assignee().empty() ? "(none)" : c.assignee()].add(c.csat_score());
    csat_departments_[c.department().empty() ? "(none)" : c.department()].add(c.csat_score());
  }
  if (!handed) return;
  all_.handoffs++;
  by_channel_[c.channel()].handoffs++;
  by_trigger_[c.handoff().trigger()]++;
  const std::int64_t at = c.handoff().at_ms() ? c.handoff().at_ms() : c.queued_at_ms();
  Day* d = day_slot(at ? at : c.created_at_ms());
  if (d) {
    RuleTally& rt = by_rule_[c.handoff().rule().empty() ? c.handoff().trigger()
                                                       : c.handoff().rule()];
    rt.trigger = c.handoff().trigger();
    rt.handoffs++;
    if (c.handoff().not_needed()) rt.not_needed++;
    d->tally.handoffs++;
    d->triggers[c.handoff().trigger()]++;
    d->channels[c.channel()]++;
  }
  if (c.first_human_reply_ms() > 0 && at > 0) {
    const std::int64_t wait = std::max<std::int64_t>(0, c.first_human_reply_ms() - at);
    waits_.add(wait);
    if (d) d->waits.add(wait);
  } else if (c.first_human_reply_ms() == 0)
    unanswered_++;
}

json StatsReport::to_json() {
  json channels = json::object();
  for (const auto& [name, t] : by_channel_) channels[name] = t.to_json();
  json day_list = json::array();
  for (int i = 0; i < days_; ++i) {
    Day& day = by_day_[static_cast<std::size_t>(i)];
    json d = day.tally.to_json();
    d["day_start_ms"] = (today_ - (days_ - 1 - i)) * kDayMs;
    d["by_trigger"] = day.triggers;
    d["by_channel"] = day.channels;
    d["first_reply_median_ms"] = day.waits.empty() ? json(nullptr) : json(day.waits.quantile(0.5));
    day_list.push_back(std::move(d));
  }
  json rules = json::object();
  for (const auto& [name, t] : by_rule_)
    rules[name] = {{"trigger", t.trigger},
                   {"handoffs", t.handoffs},
                   {"not_needed", t.not_needed},
                   {"not_needed_share", static_cast<double>(t.not_needed) /
                                            static_cast<double>(t.handoffs)}};
  json j = all_.to_json();
  j["by_trigger"] = by_trigger_;
  j["by_rule"] = std::move(rules);
  j["by_channel"] = channels;
  j["by_day"] = day_list;
  j["closed"] = {{"total", closed_}, {"auto", auto_closed_}, {"by_people", closed_ - auto_closed_}};
  json per_agent = json::object(), per_department = json::object();
  for (const auto& [k, v] : csat_agents_) per_agent[k] = v.to_json();
  for (const auto& [k, v] : csat_departments_) per_department[k] = v.to_json();
  j["csat"] = csat_.to_json();
  j["csat"]["by_agent"] = per_agent;
  j["csat"]["by_department"] = per_department;
  j["first_reply"] = {{"count", waits_.count()},
                      {"median_ms", waits_.empty() ? json(nullptr) : json(waits_.quantile(0.5))},
                      {"p90_ms", waits_.empty() ? json(nullptr) : json(waits_.quantile(0.9))},
                      {"unanswered", unanswered_}};
  return j;
}

}  // namespace sb::admin
