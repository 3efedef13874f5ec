// The one error currency of kg: Status for operations without a value and
// Result<T> for operations that produce one. No exception crosses a module
// boundary; adapters (RocksDB, RapidJSON, ICU) convert their errors here.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace kg {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // Bad user input: malformed record, bad query, bad option.
  kNotFound,
  kCorruption,         // Stored bytes do not decode, or invariants do not hold.
  kIoError,            // Filesystem or RocksDB I/O failure, including a locked DB.
  kIncompatible,       // Store written by an incompatible format version.
  kResourceExhausted,  // A documented cap or budget was exceeded.
  kAborted,            // Stopped on request (Ctrl-C) or by a budget.
  kInternal,           // A bug in kg.
};

// Returns a stable lower-case name for `code`, e.g. "invalid argument".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return {StatusCode::kInvalidArgument, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status IoError(std::string msg) { return {StatusCode::kIoError, std::move(msg)}; }
  static Status Incompatible(std::string msg) {
    return {StatusCode::kIncompatible, std::move(msg)};
  }
  static Status ResourceExhausted(std::string msg) {
    return {StatusCode::kResourceExhausted, std::move(msg)};
  }
  static Status Aborted(std::string msg) { return {StatusCode::kAborted, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  bool IsNotFound() const { return code_ == StatusCode::kNotFound; }
  bool IsInvalidArgument() const { return code_ == StatusCode::kInvalidArgument; }

  // "invalid argument: <message>", or "ok".
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context` and ": ".
  Status WithContext(std::string_view context) const;

  // Explicitly discards a status whose failure is acceptable at the call site.
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Holds either a value or a non-OK Status (like absl::StatusOr).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT: implicit by design.
  Result(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design.
    assert(!std::get<Status>(data_).ok() && "Result built from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(data_); }

  // REQUIRES: ok()
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace kg

// Returns early from the enclosing function when `expr` yields a non-OK Status.
#define KG_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::kg::Status kg_status_ = (expr);        \
    if (!kg_status_.ok()) return kg_status_; \
  } while (false)

#define KG_CONCAT_INNER_(a, b) a##b
#define KG_CONCAT_(a, b) KG_CONCAT_INNER_(a, b)

// Evaluates `rexpr` (a Result<T>), returns its Status on error, otherwise
// moves the value into `lhs` (which may be a declaration, e.g. `auto x`).
#define KG_ASSIGN_OR_RETURN(lhs, rexpr) \
  KG_ASSIGN_OR_RETURN_IMPL_(KG_CONCAT_(kg_result_, __LINE__), lhs, rexpr)
#define KG_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                              \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()
