#include "io/interchange.h"

#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <vector>

#include "core/csv.h"
#include "core/model.h"
#include "core/uuid.h"
#include "core/vocabulary.h"

namespace memoria::io {
namespace {

using json = nlohmann::json;

// Reads lines of bounded length from a stream with a large buffer (std::getline would read an
// arbitrarily long line into memory first).
class LineReader {
 public:
  explicit LineReader(std::istream& in) : in_(in), buf_(1 << 20) {}

  // Next line without its '\n' (and '\r'). Returns false at end of input. `too_long` is set when
  // the line exceeded kMaxLineBytes (its content is then truncated and must not be used).
  bool Next(std::string& line, bool& too_long) {
    line.clear();
    too_long = false;
    bool any = false;
    for (;;) {
      if (pos_ == end_) {
        if (eof_) break;
        in_.read(buf_.data(), static_cast<std::streamsize>(buf_.size()));
        end_ = static_cast<std::size_t>(in_.gcount());
        pos_ = 0;
        bytes_ += end_;
        if (end_ == 0) {
          eof_ = true;
          break;
        }
      }
      any = true;
      const char* start = buf_.data() + pos_;
      const void* nl = std::memchr(start, '\n', end_ - pos_);
      std::size_t n = nl ? static_cast<const char*>(nl) - start : end_ - pos_;
      if (!too_long) {
        if (line.size() + n > kMaxLineBytes) {
          too_long = true;
          line.clear();
        } else {
          line.append(start, n);
        }
      }
      pos_ += n;
      if (nl) {
        ++pos_;
        break;
      }
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return any;
  }

  std::uint64_t bytes_read() const { return bytes_; }

 private:
  std::istream& in_;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
  std::uint64_t bytes_ = 0;
  bool eof_ = false;
};

bool IsBlank(const std::string& s) { return s.find_first_not_of(" \t") == std::string::npos; }

// A reference seen before its target: checked again at the end of the file.
struct PendingReference {
  std::int64_t line;
  Reference ref;
};

// Writes entities of one file in one transaction; shared by the JSON Lines and CSV importers.
class Batch {
 public:
  Batch(store::Store& store, std::string file, const ImportOptions& options)
      : store_(store), file_(std::move(file)), options_(options) {}

  Status Begin() { return store_.Begin(); }

  // Stores a validated entity read from `line`; `field_prefix` maps model field names to the
  // input's names in messages (for CSV, the column).
  Status Add(const Entity& entity, std::int64_t line,
             const std::function<std::string(const std::string&)>& field_name) {
    for (const Reference& r : entity.references) {
      Result<bool> exists = store_.Exists(r.ref_type, r.id);
      if (!exists.ok()) return Located(exists.status(), line, field_name(r.field));
      if (!*exists) pending_.push_back({line, r});
    }
    Result<store::WriteOutcome> outcome = store_.Put(entity, options_.actor, options_.allow_update);
    if (!outcome.ok()) return Located(outcome.status(), line, field_name("id"));
    summary_.Count(*outcome);
    return Status::Ok();
  }

  // Checks the forward references and commits.
  Result<ImportSummary> Finish(const std::function<std::string(const std::string&)>& field_name) {
    for (const PendingReference& p : pending_) {
      Result<bool> exists = store_.Exists(p.ref.ref_type, p.ref.id);
      if (!exists.ok()) return Located(exists.status(), p.line, field_name(p.ref.field));
      if (!*exists) {
        return Located(Status::NotFound(
                           fmt::format("refers to {} {}, which exists neither in the store nor in "
                                       "this file",
                                       p.ref.ref_type, p.ref.id)),
                       p.line, field_name(p.ref.field));
      }
    }
    MEMORIA_RETURN_IF_ERROR(store_.Commit());
    return summary_;
  }

  Status Located(Status s, std::int64_t line, const std::string& field) const {
    s.At(file_, line, field);
    return s;
  }

  ImportSummary& summary() { return summary_; }

