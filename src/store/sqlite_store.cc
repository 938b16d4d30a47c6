#include "store/sqlite_store.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <unordered_map>

#include "core/canonical_json.h"
#include "core/edtf.h"
#include "store/migrations.h"

namespace memoria::store {
namespace {

using json = nlohmann::json;

const std::string kZeroHash(64, '0');

class SystemClockImpl : public Clock {
 public:
  std::string NowUtc() override {
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900,
                       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
  }
};

// RAII prepared statement.
class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) !=
        SQLITE_OK) {
      error_ = fmt::format("{} (in: {})", sqlite3_errmsg(db), sql);
      stmt_ = nullptr;
    }
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept : db_(o.db_), stmt_(o.stmt_), error_(std::move(o.error_)) {
    o.stmt_ = nullptr;
  }
  Stmt& operator=(Stmt&& o) noexcept {
    std::swap(db_, o.db_);
    std::swap(stmt_, o.stmt_);
    std::swap(error_, o.error_);
    return *this;
  }
  ~Stmt() { sqlite3_finalize(stmt_); }

  bool valid() const { return stmt_ != nullptr; }
  const std::string& error() const { return error_; }
  sqlite3_stmt* get() { return stmt_; }

  Stmt& Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    return *this;
  }
  Stmt& Bind(int i, std::string_view s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Stmt& BindNull(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int Step() { return sqlite3_step(stmt_); }
  std::string Text(int col) { return std::string(View(col)); }
  // The column's text, valid until the next Step() or Reset().
  std::string_view View(int col) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string_view(p, sqlite3_column_bytes(stmt_, col)) : std::string_view();
  }
  std::int64_t Int(int col) { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::string error_;
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;  // only our own 64-hex-digit hashes reach here
}

std::string Sha256Hex(std::string_view prefix_hex, std::string_view data) {
  unsigned char prev[32] = {};
  for (std::size_t i = 0; i < 32 && 2 * i + 1 < prefix_hex.size(); ++i) {
    prev[i] = static_cast<unsigned char>(HexValue(prefix_hex[2 * i]) << 4 |
                                         HexValue(prefix_hex[2 * i + 1]));
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, prev, sizeof prev);
  EVP_DigestUpdate(ctx, data.data(), data.size());
  EVP_DigestFinal_ex(ctx, out, &len);
  EVP_MD_CTX_free(ctx);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[out[i] >> 4]);
    hex.push_back(kHex[out[i] & 0xF]);
  }
  return hex;
}

// The live entities of type ?1 with their current bodies (ForEach, ForEachFields).
constexpr const char* kLiveOfType =
    " FROM entity e JOIN log l ON l.seq = e.last_seq WHERE e.type = ?1 AND e.deleted = 0";

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// A ForEachFields path as an SQLite JSON path ("names[0].full" -> "$.names[0].full"), or
// nullopt if it is malformed. The two syntaxes agree on such paths: SQLite needs no quoting for
// keys of letters, digits and '_'.
std::optional<std::string> SqliteJsonPath(std::string_view path) {
  std::size_t i = 0;
  for (;;) {
    std::size_t key = i;
    while (i < path.size() && IsKeyChar(path[i])) ++i;
    if (i == key) return std::nullopt;
    while (i < path.size() && path[i] == '[') {
      std::size_t digits = ++i;
      while (i < path.size() && path[i] >= '0' && path[i] <= '9') ++i;
      if (i == digits || i - digits > 9 || i == path.size() || path[i] != ']') return std::nullopt;
      ++i;
    }
    if (i == path.size()) break;
    if (path[i] != '.') return std::nullopt;
    ++i;
  }
  return "$." + std::string(path);
}

// The date field of a type (each type has at most one EDTF field): its day range is kept in
// the entity row's earliest/latest columns.
std::string DateField(const EntitySpec& spec) {
  for (const auto& f : spec.fields) {
    if (f.kind == FieldKind::kEdtf) return f.name;
  }
  return {};
}

// The current row of an id in `entity`.
struct EntityRow {
  std::string type;
  std::int64_t version = 0;
  std::int64_t last_seq = 0;
  bool deleted = false;
  std::string body;  // filled only by ReadBody (an existence check does not need it)
};

