// The records to link: one or more CSV files read into one in-memory column table.
//
// Only the columns the settings use are kept (id, source, compared and key columns, truth).
// Values listed in Settings::null_values become empty (= missing). Record ids must be unique
// over all inputs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "linkage/settings.h"

namespace memoria::linkage {

struct RecordTable {
  std::vector<std::string> ids;           // record id per row
  std::vector<std::uint32_t> source;      // dense source index per row
  std::vector<std::string> source_names;  // source index -> name
  std::vector<std::string> column_names;
  std::vector<std::vector<std::string>> columns;  // columns[c][row], trimmed, nulls empty
  std::vector<std::string> truth;  // entity per row when settings.truth is set, else empty

  std::size_t size() const { return ids.size(); }
  // Index of a loaded column, or -1.
  int Column(std::string_view name) const;
};

// The names of every column `settings` refers to (without id and source).
std::vector<std::string> ColumnsUsed(const Settings& settings);

// Reads `paths` (each a CSV with a header). Each record's source is the value of
// settings.source_column when set, else the file's position ("0", "1", ...).
// Errors (InvalidInput, located at file:line[:column]): a missing required column, an empty
// or duplicate record id, a truth id_regex that does not match an id; NotFound for a file
// that cannot be opened.
Result<RecordTable> LoadRecords(const std::vector<std::string>& paths, const Settings& settings);

// The same from in-memory CSV texts (tests, the store); `names` name them in errors.
Result<RecordTable> LoadRecordsFromStrings(const std::vector<std::string>& csv_texts,
                                           const std::vector<std::string>& names,
                                           const Settings& settings);

}  // namespace memoria::linkage
