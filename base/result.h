// base/result.h — errors as values at every boundary.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace sb {

// What a caller can do about an error: fix the input (invalid), look elsewhere (not_found),
// reload and decide again (conflict), or retry later (storage, disk_full, busy: a queue is full).
enum class ErrorCode { invalid, not_found, conflict, storage, disk_full, busy };

// What went wrong, said so that a technician reading the log knows what to do.
struct Error {
  std::string message;
  int line = 0;  // where in a text input (a config file) it was found; 0 = not known
  ErrorCode code = ErrorCode::invalid;
};

// A value or an Error; never throws. `Result<void>` is success-or-error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

inline Error fail(std::string message, ErrorCode code = ErrorCode::invalid) {
  return Error{std::move(message), 0, code};
}

}  // namespace sb
