// tests/store/metrics_test.cpp — /metrics label values stay bounded whatever the input names.
#include <doctest/doctest.h>

#include <string>

#include "services/common/metrics.h"

using namespace sb;

TEST_CASE("a label with known values folds every other value into \"other\"") {
  Metrics m;
  m.known_values("switchboard_messages_in_total", "channel", {"sms", "whatsapp"});
  for (int i = 0; i < 50000; ++i)
    m.counter("switchboard_messages_in_total", "Inbound messages by channel",
              {{"channel", "x" + std::to_string(i)}})++;
  m.counter("switchboard_messages_in_total", "Inbound messages by channel",
            {{"channel", "whatsapp"}})++;
  CHECK(m.value("switchboard_messages_in_total", {{"channel", "other"}}) == 50000);
  CHECK(m.value("switchboard_messages_in_total", {{"channel", "whatsapp"}}) == 1);
  const std::string text = m.exposition();
  CHECK(text.find("channel=\"x1\"") == std::string::npos);
  CHECK(text.size() < 1000);
}

TEST_CASE("any family holds at most kMaxSeries label sets; the rest share \"other\"") {
  Metrics m;
  const std::size_t n = Metrics::kMaxSeries + 500;
  for (std::size_t i = 0; i < n; ++i)
    m.counter("switchboard_bad_input_total", "Bad input", {{"kind", "k" + std::to_string(i)}})++;
  CHECK(m.value("switchboard_bad_input_total", {{"kind", "k0"}}) == 1);
  // The first kMaxSeries - 1 distinct values keep their own series; "other" takes the last slot.
  CHECK(m.value("switchboard_bad_input_total", {{"kind", "other"}}) ==
        static_cast<std::int64_t>(n - (Metrics::kMaxSeries - 1)));
  std::size_t lines = 0;
  const std::string text = m.exposition();
  for (char c : text) lines += c == '\n';
  CHECK(lines == Metrics::kMaxSeries + 2);  // HELP, TYPE and one line a series
}

TEST_CASE("a family only declared (known values, nothing counted) prints nothing") {
  Metrics m;
  m.known_values("switchboard_messages_in_total", "channel", {"sms"});
  CHECK(m.exposition().empty());
}
