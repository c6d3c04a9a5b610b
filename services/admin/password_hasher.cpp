#include "services/admin/password_hasher.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace sb::admin {

std::string derive_key(const std::string& password, const std::string& salt,
                       std::uint32_t iterations) {
  unsigned char out[32];
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), static_cast<int>(iterations), EVP_sha256(),
                    sizeof out, out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

PasswordHasher::~PasswordHasher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    jobs_.clear();
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

bool PasswordHasher::submit(std::string password, std::string salt, std::uint32_t iterations,
                            Post post, std::function<void(std::string)> done) {
  {
    std::lock_guard lock(mu_);
    if (jobs_.size() + in_hand_ >= cap_) return false;
    jobs_.push_back({std::move(password), std::move(salt), iterations, std::move(post),
                     std::move(done)});
    if (!worker_.joinable()) worker_ = std::thread([this] { work(); });
  }
  cv_.notify_one();
  return true;
}

void PasswordHasher::work() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
    if (stopping_) return;
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    in_hand_ = 1;
    lock.unlock();
    std::string key = derive_key(job.password, job.salt, job.iterations);
    OPENSSL_cleanse(job.password.data(), job.password.size());
    job.post([done = std::move(job.done), key = std::move(key)]() mutable {
      done(std::move(key));
    });
    lock.lock();
    in_hand_ = 0;
  }
}

}  // namespace sb::admin
