#include "services/broker/topic_table.h"

namespace sb::broker {

void TopicTable::add(std::string filter, Handler handler) {
  Route r;
  r.wildcard = filter.size() >= 2 && filter.compare(filter.size() - 2, 2, "/+") == 0;
  if (r.wildcard) filter.pop_back();  // keep the '/': "in/"
  r.filter = std::move(filter);
  r.handler = std::move(handler);
  routes_.push_back(std::move(r));
}

std::vector<std::string> TopicTable::subscriptions() const {
  std::vector<std::string> out;
  out.reserve(routes_.size());
  for (const Route& r : routes_) out.push_back(prefix_ + r.filter + (r.wildcard ? "+" : ""));
  return out;
}

Accepted TopicTable::dispatch(const std::string& topic, const std::string& payload) const {
  if (topic.rfind(prefix_, 0) != 0) return Refusal{"foreign_topic", "a topic of another gateway"};
  std::string_view rest = std::string_view(topic).substr(prefix_.size());
  for (const Route& r : routes_) {
    if (!r.wildcard) {
      if (rest == r.filter) return r.handler({}, payload);
      continue;
    }
    if (rest.size() <= r.filter.size() || rest.compare(0, r.filter.size(), r.filter) != 0)
      continue;
    std::string_view level = rest.substr(r.filter.size());
    if (level.find('/') != std::string_view::npos) continue;  // '+' is one level
    return r.handler(level, payload);
  }
  return Refusal{"unknown_topic", "no handler for this topic"};
}

}  // namespace sb::broker
