#include "linkage/records.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "core/csv.h"
#include "core/string_map.h"

namespace memoria::linkage {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The set of ids seen so far, as row indices into the table's ids (each id is kept once, in
// the table), searched by the id's text.
struct IdHash {
  using is_transparent = void;
  const std::vector<std::string>* ids;
  std::size_t operator()(std::size_t row) const { return StringHash{}((*ids)[row]); }
  std::size_t operator()(std::string_view id) const { return StringHash{}(id); }
};
struct IdEqual {
  using is_transparent = void;
  const std::vector<std::string>* ids;
  std::string_view Text(std::size_t row) const { return (*ids)[row]; }
  static std::string_view Text(std::string_view id) { return id; }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return Text(a) == Text(b);
  }
};

// Reads one CSV (its header and records) into `builder` as an input named by reader.file().
Status ReadCsv(RecordTableBuilder& builder, CsvReader& reader) {
  MEMORIA_RETURN_IF_ERROR(builder.BeginInput(reader.header(), reader.file()));
  std::vector<std::string> fields;
  std::vector<std::string_view> views;
  for (;;) {
    MEMORIA_ASSIGN_OR_RETURN(bool more, reader.Next(fields));
    if (!more) break;
    views.assign(fields.begin(), fields.end());
    MEMORIA_RETURN_IF_ERROR(builder.Add(views, reader.line()));
  }
  return Status::Ok();
}

}  // namespace

struct RecordTableBuilder::State {
  // From the settings.
  std::string id_column;
  std::string source_column;  // "" = the input's position
  std::string truth_column;
  std::unique_ptr<std::regex> truth_regex;  // when truth.id_regex is set (truth_column wins)
  std::set<std::string, std::less<>> nulls;

  RecordTable table;
  std::unordered_set<std::size_t, IdHash, IdEqual> seen_ids{0, IdHash{&table.ids},
                                                            IdEqual{&table.ids}};
  StringMap<std::uint32_t> source_index;

  // The current input: its name, width, default source, and where the columns used are.
  bool begun = false;
  std::size_t inputs = 0;
  std::string origin;
  std::size_t width = 0;
  std::string default_source;
  std::size_t id_col = 0;
  std::optional<std::size_t> src_col, truth_col;
  std::vector<std::size_t> cols;  // header index of table.column_names[k]

  Status Error(std::string message, std::int64_t line, const std::string& field = {}) const {
    Status s = Status::InvalidInput(std::move(message));
    s.At(origin, line, field);
    return s;
  }
};

RecordTableBuilder::RecordTableBuilder(std::unique_ptr<State> state) : state_(std::move(state)) {}
RecordTableBuilder::RecordTableBuilder(RecordTableBuilder&&) noexcept = default;
RecordTableBuilder& RecordTableBuilder::operator=(RecordTableBuilder&&) noexcept = default;
RecordTableBuilder::~RecordTableBuilder() = default;

Result<RecordTableBuilder> RecordTableBuilder::Create(const Settings& settings) {
  auto state = std::make_unique<State>();
  state->id_column = settings.id_column;
  state->source_column = settings.source_column;
  state->truth_column = settings.truth.column;
  if (!settings.truth.id_regex.empty()) {
    try {
      state->truth_regex = std::make_unique<std::regex>(settings.truth.id_regex);
    } catch (const std::regex_error& e) {
      Status s = Status::InvalidInput(std::string("invalid regex: ") + e.what());
      s.At("settings", 0, "truth.id_regex");
      return s;
    }
  }
  state->nulls.insert(settings.null_values.begin(), settings.null_values.end());
  state->table.column_names = ColumnsUsed(settings);
  state->table.columns.resize(state->table.column_names.size());
  return RecordTableBuilder(std::move(state));
}

Status RecordTableBuilder::BeginInput(std::span<const std::string> header, std::string origin) {
  State& st = *state_;
  st.begun = false;
  st.origin = std::move(origin);
  st.width = header.size();
  st.default_source = std::to_string(st.inputs++);
  auto need = [&](const std::string& name) -> Result<std::size_t> {
    auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) return st.Error(fmt::format("missing column '{}'", name), 1, name);
    return static_cast<std::size_t>(it - header.begin());
  };
  MEMORIA_ASSIGN_OR_RETURN(st.id_col, need(st.id_column));
  st.src_col.reset();
  if (!st.source_column.empty()) {
    MEMORIA_ASSIGN_OR_RETURN(st.src_col, need(st.source_column));
  }
  st.truth_col.reset();
  if (!st.truth_column.empty()) {
    MEMORIA_ASSIGN_OR_RETURN(st.truth_col, need(st.truth_column));
  }
  st.cols.clear();
  for (const auto& name : st.table.column_names) {
    MEMORIA_ASSIGN_OR_RETURN(std::size_t c, need(name));
    st.cols.push_back(c);
  }
  st.begun = true;
  return Status::Ok();
}

