// services/bot/local_bot.h — the small bot that answers while a conversation is with the bot,
// so a gateway serves customers from its first minute, online or not.
//
// It knows a greeting, answers (keywords -> reply), flows (steps that ask, validate and store
// an answer, and end in a reply or in escalation to a department) and a fallback reply. A
// fallback is marked as such so the handoff engine's fallback-loop trigger can count it.
// Immutable once built; a reload builds a new one. Pure: the conversation's flow state goes in
// and comes out, the inbox stores it in the same transaction as the message.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sb::bot {

struct Answer {
  std::string id;
  std::vector<std::string> keywords;  // any one, matched as a whole word or phrase, caseless
  std::string reply;
};

struct FlowStep {
  enum class Kind { choice, number, text };
  std::string ask;
  Kind kind = Kind::text;
  std::vector<std::string> choices;  // for choice: the accepted answers (caseless), or 1..n
  std::string store;                 // the name the answer is kept under
};

struct Flow {
  std::string id;
  std::vector<std::string> keywords;  // what starts it
  std::vector<FlowStep> steps;
  bool escalate = true;               // end: hand to a human (else reply and stay with the bot)
  std::string department;             // where the escalation goes
  std::string agent;                  // optional: the user who gets it when online with room
  std::string end_reply;              // said at the end (both kinds)
};

// What the bot says at the edges of a conversation, for one channel and/or language; a field
// left unset falls through to the next wording (see LocalBot::wording).
struct Wording {
  std::optional<std::string> greeting, fallback, handoff_notice;
};

struct LanguageWording {
  Wording wording;
  std::map<std::string, Wording> channels;  // this language on one channel ("email")
};

// The built-in wording of the email channel: a letter (salutation, body, closing), not a
// chat line.
Wording email_wording();

struct BotConfig {
  bool enabled = true;
  std::set<std::string> disabled_channels;  // a technician turns the bot off per channel
  std::set<std::string> external_channels;  // channels whose turns go to central's bot first
  int external_timeout_ms = 5000;           // then the local bot answers
  std::string greeting = "Hello! This is the automatic assistant. How can I help?";
  std::string fallback =
      "Sorry, I did not understand that. Could you say it another way, or ask for a person?";
  std::string handoff_notice = "Thank you. A person from our team will take over shortly.";
  // Per channel (built in: "email", email_wording()) and per language of the message, when it
  // is clear (handoff::clear_language): [bot.channels.<name>], [bot.languages.<code>] and
  // [bot.languages.<code>.channels.<name>].
  std::map<std::string, Wording> channels = {{"email", email_wording()}};
  std::map<std::string, LanguageWording> languages;
  std::vector<Answer> answers;
  std::vector<Flow> flows;
};

struct BotTurn {
  std::string text;
  bool fallback = false;
  std::string answer_id;  // which answer or flow, empty for greeting/fallback
};

// A flow in progress, as kept on the conversation.
struct FlowState {
  std::string flow_id;  // empty: none
  int step = 0;
  std::vector<std::pair<std::string, std::string>> answers;
};

struct BotResponse {
  std::vector<BotTurn> turns;
  FlowState state;  // the conversation's flow state after this turn
  // A flow ended in escalation: queue for a human in `department` with what was collected.
  bool escalate = false;
  std::string flow_id;
  std::string department;
  std::string agent;  // the flow's named agent, if any
  std::vector<std::pair<std::string, std::string>> collected;
};

class LocalBot {
 public:
  explicit LocalBot(BotConfig config);

  bool speaks_on(std::string_view channel) const;
  bool external_on(std::string_view channel) const;
  // What the bot says to `text` on `channel`. On a new conversation the greeting comes first
  // (and counts as an answer, not a fallback, when nothing else matches).
  BotResponse respond(std::string_view text, bool new_conversation, const FlowState& state,
                      std::string_view channel = {}) const;
  // The greeting, fallback and handoff notice for a message (`text`) on `channel`, each from
  // the first of: its language on its channel, its channel, its language, the defaults above.
  // A channel's own form (email's letter) thus comes before a language's chat wording; give
  // both with [bot.languages.<code>.channels.<name>].
  struct Resolved {
    const std::string& greeting;
    const std::string& fallback;
    const std::string& handoff_notice;
  };
  Resolved wording(std::string_view channel, std::string_view text) const;
  const std::string& handoff_notice(std::string_view channel = {}, std::string_view text = {}) const {
    return wording(channel, text).handoff_notice;
  }
  const BotConfig& config() const { return config_; }

 private:
  const Answer* find_answer(std::string_view folded) const;
  const Flow* find_flow(std::string_view folded) const;
  const Flow* flow(const std::string& id) const;
  BotConfig config_;
};

// Checks a config: ids unique, flows with steps, choices for choice steps, store names,
// language codes of the built-in packs.
std::optional<std::string> validate(const BotConfig& config);

}  // namespace sb::bot
