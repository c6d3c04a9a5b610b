#include "services/bot/local_bot.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "services/handoff/language_guess.h"
#include "services/handoff/normalizer.h"
#include "services/handoff/rule_set.h"

namespace sb::bot {
namespace {

// The handoff engine's folding (case, accents, width, Turkish i, Arabic variants), with
// spaces at both ends so " word " finds whole words: "Öffnungszeiten" and "offnungszeiten",
// "ＨＯＵＲＳ" and "hours" ask the same.
std::string fold(std::string_view s) {
  std::string out = handoff::normalize(s, handoff::Fold::full);
  out.insert(out.begin(), ' ');
  out += ' ';
  return out;
}

bool contains_any(std::string_view folded, const std::vector<std::string>& keywords) {
  for (const std::string& k : keywords)
    if (!k.empty() && folded.find(fold(k)) != std::string_view::npos) return true;
  return false;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// The accepted value of an answer to `step`, or nothing when it does not fit.
std::optional<std::string> accept(const FlowStep& step, std::string_view text) {
  std::string t = trim(text);
  switch (step.kind) {
    case FlowStep::Kind::text:
      if (t.empty()) return std::nullopt;
      return t;
    case FlowStep::Kind::number: {
      std::string digits;
      for (char c : t)
        if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
        else if (c != ' ' && c != '-' && c != '.') return std::nullopt;
      if (digits.empty()) return std::nullopt;
      return digits;
    }
    case FlowStep::Kind::choice: {
      const std::string f = fold(t);
      for (std::size_t i = 0; i < step.choices.size(); ++i)
        if (f == fold(step.choices[i]) || trim(f) == std::to_string(i + 1)) return step.choices[i];
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::string ask_text(const FlowStep& step) {
  if (step.kind != FlowStep::Kind::choice || step.choices.empty()) return step.ask;
  std::string s = step.ask;
  for (std::size_t i = 0; i < step.choices.size(); ++i)
    s += (i ? ", " : " (") + std::to_string(i + 1) + ". " + step.choices[i];
  return s + ")";
}

// Whether a message asks something rather than only saying hello: a question mark of any
// script, or three words or more ("hi", "hello there" are greetings; "qzx" is noise).
bool asks_something(std::string_view text, std::string_view folded) {
  for (const std::string_view q : {"?", "\u061F", "\uFF1F", "\u00BF"})
    if (text.find(q) != std::string_view::npos) return true;
  std::size_t words = 0;
  for (std::size_t i = 1; i < folded.size(); ++i) words += folded[i] == ' ';
  return words >= 3;  // `folded` is " w1 w2 ... wn ": n spaces after the first
}

}  // namespace

Wording email_wording() {
  Wording w;
  w.greeting =
      "Hello,\n\nthank you for your email. This is the automatic assistant; I will answer what "
      "I can, and a person from our team will answer the rest.\n\nKind regards,\nThe "
      "automatic assistant";
  w.fallback =
      "Hello,\n\nthank you for your email. I could not find an answer to it, so it will be "
      "read by a person from our team. If you like, reply with more detail.\n\nKind "
      "regards,\nThe automatic assistant";
  w.handoff_notice =
      "Hello,\n\nthank you for your email. A person from our team will reply to you "
      "shortly.\n\nKind regards,\nThe automatic assistant";
  return w;
}

LocalBot::LocalBot(BotConfig config) : config_(std::move(config)) {}

LocalBot::Resolved LocalBot::wording(std::string_view channel, std::string_view text) const {
  const Wording* by_language_channel = nullptr;
  const Wording* by_channel = nullptr;
  const Wording* by_language = nullptr;
  const std::string ch(channel);
  if (auto it = config_.channels.find(ch); it != config_.channels.end()) by_channel = &it->second;
  if (!config_.languages.empty() && !text.empty())
    if (auto code = handoff::clear_language(text))
      if (auto it = config_.languages.find(std::string(*code)); it != config_.languages.end()) {
        by_language = &it->second.wording;
        if (auto c = it->second.channels.find(ch); c != it->second.channels.end())
          by_language_channel = &c->second;
      }
  auto pick = [&](std::optional<std::string> Wording::*field, const std::string& fallback)
      -> const std::string& {
    for (const Wording* w : {by_language_channel, by_channel, by_language})
      if (w && (w->*field)) return *(w->*field);
    return fallback;
  };
  return {pick(&Wording::greeting, config_.greeting), pick(&Wording::fallback, config_.fallback),
          pick(&Wording::handoff_notice, config_.handoff_notice)};
}

bool LocalBot::speaks_on(std::string_view channel) const {
  return config_.enabled && !config_.disabled_channels.count(std::string(channel));
}

bool LocalBot::external_on(std::string_view channel) const {
  return speaks_on(channel) && config_.external_channels.count(std::string(channel));
}

const Answer* LocalBot::find_answer(std::string_view folded) const {
  for (const Answer& a : config_.answers)
    if (contains_any(folded, a.keywords)) return &a;
  return nullptr;
}

const Flow* LocalBot::find_flow(std::string_view folded) const {
  for (const Flow& f : config_.flows)
    if (contains_any(folded, f.keywords)) return &f;
  return nullptr;
}

const Flow* LocalBot::flow(const std::string& id) const {
  for (const Flow& f : config_.flows)
    if (f.id == id) return &f;
  return nullptr;
}

BotResponse LocalBot::respond(std::string_view text, bool new_conversation,
                              const FlowState& state, std::string_view channel) const {
  BotResponse r;
  r.state = state;
  const std::string folded = fold(text);
  const Resolved words = wording(channel, text);
  if (new_conversation && !words.greeting.empty()) r.turns.push_back({words.greeting, false, {}});

  if (const Flow* f = state.flow_id.empty() ? nullptr : flow(state.flow_id);
      f && state.step >= 0 && state.step < static_cast<int>(f->steps.size())) {
    const FlowStep& step = f->steps[static_cast<std::size_t>(state.step)];
    auto value = accept(step, text);
    if (!value) {
      // Not an answer to the question: ask again, and count it as a fallback so a person
      // is brought in if it keeps happening.
      r.turns.push_back({"Sorry, I need an answer to this: " + ask_text(step), true, f->id});
      return r;
    }
    r.state.answers.emplace_back(step.store.empty() ? "step" + std::to_string(state.step + 1)
                                                    : step.store,
                                 *value);
    r.state.step++;
    if (r.state.step < static_cast<int>(f->steps.size())) {
      r.turns.push_back({ask_text(f->steps[static_cast<std::size_t>(r.state.step)]), false, f->id});
      return r;
    }
    if (!f->end_reply.empty()) r.turns.push_back({f->end_reply, false, f->id});
    if (f->escalate) {
      r.escalate = true;
      r.flow_id = f->id;
      r.department = f->department;
      r.agent = f->agent;
      r.collected = r.state.answers;
    }
    r.state = {};
    return r;
  }
  r.state = {};  // a flow that no longer exists (config changed) is dropped

  if (const Flow* f = find_flow(folded); f && !f->steps.empty()) {
    r.state.flow_id = f->id;
    r.state.step = 0;
    r.turns.push_back({ask_text(f->steps[0]), false, f->id});
    return r;
  }
  if (const Answer* a = find_answer(folded)) {
    r.turns.push_back({a->reply, false, a->id});
  } else if (!new_conversation || asks_something(text, folded)) {
    // A first message that asks something the bot cannot answer ("Who can I talk to in
    // sales?", "где мой заказ?") is a fallback like any later one: the greeting alone would
    // strand the person, and counting it brings in a human after the loop threshold.
    r.turns.push_back({words.fallback, true, {}});
  }
  return r;
}

std::optional<std::string> validate(const BotConfig& c) {
  const auto codes = handoff::RuleSet::language_codes();
  for (const auto& [code, w] : c.languages)
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) {
      std::string known;
      for (const auto& k : codes) known += (known.empty() ? "" : " ") + k;
      return "bot.languages: unknown language '" + code + "' (known: " + known + ")";
    }
  for (const auto& [name, w] : c.channels)
    if (name.empty()) return std::string("bot.channels: a channel name is empty");
  std::set<std::string> ids;
  for (const Answer& a : c.answers) {
    if (a.keywords.empty() || a.reply.empty())
      return "bot answer '" + a.id + "' needs keywords and a reply";
    if (!a.id.empty() && !ids.insert(a.id).second) return "duplicate bot answer or flow id '" + a.id + "'";
  }
  for (const Flow& f : c.flows) {
    if (f.id.empty()) return std::string("every bot flow needs an id");
    if (!ids.insert(f.id).second) return "duplicate bot answer or flow id '" + f.id + "'";
    if (f.keywords.empty()) return "bot flow '" + f.id + "' needs keywords that start it";
    if (f.steps.empty()) return "bot flow '" + f.id + "' needs at least one step";
    for (const FlowStep& s : f.steps) {
      if (s.ask.empty()) return "a step of bot flow '" + f.id + "' has nothing to ask";
      if (s.kind == FlowStep::Kind::choice && s.choices.empty())
        return "a choice step of bot flow '" + f.id + "' has no choices";
    }
  }
  return std::nullopt;
}

}  // namespace sb::bot
