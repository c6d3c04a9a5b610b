// services/handoff/default_rules.cpp — the rule set embedded in the binary.
//
// Department-free on purpose: the departments of a site are configured, and a default must
// never name one that does not exist. Urgency outranks everything ("Emergency" beats "How do
// I login? talk to a human").
#include <string>
#include <vector>

#include "services/handoff/compiled_rule_set.h"

namespace sb::handoff {
namespace {

// "talk to someone", "speak with a human", "chat to an agent", ... in the usual typings.
std::vector<std::string> ask_for_a_person() {
  std::vector<std::string> out;
  const char* verbs[] = {"talk", "speak", "chat", "talking", "speaking", "connect me"};
  const char* preps[] = {"to", "with", "2", "w"};
  const char* whom[] = {"someone",    "somebody",      "a human",   "human",      "a person",
                        "a real person", "an agent",   "agent",     "a live agent", "a human being",
                        "an operator", "a representative", "a rep", "a real human", "staff",
                        "a manager",  "an actual person", "a real agent", "ur agent",
                        "your agent", "customer service", "support"};
  for (const char* v : verbs)
    for (const char* p : preps)
      for (const char* w : whom) out.push_back(std::string(v) + " " + p + " " + w);
  for (const char* s :
       {"real person", "real human", "live agent", "live person", "live human", "human agent",
        "representative", "customer service representative", "operator please", "agent please",
        "human please", "person please", "i want a human", "i need a human", "get me a human",
        "is there a human", "are you a bot", "are you a robot", "not a bot", "dont want the bot",
        "dont want a bot", "dont want to talk to a bot", "stop the bot", "no more bot",
        "no bot", "want a person", "need a person", "need to talk to someone",
        // German
        "mit einem menschen", "mit einem mitarbeiter", "mit einer person", "echten menschen",
        "echte person", "einen mitarbeiter", "mitarbeiter sprechen", "kundenberater",
        // Spanish
        "hablar con una persona", "hablar con un humano", "hablar con alguien",
        "hablar con un agente", "persona real", "agente humano", "un operador",
        // French
        "parler a quelqu'un", "parler à quelqu'un", "parler à un humain", "parler a un humain",
        "parler à une personne", "parler a une personne", "vraie personne", "un conseiller",
        "parler à un conseiller", "parler a un conseiller", "un agent humain",
        // Russian
        "живой человек", "живого человека", "живым человеком", "с человеком", "с оператором",
        "позовите оператора", "нужен оператор", "оператора пожалуйста", "с менеджером"})
    out.push_back(s);
  return out;
}

}  // namespace

std::vector<RuleInfo> RuleSet::default_rules() {
  std::vector<RuleInfo> rules;
  {
    RuleInfo r;
    r.id = "urgent";
    r.kind = TriggerKind::keyword;
    r.priority = 100;
    r.urgent = true;
    r.patterns = {"urgent",    "urgently",  "emergency", "emergencies", "asap",
                  "dringend",  "notfall",   "urgente",   "urgencia",    "emergencia",
                  "urgence",   "срочно",    "срочная",   "срочный",     "экстренн*",
                  "авария",    "επείγον",   "έκτακτη ανάγκη"};
    rules.push_back(std::move(r));
  }
  {
    RuleInfo r;
    r.id = "ask_for_human";
    r.kind = TriggerKind::user_request;
    r.priority = 80;
    r.patterns = ask_for_a_person();
    rules.push_back(std::move(r));
  }
  {
    RuleInfo r;
    r.id = "cancel";
    r.kind = TriggerKind::keyword;
    r.priority = 60;
    r.patterns = {"cancel my subscription", "cancel subscription", "cancel my account",
                  "cancel my contract", "close my account", "delete my account",
                  "terminate my contract", "kündigen", "kündigung", "cancelar mi suscripción",
                  "résilier", "отменить подписку"};
    rules.push_back(std::move(r));
  }
  {
    RuleInfo r;
    r.id = "refund";
    r.kind = TriggerKind::keyword;
    r.priority = 50;
    r.patterns = {"refund*", "money back", "chargeback", "charged twice", "double charged",
                  "rückerstattung", "reembolso", "remboursement", "возврат денег"};
    rules.push_back(std::move(r));
  }
  {
    RuleInfo r;
    r.id = "complaint";
    r.kind = TriggerKind::keyword;
    r.priority = 50;
    r.patterns = {"complaint", "file a complaint", "lawyer", "legal action", "beschwerde",
                  "queja", "réclamation", "жалоба"};
    rules.push_back(std::move(r));
  }
  {
    RuleInfo r;
    r.id = "frustration";
    r.kind = TriggerKind::frustration;
    r.priority = 10;
    r.caps = r.punctuation = r.repeat = true;
    r.patterns = {"this is ridiculous", "useless", "not helpful", "stupid bot", "you dont understand",
                  "not what i asked", "doesnt help", "waste of time", "fed up", "so annoying"};
    rules.push_back(std::move(r));
  }
  return rules;
}

std::shared_ptr<const RuleSet> RuleSet::embedded_default() {
  // Compiled once and immutable afterwards; tests prove the defaults compile.
  static const std::shared_ptr<const RuleSet> set = [] {
    auto r = CompiledRuleSet::create(default_rules(), HandoffSettings{}, {});
    return r.ok() ? r.value() : nullptr;
  }();
  return set;
}

}  // namespace sb::handoff
