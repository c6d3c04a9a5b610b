#include "services/bot/local_bot.h"

#include <cctype>

namespace sb::bot {
namespace {

// ASCII folding is enough for answer lookup; the handoff engine does the full Unicode work.
std::string fold(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += ' ';
  for (unsigned char c : s) {
    if (std::isalnum(c) || c >= 0x80)
      out += static_cast<char>(std::tolower(c));
    else if (out.back() != ' ')
      out += ' ';
  }
  if (out.back() != ' ') out += ' ';
  return out;
}

}  // namespace

LocalBot::LocalBot(BotConfig config) : config_(std::move(config)) {}

bool LocalBot::speaks_on(std::string_view channel) const {
  return config_.enabled && !config_.disabled_channels.count(std::string(channel));
}

std::optional<BotTurn> LocalBot::find_answer(std::string_view text) const {
  const std::string folded = fold(text);
  for (const Answer& a : config_.answers)
    for (const std::string& k : a.keywords)
      if (!k.empty() && folded.find(fold(k)) != std::string::npos)
        return BotTurn{a.reply, false, a.id};
  return std::nullopt;
}

std::vector<BotTurn> LocalBot::respond(std::string_view text, bool new_conversation) const {
  std::vector<BotTurn> turns;
  auto answer = find_answer(text);
  if (new_conversation && !config_.greeting.empty()) turns.push_back({config_.greeting, false, {}});
  if (answer)
    turns.push_back(*answer);
  else if (!new_conversation)
    turns.push_back({config_.fallback, true, {}});
  return turns;
}

}  // namespace sb::bot
