// The sd_notify protocol is one datagram to $NOTIFY_SOCKET; written here instead of linking
// libsystemd, which with its own dependencies cost ~1 MiB of resident memory at idle for these
// few lines (measured by scripts/footprint; see docs/ARM.md).
#include "firmware/systemd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace sb::firmware::systemd {
namespace {

void notify(const char* state) {
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (!path || !*path) return;  // not started by systemd with Type=notify
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::size_t len = std::strlen(path);
  if (len >= sizeof addr.sun_path) return;
  std::memcpy(addr.sun_path, path, len);
  if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';  // abstract socket namespace
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  ::sendto(fd, state, std::strlen(state), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&addr),
           static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + len));
  ::close(fd);
}

// WATCHDOG_USEC (and WATCHDOG_PID, when set, naming us) as systemd sets them for WatchdogSec=.
std::uint64_t watchdog_usec() {
  const char* usec = std::getenv("WATCHDOG_USEC");
  if (!usec) return 0;
  if (const char* pid = std::getenv("WATCHDOG_PID"); pid && std::atol(pid) != ::getpid()) return 0;
  return std::strtoull(usec, nullptr, 10);
}

}  // namespace

void ready() { notify("READY=1\nSTATUS=running"); }
void reloading() { notify("RELOADING=1"); }
void stopping() { notify("STOPPING=1"); }

Watchdog::Watchdog(boost::asio::io_context& io) : timer_(io) {
  if (std::uint64_t usec = watchdog_usec(); usec > 0) {
    interval_us_ = usec / 2;
    arm();
  }
}

void Watchdog::arm() {
  notify("WATCHDOG=1");
  timer_.expires_after(std::chrono::microseconds(interval_us_));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) arm();
  });
}

}  // namespace sb::firmware::systemd
