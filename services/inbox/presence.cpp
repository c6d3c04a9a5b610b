// Agent presence: online, away, offline. Set from the page; an online agent whose page has not
// been seen (heartbeat) for `away_after_ms` becomes away, and comes back with the next
// heartbeat. Heartbeats are kept in memory on the monotonic clock (a wall-clock jump must not
// send everyone away); after a restart each agent gets a full grace period.
#include "services/inbox/presence.h"
#include "services/inbox/tx.h"

namespace sb::inbox {

namespace {
bool valid_presence(const std::string& p) {
  return p == "online" || p == "away" || p == "offline";
}
std::string minutes(std::int64_t ms) {
  if (ms < 60000) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms / 60000) + " min";
}
}  // namespace

void Presence::write_presence(Tx& tx, Agent& a, const std::string& presence,
                              const std::string& why) {
  const std::string before = a.presence().empty() ? "offline" : a.presence();
  if (before == presence) return;
  a.set_presence(presence);
  a.set_presence_at_ms(tx.now_ms);
  tx.w.put_proto(store::Table::agents, a.id(), a);
  Event& e = tx.gateway_event(Event::AGENT_PRESENCE);
  e.set_assignee(a.id());
  e.set_department(a.department());
  e.set_status(presence);
  e.set_text((a.name().empty() ? a.id() : a.name()) + " is " + presence + ": " + why);
  // Offline means gone: the agent's conversations go back to the queue for colleagues. Away is
  // a short absence: they stay, but no new ones come.
  if (presence == "offline")
    routing_.requeue_agent(tx, a, (a.name().empty() ? a.id() : a.name()) + " went offline");
}

Result<void> Presence::set_presence(Tx& tx, const std::string& agent,
                                    const std::string& presence, const std::string& actor) {
  if (!valid_presence(presence)) return fail("presence is one of online, away, offline");
  {  // in the caller's transaction
    Agent a;
    if (!tx.w.get_proto(store::Table::agents, agent, a)) return fail("unknown agent '" + agent + "'");
    write_presence(tx, a, presence, actor == agent ? "set by themselves" : "set by " + actor);
    return {};
  }
}

void Presence::committed(const std::string& agent, const std::string& presence) {
  auto_away_.erase(agent);  // a choice, not the timer
  if (presence == "online") seen_mono_[agent] = clock_.monotonic_ms();
}

Result<bool> Presence::heartbeat(const std::string& agent) {
  auto a = routing_.agent(agent);
  if (!a) return fail("unknown agent '" + agent + "'");
  seen_mono_[agent] = clock_.monotonic_ms();
  return auto_away_.count(agent) && a->presence() == "away";
}

Result<void> Presence::come_back(Tx& tx, const std::string& agent) {
  {  // in the caller's transaction
    Agent fresh;
    if (!tx.w.get_proto(store::Table::agents, agent, fresh)) return fail("unknown agent '" + agent + "'");
    write_presence(tx, fresh, "online", "their page is open again");
    return {};
  }
}

void Presence::check_presence(Tx& tx) {
  const std::int64_t now = clock_.monotonic_ms();
  std::vector<Agent> online;
  tx.w.scan(store::Table::agents, {}, [&](std::string_view, std::string_view v) {
    Agent a;
    if (a.ParseFromArray(v.data(), static_cast<int>(v.size())) && a.presence() == "online")
      online.push_back(std::move(a));
    return true;
  });
  for (Agent& a : online) {
    auto seen = seen_mono_.try_emplace(a.id(), now).first->second;
    if (now - seen < workflow_.away_after_ms) continue;
    write_presence(tx, a, "away", "page not seen for " + minutes(now - seen));
    auto_away_.insert(a.id());
  }
}

void Inbox::workflow_tick() {
  bool alerted = false;
  auto r = workflow_write([&](Tx& tx) -> Result<void> {
    presence_.check_presence(tx);
    wake_due(tx);
    auto_close_due(tx);
    alerted = check_targets(tx);
    return {};
  });
  if (!r) {
    log_.error("inbox", "workflow timer: ", r.error().message);
    return;
  }
  if (alerted) last_alert_mono_ = clock_.monotonic_ms();
}

}  // namespace sb::inbox
