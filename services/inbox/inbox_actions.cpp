// Agent actions: each one write transaction that changes the conversation, writes why into its
// history and appends its Events. A refused action changes nothing and says why.
#include "services/inbox/tx.h"

namespace sb::inbox {

namespace {
std::string conv_name(std::uint64_t id) {
  return "conversation " + std::to_string(id);
}
}  // namespace

Result<void> Inbox::change_in(Tx& tx, std::uint64_t conversation,
                              const std::function<Result<void>(Tx&, Conversation&)>& change) {
  Conversation c;
  if (!tx.load(conversation, c))
    return fail(conv_name(conversation) + " does not exist", ErrorCode::not_found);
  Result<void> changed = change(tx, c);
  if (!changed) return changed;
  tx.save(c);
  return {};
}

Result<void> Inbox::mutate(std::uint64_t conversation,
                           const std::function<Result<void>(Tx&, Conversation&)>& change) {
  // A close or unassign may free an agent for the queue: routing runs in the same commit.
  return write_tx([&](Tx& tx) { return change_in(tx, conversation, change); }, true, true);
}

Result<std::uint64_t> Inbox::reply(std::uint64_t conversation, const std::string& agent,
                                   const std::string& text) {
  if (text.empty()) return fail("a reply needs text");
  std::uint64_t id = 0;
  Result<void> r = mutate(conversation, [&](Tx& tx, Conversation& c) -> Result<void> {
    if (!allowed(status_of(c), Cause::take, STATUS_ASSIGNED))
      return fail(conv_name(c.id()) + " is " + status_name_of(c) + ": reopen it before replying",
                  ErrorCode::conflict);
    if (status_of(c) != STATUS_ASSIGNED || c.assignee() != agent) {
      // Replying takes the conversation: from the bot, from the queue, or from a colleague.
      if (status_of(c) == STATUS_BOT) {
        auto* h = c.mutable_handoff();
        h->Clear();
        h->set_trigger("manual");
        h->set_rule("agent_reply");
        h->set_at_ms(tx.now_ms);
        c.set_queued_at_ms(tx.now_ms);
      }
      set_status(c, STATUS_ASSIGNED);
      c.set_assignee(agent);
      c.set_fallback_count(0);
      tx.system_note(c, "assigned to " + agent + ": replied");
      tx.event(Event::ASSIGNED, c).set_assignee(agent);
    }
    if (c.first_human_reply_ms() == 0) c.set_first_human_reply_ms(tx.now_ms);
    c.set_woke_at_ms(0);  // answered: no longer first in the lists
    c.set_seen_inbound_count(c.inbound_count());  // one answers what one has read
    c.set_awaiting_reply_since_ms(0);  // the response target is met
    c.set_over_target(false);
    id = tx.queue_outbound(c, "agent", agent, text).id();
    return {};
  });
  if (!r) return r.error();
  return id;
}

Result<void> Inbox::assign(std::uint64_t conversation, const std::optional<std::string>& department,
                           const std::optional<std::string>& agent, const std::string& actor) {
  if (!department && !agent) return fail("assign needs a department or an agent");
  return mutate(conversation, [&](Tx& tx, Conversation& c) -> Result<void> {
    if (!allowed_from(status_of(c), Cause::take))
      return fail(conv_name(c.id()) + " is " + status_name_of(c) + ": reopen it before assigning",
                  ErrorCode::conflict);
    if (department && !tx.w.get(store::Table::departments, *department))
      return fail("unknown department '" + *department + "'");
    if (agent && !tx.w.get(store::Table::agents, *agent))
      return fail("unknown agent '" + *agent + "'");
    if (status_of(c) == STATUS_BOT) {
      auto* h = c.mutable_handoff();
      h->Clear();
      h->set_trigger("manual");
      h->set_rule("assigned_by_" + actor);
      h->set_priority(c.priority());
      if (department) h->set_department(*department);
      h->set_at_ms(tx.now_ms);
      c.set_queued_at_ms(tx.now_ms);
      c.set_awaiting_reply_since_ms(tx.now_ms);
      Event& e = tx.event(Event::HANDOFF, c);
      e.mutable_handoff()->set_trigger("manual");
      e.mutable_handoff()->set_rule(h->rule());
    }
    std::string why;
    if (department) {
      c.set_department(*department);
      why = "department " + *department;
    }
    if (agent) {
      c.set_assignee(*agent);
      set_status(c, STATUS_ASSIGNED);
      why += (why.empty() ? "" : ", ") + std::string("agent ") + *agent;
    } else if (status_of(c) == STATUS_BOT) {
      set_status(c, STATUS_QUEUED);
    }
    c.set_fallback_count(0);
    tx.system_note(c, "assigned to " + why + " by " + actor);
    Event& e = tx.event(Event::ASSIGNED, c);
    e.set_department(c.department());
    e.set_assignee(c.assignee());
    return {};
  });
}

Result<void> Inbox::unassign(std::uint64_t conversation, const std::string& actor) {
  return mutate(conversation, [&](Tx& tx, Conversation& c) -> Result<void> {
    if (status_of(c) != STATUS_ASSIGNED)  // a queued one is unassigned already
      return fail(conv_name(c.id()) + " is not assigned", ErrorCode::conflict);
    c.clear_assignee();
    set_status(c, STATUS_QUEUED);
    c.set_queued_at_ms(tx.now_ms);
    tx.system_note(c, "back to the queue by " + actor);
    tx.event(Event::ASSIGNED, c).set_department(c.department());
    return {};
  });
}

Result<void> Inbox::tag(std::uint64_t conversation, const std::string& tag,
                        const std::string& actor) {
  if (tag.empty() || tag.size() > 64) return fail("a tag is 1 to 64 bytes");
  return mutate(conversation, [&](Tx& tx, Conversation& c) -> Result<void> {
    if (status_of(c) == STATUS_ARCHIVED)
      return fail(conv_name(c.id()) + " is archived", ErrorCode::conflict);
    for (const auto& t : c.tags())
      if (t == tag)
        return fail(conv_name(c.id()) + " is already tagged '" + tag + "'", ErrorCode::conflict);
    c.add_tags(tag);
    tx.system_note(c, "tagged '" + tag + "' by " + actor);
    tx.event(Event::TAGGED, c).set_tag(tag);
    return {};
  });
}

Result<void> Inbox::untag(std::uint64_t conversation, const std::string& tag,
                          const std::string& actor) {
  return mutate(conversation, [&](Tx& tx, Conversation& c) -> Result<void> {
    if (status_of(c) == STATUS_ARCHIVED)
      return fail(conv_name(c.id()) + " is archived", ErrorCode::conflict);
    auto* tags = c.mutable_tags();
    for (int i = 0; i < tags->size(); ++i) {
      if (tags->Get(i) != tag) continue;
      tags->DeleteSubrange(i, 1);
      tx.system_note(c, "tag '" + tag + "' removed by " + actor);
      tx.event(Event::UNTAGGED, c).set_tag(tag);
      return {};
    }
    return fail(conv_name(c.id()) + " is not tagged '" + tag + "'", ErrorCode::conflict);
  });
}

Result<void> Inbox::close(std::uint64_t conversation, const std::string& actor) {
  return mutate(conversation, [&](Tx& tx, Conversation& c) -> Result<void> {
    if (!allowed(status_of(c), Cause::close, STATUS_CLOSED))
      return fail(conv_name(c.id()) + " is already " + status_name_of(c), ErrorCode::conflict);
    if (c.snoozed()) wake(tx, c, "closed by " + actor);
    c.set_woke_at_ms(0);
    set_status(c, STATUS_CLOSED);
    c.set_closed_at_ms(tx.now_ms);
    c.set_fallback_count(0);
    c.clear_transfer_note();
    c.set_auto_closed(false);
    tx.system_note(c, "closed by " + actor);
    tx.event(Event::CLOSED, c);
    ask_csat(tx, c);
    return {};
  });
}

Result<void> Inbox::archive(std::uint64_t conversation, const std::string& actor) {
  return mutate(conversation, [&](Tx& tx, Conversation& c) -> Result<void> {
    if (!allowed(status_of(c), Cause::archive, STATUS_ARCHIVED))
      return fail(
          conv_name(c.id()) + " is " + status_name_of(c) + ": only a closed one is archived",
          ErrorCode::conflict);
    set_status(c, STATUS_ARCHIVED);
    tx.system_note(c, "archived by " + actor);
    tx.event(Event::ARCHIVED, c);
    return {};
  });
}

Result<void> Inbox::reopen(std::uint64_t conversation, const std::string& actor) {
  return mutate(conversation, [&](Tx& tx, Conversation& c) -> Result<void> {
    if (!allowed_from(status_of(c), Cause::reopen))
      return fail(conv_name(c.id()) + " is " + status_name_of(c) + ", not closed or archived",
                  ErrorCode::conflict);
    const std::string ck = contact_key(c.channel(), c.contact());
    if (auto current = tx.w.get(store::Table::conv_by_contact, ck);
        current && from_be64(*current) != c.id()) {
      Conversation other;
      if (tx.load(from_be64(*current), other) && status_of(other) != STATUS_ARCHIVED)
        return fail("the contact has a newer open conversation " + std::to_string(other.id()),
                    ErrorCode::conflict);
    }
    tx.w.put(store::Table::conv_by_contact, ck, be64(c.id()));
    c.set_fallback_count(0);
    // A conversation a person had goes back to that person (or, gone, to the queue) and the
    // bot stays silent; only one that never left the bot goes back to it.
    const bool had_person =
        !c.assignee().empty() && tx.w.get(store::Table::agents, c.assignee()).has_value();
    if (had_person || !c.handoff().trigger().empty() || !c.department().empty()) {
      set_status(c, had_person ? STATUS_ASSIGNED : STATUS_QUEUED);
      if (!had_person) {
        c.clear_assignee();
        c.set_queued_at_ms(tx.now_ms);
      }
      tx.system_note(c, "reopened by " + actor + (had_person ? ", back with " + c.assignee()
                                                             : ", back in the queue"));
      tx.event(Event::REOPENED, c).set_assignee(c.assignee());
      return {};
    }
    set_status(c, STATUS_BOT);
    c.clear_assignee();
    tx.system_note(c, "reopened by " + actor + ", handed back to the bot");
    tx.event(Event::REOPENED, c);
    return {};
  });
}

namespace {
Result<void> check_outbound_status(OutboundStatus status) {
  if (status != OUTBOUND_SENT && status != OUTBOUND_DELIVERED && status != OUTBOUND_FAILED)
    return fail("unknown outbound status '" + outbound_name(status) + "'");
  return {};
}
}  // namespace

std::uint64_t Inbox::conversation_of(std::uint64_t message) const {
  std::uint64_t conversation = 0;
  snapshot([&](const store::ReadTxn& r) {
    if (Message m; get_message(r, message, m)) conversation = m.conversation_id();
  });
  return conversation;
}

Result<void> Inbox::apply_outbound_status(Tx& tx, Conversation& c, std::uint64_t message,
                                          OutboundStatus status, const std::string& error) {
  Message m;
  if (!get_message(tx.w, message, m) || m.conversation_id() != c.id() || m.direction() != "out")
    return fail("message " + std::to_string(message) + " is not outbound");
  // Reports can arrive out of order (a delivery report before the send's answer): never
  // step back from delivered.
  if (outbound_status_of(m) == OUTBOUND_DELIVERED || outbound_status_of(m) == status) return {};
  set_outbound(m, status);
  m.set_error(error);
  put_message(tx.w, m);
  tx.w.del(store::Table::channel_outbox, be64(message));  // the channel has answered for it
  Event& e = tx.event(Event::OUTBOUND_STATUS, c);
  e.set_message_id(message);
  e.set_status(outbound_name(status));
  e.set_error(error);
  return {};
}

Result<void> Inbox::set_outbound_status(std::uint64_t message, OutboundStatus status,
                                        const std::string& error) {
  if (auto ok = check_outbound_status(status); !ok) return ok;
  const std::uint64_t conversation = conversation_of(message);
  if (!conversation)
    return fail("message " + std::to_string(message) + " does not exist", ErrorCode::not_found);
  return mutate(conversation, [&](Tx& tx, Conversation& c) {
    return apply_outbound_status(tx, c, message, status, error);
  });
}

void Inbox::set_outbound_status_later(std::uint64_t message, OutboundStatus status,
                                      const std::string& error,
                                      std::function<void(const Result<void>&)> done) {
  Result<void> ok = check_outbound_status(status);
  const std::uint64_t conversation = ok ? conversation_of(message) : 0;
  if (ok && !conversation)
    ok = fail("message " + std::to_string(message) + " does not exist", ErrorCode::not_found);
  if (!ok) {
    post_([done = std::move(done), e = ok.error()] { done(e); });
    return;
  }
  enqueue(128 + outbound_name(status).size() + error.size(),
          {[this, conversation, message, status, error](Tx& tx) {
             return change_in(tx, conversation, [&](Tx& t, Conversation& c) {
               return apply_outbound_status(t, c, message, status, error);
             });
           },
           std::move(done)});
}

Result<void> Inbox::record_gateway_event(Event::Kind kind, const std::string& text,
                                         const std::string& error) {
  std::vector<Event> events;
  auto r = store_.write([&](store::WriteTxn& w) -> Result<void> {
    Tx tx(w, clock_.wall_ms());
    Event& e = tx.events.emplace_back();
    e.set_seq(w.next_id("event_seq"));
    e.set_kind(kind);
    e.set_at_ms(tx.now_ms);
    e.set_text(text);
    e.set_error(error);
    tx.write_events();
    events = std::move(tx.events);
    return {};
  });
  if (r) publish(std::move(events));
  return r;
}

Result<void> Inbox::upsert_department(const std::string& id, const std::string& name) {
  if (id.empty()) return fail("a department needs an id");
  switchboard::store::Department d;
  d.set_id(id);
  d.set_name(name.empty() ? id : name);
  return store_.write([&](store::WriteTxn& w) -> Result<void> {
    w.put_proto(store::Table::departments, id, d);
    return {};
  });
}

Result<void> Inbox::upsert_agent(const std::string& id, const std::string& name,
                                 const std::string& department) {
  if (id.empty()) return fail("an agent needs an id");
  return store_.write([&](store::WriteTxn& w) -> Result<void> {
    if (!department.empty() && !w.get(store::Table::departments, department))
      return fail("unknown department '" + department + "'");
    switchboard::store::Agent a;  // presence and routing state survive a config reload
    (void)w.get_proto(store::Table::agents, id, a);
    a.set_id(id);
    a.set_name(name.empty() ? id : name);
    a.set_department(department);
    w.put_proto(store::Table::agents, id, a);
    return {};
  });
}

}  // namespace sb::inbox
