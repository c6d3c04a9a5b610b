#include "firmware/config_worker.h"

#include <malloc.h>

#include <boost/asio/post.hpp>
#include <new>

namespace sb::firmware {

ConfigWorker::ConfigWorker(boost::asio::io_context& io) : io_(io), thread_([this] { run(); }) {}

ConfigWorker::~ConfigWorker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    waiting_.clear();
  }
  cv_.notify_one();
  thread_.join();
}

void ConfigWorker::submit(Job job) {
  {
    std::lock_guard lock(mu_);
    if (waiting_.size() >= kMaxQueued) {
      boost::asio::post(io_, [on_error = std::move(job.on_error)] {
        on_error("too many config jobs waiting");
      });
      return;
    }
    waiting_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void ConfigWorker::run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      if (stopping_) return;
      job = std::move(waiting_.front());
      waiting_.pop_front();
    }
    Continuation next;
    try {
      next = job.work();
    } catch (const std::bad_alloc&) {
      next = [on_error = job.on_error] { on_error("out of memory while compiling it"); };
    } catch (const std::exception& e) {
      next = [on_error = job.on_error, why = std::string(e.what())] { on_error(why); };
    }
    job = {};
    // A big config leaves its parse trees' pages in this thread's malloc arena; hand them back
    // so the service's footprint returns to what it was.
    ::malloc_trim(0);
    boost::asio::post(io_, std::move(next));
  }
}

}  // namespace sb::firmware
