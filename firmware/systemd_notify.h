// firmware/systemd_notify.h — Type=notify readiness and the watchdog (the sd_notify protocol).
// Outside systemd (no NOTIFY_SOCKET) every call is a no-op.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace sb::firmware::systemd {

void ready();
void reloading();
void stopping();

// Feeds systemd's watchdog at half its interval from the io_context: a stuck loop stops the
// feeding, and systemd restarts the service.
class Watchdog {
 public:
  explicit Watchdog(boost::asio::io_context& io);

 private:
  void arm();
  boost::asio::steady_timer timer_;
  std::uint64_t interval_us_ = 0;
};

}  // namespace sb::firmware::systemd
