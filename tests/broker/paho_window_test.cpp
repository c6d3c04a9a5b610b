// tests/broker/paho_window_test.cpp — PahoBroker against a real mosquitto: a burst of
// publishes is held at the window instead of overflowing Paho's buffer, goes out as the
// acknowledgements come back, and is logged once per episode, never once per publish.
#include <doctest/doctest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <fstream>
#include <string>

#include "services/broker/paho_broker.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

using namespace sb;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) n++;
  return n;
}

std::string read_all(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, f)) out.append(buf, n);
  std::fseek(f, 0, SEEK_END);
  return out;
}

}  // namespace

TEST_CASE("5,000 publishes in a burst: held at the window, all acknowledged, one log line as an episode begins") {
  test::TempDir dir;
  const int port = test::free_port();
  {
    std::ofstream conf(dir.sub("m.conf"));
    conf << "listener " << port << " 127.0.0.1\nallow_anonymous true\npersistence false\n"
         << "max_queued_messages 0\n";
  }
  test::Process mosquitto({"/usr/sbin/mosquitto", "-c", dir.sub("m.conf")}, dir.sub("m.out"),
                          dir.sub("m.err"));
  REQUIRE(mosquitto.started());

  boost::asio::io_context io;
  auto keep_running = boost::asio::make_work_guard(io);  // Paho posts into it from its threads
  std::FILE* logged = std::tmpfile();
  Log log(Level::info, logged);
  broker::PahoBroker::Options o;
  o.uri = "tcp://127.0.0.1:" + std::to_string(port);
  o.client_id = "window-test";
  o.max_in_flight = 20;
  broker::PahoBroker b(io, log, o, {});
  // mosquitto takes a moment to listen; Paho reconnects on its own until it does.
  b.start({});
  REQUIRE(test::wait_for([&] {
    io.run_for(std::chrono::milliseconds(20));
    return b.connected();
  }));

  const int total = 5000;
  int accepted = 0, refused = 0, acked = 0, failed = 0;
  std::size_t max_in_flight = 0;
  auto done = [&](bool ok) { ok ? acked++ : failed++; };
  // The burst: everything at once, as a pump that ignores the window would.
  for (int i = 0; i < total && accepted < total; ++i) {
    if (b.publish("t/burst", std::string(100, 'x'), false, done))
      accepted++;
    else
      refused++;
  }
  CHECK(accepted == 20);
  CHECK(refused == total - 20);
  std::fflush(logged);
  CHECK(count(read_all(logged), "holding the rest") == 1);  // 4,980 refusals, one line
  // Then paced: publish while there is room, else let the acknowledgements arrive.
  REQUIRE(test::wait_for(
      [&] {
        while (accepted < total && b.publish("t/burst", std::string(100, 'x'), false, done))
          accepted++;
        max_in_flight = std::max(max_in_flight, b.in_flight());
        io.run_for(std::chrono::milliseconds(5));
        return acked + failed == total;
      },
      60000));
  CHECK(acked == total);
  CHECK(failed == 0);
  CHECK(max_in_flight <= 20);
  b.stop("", "");
  const std::string text = read_all(logged);
  std::fclose(logged);
  // One line as an episode begins and one as it ends, whatever the number of refusals.
  CHECK(count(text, "holding the rest") <= count(text, "publishing again") + 1);
  CHECK(count(text, "failed") == 0);
}