Status RecordTableBuilder::Add(std::span<const std::string_view> fields, std::int64_t line) {
  State& st = *state_;
  RecordTable& table = st.table;
  if (!st.begun) return Status::Internal("RecordTableBuilder::Add without a begun input");
  if (fields.size() != st.width) {
    return st.Error(
        fmt::format("expected {} fields as in the header, found {}", st.width, fields.size()),
        line);
  }
  // Every field kept must be text (a CSV reader checks this for all; rows made otherwise are
  // checked here).
  auto utf8 = [&](std::size_t col, const std::string& name) -> Status {
    if (IsValidUtf8(fields[col])) return Status::Ok();
    return st.Error("invalid UTF-8", line, name);
  };
  MEMORIA_RETURN_IF_ERROR(utf8(st.id_col, st.id_column));
  if (st.src_col) MEMORIA_RETURN_IF_ERROR(utf8(*st.src_col, st.source_column));
  if (st.truth_col) MEMORIA_RETURN_IF_ERROR(utf8(*st.truth_col, st.truth_column));
  for (std::size_t k = 0; k < st.cols.size(); ++k) {
    MEMORIA_RETURN_IF_ERROR(utf8(st.cols[k], table.column_names[k]));
  }

  // Checks first, in the order of the errors, so that a refused row leaves no trace.
  std::string_view id = Trim(fields[st.id_col]);
  if (id.empty()) return st.Error("empty record id", line, st.id_column);
  if (st.seen_ids.find(id) != st.seen_ids.end()) {
    return st.Error(fmt::format("duplicate record id '{}'", id), line, st.id_column);
  }
  std::string_view truth;
  if (st.truth_col) {
    truth = Trim(fields[*st.truth_col]);
  } else if (st.truth_regex) {
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(id.begin(), id.end(), m, *st.truth_regex) || m.size() < 2) {
      return st.Error(fmt::format("truth.id_regex does not match id '{}'", id), line, st.id_column);
    }
    if (m[1].matched) truth = std::string_view(m[1].first, m[1].second);
  }

  std::string_view src = st.src_col ? Trim(fields[*st.src_col]) : st.default_source;
  auto sit = st.source_index.find(src);
  if (sit == st.source_index.end()) {
    sit = st.source_index.emplace(src, static_cast<std::uint32_t>(table.source_names.size())).first;
    table.source_names.emplace_back(src);
  }
  table.source.push_back(sit->second);
  for (std::size_t k = 0; k < st.cols.size(); ++k) {
    std::string_view v = Trim(fields[st.cols[k]]);
    table.columns[k].emplace_back(st.nulls.contains(v) ? std::string_view{} : v);
  }
  if (st.truth_col || st.truth_regex) table.truth.emplace_back(truth);
  table.ids.emplace_back(id);
  st.seen_ids.insert(table.ids.size() - 1);
  return Status::Ok();
}

RecordTable RecordTableBuilder::Finish() {
  State& st = *state_;
  RecordTable out = std::move(st.table);
  st.table = RecordTable{};
  st.table.column_names = out.column_names;
  st.table.columns.resize(out.columns.size());
  st.seen_ids.clear();
  st.source_index.clear();
  st.begun = false;
  st.inputs = 0;
  return out;
}

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
  MEMORIA_ASSIGN_OR_RETURN(RecordTableBuilder builder, RecordTableBuilder::Create(settings));
  for (const std::string& path : paths) {
    MEMORIA_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(path));
    MEMORIA_RETURN_IF_ERROR(ReadCsv(builder, *reader));
  }
  return builder.Finish();
}

Result<RecordTable> LoadRecordsFromStrings(const std::vector<std::string>& csv_texts,
                                           const std::vector<std::string>& names,
                                           const Settings& settings) {
  if (csv_texts.empty()) return Status::InvalidInput("no input");
  MEMORIA_ASSIGN_OR_RETURN(RecordTableBuilder builder, RecordTableBuilder::Create(settings));
  for (std::size_t i = 0; i < csv_texts.size(); ++i) {
    std::istringstream in(csv_texts[i]);
    CsvReader reader(in, i < names.size() ? names[i] : fmt::format("input{}", i));
    MEMORIA_RETURN_IF_ERROR(ReadCsv(builder, reader));
  }
  return builder.Finish();
}

}  // namespace memoria::linkage
