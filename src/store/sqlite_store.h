// The SQLite implementation of Store: one file, WAL journal, no server.
//
// The file carries PRAGMA application_id = 0x4D454D4F ("MEMO") and PRAGMA user_version = the
// schema version (the number of applied migrations). Opening refuses a file that is not a memoria
// store or that a newer memoria wrote.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace memoria::store {

inline constexpr int kSqliteApplicationId = 0x4D454D4F;
inline constexpr int kSchemaVersion = 1;

struct SqliteOptions {
  bool create = false;     // create the file (and apply migrations) if it does not exist
  Clock* clock = nullptr;  // default: SystemClock()
};

// Opens (or with options.create, creates) the store at `path`.
//  NotFound: no file and !create. Unsupported: not a memoria store, or a newer schema.
//  IoError: SQLite could not open or migrate.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options);

}  // namespace memoria::store
