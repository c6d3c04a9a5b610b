// services/broker/topic_table.h — one handler per topic under the gateway's prefix
// (switchboard/<gw>/...), the way mosquitto has one handle_* per packet.
//
// A filter is a topic relative to the prefix ("replay", "bot/reply") or one that ends in a
// single-level wildcard ("in/+"), whose last level the handler receives. A handler accepts the
// payload or refuses it with a Refusal; the table refuses topics of other gateways and topics
// with no handler the same way, so the one who owns the table keeps every refusal (a dead
// letter) in one place.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb::broker {

struct Refusal {
  std::string kind;    // short and stable: "not_protobuf", "unknown_topic", …
  std::string reason;  // for people
};
using Accepted = std::optional<Refusal>;  // nullopt: taken

class TopicTable {
 public:
  // `level` is the wildcard's level ("whatsapp" for in/whatsapp), empty for an exact filter.
  using Handler = std::function<Accepted(std::string_view level, const std::string& payload)>;

  explicit TopicTable(std::string prefix) : prefix_(std::move(prefix)) {}

  void add(std::string filter, Handler handler);
  // The full filters to subscribe to, in the order they were added.
  std::vector<std::string> subscriptions() const;
  Accepted dispatch(const std::string& topic, const std::string& payload) const;

 private:
  struct Route {
    std::string filter;  // relative to the prefix, without the trailing "+"
    bool wildcard = false;
    Handler handler;
  };
  std::string prefix_;
  std::vector<Route> routes_;
};

}  // namespace sb::broker
