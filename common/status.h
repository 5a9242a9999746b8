// Status and StatusOr: the one error model of Strata.
//
// Every fallible function that crosses a part boundary (codec -> engine ->
// server) returns a Status or a StatusOr<T>; exceptions never cross a part.
// A Status is free on success (a single byte code, no allocation) and keeps
// "not found" apart from real failures, as LevelDB's does.
//
// Codes are semantic, not textual: the exact Redis error text a client sees
// is chosen in one place, server/errors.{h,cc}, from the code. The message a
// Status carries is for logs and for codes whose text is built at the point
// of failure (kInvalidArgument with a Redis error already formatted). A
// storage error's own text (RocksDB's) is logged, never sent to a client.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace strata {

enum class StatusCode : unsigned char {
  kOk = 0,
  kNotFound,         // The key / record does not exist (not an error for most callers).
  kWrongType,        // The key holds another type: WRONGTYPE.
  kNotInteger,       // Value is not an integer or out of range.
  kNotFloat,         // Value is not a valid float.
  kOverflow,         // Increment or decrement would overflow.
  kSyntax,           // Generic syntax error.
  kOutOfRange,       // An index or offset is out of range.
  kWouldBlock,       // Non-blocking execution could not proceed (lock or disk): retry blocking.
  kInvalidArgument,  // Client error whose Redis text is in message().
  kIOError,          // Storage I/O failure.
  kCorruption,       // Stored bytes do not decode.
  kNotSupported,     // Layout version or feature this build does not know.
  kBusy,             // Resource held by someone else (e.g. the data directory lock).
  kInternal,         // A bug or an unexpected state.
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  explicit Status(StatusCode code) : code_(code) {}

  static Status Ok() { return Status(); }
  static Status NotFound() { return Status(StatusCode::kNotFound); }
  static Status WrongType() { return Status(StatusCode::kWrongType); }
  static Status WouldBlock() { return Status(StatusCode::kWouldBlock); }
  // A client error whose full Redis text (e.g. "ERR value is out of range") is `text`.
  static Status ClientError(std::string text) {
    return Status(StatusCode::kInvalidArgument, std::move(text));
  }
  static Status IOError(std::string msg) { return Status(StatusCode::kIOError, std::move(msg)); }
  static Status Corruption(std::string msg) {
    return Status(StatusCode::kCorruption, std::move(msg));
  }
  static Status Internal(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }

  bool ok() const { return code_ == StatusCode::kOk; }
  bool IsNotFound() const { return code_ == StatusCode::kNotFound; }
  bool IsWouldBlock() const { return code_ == StatusCode::kWouldBlock; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

  // Marks a status as deliberately dropped.
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design.
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "StatusOr built from an OK status without a value");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace strata

#define STRATA_CONCAT_INNER(a, b) a##b
#define STRATA_CONCAT(a, b) STRATA_CONCAT_INNER(a, b)

// Returns the status from the enclosing function when it is not OK.
#define RETURN_IF_ERROR(expr)                  \
  do {                                         \
    ::strata::Status _st = (expr);             \
    if (!_st.ok()) return _st;                 \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, F())` declares x from F()'s value or returns its status.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(STRATA_CONCAT(_status_or_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
