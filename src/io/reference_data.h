// The reference data every store starts with (data/, compiled into the binary).
#pragma once

#include "io/interchange.h"

namespace memoria::io {

// Loads the gazetteer (data/gazetteer/places.jsonl) into `store` as place entities, by the
// ordinary import path (one transaction, idempotent: a second call changes nothing), and records
// the versions of the vocabularies in the store's meta table (key "vocabularies"). Used by
// `memoria init`.
Result<ImportSummary> LoadReferenceData(store::Store& store);

// Opens the SQLite store at `path`, creating and initialising it (LoadReferenceData) if needed.
Result<std::unique_ptr<store::Store>> InitSqliteStore(const std::string& path,
                                                      ImportSummary* loaded = nullptr);

}  // namespace memoria::io
