// Fills a data directory the honest way for the footprint check (scripts/footprint): every
// message goes through the real Inbox::ingest (dedupe, conversation, handoff verdict, the
// local bot's answer, Events in the outbox, search index), in large group commits, so the
// records are exactly what the service writes.
//   fill_store DIR [CONVERSATIONS=100000] [MESSAGES=1000000]
// Contacts are spread over three channels; each contact is one conversation and the messages
// are dealt out round robin (conversations interleave as they do in life). Prints what it
// stored as one JSON object on stdout.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "bench/support/bench_support.h"

using namespace sb;

namespace {

// A few kinds of text: most stay with the bot, some ask for a human or use a trigger keyword.
const char* const kTexts[] = {
    "hello, is my order %d on its way?",
    "thanks, that helps",
    "what are your opening hours on saturday",
    "the parcel %d arrived damaged, can I get a refund",
    "I want to talk to a human please",
    "ok",
    "where do I find the invoice for order %d",
    "can you change the delivery address to Hauptstrasse %d",
    "the tracking link does not work",
    "this is urgent, the device %d stopped working",
    "do you ship to Austria",
    "good morning, I have a question about my contract %d",
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: fill_store DIR [CONVERSATIONS] [MESSAGES]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const long convs = argc > 2 ? std::atol(argv[2]) : 100000;
  const long total = argc > 3 ? std::atol(argv[3]) : 1000000;
  if (convs <= 0 || total < convs) {
    std::fprintf(stderr, "fill_store: need 0 < CONVERSATIONS <= MESSAGES\n");
    return 2;
  }
  std::filesystem::create_directories(dir);
  bench::BenchInbox b(dir, bench::BenchInbox::Posting::to_io);
  auto& io = b.io;
  auto& inbox = *b.inbox;
  // A bulk load, not a field gateway: the service's caps on one commit and on what may wait
  // (sized for a bridge under back-pressure) are raised so that what is outstanding joins one
  // commit, as the data set has always been built.
  constexpr long kInFlight = 20000;
  inbox::WriteLimits bulk;
  bulk.batch_writes = bulk.queue_writes = kInFlight;
  bulk.batch_bytes = bulk.queue_bytes = std::size_t{256} << 20;
  inbox.set_write_limits(bulk);

  const char* const channels[] = {"sms", "whatsapp", "webchat"};
  long sent = 0, done = 0, outstanding = 0, failed = 0;
  auto t0 = std::chrono::steady_clock::now();
  char text[160];
  std::function<void()> feed = [&] {
    while (sent < total && outstanding < kInFlight) {
      long i = sent++;
      long contact = i % convs;
      const char* tmpl = kTexts[(i / convs + contact) % (sizeof kTexts / sizeof *kTexts)];
      std::snprintf(text, sizeof text, tmpl, static_cast<int>(i % 100000));
      inbox::InboundMessage m;
      m.channel = channels[contact % 3];
      m.external_id = "fill-" + std::to_string(i);
      m.sender = contact % 3 == 0 ? "+4915" + std::to_string(100000000 + contact)
                                  : "user" + std::to_string(contact);
      m.sender_name = "Contact " + std::to_string(contact);
      m.text = text;
      outstanding++;
      inbox.ingest(std::move(m), [&](const Result<inbox::IngestOutcome>& r) {
        if (!r && failed++ == 0) std::fprintf(stderr, "fill_store: %s\n", r.error().message.c_str());
        done++;
        outstanding--;
      });
    }
    if (done >= total) return io.stop();
    if (done % 100000 < kInFlight && outstanding == kInFlight)
      std::fprintf(stderr, "fill_store: %ld/%ld\r", done, total);
    boost::asio::post(io, feed);
  };
  boost::asio::post(io, feed);
  io.run();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::size_t conversations = 0, messages = 0, events = 0;
  b.store().read([&](const store::ReadTxn& tx) {
    conversations = tx.entries(store::Table::conversations);
    messages = tx.entries(store::Table::messages);
    events = tx.entries(store::Table::events);
  });
  std::printf(
      "{\"ingested\": %ld, \"failed\": %ld, \"seconds\": %.1f, \"conversations\": %zu, "
      "\"messages\": %zu, \"events\": %zu, \"commits\": %.0f, \"used_bytes\": %llu}\n",
      total, failed, secs, conversations, messages, events,
      static_cast<double>(b.metrics.value("switchboard_ingest_commits_total")),
      static_cast<unsigned long long>(b.store().used_bytes()));
  return failed ? 1 : 0;
}