 private:
  store::Store& store_;
  std::string file_;
  const ImportOptions& options_;
  std::vector<PendingReference> pending_;
  ImportSummary summary_;
};

std::string SameName(const std::string& f) { return f; }

Result<ImportSummary> ImportJsonLinesInTx(Batch& batch, std::istream& in,
                                          const ImportOptions& options) {
  const Vocabularies& vocab = Vocabularies::Default();
  LineReader reader(in);
  std::string line;
  bool too_long = false;
  std::int64_t lineno = 0;
  std::uint64_t last_progress = 0;
  while (reader.Next(line, too_long)) {
    ++lineno;
    if (too_long) {
      return batch.Located(
          Status::InvalidInput(fmt::format("line is longer than {} MiB", kMaxLineBytes >> 20)),
          lineno, "");
    }
    if (IsBlank(line)) continue;
    if (!IsValidUtf8(line)) return batch.Located(Status::InvalidInput("invalid UTF-8"), lineno, "");
    json object;
    try {
      object = json::parse(line);
    } catch (const json::parse_error& e) {
      // nlohmann's message names the byte position; keep only the part after "parse error".
      std::string what = e.what();
      std::size_t p = what.find("parse error");
      return batch.Located(Status::InvalidInput("malformed JSON: " +
                                                (p == std::string::npos ? what : what.substr(p))),
                           lineno, "");
    }
    ++batch.summary().lines;
    Result<Entity> entity = ValidateEntity(std::move(object), vocab);
    if (!entity.ok()) return batch.Located(entity.status(), lineno, "");
    MEMORIA_RETURN_IF_ERROR(batch.Add(*entity, lineno, SameName));
    if (options.progress && reader.bytes_read() - last_progress >= (8u << 20)) {
      last_progress = reader.bytes_read();
      options.progress(last_progress);
    }
  }
  if (batch.summary().lines == 0) {
    return batch.Located(Status::InvalidInput("empty file: no entities to import"), 1, "");
  }
  if (options.progress) options.progress(reader.bytes_read());
  return batch.Finish(SameName);
}

}  // namespace

Result<ImportSummary> ImportJsonLines(store::Store& store, std::istream& in,
                                      const std::string& file, const ImportOptions& options) {
  Batch batch(store, file, options);
  MEMORIA_RETURN_IF_ERROR(batch.Begin());
  Result<ImportSummary> r = ImportJsonLinesInTx(batch, in, options);
  if (!r.ok()) store.Rollback();
  return r;
}

Result<ImportSummary> ImportJsonLinesFile(store::Store& store, const std::string& path,
                                          const ImportOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open file").AtFile(path, 0);
  return ImportJsonLines(store, in, path, options);
}

Result<std::int64_t> ExportJsonLines(store::Store& store, std::ostream& out) {
  std::int64_t n = 0;
  for (const EntitySpec& spec : EntitySpecs()) {
    MEMORIA_RETURN_IF_ERROR(store.ForEach(spec.type, [&](const store::StoredEntity& e) {
      out.write(e.body.data(), static_cast<std::streamsize>(e.body.size()));
      out.put('\n');
      ++n;
      return out ? Status::Ok() : Status::IoError("write failed");
    }));
  }
  out.flush();
  if (!out) return Status::IoError("write failed");
  return n;
}

// ---------------------------------------------------------------------------------------------
// CSV with a column mapping.

namespace {

// The fields a CSV row can fill, by target entity.
struct CsvTarget {
  const char* key;     // key in the mapping's "columns"
  const char* entity;  // person, act, event, record
  const char* field;   // the entity field (or name part)
};
const CsvTarget kCsvTargets[] = {
    {"full_name", "person", "names.full"},
    {"family_name", "person", "names.family"},
    {"given_name", "person", "names.given"},
    {"name_script", "person", "names.script"},
    {"romanization", "person", "names.system"},
    {"sex", "person", "sex"},
    {"birth", "person", "birth"},
    {"birthplace", "person", "birthplace"},
    {"songbun", "person", "songbun"},
    {"status", "person", "status"},
    {"person_description", "person", "description"},
    {"act_type", "act", "act_type"},
    {"act_date", "act", "date"},
    {"act_place", "act", "place"},
    {"victim_status", "act", "victim_status"},
    {"act_description", "act", "description"},
    {"event_title", "event", "title"},
    {"event_date", "event", "date"},
    {"event_place", "event", "place"},
    {"facility", "event", "facility"},
    {"received", "record", "received"},
};

const CsvTarget* FindTarget(std::string_view key) {
  for (const auto& t : kCsvTargets) {
    if (key == t.key) return &t;
  }
  return nullptr;
}

struct CsvMapping {
  json source;                                     // the source entity
  std::string id_column;                           // the row's identifier within the source
  std::map<std::string, std::size_t> columns;      // target key -> column index
  std::map<std::string, std::string> column_name;  // target key -> column name
  std::map<std::string, std::map<std::string, std::string>> values;  // target key -> recoding
  std::map<std::string, std::string> defaults;                       // target key -> constant
};

Result<CsvMapping> ReadMapping(const std::string& path, const CsvReader& csv) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open mapping file").AtFile(path, 0);
  json m;
  try {
    m = json::parse(in);
  } catch (const json::parse_error& e) {
    return Status::InvalidInput(std::string("malformed JSON: ") + e.what()).AtFile(path, 0);
  }
  auto err = [&](const std::string& field, const std::string& msg) {
    Status s = Status::InvalidInput(msg);
    s.At(path, 0, field);
    return s;
  };
  if (!m.is_object()) return err("", "a mapping is a JSON object");
  for (auto it = m.begin(); it != m.end(); ++it) {
    if (it.key() != "source" && it.key() != "id_column" && it.key() != "columns" &&
        it.key() != "values" && it.key() != "defaults") {
      return err(it.key(),
                 "unknown key; a mapping has source, id_column, columns, values, defaults");
    }
  }
  CsvMapping out;
  if (!m.contains("source") || !m["source"].is_object())
    return err("source", "required: the source entity object");
  out.source = m["source"];
  out.source["type"] = "source";
  if (!m.contains("id_column") || !m["id_column"].is_string())
    return err("id_column", "required: a column name");
  out.id_column = m["id_column"].get<std::string>();
  auto column_index = [&](const std::string& field,
                          const std::string& name) -> Result<std::size_t> {
    std::optional<std::size_t> c = csv.Column(name);
    if (!c) {
      std::string have;
      for (const auto& h : csv.header()) have += (have.empty() ? "" : ", ") + h;
      return err(field,
                 fmt::format("column '{}' is not in {} (its columns: {})", name, csv.file(), have));
    }
    return *c;
  };
  MEMORIA_ASSIGN_OR_RETURN(std::size_t id_col, column_index("id_column", out.id_column));
  out.columns["__id"] = id_col;
  if (m.contains("columns")) {
    if (!m["columns"].is_object())
      return err("columns", "expected an object: {target: column name}");
    for (auto it = m["columns"].begin(); it != m["columns"].end(); ++it) {
      std::string field = "columns." + it.key();
      if (!FindTarget(it.key())) return err(field, "unknown target (see docs/interchange.md#csv)");
      if (!it->is_string()) return err(field, "expected a column name");
      MEMORIA_ASSIGN_OR_RETURN(std::size_t c, column_index(field, it->get<std::string>()));
      out.columns[it.key()] = c;
      out.column_name[it.key()] = it->get<std::string>();
    }
  }
  for (const char* section : {"values", "defaults"}) {
    if (!m.contains(section)) continue;
    if (!m[section].is_object()) return err(section, "expected an object");
    for (auto it = m[section].begin(); it != m[section].end(); ++it) {
      std::string field = std::string(section) + "." + it.key();
      if (!FindTarget(it.key())) return err(field, "unknown target");
      if (std::string(section) == "defaults") {
        if (!it->is_string()) return err(field, "expected a string");
        out.defaults[it.key()] = it->get<std::string>();
      } else {
        if (!it->is_object()) return err(field, "expected an object {cell value: code}");
        for (auto v = it->begin(); v != it->end(); ++v) {
          if (!v->is_string()) return err(field + "." + v.key(), "expected a string");
          out.values[it.key()][v.key()] = v->get<std::string>();
        }
      }
    }
  }
  return out;
}

// The value of a target in a row: the mapped column (recoded), else the default, else "".
std::string Cell(const CsvMapping& m, const std::vector<std::string>& row, const std::string& key) {
  std::string v;
  if (auto c = m.columns.find(key); c != m.columns.end()) {
    v = row[c->second];
    if (auto rec = m.values.find(key); rec != m.values.end()) {
      if (auto r = rec->second.find(v); r != rec->second.end()) v = r->second;
    }
  }
  if (v.empty()) {
    if (auto d = m.defaults.find(key); d != m.defaults.end()) v = d->second;
  }
  return v;
}

Result<ImportSummary> ImportCsvInTx(Batch& batch, CsvReader& csv, const CsvMapping& m,
                                    const std::string& mapping_path) {
  const Vocabularies& vocab = Vocabularies::Default();
  Result<Entity> source = ValidateEntity(m.source, vocab);
  if (!source.ok()) {
    Status s = source.status();
    s = std::move(s).InField("source");
    s.At(mapping_path, 0);
    return s;
  }
  MEMORIA_RETURN_IF_ERROR(batch.Add(*source, 0, SameName));
  const std::string& source_id = source->id;
  // Messages name the CSV column that fed a field.
  auto column_of = [&](const std::string& entity, const std::string& field) -> std::string {
    for (const auto& t : kCsvTargets) {
      std::string tf = t.field;
      if (entity == t.entity && (tf == field || tf.rfind(field + ".", 0) == 0)) {
        auto c = m.column_name.find(t.key);
        if (c != m.column_name.end()) return c->second;
      }
    }
    return entity + "." + field;
  };
  auto id_for = [&](const std::string& row_id, const char* what) {
    return *UuidV5(kMemoriaUuidNamespace, source_id + '\x1f' + row_id + '\x1f' + what);
  };
  std::vector<std::string> row;
  std::map<std::string, std::int64_t> seen_ids;
  for (;;) {
    MEMORIA_ASSIGN_OR_RETURN(bool got, csv.Next(row));
    if (!got) break;
    std::int64_t line = csv.line();
    ++batch.summary().lines;
    const std::string& row_id = row[m.columns.at("__id")];
    if (row_id.empty()) return csv.Error("empty row identifier", m.id_column);
    if (auto [it, fresh] = seen_ids.emplace(row_id, line); !fresh) {
      return csv.Error(fmt::format("identifier '{}' already used on line {}", row_id, it->second),
                       m.id_column);
    }
    auto add = [&](json object, const std::string& entity) -> Status {
      Result<Entity> e = ValidateEntity(std::move(object), vocab);
      if (!e.ok()) {
        // ValidateEntity located the error at a model field; name the CSV column instead (At()
        // keeps a field already set, so build a fresh status).
        const Status& s = e.status();
        const std::string& field = s.location().field;
        std::string top = field.substr(0, field.find_first_of(".["));
        std::string column;
        if (top == "names") {
          std::size_t dot = field.find('.');
          column = column_of(entity,
                             dot == std::string::npos ? "names" : "names." + field.substr(dot + 1));
        } else {
          column = column_of(entity, top);
        }
        Status located(s.code(), s.message());
        located.At(csv.file(), line, column.empty() ? field : column);
        return located;
      }
      return batch.Add(*e, line, [&](const std::string& f) { return column_of(entity, f); });
    };
    json raw = json::object();
    for (std::size_t i = 0; i < row.size(); ++i) raw[csv.header()[i]] = row[i];
    std::string record_id = id_for(row_id, "record");
    json record = {{"type", "record"},
                   {"id", record_id},
                   {"source", source_id},
                   {"source_record_id", row_id},
                   {"raw", raw}};
    if (std::string r = Cell(m, row, "received"); !r.empty()) record["received"] = r;
    MEMORIA_RETURN_IF_ERROR(add(record, "record"));

    std::string person_id = id_for(row_id, "person");
    json person = {
        {"type", "person"}, {"id", person_id}, {"record", record_id}, {"roles", {"victim"}}};
    json name = json::object();
    for (const char* part :
         {"full_name", "family_name", "given_name", "name_script", "romanization"}) {
      std::string v = Cell(m, row, part);
      std::string key = FindTarget(part)->field + 6;  // after "names."
      if (!v.empty()) name[key] = v;
    }
    if (!name.empty()) person["names"] = json::array({name});
    for (const char* key :
         {"sex", "birth", "birthplace", "songbun", "status", "person_description"}) {
      std::string v = Cell(m, row, key);
      if (!v.empty()) person[FindTarget(key)->field] = v;
    }
    MEMORIA_RETURN_IF_ERROR(add(person, "person"));

    std::string event_id;
    if (std::string title = Cell(m, row, "event_title"); !title.empty()) {
      event_id = id_for(row_id, "event");
      json event = {{"type", "event"}, {"id", event_id}, {"title", title}, {"record", record_id}};
      for (const char* key : {"event_date", "event_place", "facility"}) {
        std::string v = Cell(m, row, key);
        if (!v.empty()) event[FindTarget(key)->field] = v;
      }
      MEMORIA_RETURN_IF_ERROR(add(event, "event"));
    }
    if (std::string act_type = Cell(m, row, "act_type"); !act_type.empty()) {
      json act = {{"type", "act"},
                  {"id", id_for(row_id, "act")},
                  {"victim", person_id},
                  {"act_type", act_type},
                  {"record", record_id}};
      if (!event_id.empty()) act["event"] = event_id;
      for (const char* key : {"act_date", "act_place", "victim_status", "act_description"}) {
        std::string v = Cell(m, row, key);
        if (!v.empty()) act[FindTarget(key)->field] = v;
      }
      MEMORIA_RETURN_IF_ERROR(add(act, "act"));
    }
  }
  if (batch.summary().lines == 0)
    return Status::InvalidInput("no rows to import").AtFile(csv.file(), 2);
  return batch.Finish(SameName);
}

}  // namespace

Result<ImportSummary> ImportCsv(store::Store& store, const std::string& csv_path,
                                const std::string& mapping_path, const ImportOptions& options) {
  MEMORIA_ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> csv, CsvReader::Open(csv_path));
  MEMORIA_ASSIGN_OR_RETURN(CsvMapping mapping, ReadMapping(mapping_path, *csv));
  Batch batch(store, csv_path, options);
  MEMORIA_RETURN_IF_ERROR(batch.Begin());
  Result<ImportSummary> r = ImportCsvInTx(batch, *csv, mapping, mapping_path);
  if (!r.ok()) store.Rollback();
  return r;
}

}  // namespace memoria::io
