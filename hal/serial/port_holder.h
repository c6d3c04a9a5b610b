// hal/serial/port_holder.h — who else has a serial device open, for an error a technician can
// act on ("port busy: another program (ModemManager, pid 612) holds /dev/ttyUSB2").
#pragma once

#include <string>

namespace sb::hal {

// "ModemManager (pid 612), minicom (pid 999)" for the other processes whose open files resolve
// to the same device as `path` (symlinks followed); empty when none is visible (another user's
// processes need privileges to see).
std::string port_holders(const std::string& path);

}  // namespace sb::hal
