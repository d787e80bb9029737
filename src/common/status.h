#pragma once
// Status and Result<T>: the one error type of noj-dispatch (LevelDB/Abseil style).
// Codes are chosen by what the caller should do next, not by where the error came from.

#include <cassert>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace noj {

enum class ErrorCode {
  kOk = 0,
  kNotFound,            // the thing does not exist (404)
  kAlreadyExists,       // create of something that exists (409)
  kInvalidArgument,     // malformed input; retrying the same input fails again (400)
  kUnauthenticated,     // missing or wrong credentials (401)
  kPermissionDenied,    // authenticated, but not allowed (403)
  kFailedPrecondition,  // state does not allow it now, e.g. no testdata yet (409)
  kAborted,             // lost a lease or compare-and-set; do not retry blindly (409)
  kUnavailable,         // the store or a peer is down; retry later (503)
  kResourceExhausted,   // too large or too many (413 / 429)
  kInternal,            // broken invariant (500)
};

std::string_view ErrorCodeName(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(ErrorCode code, std::string message,
         std::source_location where = std::source_location::current())
      : code_(code), message_(std::move(message)), where_(where) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::source_location& where() const { return where_; }

  // "NOT_FOUND: no such job" — for logs.
  std::string ToString() const;

  // Explicitly discards an error (best effort calls). Makes the choice visible in code.
  void IgnoreError() const {}

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::source_location where_{};
};

// Convenience constructors.
Status NotFoundError(std::string msg, std::source_location w = std::source_location::current());
Status AlreadyExistsError(std::string msg, std::source_location w = std::source_location::current());
Status InvalidArgumentError(std::string msg,
                            std::source_location w = std::source_location::current());
Status UnauthenticatedError(std::string msg,
                            std::source_location w = std::source_location::current());
Status PermissionDeniedError(std::string msg,
                             std::source_location w = std::source_location::current());
Status FailedPreconditionError(std::string msg,
                               std::source_location w = std::source_location::current());
Status AbortedError(std::string msg, std::source_location w = std::source_location::current());
Status UnavailableError(std::string msg, std::source_location w = std::source_location::current());
Status ResourceExhaustedError(std::string msg,
                              std::source_location w = std::source_location::current());
Status InternalError(std::string msg, std::source_location w = std::source_location::current());

// Result<T>: a value or a non-OK Status, shaped like std::expected (which g++ 12 lacks in C++20).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result constructed from OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // OK status when ok().
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

  T value_or(T other) const& { return ok() ? value() : std::move(other); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace noj

#define NOJ_CONCAT_INNER_(a, b) a##b
#define NOJ_CONCAT_(a, b) NOJ_CONCAT_INNER_(a, b)

// Returns the Status from the enclosing function if `expr` is not OK.
#define NOJ_RETURN_IF_ERROR(expr)                  \
  do {                                             \
    ::noj::Status noj_status_ = (expr);            \
    if (!noj_status_.ok()) return noj_status_;     \
  } while (0)

// `NOJ_ASSIGN_OR_RETURN(auto x, MakeX());`
#define NOJ_ASSIGN_OR_RETURN(lhs, expr) \
  NOJ_ASSIGN_OR_RETURN_IMPL_(NOJ_CONCAT_(noj_result_, __LINE__), lhs, expr)
#define NOJ_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()
