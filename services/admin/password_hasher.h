// services/admin/password_hasher.h — PBKDF2 off the event loop: one worker thread, a small
// bounded queue.
//
// Why a thread: one derivation at OWASP's 210,000 iterations costs ~67 ms on an x86 core and
// seconds on an armhf gateway; on the io_context it stalls every other request (16 parallel
// logins took /healthz from 35 ms to 1.5 s). Why one thread and a small queue: a login flood
// must not take the CPU the service needs, nor memory; when the queue is full the caller says
// "busy, retry" (HTTP 503) instead of queueing without end.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace sb::admin {

// PBKDF2-HMAC-SHA256, 32 bytes. Slow on purpose; never call it on the event loop.
std::string derive_key(const std::string& password, const std::string& salt,
                       std::uint32_t iterations);

class PasswordHasher {
 public:
  // Hands a finished job back to the thread that owns the caller's state (the io_context).
  using Post = std::function<void(std::function<void()>)>;

  explicit PasswordHasher(std::size_t queue_cap = 4) : cap_(queue_cap) {}
  // Finishes the derivation in hand; queued jobs are dropped and their `done` never runs.
  ~PasswordHasher();
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  // Queues one derivation; `done` later runs through `post` with the key. False, with nothing
  // queued, when `queue_cap` jobs (the one in hand included) are waiting already. The worker
  // starts on the first job, so a process that never logs anyone in never has it.
  bool submit(std::string password, std::string salt, std::uint32_t iterations, Post post,
              std::function<void(std::string key)> done);

 private:
  struct Job {
    std::string password, salt;
    std::uint32_t iterations;
    Post post;
    std::function<void(std::string)> done;
  };
  void work();

  const std::size_t cap_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  std::size_t in_hand_ = 0;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace sb::admin
