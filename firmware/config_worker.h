// firmware/config_worker.h — the thread that does config work too slow for the event loop.
//
// Merging a central config into the local one and compiling its rules takes seconds for a big
// rule set (the event loop would stop answering for that long), so it runs here, as does a
// SIGHUP reload. Why one thread and a short queue: configs arrive rarely, and each kind of
// job has at most one in the queue at a time (central's config intake applies one config at a
// time, a reload waits for the one running), so kMaxQueued is never reached by the service; a
// job submitted past it is refused (its on_error runs) rather than queued without end. A job
// returns the continuation to run on the event loop's thread (posted to `io`), where the
// result is applied.
// Allocation failure inside a job (a config too big for the address space) is caught and
// handed to the job's `on_error` on the event loop, never a crash.
#pragma once

#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace sb::firmware {

class ConfigWorker {
 public:
  using Continuation = std::function<void()>;
  struct Job {
    std::function<Continuation()> work;                // runs on the worker thread
    std::function<void(std::string why)> on_error;     // runs on the event loop instead
  };

  static constexpr std::size_t kMaxQueued = 4;

  explicit ConfigWorker(boost::asio::io_context& io);
  // Finishes the job in hand (its continuation is posted, and runs only if `io` still runs);
  // waiting ones are dropped.
  ~ConfigWorker();

  void submit(Job job);

 private:
  void run();

  boost::asio::io_context& io_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> waiting_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sb::firmware
