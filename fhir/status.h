// Errors as values for every layer of steroid-advisor (fhir/ is the lowest library).
// A Status is a code plus a short lower-case message naming what is wrong and where (a JSON
// path), never a header, token or body value. StatusOr<T> holds a T or a non-OK Status.
// Thread-safety: value types; distinct objects may be used from any thread.
#ifndef STEROID_ADVISOR_FHIR_STATUS_H_
#define STEROID_ADVISOR_FHIR_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace steroid_advisor {

// Codes follow absl::StatusCode; the choice is made by what the caller should do next.
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller sent something malformed: fix the input
  kNotFound,            // no such service, resource or key
  kFailedPrecondition,  // state is not right (e.g. record needed, none reachable)
  kResourceExhausted,   // over a size or count cap
  kUnauthenticated,     // missing or bad credentials
  kPermissionDenied,    // valid credentials without the right
  kUnavailable,         // a dependency failed; retrying may help
  kDeadlineExceeded,    // a dependency did not answer in time
  kInternal,            // a bug
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid_argument: context.patientId: required". For humans and logs, not for parsing.
  std::string ToString() const;

  // Returns a copy whose message is `prefix` + ": " + message (context added as errors rise).
  Status WithPrefix(std::string_view prefix) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgumentError(std::string m) {
  return Status(StatusCode::kInvalidArgument, std::move(m));
}
inline Status NotFoundError(std::string m) { return Status(StatusCode::kNotFound, std::move(m)); }
inline Status FailedPreconditionError(std::string m) {
  return Status(StatusCode::kFailedPrecondition, std::move(m));
}
inline Status ResourceExhaustedError(std::string m) {
  return Status(StatusCode::kResourceExhausted, std::move(m));
}
inline Status UnauthenticatedError(std::string m) {
  return Status(StatusCode::kUnauthenticated, std::move(m));
}
inline Status PermissionDeniedError(std::string m) {
  return Status(StatusCode::kPermissionDenied, std::move(m));
}
inline Status UnavailableError(std::string m) {
  return Status(StatusCode::kUnavailable, std::move(m));
}
inline Status DeadlineExceededError(std::string m) {
  return Status(StatusCode::kDeadlineExceeded, std::move(m));
}
inline Status InternalError(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }

// Holds a T, or a non-OK Status. Read with ok() then * or ->.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  // Implicit by design, so `return value;` and `return SomeError(...);` both read naturally.
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT
    // A StatusOr never holds OK without a value; turn the mistake into an internal error.
    if (status_.ok()) status_ = InternalError("statusor constructed from ok status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  const T& value() const& { assert(ok()); return *value_; }
  T& value() & { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*value_); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace steroid_advisor

#define SA_STATUS_CONCAT_INNER_(a, b) a##b
#define SA_STATUS_CONCAT_(a, b) SA_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function when `expr` (a Status) is not OK.
#define RETURN_IF_ERROR(expr)                                      \
  do {                                                             \
    ::steroid_advisor::Status sa_status_ = (expr);                 \
    if (!sa_status_.ok()) return sa_status_;                       \
  } while (false)

// `ASSIGN_OR_RETURN(auto x, MakeX());` declares x from an OK StatusOr, or returns its status.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(SA_STATUS_CONCAT_(sa_statusor_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status();          \
  lhs = std::move(*tmp)

#endif  // STEROID_ADVISOR_FHIR_STATUS_H_
