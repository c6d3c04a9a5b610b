#include "services/inbox/lifecycle.h"

#include <array>
#include <string>
#include <utility>

namespace sb::inbox {

namespace {

namespace pb = switchboard::store;

// The names are the contract's (Events' `status`, the admin JSON, exports): never change one.
const std::array<std::pair<Status, std::string>, 5> kStatusNames{{
    {pb::STATUS_BOT, "bot"},
    {pb::STATUS_QUEUED, "queued"},
    {pb::STATUS_ASSIGNED, "assigned"},
    {pb::STATUS_CLOSED, "closed"},
    {pb::STATUS_ARCHIVED, "archived"},
}};

const std::array<std::pair<OutboundStatus, std::string>, 4> kOutboundNames{{
    {pb::OUTBOUND_QUEUED, "queued"},
    {pb::OUTBOUND_SENT, "sent"},
    {pb::OUTBOUND_DELIVERED, "delivered"},
    {pb::OUTBOUND_FAILED, "failed"},
}};

const std::string kNoName;

template <typename E, std::size_t N>
const std::string& name_in(const std::array<std::pair<E, std::string>, N>& names, E e) {
  for (const auto& [value, name] : names)
    if (value == e) return name;
  return kNoName;
}

template <typename E, std::size_t N>
std::optional<E> value_in(const std::array<std::pair<E, std::string>, N>& names,
                          std::string_view name) {
  for (const auto& [value, n] : names)
    if (n == name) return value;
  return std::nullopt;
}

}  // namespace

bool allowed(Status from, Cause cause, Status to) {
  for (const Move& m : kMoves)
    if (m.from == from && m.cause == cause && m.to == to) return true;
  return false;
}

bool allowed_from(Status from, Cause cause) {
  for (const Move& m : kMoves)
    if (m.from == from && m.cause == cause) return true;
  return false;
}

const std::string& status_name(Status s) { return name_in(kStatusNames, s); }

std::optional<Status> parse_status(std::string_view name) { return value_in(kStatusNames, name); }

Status status_of(const pb::Conversation& c) {
  if (c.status_code() != pb::CONVERSATION_STATUS_UNSPECIFIED) return c.status_code();
  return parse_status(c.legacy_status()).value_or(pb::CONVERSATION_STATUS_UNSPECIFIED);
}

void set_status(pb::Conversation& c, Status s) {
  c.set_status_code(s);
  c.clear_legacy_status();
}

const std::string& status_name_of(const pb::Conversation& c) { return status_name(status_of(c)); }

const std::string& outbound_name(OutboundStatus s) { return name_in(kOutboundNames, s); }

std::optional<OutboundStatus> parse_outbound(std::string_view name) {
  return value_in(kOutboundNames, name);
}

OutboundStatus outbound_status_of(const pb::Message& m) {
  if (m.status_code() != pb::OUTBOUND_STATUS_UNSPECIFIED) return m.status_code();
  return parse_outbound(m.legacy_status()).value_or(pb::OUTBOUND_STATUS_UNSPECIFIED);
}

const std::string& outbound_name_of(const pb::Message& m) {
  return outbound_name(outbound_status_of(m));
}

void set_outbound(pb::Message& m, OutboundStatus s) {
  m.set_status_code(s);
  m.clear_legacy_status();
}

}  // namespace sb::inbox
