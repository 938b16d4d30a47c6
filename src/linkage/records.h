// The records to link: rows of fields (one or more CSV files, or rows made in memory, e.g. from
// the store) read into one in-memory column table.
//
// Only the columns the settings use are kept (id, source, compared and key columns, truth).
// Values are trimmed of spaces and tabs; values listed in Settings::null_values become empty
// (= missing). Record ids must be non-empty and unique over all inputs.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
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

// Builds a RecordTable from rows that already are fields, input after input: the one place of
// the loading rules (LoadRecords and LoadRecordsFromStrings are thin users of it). Each record's
// source is the value of settings.source_column when set, else the position of its input
// ("0", "1", ... in the order BeginInput was called).
//
// Errors are InvalidInput located at origin:line:field, as a CSV file's are: a missing required
// column (line 1, the header), a row whose field count differs from the header's, a field that
// is not valid UTF-8, an empty or duplicate record id (field: the id column), a truth.id_regex
// that does not match an id. After an error the row is not added and the builder should be
// dropped. Not thread-safe; movable.
class RecordTableBuilder {
 public:
  // Copies what it needs of `settings`. Errors: InvalidInput at settings:0:truth.id_regex for a
  // regex that does not compile.
  static Result<RecordTableBuilder> Create(const Settings& settings);
  RecordTableBuilder(RecordTableBuilder&&) noexcept;
  RecordTableBuilder& operator=(RecordTableBuilder&&) noexcept;
  ~RecordTableBuilder();

  // Starts the next input, whose rows have the columns `header` (the first column of a name
  // counts). `origin` names the input in errors (a file name; "store").
  Status BeginInput(std::span<const std::string> header, std::string origin);

  // Adds one row of the current input: `fields` in header order, copied (trimmed) as needed;
  // `line` locates it in errors. Internal error if no input was begun.
  Status Add(std::span<const std::string_view> fields, std::int64_t line);

  // The table of every row added; the builder is empty (of no input) afterwards.
  RecordTable Finish();

 private:
  struct State;
  explicit RecordTableBuilder(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Reads `paths` (each a CSV with a header) with a RecordTableBuilder, each file an input named
// by its path. Errors: those of RecordTableBuilder and of CsvReader (bad CSV) located at
// file:line[:column]; NotFound for a file that cannot be opened; InvalidInput for no paths.
Result<RecordTable> LoadRecords(const std::vector<std::string>& paths, const Settings& settings);

// The same from in-memory CSV texts (tests); `names` name them in errors ("input<i>" if absent).
Result<RecordTable> LoadRecordsFromStrings(const std::vector<std::string>& csv_texts,
                                           const std::vector<std::string>& names,
                                           const Settings& settings);

}  // namespace memoria::linkage
