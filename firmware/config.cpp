#include "firmware/config.h"

#include "base/time_zone.h"
#include "services/handoff/rule_set.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace sb::firmware {
namespace {

// Reads one table, remembering which keys were used so unknown ones (typos) are refused.
class Section {
 public:
  Section(const toml::table& t, std::string path, const std::string& source, std::string& error)
      : t_(t), path_(std::move(path)), source_(source), error_(error) {}

  template <typename T>
  void get(const char* key, T& into, const char* expected) {
    used_.insert(key);
    const toml::node* n = t_.get(key);
    if (!n || !error_.empty()) return;
    if (auto v = n->value<T>(); v && n->is<native_t<T>>()) {
      into = *v;
    } else {
      fail_at(*n, key, std::string("expected ") + expected);
    }
  }
  void integer(const char* key, long long lo, long long hi, auto& into) {
    long long v = static_cast<long long>(into);
    get(key, v, "an integer");
    if (!error_.empty() || !t_.get(key)) return;  // absent: the default stands
    if (v < lo || v > hi) {
      fail_at(*t_.get(key), key,
              "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
      return;
    }
    into = static_cast<std::remove_reference_t<decltype(into)>>(v);
  }
  bool has(const char* key) const { return t_.get(key) != nullptr; }
  const toml::table* table(const char* key) {
    used_.insert(key);
    const toml::node* n = t_.get(key);
    if (!n) return nullptr;
    if (!n->is_table()) fail_at(*n, key, "expected a table [" + name(key) + "]");
    return n->as_table();
  }
  const toml::array* array(const char* key) {
    used_.insert(key);
    const toml::node* n = t_.get(key);
    if (!n) return nullptr;
    if (!n->is_array()) fail_at(*n, key, "expected an array");
    return n->as_array();
  }
  // An array of tables under `key`: `each(node, its Section)` for every member, in order. A
  // member that is not a table fails with `expected`; after any error the rest is skipped.
  template <typename Each>
  void for_each_table(const char* key, const std::string& path, const std::string& expected,
                      Each each) {
    const toml::array* a = array(key);
    if (!a) return;
    for (const auto& n : *a) {
      if (!error_.empty()) return;
      if (!n.is_table()) return fail_at(n, key, expected);
      Section member(*n.as_table(), path, source_, error_);
      each(n, member);
    }
  }
  void refuse_unknown() {
    for (const auto& [k, n] : t_) {
      if (!error_.empty()) return;
      if (!used_.count(std::string(k.str()))) fail_at(n, std::string(k.str()), "unknown key");
    }
  }
  void fail_at(const toml::node& n, const std::string& key, const std::string& why) {
    if (!error_.empty()) return;
    std::ostringstream s;
    s << source_;
    if (n.source().begin.line) s << ':' << n.source().begin.line;
    s << ": " << name(key) << ": " << why;
    error_ = s.str();
  }
  std::string name(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

 private:
  template <typename T>
  using native_t =
      std::conditional_t<std::is_same_v<T, std::string>, std::string,
                         std::conditional_t<std::is_same_v<T, bool>, bool,
                                            std::conditional_t<std::is_integral_v<T>, int64_t, T>>>;
  const toml::table& t_;
  std::string path_;
  const std::string& source_;
  std::string& error_;
  std::set<std::string> used_;
};

bool parse_listen(const std::string& s, std::string& host, std::uint16_t& port) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  std::string h = s.substr(0, colon), p = s.substr(colon + 1);
  if (h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos)
    return false;
  unsigned long n = std::stoul(p);
  if (n > 65535) return false;
  host = h;
  port = static_cast<std::uint16_t>(n);
  return true;
}

std::vector<std::string> strings(Section& s, const toml::array* a, const std::string& key,
                                 std::string& error) {
  std::vector<std::string> out;
  if (!a) return out;
  for (const auto& n : *a) {
    if (auto v = n.value<std::string>(); v && n.is_string())
      out.push_back(*v);
    else
      s.fail_at(n, key, "expected a list of strings");
    if (!error.empty()) break;
  }
  return out;
}

// greeting / fallback / handoff_notice of one [bot.channels.<name>] or [bot.languages.<code>]
// table: the keys given, the others left unset (they fall through to the next wording).
bot::Wording read_wording(Section& w) {
  bot::Wording out;
  for (auto [key, field] : {std::pair{"greeting", &bot::Wording::greeting},
                            std::pair{"fallback", &bot::Wording::fallback},
                            std::pair{"handoff_notice", &bot::Wording::handoff_notice}}) {
    std::string v;
    w.get(key, v, "a string");
    if (w.has(key)) out.*field = v;
  }
  return out;
}

// Tables of wordings keyed by name: [bot.channels.email], [bot.languages.es.channels.email].
template <typename Each>
void for_each_named_table(Section& s, const char* key, const std::string& path,
                          const std::string& source, std::string& error, Each each) {
  const toml::table* t = s.table(key);
  if (!t || !error.empty()) return;
  for (const auto& [name, node] : *t) {
    if (!error.empty()) return;
    const std::string n(name.str());
    if (!node.is_table()) {
      s.fail_at(node, std::string(key) + "." + n, "expected a table [" + path + "." + n + "]");
      return;
    }
    Section member(*node.as_table(), path + "." + n, source, error);
    each(n, member);
  }
}

void read_bot(Section& top, Config& c, const std::string& source, std::string& error) {
  const toml::table* t = top.table("bot");
  if (!t || !error.empty()) return;
  Section s(*t, "bot", source, error);
  s.get("enabled", c.bot.enabled, "true or false");
  s.get("greeting", c.bot.greeting, "a string");
  s.get("fallback", c.bot.fallback, "a string");
  s.get("handoff_notice", c.bot.handoff_notice, "a string");
  for (auto& ch : strings(s, s.array("disabled_channels"), "bot.disabled_channels", error))
    c.bot.disabled_channels.insert(ch);
  s.for_each_table("answers", "bot.answers", "expected [[bot.answers]] tables",
                   [&](const toml::node& n, Section& a) {
                     bot::Answer ans;
                     a.get("id", ans.id, "a string");
                     a.get("reply", ans.reply, "a string");
                     ans.keywords = strings(a, a.array("keywords"), "bot.answers.keywords", error);
                     a.refuse_unknown();
                     if (error.empty() && (ans.reply.empty() || ans.keywords.empty()))
                       a.fail_at(n, "answers", "each answer needs keywords and a reply");
                     c.bot.answers.push_back(std::move(ans));
                   });
  s.for_each_table(
      "flows", "bot.flows", "expected [[bot.flows]] tables", [&](const toml::node& n, Section& f) {
        bot::Flow flow;
        f.get("id", flow.id, "a string");
        flow.keywords = strings(f, f.array("keywords"), "bot.flows.keywords", error);
        std::string end = "escalate";
        f.get("end", end, "\"escalate\" or \"reply\"");
        if (error.empty() && end != "escalate" && end != "reply")
          f.fail_at(*n.as_table()->get("end"), "end", "must be \"escalate\" or \"reply\"");
        flow.escalate = end == "escalate";
        f.get("department", flow.department, "a string");
        f.get("agent", flow.agent, "a string");
        if (error.empty() && f.has("agent") && !handoff::valid_agent_name(flow.agent))
          f.fail_at(*n.as_table()->get("agent"), "agent",
                    "must be a user name of 1 to " + std::to_string(handoff::kMaxAgentName) +
                        " bytes without control characters");
        f.get("end_reply", flow.end_reply, "a string");
        f.for_each_table(
            "steps", "bot.flows.steps", "expected [[bot.flows.steps]] tables",
            [&](const toml::node& sn, Section& st) {
              bot::FlowStep step;
              std::string kind = "text";
              st.get("ask", step.ask, "a string");
              st.get("kind", kind, "a string");
              st.get("store", step.store, "a string");
              step.choices = strings(st, st.array("choices"), "bot.flows.steps.choices", error);
              if (kind == "choice")
                step.kind = bot::FlowStep::Kind::choice;
              else if (kind == "number")
                step.kind = bot::FlowStep::Kind::number;
              else if (kind != "text" && error.empty())
                st.fail_at(*sn.as_table()->get("kind"), "kind", "one of choice, number, text");
              st.refuse_unknown();
              flow.steps.push_back(std::move(step));
            });
        f.refuse_unknown();
        c.bot.flows.push_back(std::move(flow));
      });
  for (auto& ch : strings(s, s.array("external_channels"), "bot.external_channels", error))
    c.bot.external_channels.insert(ch);
  for_each_named_table(s, "channels", "bot.channels", source, error,
                       [&](const std::string& name, Section& w) {
                         // Overrides the built-in wording key by key (email's letter form).
                         bot::Wording given = read_wording(w);
                         w.refuse_unknown();
                         bot::Wording& into = c.bot.channels[name];
                         for (auto f : {&bot::Wording::greeting, &bot::Wording::fallback,
                                        &bot::Wording::handoff_notice})
                           if (given.*f) into.*f = given.*f;
                       });
  for_each_named_table(s, "languages", "bot.languages", source, error,
                       [&](const std::string& code, Section& w) {
                         bot::LanguageWording lw;
                         lw.wording = read_wording(w);
                         for_each_named_table(
                             w, "channels", "bot.languages." + code + ".channels", source, error,
                             [&](const std::string& name, Section& cw) {
                               lw.channels[name] = read_wording(cw);
                               cw.refuse_unknown();
                             });
                         w.refuse_unknown();
                         c.bot.languages[code] = std::move(lw);
                       });
  s.integer("external_timeout_ms", 100, 600000, c.bot.external_timeout_ms);
  s.refuse_unknown();
  if (error.empty()) {
    if (auto why = bot::validate(c.bot)) {
      // Point at the table the reason names, when it names one.
      const char* key = why->rfind("bot.languages", 0) == 0  ? "languages"
                        : why->rfind("bot.channels", 0) == 0 ? "channels"
                                                             : "flows";
      s.fail_at(t->get(key) ? *t->get(key) : static_cast<const toml::node&>(*t), key, *why);
    }
  }
}

// A department's opening hours: timezone (IANA name), hours = { mon = "09:00-17:00", ... }
// (a string of comma-separated ranges or a list of them; a day left out is closed), holidays
// = ["2026-12-25", ...] and after_hours_reply. Without hours and holidays: always open.
void read_department_hours(Section& s, const toml::table& t, inbox::DepartmentRouting& r,
                           std::string& error) {
  static constexpr const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  auto hours = std::make_shared<inbox::BusinessHours>();
  s.get("timezone", hours->zone_name, "a string like \"Europe/Berlin\"");
  if (error.empty() && t.get("timezone")) {
    auto zone = load_time_zone(hours->zone_name);
    if (zone)
      hours->zone = std::move(*zone);
    else
      s.fail_at(*t.get("timezone"), "timezone", zone.error().message);
  }
  const toml::table* week = s.table("hours");
  if (week && error.empty()) {
    if (week->empty()) s.fail_at(*t.get("hours"), "hours", "name at least one day (without hours: always open)");
    for (const auto& [key, node] : *week) {
      if (!error.empty()) break;
      const std::string day(key.str());
      const std::string name = "hours." + day;
      std::size_t index = 0;
      while (index < 7 && day != kDays[index]) ++index;
      if (index == 7) {
        s.fail_at(node, name, "unknown day; one of mon, tue, wed, thu, fri, sat, sun");
        break;
      }
      std::vector<std::pair<const toml::node*, std::string>> texts;
      if (auto v = node.value<std::string>(); v && node.is_string()) {
        std::size_t from = 0;
        while (from <= v->size()) {
          const std::size_t comma = std::min(v->find(',', from), v->size());
          std::string piece = v->substr(from, comma - from);
          piece.erase(0, piece.find_first_not_of(' '));
          piece.erase(piece.find_last_not_of(' ') + 1);
          texts.emplace_back(&node, piece);
          from = comma + 1;
        }
      } else if (const toml::array* a = node.as_array()) {
        for (const auto& item : *a) {
          if (auto v = item.value<std::string>(); v && item.is_string())
            texts.emplace_back(&item, *v);
          else
            texts.emplace_back(&item, "");
        }
      } else {
        s.fail_at(node, name, "expected \"09:00-17:00\" or a list of such ranges");
        break;
      }
      auto& ranges = hours->week[index];
      if (texts.empty() || texts.size() > inbox::BusinessHours::kMaxRangesPerDay) {
        s.fail_at(node, name, "1 to " + std::to_string(inbox::BusinessHours::kMaxRangesPerDay) +
                                  " ranges a day (leave the day out when closed)");
        break;
      }
      for (const auto& [n, text] : texts) {
        std::pair<int, int> range;
        if (!inbox::parse_hour_range(text, range)) {
          s.fail_at(*n, name, "'" + text.substr(0, 32) +
                                  "' is not a range like \"09:00-17:00\" (start before end, "
                                  "24:00 at the latest; a night runs to 24:00 and on from "
                                  "00:00 the next day)");
          break;
        }
        ranges.push_back(range);
      }
      std::sort(ranges.begin(), ranges.end());
      for (std::size_t i = 1; i < ranges.size() && error.empty(); ++i)
        if (ranges[i].first < ranges[i - 1].second) s.fail_at(node, name, "ranges overlap");
    }
  }
  const toml::array* holidays = s.array("holidays");
  if (holidays && error.empty()) {
    if (holidays->size() > inbox::BusinessHours::kMaxHolidays)
      s.fail_at(*t.get("holidays"), "holidays",
                "at most " + std::to_string(inbox::BusinessHours::kMaxHolidays) + " dates");
    for (const auto& n : *holidays) {
      if (!error.empty()) break;
      std::int64_t day = 0;
      auto v = n.value<std::string>();
      if (!v || !n.is_string() || !inbox::parse_local_date(*v, day))
        s.fail_at(n, "holidays", "expected dates like \"2026-12-25\"");
      hours->holidays.insert(day);
    }
  }
  s.get("after_hours_reply", r.after_hours_reply, "a string");
  if (error.empty() && r.after_hours_reply.size() > 1024)
    s.fail_at(*t.get("after_hours_reply"), "after_hours_reply", "at most 1024 bytes");
  if (!week && !holidays) {
    if (error.empty() && !r.after_hours_reply.empty())
      s.fail_at(*t.get("after_hours_reply"), "after_hours_reply",
                "needs hours or holidays (without them the department is always open)");
    return;
  }
  if (!week)
    for (auto& day : hours->week) day = {{0, 24 * 60}};  // holidays only: open around the clock
  if (error.empty()) r.hours = std::move(hours);
}

// A department's routing: routing = "manual" | "round_robin" | "least_busy",
// max_per_agent, and targets = [{ min_priority = 0, minutes = 10 }, ...] for the first reply.
void read_department_routing(Section& s, const toml::table& t, const std::string& id, Config& c,
                             std::string& error) {
  inbox::DepartmentRouting r;
  s.get("routing", r.policy, "a string");
  if (error.empty() && !inbox::valid_policy(r.policy))
    s.fail_at(*t.get("routing"), "routing", "one of manual, round_robin, least_busy");
  s.integer("max_per_agent", 0, 1000, r.max_per_agent);
  s.for_each_table(
      "targets", "departments.targets", "expected tables like { min_priority = 0, minutes = 10 }",
      [&](const toml::node& n, Section& ts) {
        int min_priority = 0, minutes = 1;
        if (!n.as_table()->get("minutes")) ts.fail_at(n, "minutes", "each target needs minutes");
        ts.integer("min_priority", -1000, 1000, min_priority);
        ts.integer("minutes", 1, 7 * 24 * 60, minutes);
        ts.refuse_unknown();
        r.targets.push_back({min_priority, static_cast<std::int64_t>(minutes) * 60000});
      });
  read_department_hours(s, t, r, error);
  if (error.empty() && !id.empty()) c.workflow.departments[id] = std::move(r);
}

// [routing], [alerts], [vip].
void read_workflow(Section& top, const toml::table& root, Config& c, const std::string& source,
                   std::string& error) {
  auto known_department = [&](const std::string& id) {
    if (id.empty()) return true;
    for (const auto& d : c.departments)
      if (d.id == id) return true;
    return false;
  };
  if (const toml::table* t = top.table("routing")) {
    Section s(*t, "routing", source, error);
    s.get("default_department", c.workflow.default_department, "a string");
    if (error.empty() && !known_department(c.workflow.default_department))
      s.fail_at(*t->get("default_department"), "default_department",
                "unknown department '" + c.workflow.default_department + "'");
    int away = 5;
    s.integer("away_after_min", 1, 24 * 60, away);
    c.workflow.away_after_ms = static_cast<std::int64_t>(away) * 60000;
    s.refuse_unknown();
  }
  if (const toml::table* t = top.table("alerts")) {
    Section s(*t, "alerts", source, error);
    s.get("sms_to", c.workflow.alert.sms_to, "a string (a phone number)");
    if (error.empty() && !c.workflow.alert.sms_to.empty() &&
        c.workflow.alert.sms_to.find_first_not_of("+0123456789") != std::string::npos)
      s.fail_at(*t->get("sms_to"), "sms_to", "a phone number like \"+15550100\"");
    int interval = 15;
    s.integer("interval_min", 1, 24 * 60, interval);
    c.workflow.alert.interval_ms = static_cast<std::int64_t>(interval) * 60000;
    s.integer("min_priority", -1000, 1000, c.workflow.alert.min_priority);
    s.integer("urgent_priority", -1000, 1000, c.workflow.alert.urgent_priority);
    s.refuse_unknown();
  }
  if (const toml::table* t = top.table("vip")) {
    Section s(*t, "vip", source, error);
    s.get("enabled", c.workflow.vip.enabled, "true or false");
    s.get("tag", c.workflow.vip.tag, "a string");
    s.integer("priority", -1000, 1000, c.workflow.vip.priority);
    s.get("department", c.workflow.vip.department, "a string");
    if (error.empty() && c.workflow.vip.tag.empty())
      s.fail_at(*t->get("tag"), "tag", "must not be empty");
    if (error.empty() && !known_department(c.workflow.vip.department))
      s.fail_at(*t->get("department"), "department",
                "unknown department '" + c.workflow.vip.department + "'");
    s.refuse_unknown();
  }
  if (const toml::table* t = top.table("auto_close")) {
    Section s(*t, "auto_close", source, error);
    int after = 0;
    s.integer("after_min", 0, 90 * 24 * 60, after);
    c.workflow.auto_close.after_ms = static_cast<std::int64_t>(after) * 60000;
    s.get("message", c.workflow.auto_close.message, "a string");
    if (error.empty() && c.workflow.auto_close.message.size() > 1024)
      s.fail_at(*t->get("message"), "message", "at most 1024 bytes");
    s.refuse_unknown();
  }
  if (const toml::table* t = top.table("csat")) {
    Section s(*t, "csat", source, error);
    s.get("enabled", c.workflow.csat.enabled, "true or false");
    s.get("question", c.workflow.csat.question, "a string");
    if (error.empty() && (c.workflow.csat.question.empty() || c.workflow.csat.question.size() > 1024))
      s.fail_at(*t->get("question"), "question", "1 to 1024 bytes");
    int window = 24 * 60;
    s.integer("window_min", 1, 7 * 24 * 60, window);
    c.workflow.csat.window_ms = static_cast<std::int64_t>(window) * 60000;
    s.refuse_unknown();
  }
  (void)root;
}

}  // namespace

Result<Config> parse_config(std::string_view text, const std::string& source) {
  // Kept whole and shared: [handoff] is handed on as a view into it, so the handoff engine's
  // errors still know their lines (a copied toml++ node loses its source position).
  auto doc = std::make_shared<toml::table>();
  toml::table& root = *doc;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream s;
    s << source << ':' << e.source().begin.line << ": " << e.description();
    return fail(s.str());
  }
  Config c;
  c.source = source;
  c.text = std::string(text);
  std::string error;
  Section top(root, "", source, error);
  top.get("gateway_id", c.gateway_id, "a string");
  if (error.empty() && (c.gateway_id.empty() ||
                        c.gateway_id.find_first_of("/+#") != std::string::npos))
    top.fail_at(*root.get("gateway_id"), "gateway_id", "must be non-empty without / + #");
  std::string level = "info";
  top.get("log_level", level, "a string");
  if (error.empty()) {
    if (auto l = parse_level(level))
      c.log_level = *l;
    else
      top.fail_at(*root.get("log_level"), "log_level", "one of error, warning, notice, info, debug");
  }
  if (const toml::table* t = top.table("storage")) {
    Section s(*t, "storage", source, error);
    s.get("dir", c.storage.dir, "a string (a directory)");
    s.integer("max_map_mib", 16, sizeof(void*) == 4 ? 2048 : 1 << 22, c.storage.max_map_mib);
    s.integer("write_batch_messages", 1, 65536, c.storage.write_batch_messages);
    s.integer("write_batch_kib", 16, 65536, c.storage.write_batch_kib);
    s.integer("write_queue_messages", 1, 1 << 20, c.storage.write_queue_messages);
    s.integer("write_queue_kib", 64, 1 << 20, c.storage.write_queue_kib);
    s.integer("commit_window_ms", 0, 5000, c.storage.commit_window_ms);
    if (error.empty() && c.storage.dir.empty()) s.fail_at(*t->get("dir"), "dir", "must not be empty");
    s.refuse_unknown();
  }
  if (const toml::table* t = top.table("admin")) {
    Section s(*t, "admin", source, error);
    std::string listen = c.admin.host + ":" + std::to_string(c.admin.port);
    s.get("listen", listen, "a string like \"127.0.0.1:8080\"");
    if (error.empty() && !parse_listen(listen, c.admin.host, c.admin.port))
      s.fail_at(*t->get("listen"), "listen", "expected host:port, like \"127.0.0.1:8080\"");
    s.get("tls_cert", c.admin.tls_cert, "a string (a PEM certificate chain file)");
    s.get("tls_key", c.admin.tls_key, "a string (a PEM private key file)");
    if (error.empty() && c.admin.tls_cert.empty() != c.admin.tls_key.empty())
      s.fail_at(*t->get(c.admin.tls_cert.empty() ? "tls_key" : "tls_cert"),
                c.admin.tls_cert.empty() ? "tls_key" : "tls_cert",
                "tls_cert and tls_key go together (both set for HTTPS, or neither)");
    s.integer("max_connections", 8, 65536, c.admin.max_connections);
    s.integer("max_connections_per_address", 1, 65536, c.admin.max_connections_per_address);
    s.integer("max_streams_per_session", 1, 64, c.admin.max_streams_per_session);
    s.integer("login_failures_per_account", 1, 1000, c.admin.login_failures_per_account);
    s.integer("login_failures_per_address", 1, 10000, c.admin.login_failures_per_address);
    s.integer("login_queue", 1, 64, c.admin.login_queue);
    s.refuse_unknown();
  }
  if (const toml::table* t = top.table("modem")) {
    Section s(*t, "modem", source, error);
    s.get("device", c.modem.device, "a string (a serial device path)");
    s.integer("baud", 1200, 4000000, c.modem.baud);
    s.get("sim_pin", c.modem.sim_pin, "a string");
    s.integer("part_wait_s", 1, 7 * 24 * 3600, c.modem.part_wait_s);
    s.integer("rescan_s", 1, 24 * 3600, c.modem.rescan_s);
    s.integer("health_poll_s", 1, 24 * 3600, c.modem.health_poll_s);
    s.integer("send_attempts", 1, 100, c.modem.send_attempts);
    s.integer("retry_initial_s", 1, 24 * 3600, c.modem.retry_initial_s);
    s.integer("retry_max_s", 1, 24 * 3600, c.modem.retry_max_s);
    s.get("reset_command", c.modem.reset_command, "a string (an AT command)");
    if (error.empty() && (c.modem.reset_command.size() < 3 || c.modem.reset_command.size() > 64 ||
                          (c.modem.reset_command.rfind("AT", 0) != 0 &&
                           c.modem.reset_command.rfind("at", 0) != 0) ||
                          c.modem.reset_command.find_first_of("\r\n\x1a") != std::string::npos))
      s.fail_at(*t->get("reset_command"), "reset_command",
                "expected one AT command of at most 64 characters, like \"AT+CFUN=1,1\"");
    s.integer("reset_wait_s", 1, 600, c.modem.reset_wait_s);
    s.integer("refusals_before_recovery", 1, 100, c.modem.refusals_before_recovery);
    s.integer("sim_busy_wait_s", 1, 600, c.modem.sim_busy_wait_s);
    s.refuse_unknown();
  }
  if (const toml::table* t = top.table("mqtt")) {
    Section s(*t, "mqtt", source, error);
    s.get("uri", c.mqtt.uri, "a string like \"tcp://127.0.0.1:1883\"");
    if (error.empty() && !c.mqtt.uri.empty() && c.mqtt.uri.rfind("tcp://", 0) != 0 &&
        c.mqtt.uri.rfind("ssl://", 0) != 0 && c.mqtt.uri.rfind("mqtt://", 0) != 0 &&
        c.mqtt.uri.rfind("mqtts://", 0) != 0)
      s.fail_at(*t->get("uri"), "uri", "must start with tcp:// or ssl://");
    s.get("username", c.mqtt.username, "a string");
    s.get("password", c.mqtt.password, "a string");
    s.get("ca_file", c.mqtt.ca_file, "a string (a PEM file)");
    s.get("cert_file", c.mqtt.cert_file, "a string (a PEM file)");
    s.get("key_file", c.mqtt.key_file, "a string (a PEM file)");
    s.integer("keepalive_s", 5, 3600, c.mqtt.keepalive_s);
    s.refuse_unknown();
  }
  if (const toml::table* t = top.table("outbound")) {
    Section s(*t, "outbound", source, error);
    s.integer("retry_initial_s", 1, 3600, c.outbound.retry_initial_s);
    s.integer("retry_max_s", 1, 86400, c.outbound.retry_max_s);
    s.integer("fail_after_s", 1, 30 * 86400, c.outbound.fail_after_s);
    s.refuse_unknown();
  }
  if (const toml::table* t = top.table("replay")) {
    Section s(*t, "replay", source, error);
    s.integer("max_age_h", 1, 24 * 365, c.replay.max_age_h);
    s.integer("max_events", 1000, 100000000, c.replay.max_events);
    s.refuse_unknown();
  }
  if (const toml::table* t = top.table("audit")) {
    Section s(*t, "audit", source, error);
    s.integer("max_entries", 100, 10000000, c.audit.max_entries);
    s.refuse_unknown();
  }
  if (const toml::table* t = top.table("limits")) {
    Section s(*t, "limits", source, error);
    std::uint64_t config_kib = c.limits.config_max_bytes >> 10;
    std::uint64_t matcher_kib = c.limits.rules.matcher_max_bytes >> 10;
    s.integer("config_max_kib", 16, 256 * 1024, config_kib);
    s.integer("rules_max", 1, 1000000, c.limits.rules.rules_max);
    s.integer("patterns_max", 1, 10000000, c.limits.rules.patterns_max);
    s.integer("pattern_max_bytes", 8, 65536, c.limits.rules.pattern_max_bytes);
    s.integer("matcher_max_kib", 4096, 4 * 1024 * 1024, matcher_kib);
    s.integer("replay_events_per_request", 100, 10000000, c.limits.replay_events_per_request);
    s.integer("replay_requests_per_minute", 1, 600, c.limits.replay_requests_per_minute);
    s.integer("mqtt_in_flight", 1, 1000, c.limits.mqtt_in_flight);
    c.limits.config_max_bytes = config_kib << 10;
    c.limits.rules.matcher_max_bytes = matcher_kib << 10;
    s.refuse_unknown();
  }
  if (top.array("departments")) c.departments.clear();  // the file's list replaces the default
  std::set<std::string> seen;
  top.for_each_table("departments", "departments", "expected [[departments]] tables",
                     [&](const toml::node& n, Section& s) {
                       Department d;
                       s.get("id", d.id, "a string");
                       s.get("name", d.name, "a string");
                       read_department_routing(s, *n.as_table(), d.id, c, error);
                       s.refuse_unknown();
                       if (error.empty() && (d.id.empty() || !seen.insert(d.id).second))
                         s.fail_at(n, "id",
                                   d.id.empty() ? "each department needs an id"
                                                : "duplicate department '" + d.id + "'");
                       c.departments.push_back(std::move(d));
                     });
  top.for_each_table("agents", "agents", "expected [[agents]] tables",
                     [&](const toml::node& n, Section& s) {
                       AgentEntry a;
                       s.get("id", a.id, "a string");
                       s.get("name", a.name, "a string");
                       s.get("department", a.department, "a string");
                       s.refuse_unknown();
                       bool known = a.department.empty();
                       for (const auto& d : c.departments) known = known || d.id == a.department;
                       if (error.empty() && (a.id.empty() || !known))
                         s.fail_at(n, a.id.empty() ? "id" : "department",
                                   a.id.empty() ? "each agent needs an id"
                                                : "unknown department '" + a.department + "'");
                       c.agents.push_back(std::move(a));
                     });
  top.for_each_table("canned_replies", "canned_replies", "expected [[canned_replies]] tables",
                     [&](const toml::node& n, Section& s) {
                       CannedReply r;
                       s.get("shortcut", r.shortcut, "a string");
                       s.get("text", r.text, "a string");
                       s.refuse_unknown();
                       if (error.empty() && (r.shortcut.empty() || r.text.empty()))
                         s.fail_at(n, "shortcut", "each canned reply needs a shortcut and a text");
                       c.canned_replies.push_back(std::move(r));
                     });
  read_bot(top, c, source, error);
  read_workflow(top, root, c, source, error);
  for (const auto& f : c.bot.flows) {
    bool known = f.department.empty();
    for (const auto& d : c.departments) known = known || d.id == f.department;
    if (!known && error.empty())
      top.fail_at(*root.get("bot"), "bot",
                  "flow '" + f.id + "' names unknown department '" + f.department + "'");
  }
  if (const toml::table* t = top.table("handoff"))
    c.handoff = std::shared_ptr<const toml::table>(doc, t);
  top.refuse_unknown();
  if (!error.empty()) return fail(error);
  return c;
}

Result<Config> load_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path + ": cannot read the config file");
  std::ostringstream s;
  s << in.rdbuf();
  return parse_config(s.str(), path);
}

Result<Config> resolve_config(const std::optional<std::string>& flag) {
  if (flag) return load_config(*flag);
  if (const char* env = std::getenv("SWITCHBOARD_CONFIG"); env && *env) return load_config(env);
  const char* installed = "/etc/switchboard/switchboard.toml";
  std::error_code ec;
  if (std::filesystem::exists(installed, ec)) return load_config(installed);
  return parse_config("", "(embedded default)");
}

}  // namespace sb::firmware
