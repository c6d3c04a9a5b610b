#include "hal/serial/port_holder.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace sb::hal {

namespace fs = std::filesystem;

std::string port_holders(const std::string& path) {
  struct stat want{};
  if (::stat(path.c_str(), &want) != 0) return {};
  const std::string self = std::to_string(::getpid());
  std::string out;
  std::error_code ec;
  for (const auto& proc : fs::directory_iterator("/proc", ec)) {
    const std::string pid = proc.path().filename().string();
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos || pid == self)
      continue;
    std::error_code fec;
    for (const auto& fd : fs::directory_iterator(proc.path() / "fd", fec)) {
      struct stat got{};
      // stat() follows the fd link to the device itself, so a symlinked path still matches.
      if (::stat(fd.path().c_str(), &got) != 0) continue;
      if (!S_ISCHR(got.st_mode) || got.st_rdev != want.st_rdev) continue;
      std::string comm;
      std::ifstream(proc.path() / "comm") >> comm;
      if (!out.empty()) out += ", ";
      out += (comm.empty() ? "?" : comm) + " (pid " + pid + ")";
      break;
    }
  }
  return out;
}

}  // namespace sb::hal
