// Interchange: moving entities in and out of a Store (docs/interchange.md).
//
// JSON Lines: one entity per line, {"type": ..., "id": ..., fields...}, described by the JSON
// Schema in docs/interchange.schema.json. Import is streaming (memory does not grow with the
// file), all-or-nothing per file, and idempotent: a line whose entity is already stored with
// identical content changes nothing and adds no log entry. Export writes every live entity as
// RFC 8785 canonical JSON, types in model order and ids in byte order, so that
// export -> import into an empty store -> export gives identical bytes.
//
// CSV: a spreadsheet of victims and acts, with a JSON column-mapping file (see ImportCsv).
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <ostream>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace memoria::io {

// Lines longer than this are rejected without being read into memory.
inline constexpr std::size_t kMaxLineBytes = 16 * 1024 * 1024;

struct ImportOptions {
  std::string actor = "import";  // recorded in the change log
  bool allow_update = false;     // a changed entity gets a new version instead of a Conflict
  // Called now and then with bytes read so far (for a progress display); may be empty.
  std::function<void(std::uint64_t bytes_read)> progress;
};

struct ImportSummary : store::WriteCounts {  // entities created / updated / unchanged
  std::int64_t lines = 0;                    // entity lines read (blank lines are not counted)
};

// Imports one JSON Lines stream as one transaction. `file` names the input in errors, which
// read `file:line: field: message`. On any error nothing is written.
// Errors: InvalidInput (malformed JSON, invalid UTF-8, unknown type or field, missing required
// field, bad vocabulary code, bad date, empty input, over-long line), NotFound (a reference to
// an entity that exists neither in the store nor later in the file), Conflict (same id with
// different content, a taken (source, source_record_id)).
Result<ImportSummary> ImportJsonLines(store::Store& store, std::istream& in,
                                      const std::string& file, const ImportOptions& options);

// Opens `path` and imports it (NotFound if it cannot be opened).
Result<ImportSummary> ImportJsonLinesFile(store::Store& store, const std::string& path,
                                          const ImportOptions& options);

// Writes every live entity, one canonical JSON object per line. Returns the number of lines.
Result<std::int64_t> ExportJsonLines(store::Store& store, std::ostream& out);

// Imports a CSV of person reports with a column mapping (docs/interchange.md#csv): every row
// becomes a record, a person and, where an act type is mapped, an act (and optionally an
// event), with ids derived deterministically from (source, row id) so that re-importing the
// same file changes nothing. All-or-nothing, like ImportJsonLines.
Result<ImportSummary> ImportCsv(store::Store& store, const std::string& csv_path,
                                const std::string& mapping_path, const ImportOptions& options);

}  // namespace memoria::io
