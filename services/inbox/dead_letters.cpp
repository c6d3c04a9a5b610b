#include "services/inbox/dead_letters.h"

#include "services/common/bytes.h"

namespace sb::inbox {

void DeadLetters::record(const std::string& source, const std::string& kind,
                         const std::string& reason, std::string_view payload,
                         std::function<void(bool kept)> kept) {
  metrics_.counter("switchboard_bad_input_total", "Bad input refused, by kind",
                   {{"kind", kind}})++;
  const std::int64_t now = clock_.monotonic_ms();
  auto& last = last_logged_[kind];
  if (last == 0 || now - last >= 60'000) {
    last = now;
    log_.warn("channels", "refused input from ", source, ": ", reason, " (", kind,
              "; further ones of this kind are counted, logged once a minute)");
  }
  // A flood of garbage must not turn into a flood of writes: keep at most 20 a second.
  if (now - window_start_ >= 1000) {
    window_start_ = now;
    stored_in_window_ = 0;
  }
  if (++stored_in_window_ > 20) {
    if (kept) kept(false);
    return;
  }
  switchboard::store::DeadLetter d;
  d.set_at_ms(clock_.wall_ms());
  d.set_source(source);
  d.set_reason(reason);
  const bool whole = payload.size() <= kMaxPayload;
  d.set_payload(std::string(payload.substr(0, kMaxPayload)));
  const std::size_t bytes = 128 + d.ByteSizeLong();
  inbox_.write_later(
      bytes,
      [d = std::move(d)](store::WriteTxn& w) -> Result<void> {
        std::uint64_t n = w.next_id("dead_letter");
        w.put_proto(store::Table::dead_letters, be64(n), d);
        if (n > kKeep) w.del(store::Table::dead_letters, be64(n - kKeep));
        return {};
      },
      // The log outlives the inbox's queue; this object may not (the queue drains at shutdown).
      [&log = log_, whole, kept = std::move(kept)](const Result<void>& r) {
        if (!r) log.warn("channels", "cannot keep a dead letter: ", r.error().message);
        if (kept) kept(r.ok() && whole);
      });
}

std::vector<switchboard::store::DeadLetter> DeadLetters::recent(const store::Store& store,
                                                                std::size_t n) {
  std::vector<switchboard::store::DeadLetter> out;
  if (n == 0) return out;
  store.read([&](const store::ReadTxn& r) {
    r.scan_back(store::Table::dead_letters, {}, [&](std::string_view, std::string_view v) {
      switchboard::store::DeadLetter d;
      if (d.ParseFromArray(v.data(), static_cast<int>(v.size()))) out.push_back(std::move(d));
      return out.size() < n;
    });
  });
  return out;
}

}  // namespace sb::inbox