class SqliteStore : public Store {
 public:
  SqliteStore(sqlite3* db, Clock* clock) : db_(db), clock_(clock) {}
  ~SqliteStore() override {
    for (Stmt* s :
         {&row_select_, &body_select_, &row_insert_, &row_update_, &log_insert_, &record_by_key_})
      *s = Stmt();
    sqlite3_close_v2(db_);
  }

  Status Prepare() {
    for (const EntitySpec& spec : EntitySpecs()) date_field_[spec.type] = DateField(spec);
    row_select_ = Stmt(db_, "SELECT type, version, last_seq, deleted FROM entity WHERE id = ?1");
    body_select_ = Stmt(db_, "SELECT body FROM log WHERE seq = ?1");
    row_insert_ =
        Stmt(db_,
             "INSERT INTO entity (id, type, version, last_seq, deleted, record_key, earliest, "
             "latest) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    row_update_ = Stmt(db_,
                       "UPDATE entity SET type = ?2, version = ?3, last_seq = ?4, deleted = ?5, "
                       "record_key = ?6, earliest = ?7, latest = ?8 WHERE id = ?1");
    log_insert_ = Stmt(db_,
                       "INSERT INTO log (seq, at, actor, entity, id, version, op, body, prev_hash, "
                       "hash, prev_seq) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    record_by_key_ = Stmt(db_, "SELECT id FROM entity WHERE record_key = ?1");
    for (Stmt* s :
         {&row_select_, &body_select_, &row_insert_, &row_update_, &log_insert_, &record_by_key_}) {
      if (!s->valid()) return Status::Internal(s->error());
    }
    return Status::Ok();
  }

  Status Begin() override {
    if (in_tx_) return Status::Internal("transaction already open");
    MEMORIA_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    in_tx_ = true;
    Stmt head(db_, "SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1");
    if (head.Step() == SQLITE_ROW) {
      head_seq_ = head.Int(0);
      head_hash_ = head.Text(1);
    } else {
      head_seq_ = 0;
      head_hash_ = kZeroHash;
    }
    return Status::Ok();
  }

  Status Commit() override {
    if (!in_tx_) return Status::Internal("no transaction to commit");
    Status s = Exec("COMMIT");
    if (!s.ok()) {
      Rollback();
      return s;
    }
    in_tx_ = false;
    return Status::Ok();
  }

  void Rollback() override {
    if (!in_tx_) return;
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    in_tx_ = false;
  }

  Result<WriteOutcome> Put(const Entity& entity, std::string_view actor,
                           bool allow_update) override {
    if (!in_tx_) return Status::Internal("Put outside a transaction");
    auto df = date_field_.find(entity.type);
    if (df == date_field_.end()) return Status::InvalidInput("unknown type " + entity.type);
    MEMORIA_ASSIGN_OR_RETURN(std::string body, CanonicalJson(entity.body));
    MEMORIA_ASSIGN_OR_RETURN(std::optional<EntityRow> row, ReadRow(entity.id));
    bool live = row && !row->deleted;
    if (row) {
      if (row->type != entity.type) {
        return Status::Conflict(fmt::format("id {} is already used by a {}", entity.id, row->type));
      }
      if (live) MEMORIA_RETURN_IF_ERROR(ReadBody(*row));
      if (live && row->body == body) return WriteOutcome::kUnchanged;
      if (live && !allow_update) {
        return Status::Conflict(fmt::format(
            "{} {} already exists (version {}) with different content; importing does not "
            "overwrite (use --update to record a new version)",
            entity.type, entity.id, row->version));
      }
    }
    std::string record_key;
    if (entity.type == "record") {
      record_key = RecordKey(entity.body);
      record_by_key_.Reset().Bind(1, record_key);
      if (record_by_key_.Step() == SQLITE_ROW && record_by_key_.Text(0) != entity.id) {
        std::string other = record_by_key_.Text(0);
        record_by_key_.Reset();
        return Status::Conflict(
                   fmt::format("source {} already has a record with source_record_id '{}' (id {})",
                               entity.body["source"].get<std::string>(),
                               entity.body["source_record_id"].get<std::string>(), other))
            .AtField("source_record_id");
      }
      record_by_key_.Reset();
    }
    std::int64_t version = row ? row->version + 1 : 1;
    std::optional<std::int64_t> prev_seq;
    if (row) prev_seq = row->last_seq;
    MEMORIA_ASSIGN_OR_RETURN(std::int64_t seq,
                             AppendLog(actor, entity.type, entity.id, version,
                                       live ? "update" : "create", body, prev_seq));
    Stmt& write = row ? row_update_ : row_insert_;
    write.Reset()
        .Bind(1, entity.id)
        .Bind(2, entity.type)
        .Bind(3, version)
        .Bind(4, seq)
        .Bind(5, std::int64_t{0});
    if (record_key.empty()) {
      write.BindNull(6);
    } else {
      write.Bind(6, record_key);
    }
    MEMORIA_RETURN_IF_ERROR(BindDates(write, df->second, entity.body, 7));
    if (write.Step() != SQLITE_DONE) return SqlError("entity write");
    write.Reset();
    return live ? WriteOutcome::kUpdated : WriteOutcome::kCreated;
  }

  Status Delete(std::string_view id, std::string_view actor) override {
    if (!in_tx_) return Status::Internal("Delete outside a transaction");
    MEMORIA_ASSIGN_OR_RETURN(std::optional<EntityRow> row, ReadRow(id));
    if (!row || row->deleted) return Status::NotFound(fmt::format("no entity with id {}", id));
    // Refuse to leave a dangling reference. Deletes are rare, so a scan is acceptable here
    // rather than an index on every reference field that every write would pay for.
    Stmt q(db_,
           "SELECT e.id, e.type, l.body FROM entity e JOIN log l ON l.seq = e.last_seq "
           "WHERE e.deleted = 0 AND instr(l.body, ?1) > 0");
    std::string quoted = "\"" + std::string(id) + "\"";
    q.Bind(1, quoted);
    while (q.Step() == SQLITE_ROW) {
      const EntitySpec* spec = FindEntitySpec(q.Text(1));
      if (!spec) continue;
      json body = json::parse(q.Text(2));
      for (const FieldSpec& f : spec->fields) {
        if (f.kind == FieldKind::kRef && f.ref_type == row->type && body.value(f.name, "") == id) {
          return Status::Conflict(
              fmt::format("{} {} is referred to by {} {} ({}); delete that first", row->type, id,
                          spec->type, q.Text(0), f.name));
        }
      }
    }
    MEMORIA_ASSIGN_OR_RETURN(
        std::int64_t seq, AppendLog(actor, row->type, std::string(id), row->version + 1, "delete",
                                    "", row->last_seq));
    row_update_.Reset()
        .Bind(1, id)
        .Bind(2, row->type)
        .Bind(3, row->version + 1)
        .Bind(4, seq)
        .Bind(5, std::int64_t{1});
    row_update_.BindNull(6).BindNull(7).BindNull(8);
    if (row_update_.Step() != SQLITE_DONE) return SqlError("entity write");
    row_update_.Reset();
    return Status::Ok();
  }

  Result<bool> Exists(std::string_view type, std::string_view id) override {
    MEMORIA_ASSIGN_OR_RETURN(std::optional<EntityRow> row, ReadRow(id));
    return row && !row->deleted && row->type == type;
  }

  Result<std::optional<StoredEntity>> Get(std::string_view id) override {
    MEMORIA_ASSIGN_OR_RETURN(std::optional<EntityRow> row, ReadRow(id));
    if (!row || row->deleted) return std::optional<StoredEntity>();
    MEMORIA_RETURN_IF_ERROR(ReadBody(*row));
    return std::optional<StoredEntity>(
        StoredEntity{row->type, std::string(id), row->version, row->body});
  }

  Result<std::vector<LogEntry>> History(std::string_view id) override {
    MEMORIA_ASSIGN_OR_RETURN(std::optional<EntityRow> row, ReadRow(id));
    std::vector<LogEntry> out;
    if (!row) return out;
    Stmt q(db_, "SELECT " + std::string(kLogColumns) + " FROM log WHERE seq = ?1");
    for (std::int64_t seq = row->last_seq; seq != 0;) {
      q.Reset().Bind(1, seq);
      if (q.Step() != SQLITE_ROW)
        return Status::Corruption(fmt::format("log entry {} of {} is missing", seq, id));
      out.push_back(ReadEntry(q));
      seq = q.IsNull(10) ? 0 : q.Int(10);
    }
    std::reverse(out.begin(), out.end());
    return out;
  }

  Status ForEach(std::string_view type,
                 const std::function<Status(const StoredEntity&)>& fn) override {
    if (!date_field_.count(std::string(type)))
      return Status::InvalidInput(fmt::format("unknown type {}", type));
    Stmt q(db_, std::string("SELECT e.id, e.version, l.body") + kLiveOfType + " ORDER BY e.id");
    q.Bind(1, type);
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      MEMORIA_RETURN_IF_ERROR(fn(StoredEntity{std::string(type), q.Text(0), q.Int(1), q.Text(2)}));
    }
    if (rc != SQLITE_DONE) return SqlError("scan");
    return Status::Ok();
  }

