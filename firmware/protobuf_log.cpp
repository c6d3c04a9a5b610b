#include "firmware/protobuf_log.h"

#include <google/protobuf/stubs/logging.h>

#include <atomic>

namespace sb::firmware {

namespace {

std::atomic<ProtobufLogRoute*> g_route{nullptr};

void hook(google::protobuf::LogLevel level, const char* file, int line, const std::string& m) {
  if (ProtobufLogRoute* r = g_route.load()) r->write(static_cast<int>(level), file, line, m);
}

}  // namespace

ProtobufLogRoute::ProtobufLogRoute(Log& log, int per_minute)
    : log_(log), per_minute_(per_minute), window_start_(std::chrono::steady_clock::now()) {
  previous_ = g_route.exchange(this);
  google::protobuf::SetLogHandler(&hook);
}

ProtobufLogRoute::~ProtobufLogRoute() {
  g_route.store(previous_);
  if (!previous_) google::protobuf::SetLogHandler(nullptr);
}

void ProtobufLogRoute::write(int level, const char* file, int line, const std::string& message) {
  using google::protobuf::LogLevel;
  const Level l = level >= LogLevel::LOGLEVEL_ERROR     ? Level::error
                  : level == LogLevel::LOGLEVEL_WARNING ? Level::warning
                                                        : Level::info;
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (now - window_start_ >= std::chrono::minutes(1)) {
    if (suppressed_)
      log_.warn("protobuf", suppressed_, " more protobuf messages in the last minute not logged");
    window_start_ = now;
    written_ = 0;
    suppressed_ = 0;
  }
  if (written_ >= per_minute_) {
    suppressed_++;
    return;
  }
  written_++;
  log_.write(l, "protobuf", message + " (" + file + ":" + std::to_string(line) + ")");
}

}  // namespace sb::firmware
