#include "linkage/records.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <unordered_map>

#include "core/csv.h"

namespace memoria::linkage {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

struct Loader {
  const Settings& settings;
  RecordTable table;
  std::unordered_map<std::string, std::uint32_t> source_index;
  std::unordered_map<std::string, std::size_t> seen_ids;
  std::set<std::string> nulls;
  std::unique_ptr<std::regex> truth_regex;

  explicit Loader(const Settings& s) : settings(s) {
    table.column_names = ColumnsUsed(s);
    table.columns.resize(table.column_names.size());
    nulls.insert(s.null_values.begin(), s.null_values.end());
  }

  Status Init() {
    if (!settings.truth.id_regex.empty()) {
      try {
        truth_regex = std::make_unique<std::regex>(settings.truth.id_regex);
      } catch (const std::regex_error& e) {
        Status s = Status::InvalidInput(std::string("invalid regex: ") + e.what());
        s.At("settings", 0, "truth.id_regex");
        return s;
      }
    }
    return Status::Ok();
  }

  Status Read(CsvReader& reader, std::size_t file_index) {
    auto need = [&](std::string_view name) -> Result<std::size_t> {
      auto c = reader.Column(name);
      if (!c) {
        Status s = Status::InvalidInput(fmt::format("missing column '{}'", name));
        s.At(reader.file(), 1, std::string(name));
        return s;
      }
      return *c;
    };
    MEMORIA_ASSIGN_OR_RETURN(std::size_t id_col, need(settings.id_column));
    std::optional<std::size_t> src_col;
    if (!settings.source_column.empty()) {
      MEMORIA_ASSIGN_OR_RETURN(src_col, need(settings.source_column));
    }
    std::optional<std::size_t> truth_col;
    if (!settings.truth.column.empty()) {
      MEMORIA_ASSIGN_OR_RETURN(truth_col, need(settings.truth.column));
    }
    std::vector<std::size_t> cols;
    for (const auto& name : table.column_names) {
      MEMORIA_ASSIGN_OR_RETURN(std::size_t c, need(name));
      cols.push_back(c);
    }
    std::vector<std::string> fields;
    const std::string default_source = std::to_string(file_index);
    for (;;) {
      MEMORIA_ASSIGN_OR_RETURN(bool more, reader.Next(fields));
      if (!more) break;
      std::string id(Trim(fields[id_col]));
      if (id.empty()) return reader.Error("empty record id", settings.id_column);
      auto [it, inserted] = seen_ids.emplace(id, table.ids.size());
      if (!inserted) {
        return reader.Error(fmt::format("duplicate record id '{}'", id), settings.id_column);
      }
      std::string src = src_col ? std::string(Trim(fields[*src_col])) : default_source;
      auto [sit, new_source] =
          source_index.emplace(src, static_cast<std::uint32_t>(table.source_names.size()));
      if (new_source) table.source_names.push_back(src);
      table.source.push_back(sit->second);
      for (std::size_t k = 0; k < cols.size(); ++k) {
        std::string_view v = Trim(fields[cols[k]]);
        table.columns[k].emplace_back(nulls.contains(std::string(v)) ? std::string_view{} : v);
      }
      if (truth_col) {
        table.truth.emplace_back(Trim(fields[*truth_col]));
      } else if (truth_regex) {
        std::smatch m;
        if (!std::regex_search(id, m, *truth_regex) || m.size() < 2) {
          return reader.Error(fmt::format("truth.id_regex does not match id '{}'", id),
                              settings.id_column);
        }
        table.truth.push_back(m[1].str());
      }
      table.ids.push_back(std::move(id));
    }
    return Status::Ok();
  }
};

}  // namespace

int RecordTable::Column(std::string_view name) const {
  for (std::size_t i = 0; i < column_names.size(); ++i) {
    if (column_names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

std::vector<std::string> ColumnsUsed(const Settings& settings) {
  std::vector<std::string> out;
  auto add = [&](const std::string& c) {
    if (c.empty() || c == settings.id_column || c == settings.source_column) return;
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  };
  for (const auto& r : settings.blocking_rules) {
    for (const auto& p : r.parts) {
      for (const auto& c : p.columns) add(c);
    }
  }
  for (const auto& c : settings.comparisons) {
    for (const auto& col : c.columns) add(col);
  }
  return out;
}

Result<RecordTable> LoadRecords(const std::vector<std::string>& paths, const Settings& settings) {
  if (paths.empty()) return Status::InvalidInput("no input files");
  Loader loader(settings);
  MEMORIA_RETURN_IF_ERROR(loader.Init());
  for (std::size_t i = 0; i < paths.size(); ++i) {
    MEMORIA_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(paths[i]));
    MEMORIA_RETURN_IF_ERROR(loader.Read(*reader, i));
  }
  return std::move(loader.table);
}

Result<RecordTable> LoadRecordsFromStrings(const std::vector<std::string>& csv_texts,
                                           const std::vector<std::string>& names,
                                           const Settings& settings) {
  if (csv_texts.empty()) return Status::InvalidInput("no input");
  Loader loader(settings);
  MEMORIA_RETURN_IF_ERROR(loader.Init());
  for (std::size_t i = 0; i < csv_texts.size(); ++i) {
    std::istringstream in(csv_texts[i]);
    CsvReader reader(in, i < names.size() ? names[i] : fmt::format("input{}", i));
    MEMORIA_RETURN_IF_ERROR(loader.Read(reader, i));
  }
  return std::move(loader.table);
}

}  // namespace memoria::linkage
