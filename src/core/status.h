// Status and Result<T>: how every fallible call across a module boundary reports failure.
//
// A Status is a stable ErrorCode, a human message, and an optional location (file, line, field)
// naming where in the user's input the problem is. Tests check codes, never wording.
// Exceptions never cross a public header of memoria; a module that uses them internally
// converts them to a Status at its boundary.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace memoria {

// The registry of error codes. Values are stable: they appear in JSON error bodies and logs.
enum class ErrorCode : std::uint8_t {
  kOk = 0,
  kInvalidInput = 1,  // the user's data or arguments are wrong (exit 2)
  kNotFound = 2,      // a named thing does not exist
  kConflict = 3,      // the same identifier with different content, a uniqueness violation
  kCorruption = 4,    // stored data fails an integrity check (verify)
  kIoError = 5,       // the file system or database failed
  kUnsupported = 6,   // a format or version this build cannot read (e.g. a newer store)
  kInternal = 7,      // a bug in memoria
};

// Stable lower-case name of a code, e.g. "invalid_input".
const char* ErrorCodeName(ErrorCode code);

// Where in the user's input a problem lies. Any part may be absent.
struct Location {
  std::string file;
  std::int64_t line = 0;  // 1-based; 0 = no line
  std::string field;      // dotted path, e.g. "names[0].script"
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidInput(std::string m) { return {ErrorCode::kInvalidInput, std::move(m)}; }
  static Status NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
  static Status Conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
  static Status Corruption(std::string m) { return {ErrorCode::kCorruption, std::move(m)}; }
  static Status IoError(std::string m) { return {ErrorCode::kIoError, std::move(m)}; }
  static Status Unsupported(std::string m) { return {ErrorCode::kUnsupported, std::move(m)}; }
  static Status Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const Location& location() const { return location_; }

  // Fill in the parts of the location that are still empty (inner layers know the field,
  // outer layers the file and line). Returns *this for chaining.
  Status& At(const std::string& file, std::int64_t line = 0, const std::string& field = {});
  Status AtFile(const std::string& file, std::int64_t line) &&;
  Status AtField(const std::string& field) &&;
  // Prefix the field with a parent path: "names[0]" + "script" -> "names[0].script".
  Status InField(const std::string& parent) &&;

  // "file:line: field: message" with the absent parts left out.
  std::string ToString() const;

  // Process exit code for the CLI: 0 ok, 2 bad input or usage, 1 anything else.
  int ExitCode() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  Location location_;
};

// A value or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  Status&& TakeStatus() && { return std::get<Status>(std::move(v_)); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace memoria

// Return early from the enclosing function when a Status-returning expression fails.
#define MEMORIA_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::memoria::Status memoria_status_ = (expr);        \
    if (!memoria_status_.ok()) return memoria_status_; \
  } while (0)

#define MEMORIA_CONCAT_INNER(a, b) a##b
#define MEMORIA_CONCAT(a, b) MEMORIA_CONCAT_INNER(a, b)
// MEMORIA_ASSIGN_OR_RETURN(auto x, ResultReturningCall());
// `tmp` and `lhs` are declarations, which parentheses would break.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define MEMORIA_ASSIGN_OR_RETURN(lhs, expr) \
  MEMORIA_ASSIGN_OR_RETURN_IMPL(MEMORIA_CONCAT(memoria_result_, __LINE__), lhs, expr)
#define MEMORIA_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return std::move(tmp).TakeStatus();  \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