  Status ForEachFields(
      std::string_view type, const std::vector<std::string>& paths,
      const std::function<Status(std::string_view id, const FieldValues& values)>& fn) override {
    if (!date_field_.count(std::string(type)))
      return Status::InvalidInput(fmt::format("unknown type {}", type));
    // Column 1 is the body's JSON type, then one column per path. SQLite parses each body once
    // for all of them (its JSON functions share a per-statement cache). A body that is not JSON
    // fails the statement at its row (see below).
    std::string sql = "SELECT e.id, json_type(l.body)";
    for (std::size_t i = 0; i < paths.size(); ++i) {
      sql += fmt::format(", l.body -> ?{}", i + 2);
    }
    sql += std::string(kLiveOfType) + " ORDER BY e.id";
    Stmt q(db_, sql);
    if (!q.valid()) return Status::Internal(q.error());
    q.Bind(1, type);
    for (std::size_t i = 0; i < paths.size(); ++i) {
      std::optional<std::string> p = SqliteJsonPath(paths[i]);
      if (!p) {
        return Status::InvalidInput(
                   fmt::format(
                       "malformed path '{}' (keys of letters, digits and '_' joined by '.', each "
                       "optionally followed by [index]: names[0].full)",
                       paths[i]))
            .AtField("paths");
      }
      q.Bind(static_cast<int>(i + 2), *p);
    }
    const auto not_an_object = [&](std::string_view id) {
      return Status::Corruption(fmt::format("{} {}: stored body is not a JSON object", type, id));
    };
    FieldValues values(paths.size());
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      std::string_view id = q.View(0);
      if (q.IsNull(1) || q.View(1) != "object") return not_an_object(id);
      for (std::size_t i = 0; i < paths.size(); ++i) {
        int col = static_cast<int>(i + 2);
        values[i] = q.IsNull(col) ? std::nullopt : std::optional<std::string_view>(q.View(col));
      }
      MEMORIA_RETURN_IF_ERROR(fn(id, values));
    }
    if (rc != SQLITE_DONE) {
      Status error = SqlError("scan");
      // Name the body that is not JSON, if that is what failed: the first in id order, the row
      // the scan stopped at.
      Stmt bad(db_, std::string("SELECT e.id") + kLiveOfType +
                        " AND NOT json_valid(l.body) ORDER BY e.id LIMIT 1");
      bad.Bind(1, type);
      if (bad.Step() == SQLITE_ROW) return not_an_object(bad.View(0));
      return error;
    }
    return Status::Ok();
  }

  Result<VerifyReport> Verify() override;

  Result<StoreStats> Stats() override {
    StoreStats s;
    Stmt head(db_, "SELECT count(*), (SELECT hash FROM log ORDER BY seq DESC LIMIT 1) FROM log");
    if (head.Step() == SQLITE_ROW) {
      s.log_entries = head.Int(0);
      s.head_hash = head.Text(1);
    }
    for (const EntitySpec& spec : EntitySpecs()) s.entities[spec.type] = 0;
    Stmt counts(db_, "SELECT type, deleted, count(*) FROM entity GROUP BY type, deleted");
    while (counts.Step() == SQLITE_ROW) {
      if (counts.Int(1) != 0) {
        s.deleted += counts.Int(2);
      } else {
        s.entities[counts.Text(0)] = counts.Int(2);
      }
    }
    Stmt acts(db_,
              "SELECT l.body ->> '$.act_type' AS t, count(*) FROM entity e JOIN log l "
              "ON l.seq = e.last_seq WHERE e.type = 'act' AND e.deleted = 0 GROUP BY t ORDER BY t");
    while (acts.Step() == SQLITE_ROW) s.acts_by_type[acts.Text(0)] = acts.Int(1);
    return s;
  }

  Result<std::optional<std::string>> GetMeta(std::string_view key) override {
    Stmt q(db_, "SELECT value FROM meta WHERE key = ?1");
    q.Bind(1, key);
    if (q.Step() == SQLITE_ROW) return std::optional<std::string>(q.Text(0));
    return std::optional<std::string>();
  }

  Status SetMeta(std::string_view key, std::string_view value) override {
    Stmt q(
        db_,
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2");
    q.Bind(1, key).Bind(2, value);
    if (q.Step() != SQLITE_DONE) return SqlError("meta");
    return Status::Ok();
  }

 private:
  static constexpr const char* kLogColumns =
      "seq, at, actor, entity, id, version, op, body, prev_hash, hash, prev_seq";

  Status Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      return Status::IoError(fmt::format("{}: {}", sql, msg));
    }
    return Status::Ok();
  }

  Status SqlError(const char* what) {
    return Status::IoError(fmt::format("store {} failed: {}", what, sqlite3_errmsg(db_)));
  }

  // The unique key of a live record: source, U+001F, source_record_id.
  static std::string RecordKey(const json& body) {
    return body.value("source", "") + '\x1f' + body.value("source_record_id", "");
  }

  Result<std::optional<EntityRow>> ReadRow(std::string_view id) {
    row_select_.Reset().Bind(1, id);
    int rc = row_select_.Step();
    std::optional<EntityRow> row;
    if (rc == SQLITE_ROW) {
      row = EntityRow{
          row_select_.Text(0), row_select_.Int(1), row_select_.Int(2), row_select_.Int(3) != 0, {}};
    } else if (rc != SQLITE_DONE) {
      return SqlError("read");
    }
    row_select_.Reset();
    return row;
  }

  // Fills row.body from the row's current log entry (reads only what an existence check skips).
  Status ReadBody(EntityRow& row) {
    body_select_.Reset().Bind(1, row.last_seq);
    int rc = body_select_.Step();
    if (rc != SQLITE_ROW) return SqlError("read body");
    row.body = body_select_.Text(0);
    body_select_.Reset();
    return Status::Ok();
  }

  // The day range of an entity's date field, as (earliest, latest), or nullopt.
  static Result<std::optional<std::pair<std::int64_t, std::int64_t>>> DayRange(
      const std::string& date_field, const json& body) {
    std::optional<std::pair<std::int64_t, std::int64_t>> out;
    if (date_field.empty()) return out;
    auto it = body.find(date_field);
    if (it == body.end() || !it->is_string()) return out;
    Result<EdtfDate> d = EdtfDate::Parse(it->get<std::string>());
    if (!d.ok()) return Status(d.status()).InField(date_field);
    out.emplace(d->earliest(), d->latest());
    return out;
  }

  static Status BindDates(Stmt& s, const std::string& date_field, const json& body, int first) {
    MEMORIA_ASSIGN_OR_RETURN(auto range, DayRange(date_field, body));
    if (range) {
      s.Bind(first, range->first).Bind(first + 1, range->second);
    } else {
      s.BindNull(first).BindNull(first + 1);
    }
    return Status::Ok();
  }

  Result<std::int64_t> AppendLog(std::string_view actor, const std::string& type,
                                 const std::string& id, std::int64_t version, const char* op,
                                 const std::string& body, std::optional<std::int64_t> prev_seq) {
    LogEntry e;
    e.seq = head_seq_ + 1;
    e.at = clock_->NowUtc();
    e.actor = std::string(actor);
    e.entity = type;
    e.id = id;
    e.version = version;
    e.op = op;
    e.body = body;
    e.prev_hash = head_hash_;
    e.hash = ComputeEntryHash(e);
    log_insert_.Reset()
        .Bind(1, e.seq)
        .Bind(2, e.at)
        .Bind(3, e.actor)
        .Bind(4, e.entity)
        .Bind(5, e.id)
        .Bind(6, e.version)
        .Bind(7, e.op);
    if (body.empty()) {
      log_insert_.BindNull(8);
    } else {
      log_insert_.Bind(8, body);
    }
    log_insert_.Bind(9, e.prev_hash).Bind(10, e.hash);
    if (prev_seq) {
      log_insert_.Bind(11, *prev_seq);
    } else {
      log_insert_.BindNull(11);
    }
    if (log_insert_.Step() != SQLITE_DONE) return SqlError("log append");
    log_insert_.Reset();
    head_seq_ = e.seq;
    head_hash_ = e.hash;
    return e.seq;
  }

  static LogEntry ReadEntry(Stmt& q) {
    return LogEntry{q.Int(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4),
                    q.Int(5), q.Text(6), q.Text(7), q.Text(8), q.Text(9)};
  }

  sqlite3* db_;
  Clock* clock_;
  bool in_tx_ = false;
  std::int64_t head_seq_ = 0;
  std::string head_hash_ = kZeroHash;
  std::unordered_map<std::string, std::string> date_field_;  // type -> its EDTF field ("" if none)
  Stmt row_select_;
  Stmt body_select_;
  Stmt row_insert_;
  Stmt row_update_;
  Stmt log_insert_;
  Stmt record_by_key_;
};

