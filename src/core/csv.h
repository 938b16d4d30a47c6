// CSV (RFC 4180) reading and writing, streaming: one record in memory at a time.
//
// Reading accepts quoted fields (with "" escapes and embedded newlines), \n or \r\n line ends,
// a UTF-8 byte-order mark on the first line, and rejects invalid UTF-8. Every error carries the
// file name, the 1-based physical line where the record starts, and the column name.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace memoria {

class CsvReader {
 public:
  // Reads from `in` (not owned; must outlive the reader). `file` names the input in errors.
  // With `has_header` the first record is read as column names (ReadHeader is implied).
  CsvReader(std::istream& in, std::string file, bool has_header = true);
  virtual ~CsvReader() = default;
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Opens a file; NotFound / IoError if it cannot be read.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path, bool has_header = true);

  // Column names from the header (empty without a header). Valid after construction; an error
  // in the header itself is reported by the first Next().
  const std::vector<std::string>& header() const { return header_; }

  // Index of a header column, or nullopt.
  std::optional<std::size_t> Column(std::string_view name) const;

  // Reads the next record into `fields`. Returns true if a record was read, false at end of input.
  // Errors: unterminated quote, text after a closing quote, invalid UTF-8, and (with a header) a
  // record whose field count differs from the header's.
  Result<bool> Next(std::vector<std::string>& fields);

  // 1-based line on which the last record returned by Next() started.
  std::int64_t line() const { return record_line_; }
  const std::string& file() const { return file_; }

  // An InvalidInput status located at the last record (and column `field`, if given).
  Status Error(std::string message, std::string_view field = {}) const;

 private:
  Result<bool> ReadRecord(std::vector<std::string>& fields);

  std::istream& in_;
  std::string file_;
  std::vector<std::string> header_;
  Status header_status_;
  std::int64_t line_ = 1;         // physical line of the next character
  std::int64_t record_line_ = 0;  // physical line where the last record began
  bool first_record_ = true;
};

// Writes one CSV record with RFC 4180 quoting (fields containing , " \r or \n are quoted),
// terminated by \n.
void WriteCsvRow(std::ostream& out, const std::vector<std::string>& fields);

// Quotes a single field if it needs it.
std::string CsvEscape(std::string_view field);

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
bool IsValidUtf8(std::string_view s);

}  // namespace memoria
