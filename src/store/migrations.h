// The store's numbered SQL migrations (src/store/migrations/NNNN_name.sql), compiled in.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace memoria {

// The SQL text of migrations/<path>, or nullopt.
std::optional<std::string_view> EmbeddedMigration(std::string_view path);
// Every migration file name, sorted (so NNNN order is application order).
std::vector<std::string_view> EmbeddedMigrations();

}  // namespace memoria
