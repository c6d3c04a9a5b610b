// hal/serial/linux_serial_link.h — SerialLink on a Linux tty (USB modem port, UART, or a pty
// slave for the simulator) through boost::asio::serial_port.
//
// Opening: raw 8N1 at `baud`, no flow control; exclusive by flock(LOCK_EX) and TIOCEXCL, so
// a second Switchboard or a ModemManager that respects either gets "busy" instead of a port
// that silently eats half the answers; when we are the one refused, the error names the
// holder. Losing the device (read error, EOF, EIO on a pty whose master went away) closes the
// port and retries the same path every `retry_ms` (a USB modem comes back under the same
// udev symlink). Everything runs on the io_context thread passed in.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/serial_port.hpp>
#include <boost/asio/steady_timer.hpp>
#include <array>
#include <deque>
#include <memory>

#include "hal/serial/serial_link.h"

namespace sb::hal {

class LinuxSerialLink final : public SerialLink {
 public:
  struct Options {
    std::string device;
    unsigned baud = 115200;
    int retry_ms = 1000;
  };
  LinuxSerialLink(boost::asio::io_context& io, Options options);
  ~LinuxSerialLink() override;

  void set_handlers(Handlers h) override { h_ = std::move(h); }
  Result<void> open() override;
  void reopen() override;
  void close() override;
  bool is_open() const override { return port_.is_open(); }
  void write(std::string bytes) override;

 private:
  Result<void> open_now();
  void lost(const std::string& why);
  void schedule_retry();
  void read_more();
  void write_more();
  void shut();

  Options options_;
  Handlers h_;
  boost::asio::serial_port port_;
  boost::asio::steady_timer retry_;
  std::array<char, 1024> buf_{};
  std::deque<std::string> out_;
  bool writing_ = false;
  bool wanted_ = false;  // open() called and close() not: keep retrying
  // Bumped on every close, so the completion of an operation on an old port is ignored.
  std::shared_ptr<int> generation_ = std::make_shared<int>(0);
};

}  // namespace sb::hal
