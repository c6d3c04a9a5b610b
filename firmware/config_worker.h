// firmware/config_worker.h — the thread that does config work too slow for the event loop.
//
// Merging a central config into the local one and compiling its rules takes seconds for a big
// rule set (the event loop would stop answering for that long), so it runs here. Why one
// thread and one waiting slot: configs arrive rarely and only the latest matters; a job
// submitted while another waits replaces it (the replaced one never runs). A job returns the
// continuation to run on the event loop's thread (posted to `io`), where the result is applied.
// Allocation failure inside a job (a config too big for the address space) is caught and
// handed to the job's `on_error` on the event loop, never a crash.
#pragma once

#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
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

  explicit ConfigWorker(boost::asio::io_context& io);
  // Finishes the job in hand (its continuation is posted, and runs only if `io` still runs);
  // a waiting one is dropped.
  ~ConfigWorker();

  void submit(Job job);

 private:
  void run();

  boost::asio::io_context& io_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<Job> waiting_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sb::firmware
