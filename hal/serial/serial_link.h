// hal/serial/serial_link.h — a byte pipe to a modem's AT port, as the AT engine sees it.
//
// Promises: handlers run on the owner's io_context thread; `on_bytes` gets the bytes in order
// as they arrive (framing is the AT engine's job: the "> " prompt has no line end). A link that
// loses its device (USB unplug, pty master closed) reports `down` and keeps trying to open the
// same path until it succeeds or is closed, then reports `up` again. No exceptions escape.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace sb::hal {

class SerialLink {
 public:
  struct Handlers {
    std::function<void(std::string_view bytes)> on_bytes;
    // up = true: the port is open (first time or again); false: lost, `why` says what happened.
    std::function<void(bool up, const std::string& why)> on_state;
  };

  virtual ~SerialLink() = default;
  virtual void set_handlers(Handlers h) = 0;
  // Opens the port now; on failure the error is returned (and reported through on_state) and
  // the link keeps retrying in the background until it opens or close() is called.
  virtual Result<void> open() = 0;
  // Closes and opens again (the AT engine's first recovery step for a silent modem).
  virtual void reopen() = 0;
  virtual void close() = 0;
  virtual bool is_open() const = 0;
  // Queues `bytes` for writing; dropped (with a down report already made) when not open.
  virtual void write(std::string bytes) = 0;
};

}  // namespace sb::hal
