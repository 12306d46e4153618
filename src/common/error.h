// Error values: stages return Result<T> or Status instead of throwing, so that
// bad input becomes one clear line at the command that aborts.
#pragma once

#include <fmt/format.h>

#include <cassert>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace leanscope {

// What went wrong, so that callers can branch (exit code, retry, message
// prefix) without parsing messages.
enum class ErrorKind : std::uint8_t {
  Usage,     // the command line or an option is wrong
  Input,     // a file, response or value is malformed or unsupported
  Io,        // reading or writing the file system failed
  Network,   // a connection or transfer failed
  Internal,  // a bug: an invariant of leanscope itself does not hold
};

[[nodiscard]] constexpr std::string_view error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Usage:
      return "usage";
    case ErrorKind::Input:
      return "input";
    case ErrorKind::Io:
      return "io";
    case ErrorKind::Network:
      return "network";
    case ErrorKind::Internal:
      return "internal";
  }
  return "internal";
}

struct Error {
  std::string message;
  ErrorKind kind = ErrorKind::Input;
};

// An Input error (the default kind: most failures are about what was read).
template <class... Args>
[[nodiscard]] Error make_error(fmt::format_string<Args...> format, Args&&... args) {
  return Error{fmt::format(format, std::forward<Args>(args)...), ErrorKind::Input};
}

template <class... Args>
[[nodiscard]] Error make_error(ErrorKind kind, fmt::format_string<Args...> format, Args&&... args) {
  return Error{fmt::format(format, std::forward<Args>(args)...), kind};
}

// `error` with "<prefix>: " before its message; the kind is kept.
[[nodiscard]] inline Error prefix_error(std::string_view prefix, Error error) {
  error.message.insert(0, ": ");
  error.message.insert(0, prefix);
  return error;
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  [[nodiscard]] const Error& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

// Result of an operation that produces nothing but may fail.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  [[nodiscard]] bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] const Error& error() const {
    assert(!ok());
    return *error_;
  }

 private:
  std::optional<Error> error_;
};

}  // namespace leanscope

// Propagates the error of a Result or Status expression from the enclosing function.
#define LEANSCOPE_TRY(expr)                 \
  do {                                      \
    auto&& leanscope_try_result_ = (expr);  \
    if (!leanscope_try_result_.ok()) {      \
      return leanscope_try_result_.error(); \
    }                                       \
  } while (false)