Result<VerifyReport> SqliteStore::Verify() {
  VerifyReport report;
  // Pass 1, in log order: the hash chain, and that each body is canonical and names its entity.
  {
    Stmt q(db_, "SELECT " + std::string(kLogColumns) + " FROM log ORDER BY seq");
    std::int64_t expect_seq = 1;
    std::string prev = kZeroHash;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      LogEntry e = ReadEntry(q);
      std::string where = fmt::format("log entry {} ({} {})", e.seq, e.entity, e.id);
      if (e.seq != expect_seq) {
        return Status::Corruption(fmt::format("log entry {} is missing: entries jump from {} to {}",
                                              expect_seq, expect_seq - 1, e.seq));
      }
      if (e.prev_hash != prev) {
        return Status::Corruption(where +
                                  ": prev_hash does not equal the hash of the entry before it");
      }
      if (ComputeEntryHash(e) != e.hash) {
        return Status::Corruption(where + ": hash does not match the entry's content");
      }
      if (!date_field_.count(e.entity)) return Status::Corruption(where + ": unknown entity type");
      if ((e.op == "delete") != e.body.empty() ||
          (e.op != "create" && e.op != "update" && e.op != "delete")) {
        return Status::Corruption(where + ": op and body disagree");
      }
      if (!e.body.empty()) {
        json b = json::parse(e.body, nullptr, false);
        Result<std::string> canon = b.is_discarded()
                                        ? Result<std::string>(Status::Corruption("not JSON"))
                                        : CanonicalJson(b);
        if (!canon.ok() || *canon != e.body)
          return Status::Corruption(where + ": body is not canonical JSON");
        if (b.value("type", "") != e.entity || b.value("id", "") != e.id) {
          return Status::Corruption(where + ": body names another entity");
        }
      }
      prev = e.hash;
      ++expect_seq;
      ++report.entries;
    }
    if (rc != SQLITE_DONE) return SqlError("verify");
  }
  // Pass 2, per entity row: walk its chain of log entries back from last_seq. The row must equal
  // its last entry; each entry must be the same id with the version one below the next, the
  // first a create of version 1, a create only first or after a delete. Every log entry must be
  // on exactly one chain: chains of different ids are disjoint, so counting the entries visited
  // against the size of the log proves that no entry is orphaned.
  std::int64_t visited = 0;
  // One bit per entry (1.25 MB for 10 million), to name an entry that is on no chain.
  std::vector<bool> on_chain(static_cast<std::size_t>(report.entries) + 1, false);
  {
    Stmt rows(
        db_,
        "SELECT id, type, version, last_seq, deleted, record_key, earliest, latest FROM entity "
        "ORDER BY id");
    Stmt entry(db_, "SELECT entity, id, version, op, body, prev_seq FROM log WHERE seq = ?1");
    int rc;
    while ((rc = rows.Step()) == SQLITE_ROW) {
      std::string id = rows.Text(0), type = rows.Text(1);
      std::int64_t version = rows.Int(2), last_seq = rows.Int(3);
      bool deleted = rows.Int(4) != 0;
      std::string where = fmt::format("{} {}", type, id);
      entry.Reset().Bind(1, last_seq);
      if (entry.Step() != SQLITE_ROW || entry.Text(1) != id) {
        return Status::Corruption(
            where + fmt::format(": its last log entry {} is missing or names another id "
                                "(row inserted or changed outside memoria?)",
                                last_seq));
      }
      if (entry.Text(0) != type || entry.Int(2) != version ||
          (entry.Text(3) == "delete") != deleted) {
        return Status::Corruption(
            where + fmt::format(": current state differs from log entry {} (version {}) — "
                                "changed outside memoria?",
                                last_seq, entry.Int(2)));
      }
      std::optional<std::pair<std::int64_t, std::int64_t>> expect_range;
      std::string expect_record_key;
      if (!deleted) {
        json body = json::parse(entry.Text(4), nullptr, false);
        Result<std::optional<std::pair<std::int64_t, std::int64_t>>> r =
            DayRange(date_field_[type], body);
        if (!r.ok()) return Status::Corruption(where + ": date field is not valid EDTF");
        expect_range = *r;
        if (type == "record") expect_record_key = RecordKey(body);
      }
      if (expect_record_key.empty() ? !rows.IsNull(5) : rows.Text(5) != expect_record_key) {
        return Status::Corruption(where + ": derived record key does not match the body");
      }
      bool range_ok = expect_range ? (!rows.IsNull(6) && rows.Int(6) == expect_range->first &&
                                      !rows.IsNull(7) && rows.Int(7) == expect_range->second)
                                   : (rows.IsNull(6) && rows.IsNull(7));
      if (!range_ok)
        return Status::Corruption(where + ": derived date range does not match the body");
      // Walk the chain.
      std::int64_t seq = last_seq, expect_version = version;
      std::string later_op;
      for (;;) {
        entry.Reset().Bind(1, seq);
        if (entry.Step() != SQLITE_ROW) {
          return Status::Corruption(where +
                                    fmt::format(": log entry {} on its chain is missing", seq));
        }
        std::string op = entry.Text(3);
        if (entry.Text(1) != id || entry.Text(0) != type || entry.Int(2) != expect_version) {
          return Status::Corruption(
              fmt::format("log entry {}: expected {} version {} on the chain of {}", seq, type,
                          expect_version, id));
        }
        if (!later_op.empty() && (op == "delete") != (later_op == "create")) {
          return Status::Corruption(fmt::format(
              "log entry {} ({}): only a deleted entity can be created again", seq, where));
        }
        ++visited;
        if (seq > 0 && seq <= report.entries) on_chain[static_cast<std::size_t>(seq)] = true;
        if (entry.IsNull(5)) {
          if (expect_version != 1 || op != "create") {
            return Status::Corruption(
                fmt::format("log entry {} ({}): the first entry of an id must be a create, "
                            "version 1",
                            seq, where));
          }
          break;
        }
        std::int64_t prev_seq = entry.Int(5);
        if (prev_seq >= seq)
          return Status::Corruption(fmt::format("log entry {}: prev_seq goes forward", seq));
        later_op = op;
        seq = prev_seq;
        --expect_version;
      }
      ++report.entities;
    }
    if (rc != SQLITE_DONE) return SqlError("verify");
  }
  if (visited != report.entries) {
    Stmt orphan(db_,
                "SELECT seq, entity, id FROM log WHERE id NOT IN (SELECT id FROM entity) ORDER BY "
                "seq LIMIT 1");
    if (orphan.Step() == SQLITE_ROW) {
      return Status::Corruption(
          fmt::format("log entry {} ({} {}): no current-state row (deleted outside memoria?)",
                      orphan.Int(0), orphan.Text(1), orphan.Text(2)));
    }
    for (std::int64_t seq = 1; seq <= report.entries; ++seq) {
      if (!on_chain[static_cast<std::size_t>(seq)]) {
        return Status::Corruption(fmt::format(
            "log entry {} is on no entity's chain (its entity row was changed outside memoria, "
            "or the entry was added outside memoria)",
            seq));
      }
    }
    return Status::Corruption(
        fmt::format("{} log entries are on no entity's chain", report.entries - visited));
  }
  return report;
}

