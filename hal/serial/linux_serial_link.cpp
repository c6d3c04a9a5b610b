#include "hal/serial/linux_serial_link.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>

#include "hal/serial/port_holder.h"

namespace sb::hal {

namespace asio = boost::asio;

namespace {

speed_t speed_for(unsigned baud) {
  switch (baud) {
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 230400: return B230400;
    case 460800: return B460800;
    case 921600: return B921600;
    case 1000000: return B1000000;
    case 2000000: return B2000000;
    case 3000000: return B3000000;
    case 4000000: return B4000000;
    default: return B115200;
  }
}

std::string busy(const std::string& device) {
  std::string holders = port_holders(device);
  return "port busy: another program (" + (holders.empty() ? "ModemManager?" : holders) +
         ") holds " + device +
         (holders.find("ModemManager") != std::string::npos || holders.empty()
              ? "; stop it or tell it to ignore this modem (udev ID_MM_DEVICE_IGNORE=1)"
              : "");
}

}  // namespace

LinuxSerialLink::LinuxSerialLink(asio::io_context& io, Options options)
    : options_(std::move(options)), port_(io), retry_(io) {}

LinuxSerialLink::~LinuxSerialLink() {
  wanted_ = false;
  shut();
}

Result<void> LinuxSerialLink::open() {
  wanted_ = true;
  auto r = open_now();
  if (!r) {
    if (h_.on_state) h_.on_state(false, r.error().message);
    schedule_retry();
  }
  return r;
}

Result<void> LinuxSerialLink::open_now() {
  if (port_.is_open()) return {};
  const std::string& dev = options_.device;
  int fd = ::open(dev.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    if (e == EBUSY) return fail(busy(dev));
    return fail("cannot open " + dev + ": " + std::strerror(e));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return fail(busy(dev));
  }
  // TIOCEXCL refuses later open()s by non-root programs; a pty slave accepts it too.
  (void)::ioctl(fd, TIOCEXCL);
  termios t{};
  if (::tcgetattr(fd, &t) == 0) {
    ::cfmakeraw(&t);
    t.c_cflag |= CLOCAL | CREAD;
    t.c_cflag &= ~static_cast<tcflag_t>(CRTSCTS | CSTOPB);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    ::cfsetispeed(&t, speed_for(options_.baud));
    ::cfsetospeed(&t, speed_for(options_.baud));
    if (::tcsetattr(fd, TCSANOW, &t) != 0) {
      int e = errno;
      ::close(fd);
      return fail("cannot set raw mode on " + dev + ": " + std::strerror(e));
    }
    ::tcflush(fd, TCIOFLUSH);  // stale bytes from before we opened are not answers to us
  }
  boost::system::error_code ec;
  port_.assign(fd, ec);
  if (ec) {
    ::close(fd);
    return fail("cannot use " + dev + ": " + ec.message());
  }
  if (h_.on_state) h_.on_state(true, "");
  read_more();
  write_more();
  return {};
}

void LinuxSerialLink::read_more() {
  port_.async_read_some(asio::buffer(buf_), [this, gen = generation_, g = *generation_](
                                                const boost::system::error_code& ec,
                                                std::size_t n) {
    if (*gen != g) return;  // a completion for a port we have closed since
    if (ec) {
      if (ec == asio::error::operation_aborted) return;
      return lost("lost " + options_.device + ": " + ec.message());
    }
    if (h_.on_bytes) h_.on_bytes(std::string_view(buf_.data(), n));
    if (*gen == g && port_.is_open()) read_more();
  });
}

void LinuxSerialLink::write(std::string bytes) {
  if (!port_.is_open()) return;
  out_.push_back(std::move(bytes));
  write_more();
}

void LinuxSerialLink::write_more() {
  if (writing_ || out_.empty() || !port_.is_open()) return;
  writing_ = true;
  asio::async_write(port_, asio::buffer(out_.front()),
                    [this, gen = generation_, g = *generation_](
                        const boost::system::error_code& ec, std::size_t) {
                      if (*gen != g) return;
                      writing_ = false;
                      if (ec) {
                        if (ec == asio::error::operation_aborted) return;
                        return lost("cannot write to " + options_.device + ": " + ec.message());
                      }
                      out_.pop_front();
                      write_more();
                    });
}

void LinuxSerialLink::shut() {
  ++*generation_;
  writing_ = false;
  out_.clear();  // half-sent commands are meaningless to a modem we reopen
  boost::system::error_code ec;
  port_.cancel(ec);
  port_.close(ec);  // also drops the flock
  retry_.cancel();
}

void LinuxSerialLink::lost(const std::string& why) {
  shut();
  if (h_.on_state) h_.on_state(false, why);
  schedule_retry();
}

void LinuxSerialLink::schedule_retry() {
  if (!wanted_) return;
  retry_.expires_after(std::chrono::milliseconds(options_.retry_ms));
  retry_.async_wait([this, gen = generation_](const boost::system::error_code& ec) {
    (void)gen;
    if (ec || !wanted_ || port_.is_open()) return;
    if (auto r = open_now(); !r) schedule_retry();
  });
}

void LinuxSerialLink::reopen() {
  shut();
  wanted_ = true;
  // Opened again only after `retry_ms`: a USB modem needs the pause, and the far end (a pty
  // master) only sees the hang-up if the port stays closed for a moment.
  if (h_.on_state) h_.on_state(false, "re-opening " + options_.device);
  schedule_retry();
}

void LinuxSerialLink::close() {
  wanted_ = false;
  shut();
}

}  // namespace sb::hal
