#include "firmware/systemd_notify.h"

#include <systemd/sd-daemon.h>

namespace sb::firmware::systemd {

void ready() { sd_notify(0, "READY=1\nSTATUS=running"); }
void reloading() { sd_notify(0, "RELOADING=1"); }
void stopping() { sd_notify(0, "STOPPING=1"); }

Watchdog::Watchdog(boost::asio::io_context& io) : timer_(io) {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    interval_us_ = usec / 2;
    arm();
  }
}

void Watchdog::arm() {
  sd_notify(0, "WATCHDOG=1");
  timer_.expires_after(std::chrono::microseconds(interval_us_));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) arm();
  });
}

}  // namespace sb::firmware::systemd
