// firmware/protobuf_log.h — protobuf's own error log into the service log, rate-limited.
//
// The protobuf runtime writes its complaints (a string field with invalid UTF-8 in a payload,
// say) straight to stderr, one line a message: 5,000 bad payloads made 5,000 lines outside the
// service's log. While a ProtobufLogRoute lives, they go to `log` under the component
// "protobuf", at most `per_minute` lines a minute; the rest are counted and summed up in one
// line when the next minute begins. protobuf's hook is a bare function pointer with no context,
// so the route is reached through one process-wide pointer that only this object sets and
// clears (one route at a time; a second one replaces the first until it ends).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

#include "base/log.h"

namespace sb::firmware {

class ProtobufLogRoute {
 public:
  explicit ProtobufLogRoute(Log& log, int per_minute = 10);
  ~ProtobufLogRoute();  // protobuf's default (stderr) again
  ProtobufLogRoute(const ProtobufLogRoute&) = delete;
  ProtobufLogRoute& operator=(const ProtobufLogRoute&) = delete;

  // One message from protobuf (called by the hook; public for the hook only).
  void write(int level, const char* file, int line, const std::string& message);

 private:
  Log& log_;
  const int per_minute_;
  std::mutex mu_;
  std::chrono::steady_clock::time_point window_start_;
  int written_ = 0;
  std::uint64_t suppressed_ = 0;
  ProtobufLogRoute* previous_ = nullptr;
};

}  // namespace sb::firmware
