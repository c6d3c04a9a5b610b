#include "services/common/metrics.h"

#include <algorithm>
#include <sstream>

namespace sb {

std::atomic<std::int64_t>& Metrics::series(const std::string& name, const std::string& help,
                                           const std::string& type, const Labels& labels) {
  std::lock_guard lock(mu_);
  Family& f = families_[name];
  if (f.help.empty()) {
    f.help = help;
    f.type = type;
  }
  Labels bounded = labels;
  for (auto& [key, value] : bounded) {
    auto k = f.known.find(key);
    if (k != f.known.end() && std::find(k->second.begin(), k->second.end(), value) == k->second.end())
      value = "other";
  }
  auto it = f.series.find(bounded);
  if (it == f.series.end() && f.series.size() + 1 >= kMaxSeries) {  // the last slot: "other"
    for (auto& [key, value] : bounded) value = "other";
    it = f.series.find(bounded);
  }
  if (it == f.series.end())
    it = f.series.emplace(bounded, std::make_unique<std::atomic<std::int64_t>>(0)).first;
  return *it->second;
}

void Metrics::known_values(const std::string& name, const std::string& label,
                           std::vector<std::string> values) {
  std::lock_guard lock(mu_);
  families_[name].known[label] = std::move(values);
}

std::atomic<std::int64_t>& Metrics::counter(const std::string& name, const std::string& help,
                                            const Labels& labels) {
  return series(name, help, "counter", labels);
}

std::atomic<std::int64_t>& Metrics::gauge(const std::string& name, const std::string& help,
                                          const Labels& labels) {
  return series(name, help, "gauge", labels);
}

void Metrics::gauge_fn(const std::string& name, const std::string& help,
                       std::function<double()> fn) {
  std::lock_guard lock(mu_);
  Family& f = families_[name];
  f.help = help;
  f.type = "gauge";
  f.fn = std::move(fn);
}

std::int64_t Metrics::value(const std::string& name, const Labels& labels) const {
  std::lock_guard lock(mu_);
  auto f = families_.find(name);
  if (f == families_.end()) return 0;
  auto s = f->second.series.find(labels);
  return s == f->second.series.end() ? 0 : s->second->load();
}

static std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string Metrics::exposition() const {
  std::lock_guard lock(mu_);
  std::ostringstream o;
  for (const auto& [name, f] : families_) {
    if (f.type.empty()) continue;  // known_values() only, nothing counted yet
    o << "# HELP " << name << ' ' << f.help << '\n' << "# TYPE " << name << ' ' << f.type << '\n';
    if (f.fn) {
      o << name << ' ' << f.fn() << '\n';
      continue;
    }
    for (const auto& [labels, v] : f.series) {
      o << name;
      if (!labels.empty()) {
        o << '{';
        for (std::size_t i = 0; i < labels.size(); ++i)
          o << (i ? "," : "") << labels[i].first << "=\"" << escape_label(labels[i].second) << '"';
        o << '}';
      }
      o << ' ' << v->load() << '\n';
    }
  }
  return o.str();
}

}  // namespace sb
