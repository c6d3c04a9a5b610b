// What the bot's turns do to a conversation: its answers (queued outbound like an agent's),
// its flow state, the fallback count, and the handoffs they cause (fallback loop, a flow that
// ends in escalation, central's bot escalating). Always inside the caller's transaction.
#include <sstream>

#include "services/inbox/tx.h"

namespace sb::inbox {

using switchboard::store::HandoffRecord;

bot::FlowState Inbox::flow_state(const Conversation& c) {
  bot::FlowState s;
  s.flow_id = c.flow_id();
  s.step = c.flow_step();
  for (const auto& a : c.flow_answers()) s.answers.emplace_back(a.key(), a.value());
  return s;
}

void Inbox::queue_for_human(Tx& tx, Conversation& c, const HandoffRecord& given) {
  HandoffRecord h = given;
  // A handoff that names no department goes to the default one.
  if (h.department().empty() && !workflow_.default_department.empty() &&
      tx.w.get(store::Table::departments, workflow_.default_department))
    h.set_department(workflow_.default_department);
  set_status(c, STATUS_QUEUED);
  c.set_awaiting_reply_since_ms(tx.now_ms);  // the response target's clock starts
  c.set_over_target(false);
  c.set_priority(h.priority());
  if (!h.department().empty()) c.set_department(h.department());
  *c.mutable_handoff() = h;
  c.set_queued_at_ms(tx.now_ms);
  c.set_fallback_count(0);
  c.clear_flow_id();
  c.clear_flow_step();
  c.clear_flow_answers();
  c.clear_bot_request_id();
  tx.system_note(c, "queued: " + describe_handoff(h));
  Event& e = tx.event(Event::HANDOFF, c);
  auto* r = e.mutable_handoff();
  r->set_trigger(h.trigger());
  r->set_rule(h.rule());
  r->set_priority(h.priority());
  r->set_department(h.department());
  r->set_matched_text(h.matched_text());
  r->set_span_begin(h.span_begin());
  r->set_span_end(h.span_end());
  e.set_department(h.department());
  if (!h.agent().empty()) routing_.assign_to_named_agent(tx, c, h.agent());
}

void Inbox::apply_bot_response(Tx& tx, Conversation& c, const bot::BotResponse& r) {
  bool fell_back = false;
  for (const bot::BotTurn& t : r.turns) {
    tx.queue_outbound(c, "bot", "bot", t.text, t.fallback);
    fell_back = fell_back || t.fallback;
  }
  c.set_flow_id(r.state.flow_id);
  c.set_flow_step(r.state.step);
  c.clear_flow_answers();
  for (const auto& [k, v] : r.state.answers) {
    auto* a = c.add_flow_answers();
    a->set_key(k);
    a->set_value(v);
  }
  c.set_fallback_count(fell_back ? c.fallback_count() + 1 : 0);
  if (r.escalate) {
    HandoffRecord h;
    h.set_trigger("flow_completion");
    h.set_rule(r.flow_id);
    h.set_priority(rules_->fallback_priority());
    if (!r.department.empty() && tx.w.get(store::Table::departments, r.department))
      h.set_department(r.department);
    h.set_agent(r.agent);
    h.set_at_ms(tx.now_ms);
    std::ostringstream collected;
    for (std::size_t i = 0; i < r.collected.size(); ++i)
      collected << (i ? ", " : "") << r.collected[i].first << ": " << r.collected[i].second;
    h.set_matched_text(collected.str());
    queue_for_human(tx, c, h);
    if (!r.collected.empty()) tx.system_note(c, "the bot collected: " + collected.str());
    return;
  }
  if (fell_back && c.fallback_count() >= rules_->fallback_threshold()) {
    HandoffRecord h;
    h.set_trigger("fallback_loop");
    h.set_rule("fallback_loop");
    h.set_priority(rules_->fallback_priority());
    if (auto d = rules_->fallback_department()) h.set_department(*d);
    h.set_at_ms(tx.now_ms);
    queue_for_human(tx, c, h);
    // The customer hears that a person takes over, as with any other handoff.
    const std::string& notice = bot_->handoff_notice(c.channel(), c.last_inbound_text());
    if (!notice.empty()) tx.queue_outbound(c, "bot", "bot", notice);
  }
}

Result<void> Inbox::apply_external_bot_reply(Tx& tx, Conversation& c,
                                             const std::string& request_id,
                                             const std::string& action, const std::string& text,
                                             const std::string& department,
                                             const std::string& reason) {
  if (action != "reply" && action != "fallback" && action != "escalate")
    return fail("unknown bot action '" + action + "'");
  if (status_of(c) != STATUS_BOT || c.bot_request_id() != request_id) return {};  // moved on
  bot::BotResponse r;
  r.state = flow_state(c);
  if (action == "escalate") {
    r.escalate = true;
    r.flow_id = "external_bot";
    r.department = department;
    if (!reason.empty()) r.collected.emplace_back("reason", reason);
    if (!text.empty()) r.turns.push_back({text, false, "external_bot"});
  } else if (action == "fallback") {
    r.turns.push_back({text.empty() ? bot_->wording(c.channel(), c.last_inbound_text()).fallback : text,
                       true, "external_bot"});
  } else {
    if (text.empty()) return fail("a bot reply needs text");
    r.turns.push_back({text, false, "external_bot"});
  }
  c.clear_bot_request_id();
  apply_bot_response(tx, c, r);
  send_after_hours(tx, c);  // escalated while the department is closed
  return {};
}

Result<void> Inbox::external_bot_reply(std::uint64_t conversation, const std::string& request_id,
                                       const std::string& action, const std::string& text,
                                       const std::string& department,
                                       const std::string& reason) {
  return mutate(conversation, [&](Tx& tx, Conversation& c) {
    return apply_external_bot_reply(tx, c, request_id, action, text, department, reason);
  });
}

void Inbox::external_bot_reply_later(std::uint64_t conversation, std::string request_id,
                                     std::string action, std::string text,
                                     std::string department, std::string reason,
                                     std::function<void(const Result<void>&)> done) {
  const std::size_t bytes = 256 + text.size() + reason.size() + department.size();
  enqueue(bytes, {[this, conversation, request_id = std::move(request_id),
                   action = std::move(action), text = std::move(text),
                   department = std::move(department), reason = std::move(reason)](Tx& tx) {
                    return change_in(tx, conversation, [&](Tx& t, Conversation& c) {
                      return apply_external_bot_reply(t, c, request_id, action, text,
                                                      department, reason);
                    });
                  },
                  std::move(done)});
}

Result<void> Inbox::external_bot_timeout(std::uint64_t conversation,
                                         const std::string& request_id) {
  return mutate(conversation, [&](Tx& tx, Conversation& c) -> Result<void> {
    if (status_of(c) != STATUS_BOT || c.bot_request_id() != request_id) return {};
    c.clear_bot_request_id();
    // The greeting belongs to the first turn of a conversation only.
    bool is_new = false;
    // The first message decides: is it the contact's message this turn answers?
    const auto history = read_history(tx.w, c.id());
    if (!history.empty() && history.front().author() == "contact")
      is_new = std::to_string(history.front().id()) == request_id;
    apply_bot_response(tx, c,
                       bot_->respond(c.last_inbound_text(), is_new, flow_state(c), c.channel()));
    send_after_hours(tx, c);
    return {};
  });
}

}  // namespace sb::inbox
