#include "core/csv.h"

#include <fstream>

namespace memoria {

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int len;
    char32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p < len) return false;
    for (int i = 1; i < len; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) {
      return false;  // overlong
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += len;
  }
  return true;
}

CsvReader::CsvReader(std::istream& in, std::string file, bool has_header)
    : in_(in), file_(std::move(file)) {
  if (has_header) {
    Result<bool> r = ReadRecord(header_);
    if (!r.ok()) {
      header_status_ = r.status();
    } else if (!*r) {
      header_status_ = Status::InvalidInput("empty file: expected a header row");
      header_status_.At(file_, 1);
    } else if (!header_.empty() && header_[0].starts_with("\xEF\xBB\xBF")) {
      header_[0].erase(0, 3);
    }
  }
}

namespace {

// A reader that owns its file stream (the base class borrows one).
class FileCsvReader : public CsvReader {
 public:
  FileCsvReader(std::unique_ptr<std::ifstream> stream, const std::string& path, bool has_header)
      : CsvReader(*stream, path, has_header), stream_(std::move(stream)) {}

 private:
  std::unique_ptr<std::ifstream> stream_;
};

}  // namespace

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path, bool has_header) {
  auto stream = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*stream) return Status::NotFound("cannot open file").AtFile(path, 0);
  return std::unique_ptr<CsvReader>(new FileCsvReader(std::move(stream), path, has_header));
}

std::optional<std::size_t> CsvReader::Column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return i;
  }
  return std::nullopt;
}

Status CsvReader::Error(std::string message, std::string_view field) const {
  Status s = Status::InvalidInput(std::move(message));
  s.At(file_, record_line_, std::string(field));
  return s;
}

Result<bool> CsvReader::ReadRecord(std::vector<std::string>& fields) {
  fields.clear();
  record_line_ = line_;
  int c = in_.get();
  if (c == EOF) return false;
  std::string field;
  bool quoted = false;      // inside a quoted field
  bool was_quoted = false;  // the current field began with a quote
  for (;; c = in_.get()) {
    if (quoted) {
      if (c == EOF) {
        return Status::InvalidInput("unterminated quoted field").AtFile(file_, record_line_);
      }
      if (c == '"') {
        if (in_.peek() == '"') {
          in_.get();
          field.push_back('"');
        } else {
          quoted = false;
        }
        continue;
      }
      if (c == '\n') ++line_;
      field.push_back(static_cast<char>(c));
      continue;
    }
    if (c == EOF || c == '\n' || c == ',') {
      if (!field.empty() && field.back() == '\r' && c != ',' && !was_quoted) field.pop_back();
      if (!IsValidUtf8(field)) {
        Status s = Status::InvalidInput("invalid UTF-8");
        std::string col = fields.size() < header_.size()
                              ? header_[fields.size()]
                              : "column " + std::to_string(fields.size() + 1);
        s.At(file_, record_line_, col);
        return s;
      }
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
      if (c == ',') continue;
      if (c == '\n') ++line_;
      return true;
    }
    if (c == '"') {
      if (field.empty() && !was_quoted) {
        quoted = true;
        was_quoted = true;
        continue;
      }
      return Status::InvalidInput("unexpected quote inside an unquoted field")
          .AtFile(file_, record_line_);
    }
    if (was_quoted) {
      if (c == '\r' && in_.peek() == '\n') continue;
      return Status::InvalidInput("text after a closing quote").AtFile(file_, record_line_);
    }
    field.push_back(static_cast<char>(c));
  }
}

Result<bool> CsvReader::Next(std::vector<std::string>& fields) {
  if (first_record_) {
    first_record_ = false;
    if (!header_status_.ok()) return header_status_;
  }
  for (;;) {
    MEMORIA_ASSIGN_OR_RETURN(bool got, ReadRecord(fields));
    if (!got) return false;
    // A blank line (one empty field) is skipped, as spreadsheets often leave one at the end.
    if (fields.size() == 1 && fields[0].empty()) continue;
    if (!header_.empty() && fields.size() != header_.size()) {
      return Error("expected " + std::to_string(header_.size()) +
                   " fields as in the header, found " + std::to_string(fields.size()));
    }
    return true;
  }
}

std::string CsvEscape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void WriteCsvRow(std::ostream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.put(',');
    out << CsvEscape(fields[i]);
  }
  out.put('\n');
}

}  // namespace memoria
