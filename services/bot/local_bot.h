// services/bot/local_bot.h — the small bot that answers while a conversation is with the bot,
// so a gateway serves customers from its first minute, online or not.
//
// It knows a greeting, a list of answers (keywords -> reply) and a fallback reply. A fallback
// is marked as such so the handoff engine's fallback-loop trigger can count it. Immutable once
// built; a reload builds a new one.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace sb::bot {

struct Answer {
  std::string id;
  std::vector<std::string> keywords;  // any one, matched as a whole word or phrase, caseless
  std::string reply;
};

struct BotConfig {
  bool enabled = true;
  std::set<std::string> disabled_channels;  // a technician turns the bot off per channel
  std::string greeting = "Hello! This is the automatic assistant. How can I help?";
  std::string fallback =
      "Sorry, I did not understand that. Could you say it another way, or ask for a person?";
  std::string handoff_notice = "Thank you. A person from our team will take over shortly.";
  std::vector<Answer> answers;
};

struct BotTurn {
  std::string text;
  bool fallback = false;
  std::string answer_id;  // which answer matched, empty for greeting/fallback
};

class LocalBot {
 public:
  explicit LocalBot(BotConfig config);

  bool speaks_on(std::string_view channel) const;
  // What the bot says to `text`. On a new conversation the greeting comes first (and counts
  // as an answer, not a fallback, when nothing else matches).
  std::vector<BotTurn> respond(std::string_view text, bool new_conversation) const;
  const std::string& handoff_notice() const { return config_.handoff_notice; }
  const BotConfig& config() const { return config_; }

 private:
  std::optional<BotTurn> find_answer(std::string_view text) const;
  BotConfig config_;
};

}  // namespace sb::bot