Status ApplyMigrations(sqlite3* db, int from_version) {
  std::vector<std::string_view> names = EmbeddedMigrations();
  for (std::size_t i = static_cast<std::size_t>(from_version); i < names.size(); ++i) {
    std::string sql(*EmbeddedMigration(names[i]));
    sql = "BEGIN;\n" + sql + fmt::format("\nPRAGMA user_version = {};\nCOMMIT;", i + 1);
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "";
      sqlite3_free(err);
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      return Status::IoError(fmt::format("migration {} failed: {}", names[i], msg));
    }
  }
  return Status::Ok();
}

Result<std::int64_t> PragmaInt(sqlite3* db, const char* pragma) {
  Stmt q(db, std::string("PRAGMA ") + pragma);
  if (!q.valid()) return Status::Unsupported(q.error());
  if (q.Step() != SQLITE_ROW) return Status::Unsupported(sqlite3_errmsg(db));
  return q.Int(0);
}

}  // namespace

Clock& SystemClock() {
  static SystemClockImpl clock;
  return clock;
}

std::string ComputeEntryHash(const LogEntry& e) {
  // Canonical JSON of {actor, at, body, entity, id, op, seq, version}, keys in sorted order.
  std::string c;
  c.reserve(e.body.size() + e.actor.size() + e.id.size() + 160);
  c += "{\"actor\":";
  AppendCanonicalString(c, e.actor);
  c += ",\"at\":";
  AppendCanonicalString(c, e.at);
  c += ",\"body\":";
  c += e.body.empty() ? "null" : e.body;
  c += ",\"entity\":";
  AppendCanonicalString(c, e.entity);
  c += ",\"id\":";
  AppendCanonicalString(c, e.id);
  c += ",\"op\":";
  AppendCanonicalString(c, e.op);
  c += ",\"seq\":" + std::to_string(e.seq) + ",\"version\":" + std::to_string(e.version) + "}";
  return Sha256Hex(e.prev_hash, c);
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options) {
  std::error_code ec;
  bool exists = std::filesystem::exists(path, ec);
  if (!exists && !options.create) {
    return Status::NotFound(fmt::format("no memoria store at {} (run `memoria init` first)", path));
  }
  sqlite3* db = nullptr;
  int flags =
      SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Status::IoError(fmt::format("{}: cannot open: {}", path, msg));
  }
  auto fail = [&](Status s) {
    sqlite3_close_v2(db);
    return s;
  };
  sqlite3_busy_timeout(db, 5000);
  Result<std::int64_t> app_id = PragmaInt(db, "application_id");
  if (!app_id.ok()) {
    return fail(Status::Unsupported(
        fmt::format("{} is not a memoria store (not an SQLite database)", path)));
  }
  MEMORIA_ASSIGN_OR_RETURN(std::int64_t user_version, PragmaInt(db, "user_version"));
  MEMORIA_ASSIGN_OR_RETURN(std::int64_t schema_cookie, PragmaInt(db, "schema_version"));
  if (*app_id == 0 && user_version == 0 && schema_cookie == 0) {
    if (!options.create)
      return fail(
          Status::Unsupported(fmt::format("{} is an empty file, not a memoria store", path)));
    std::string setup =
        fmt::format("PRAGMA journal_mode = WAL; PRAGMA application_id = {};", kSqliteApplicationId);
    if (sqlite3_exec(db, setup.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      return fail(
          Status::IoError(fmt::format("{}: cannot initialise: {}", path, sqlite3_errmsg(db))));
    }
  } else if (*app_id != kSqliteApplicationId) {
    return fail(
        Status::Unsupported(fmt::format("{} is an SQLite database but not a memoria store", path)));
  } else if (user_version > kSchemaVersion) {
    return fail(Status::Unsupported(fmt::format(
        "{} was written by a newer memoria (schema version {}; this build reads up to {})", path,
        user_version, kSchemaVersion)));
  }
  Status migrated = ApplyMigrations(db, static_cast<int>(user_version));
  if (!migrated.ok()) return fail(migrated);
  // Reads through a memory map (up to 2 GiB of the file, SQLite's usual build limit): a scan in id
  // order visits the log's pages in random order, and through read() with a 64 MiB page cache it
  // copied the same pages in again and again (three times the CPU of mapped reads when a 100,000-
  // person store was read for linkage). The mapped pages are the kernel's page cache, shared
  // and reclaimable; writes still go through the WAL.
  sqlite3_exec(
      db,
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; "
      "PRAGMA mmap_size = 2147418112;",
      nullptr, nullptr, nullptr);
  auto store = std::make_unique<SqliteStore>(db, options.clock ? options.clock : &SystemClock());
  MEMORIA_RETURN_IF_ERROR(store->Prepare());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace memoria::store
