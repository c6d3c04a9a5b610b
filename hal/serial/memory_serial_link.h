// hal/serial/memory_serial_link.h — the test double of SerialLink: what the engine writes is
// recorded, what a test feeds arrives as if the modem had said it. Single-threaded, no I/O.
#pragma once

#include <string>
#include <vector>

#include "hal/serial/serial_link.h"

namespace sb::hal {

class MemorySerialLink final : public SerialLink {
 public:
  void set_handlers(Handlers h) override { h_ = std::move(h); }
  Result<void> open() override {
    opens++;
    if (!openable) {
      if (h_.on_state) h_.on_state(false, "test: not openable");
      return fail("test: not openable");
    }
    open_ = true;
    if (h_.on_state) h_.on_state(true, "");
    return {};
  }
  void reopen() override {
    reopens++;
    close();
    (void)open();
  }
  void close() override { open_ = false; }
  bool is_open() const override { return open_; }
  void write(std::string bytes) override {
    if (open_) written += bytes;
  }

  // Test side.
  void feed(std::string_view bytes) {
    if (h_.on_bytes) h_.on_bytes(bytes);
  }
  void unplug(const std::string& why = "test: unplugged") {
    open_ = false;
    if (h_.on_state) h_.on_state(false, why);
  }
  // Takes what was written so far.
  std::string take_written() {
    std::string out;
    out.swap(written);
    return out;
  }

  std::string written;
  bool openable = true;
  int opens = 0;
  int reopens = 0;

 private:
  Handlers h_;
  bool open_ = false;
};

}  // namespace sb::hal
