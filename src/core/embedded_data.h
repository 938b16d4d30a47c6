// The reference data memoria ships in data/ (vocabularies, gazetteer), compiled into the binary.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace memoria {

// The bytes of data/<path> as it was at build time, or nullopt if there is no such file.
// Paths are relative to data/ with '/' separators, e.g. "vocabularies/violation_types.csv".
std::optional<std::string_view> EmbeddedFile(std::string_view path);

// Every embedded path, sorted.
std::vector<std::string_view> EmbeddedFiles();

}  // namespace memoria
