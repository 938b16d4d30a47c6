#include "core/status.h"

namespace memoria {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "ok";
    case ErrorCode::kInvalidInput:
      return "invalid_input";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kCorruption:
      return "corruption";
    case ErrorCode::kIoError:
      return "io_error";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "unknown";
}

Status& Status::At(const std::string& file, std::int64_t line, const std::string& field) {
  if (location_.file.empty()) location_.file = file;
  if (location_.line == 0) location_.line = line;
  if (location_.field.empty()) location_.field = field;
  return *this;
}

Status Status::AtFile(const std::string& file, std::int64_t line) && {
  At(file, line);
  return std::move(*this);
}

Status Status::AtField(const std::string& field) && {
  At({}, 0, field);
  return std::move(*this);
}

Status Status::InField(const std::string& parent) && {
  if (location_.field.empty()) {
    location_.field = parent;
  } else if (location_.field.front() == '[') {
    location_.field = parent + location_.field;
  } else {
    location_.field = parent + "." + location_.field;
  }
  return std::move(*this);
}

std::string Status::ToString() const {
  std::string out;
  if (!location_.file.empty()) {
    out += location_.file;
    if (location_.line > 0) out += ":" + std::to_string(location_.line);
    out += ": ";
  } else if (location_.line > 0) {
    out += "line " + std::to_string(location_.line) + ": ";
  }
  if (!location_.field.empty()) out += location_.field + ": ";
  out += message_;
  return out;
}

int Status::ExitCode() const {
  switch (code_) {
    case ErrorCode::kOk:
      return 0;
    case ErrorCode::kInvalidInput:
    case ErrorCode::kNotFound:
    case ErrorCode::kConflict:
    case ErrorCode::kUnsupported:
      return 2;
    default:
      return 1;
  }
}

}  // namespace memoria
