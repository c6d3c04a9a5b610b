// Routing queued conversations to agents, per department: manual (agents pick), round robin
// among online members, or least busy; each with a cap on concurrent conversations per agent.
// A conversation nobody can take stays in `route_queue` (priority, then age) and is routed on
// the next transaction that could change the answer: a handoff, an agent coming online, a
// close or unassign freeing one up. Every move says why in the history and is an Event.
#include <algorithm>

#include "services/inbox/routing.h"
#include "services/inbox/table_records.h"
#include "services/inbox/tx.h"

namespace sb::inbox {

bool valid_policy(const std::string& p) {
  return p == "manual" || p == "round_robin" || p == "least_busy";
}

namespace {
std::size_t load_of(const store::ReadTxn& r, const std::string& agent) {
  std::size_t n = 0;
  const std::string prefix = load_prefix(agent);
  r.scan(store::Table::agent_load, prefix, [&](std::string_view k, std::string_view) {
    if (k.substr(0, prefix.size()) != prefix) return false;
    ++n;
    return true;
  });
  return n;
}

std::optional<std::uint64_t> queue_head(const store::ReadTxn& r, const std::string& department) {
  std::optional<std::uint64_t> out;
  const std::string prefix = queue_prefix(department);
  r.scan(store::Table::route_queue, prefix, [&](std::string_view k, std::string_view) {
    if (k.substr(0, prefix.size()) == prefix) out = id_of_index_key(k);
    return false;
  });
  return out;
}

std::string display(const Agent& a) { return a.name().empty() ? a.id() : a.name(); }
}  // namespace

Result<void> Inbox::workflow_write(const std::function<Result<void>(Tx&)>& change) {
  return write_tx(change, true, true);
}

void Routing::assign_to_named_agent(Tx& tx, Conversation& c, const std::string& id) {
  // The person a rule or flow names takes it when they could take it from the queue themselves:
  // online, and under their department's cap. Otherwise it waits in the queue like any handoff,
  // and the history says why, so a team sees that the named person was away.
  Agent a;
  std::string why;
  if (!tx.w.get_proto(store::Table::agents, id, a)) {
    why = "no user '" + id + "'";
  } else if (a.presence() != "online") {
    why = id + " is " + (a.presence().empty() ? std::string("offline") : a.presence());
  } else {
    const std::string& dep = c.department().empty() ? a.department() : c.department();
    auto it = workflow_.departments.find(dep);
    const int cap = it == workflow_.departments.end() ? 0 : it->second.max_per_agent;
    if (cap > 0 && load_of(tx.w, id) >= static_cast<std::size_t>(cap))
      why = id + " has " + std::to_string(cap) + " open already";
  }
  if (!why.empty()) {
    const char* who = c.handoff().trigger() == "flow_completion" ? "the flow names " : "the rule names ";
    tx.system_note(c, who + id + ", but " + why + ": left in the queue");
    return;
  }
  const char* by = c.handoff().trigger() == "flow_completion" ? " by flow " : " by rule ";
  give_to(tx, c, a, c.department(), "assigned to " + display(a) + by + c.handoff().rule());
}

void Routing::give_to(Tx& tx, Conversation& c, Agent& a, const std::string& department,
                      const std::string& why) {
  set_status(c, STATUS_ASSIGNED);
  c.set_assignee(a.id());
  c.set_fallback_count(0);
  tx.system_note(c, why);
  Event& e = tx.event(Event::ASSIGNED, c);
  e.set_assignee(a.id());
  e.set_department(department);
  e.set_text(why);
  e.set_contact_id(c.contact_id());
  a.set_last_assigned_ms(tx.now_ms);
  tx.w.put_proto(store::Table::agents, a.id(), a);
}

void Routing::route_queued(Tx& tx) {
  for (const auto& [department, routing] : workflow_.departments)
    if (routing.policy != "manual") route_department(tx, department, routing);
}

void Routing::route_department(Tx& tx, const std::string& department, const DepartmentRouting& r) {
  std::vector<Agent> members;  // online, in id order (the agents table's key order)
  tx.w.scan(store::Table::agents, {}, [&](std::string_view, std::string_view v) {
    Agent a;
    if (a.ParseFromArray(v.data(), static_cast<int>(v.size())) && a.department() == department &&
        a.presence() == "online")
      members.push_back(std::move(a));
    return true;
  });
  if (members.empty()) return;
  const std::string rr_key = std::string("rr\0", 3) + department;
  // Bounded: each round assigns one conversation or stops.
  for (std::size_t round = 0; round < 10000; ++round) {
    auto head = queue_head(tx.w, department);
    if (!head) return;
    std::vector<std::pair<Agent*, std::size_t>> eligible;
    for (auto& m : members) {
      const std::size_t load = load_of(tx.w, m.id());
      if (r.max_per_agent <= 0 || load < static_cast<std::size_t>(r.max_per_agent))
        eligible.emplace_back(&m, load);
    }
    if (eligible.empty()) return;  // everyone at their cap: the queue waits
    Agent* pick = nullptr;
    std::string how;
    if (r.policy == "round_robin") {
      auto last = tx.w.get(store::Table::meta, rr_key);
      const std::string after = last ? std::string(*last) : std::string();
      for (auto& [a, load] : eligible)
        if (a->id() > after) {
          pick = a;
          break;
        }
      if (!pick) pick = eligible.front().first;
      how = "round robin";
    } else {
      auto best = std::min_element(eligible.begin(), eligible.end(), [](const auto& x, const auto& y) {
        if (x.second != y.second) return x.second < y.second;
        return x.first->last_assigned_ms() < y.first->last_assigned_ms();
      });
      pick = best->first;
      how = "least busy (" + std::to_string(best->second) + " open)";
    }
    Conversation c;
    if (!tx.load(*head, c) || status_of(c) != STATUS_QUEUED) {
      // A stale entry (cannot happen through Tx::save); drop it rather than loop on it.
      std::string stale;
      tx.w.scan(store::Table::route_queue, queue_prefix(department),
                [&](std::string_view k, std::string_view) { stale = std::string(k); return false; });
      tx.w.del(store::Table::route_queue, stale);
      continue;
    }
    give_to(tx, c, *pick, department, "assigned to " + display(*pick) + " by " + how);
    tx.save(c);
    tx.w.put(store::Table::meta, rr_key, pick->id());
  }
}

void Routing::requeue_agent(Tx& tx, const Agent& a, const std::string& why) {
  std::vector<std::uint64_t> ids;
  const std::string prefix = load_prefix(a.id());
  tx.w.scan(store::Table::agent_load, prefix, [&](std::string_view k, std::string_view) {
    if (k.substr(0, prefix.size()) != prefix) return false;
    ids.push_back(id_of_index_key(k));
    return true;
  });
  for (std::uint64_t id : ids) {
    Conversation c;
    if (!tx.load(id, c) || status_of(c) != STATUS_ASSIGNED) continue;
    c.clear_assignee();
    set_status(c, STATUS_QUEUED);  // keeps queued_at_ms: it waited already, it keeps its place
    const std::string text = "back to the queue: " + why;
    tx.system_note(c, text);
    Event& e = tx.event(Event::ASSIGNED, c);
    e.set_department(c.department());
    e.set_text(text);
    tx.save(c);
  }
}

std::vector<Agent> Routing::agents() const {
  std::vector<Agent> out;
  snapshot([&](const store::ReadTxn& r) { out = records_of<Agent>(r, store::Table::agents); });
  return out;
}

std::optional<Agent> Routing::agent(const std::string& id) const {
  std::optional<Agent> out;
  snapshot([&](const store::ReadTxn& r) {
    Agent a;
    if (r.get_proto(store::Table::agents, id, a)) out = std::move(a);
  });
  return out;
}

std::vector<Conversation> Routing::queue(const std::string& department) const {
  std::vector<Conversation> out;
  const std::string prefix = queue_prefix(department);
  snapshot([&](const store::ReadTxn& r) {
    r.scan(store::Table::route_queue, prefix, [&](std::string_view k, std::string_view) {
      if (k.substr(0, prefix.size()) != prefix) return false;
      Conversation c;
      if (r.get_proto(store::Table::conversations, be64(id_of_index_key(k)), c))
        out.push_back(std::move(c));
      return out.size() < 1000;
    });
  });
  return out;
}

}  // namespace sb::inbox
