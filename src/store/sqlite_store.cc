#include "store/sqlite_store.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
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
  std::string Text(int col) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
  }
  std::int64_t Int(int col) { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::string error_;
};

std::string Sha256Hex(std::string_view prefix_hex, std::string_view data) {
  unsigned char prev[32] = {};
  for (std::size_t i = 0; i < 32 && 2 * i + 1 < prefix_hex.size(); ++i) {
    prev[i] = static_cast<unsigned char>(
        std::stoi(std::string(prefix_hex.substr(2 * i, 2)), nullptr, 16));
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

// The EDTF fields of a type: each has <field>_earliest and <field>_latest projection columns.
std::vector<std::string> EdtfFields(const EntitySpec& spec) {
  std::vector<std::string> out;
  for (const auto& f : spec.fields) {
    if (f.kind == FieldKind::kEdtf) out.push_back(f.name);
  }
  return out;
}

struct TableStatements {
  const EntitySpec* spec = nullptr;
  std::vector<std::string> edtf_fields;
  Stmt select;  // version, body by id
  Stmt insert;  // id, version, body, dates...
  Stmt update;  // version, body, dates..., id
  Stmt remove;  // by id
  Stmt exists;
};

class SqliteStore : public Store {
 public:
  SqliteStore(sqlite3* db, Clock* clock) : db_(db), clock_(clock) {}
  ~SqliteStore() override {
    tables_.clear();
    log_insert_ = Stmt();
    log_last_for_id_ = Stmt();
    record_by_key_ = Stmt();
    sqlite3_close_v2(db_);
  }

  Status Prepare() {
    for (const EntitySpec& spec : EntitySpecs()) {
      TableStatements t;
      t.spec = &spec;
      t.edtf_fields = EdtfFields(spec);
      std::string cols = "id, version, body", marks = "?1, ?2, ?3",
                  sets = "version = ?2, body = ?3";
      int n = 4;
      for (const auto& f : t.edtf_fields) {
        for (const char* suffix : {"_earliest", "_latest"}) {
          cols += fmt::format(", {}{}", f, suffix);
          marks += fmt::format(", ?{}", n);
          sets += fmt::format(", {}{} = ?{}", f, suffix, n);
          ++n;
        }
      }
      t.select = Stmt(db_, fmt::format("SELECT version, body FROM {} WHERE id = ?1", spec.type));
      t.insert = Stmt(db_, fmt::format("INSERT INTO {} ({}) VALUES ({})", spec.type, cols, marks));
      t.update = Stmt(db_, fmt::format("UPDATE {} SET {} WHERE id = ?1", spec.type, sets));
      t.remove = Stmt(db_, fmt::format("DELETE FROM {} WHERE id = ?1", spec.type));
      t.exists = Stmt(db_, fmt::format("SELECT 1 FROM {} WHERE id = ?1", spec.type));
      for (Stmt* s : {&t.select, &t.insert, &t.update, &t.remove, &t.exists}) {
        if (!s->valid()) return Status::Internal(s->error());
      }
      tables_.emplace(spec.type, std::move(t));
    }
    log_insert_ =
        Stmt(db_,
             "INSERT INTO log (seq, at, actor, entity, id, version, op, body, prev_hash, hash) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    log_last_for_id_ =
        Stmt(db_, "SELECT entity, version, op FROM log WHERE id = ?1 ORDER BY seq DESC LIMIT 1");
    record_by_key_ = Stmt(db_, "SELECT id FROM record WHERE source = ?1 AND source_record_id = ?2");
    for (Stmt* s : {&log_insert_, &log_last_for_id_, &record_by_key_}) {
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
    auto it = tables_.find(entity.type);
    if (it == tables_.end()) return Status::InvalidInput("unknown type " + entity.type);
    TableStatements& t = it->second;
    MEMORIA_ASSIGN_OR_RETURN(std::string body, CanonicalJson(entity.body));

    t.select.Reset().Bind(1, entity.id);
    int rc = t.select.Step();
    std::int64_t version = 0;
    bool live = false;
    if (rc == SQLITE_ROW) {
      live = true;
      version = t.select.Int(0);
      if (t.select.Text(1) == body) {
        t.select.Reset();
        return WriteOutcome::kUnchanged;
      }
      t.select.Reset();
      if (!allow_update) {
        return Status::Conflict(fmt::format(
            "{} {} already exists (version {}) with different content; importing does not "
            "overwrite (use --update to record a new version)",
            entity.type, entity.id, version));
      }
    } else if (rc != SQLITE_DONE) {
      return SqlError("select");
    } else {
      t.select.Reset();
      // Not live in this type: is the id used by another type, or deleted earlier?
      log_last_for_id_.Reset().Bind(1, entity.id);
      if (log_last_for_id_.Step() == SQLITE_ROW) {
        std::string other = log_last_for_id_.Text(0);
        version = log_last_for_id_.Int(1);
        std::string op = log_last_for_id_.Text(2);
        log_last_for_id_.Reset();
        if (other != entity.type) {
          return Status::Conflict(fmt::format("id {} is already used by a {}", entity.id, other));
        }
        if (op != "delete")
          return Status::Internal("projection row missing for live entity " + entity.id);
      } else {
        log_last_for_id_.Reset();
      }
    }
    if (entity.type == "record") {
      record_by_key_.Reset()
          .Bind(1, entity.body["source"].get<std::string>())
          .Bind(2, entity.body["source_record_id"].get<std::string>());
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
    ++version;
    const char* op = live ? "update" : "create";
    Stmt& write = live ? t.update : t.insert;
    write.Reset().Bind(1, entity.id).Bind(2, version).Bind(3, body);
    MEMORIA_RETURN_IF_ERROR(BindDates(write, t, entity.body, 4));
    if (write.Step() != SQLITE_DONE) return SqlError("projection write");
    write.Reset();
    MEMORIA_RETURN_IF_ERROR(AppendLog(actor, entity.type, entity.id, version, op, body));
    return live ? WriteOutcome::kUpdated : WriteOutcome::kCreated;
  }

  Status Delete(std::string_view id, std::string_view actor) override {
    if (!in_tx_) return Status::Internal("Delete outside a transaction");
    MEMORIA_ASSIGN_OR_RETURN(std::optional<StoredEntity> current, Get(id));
    if (!current) return Status::NotFound(fmt::format("no entity with id {}", id));
    // Refuse to leave a dangling reference.
    for (const EntitySpec& spec : EntitySpecs()) {
      for (const FieldSpec& f : spec.fields) {
        if (f.kind != FieldKind::kRef || f.ref_type != current->type) continue;
        Stmt q(db_, fmt::format("SELECT id FROM {} WHERE {} = ?1 LIMIT 1", spec.type, f.name));
        q.Bind(1, id);
        if (q.Step() == SQLITE_ROW) {
          return Status::Conflict(
              fmt::format("{} {} is referred to by {} {} ({}); delete that first", current->type,
                          id, spec.type, q.Text(0), f.name));
        }
      }
    }
    TableStatements& t = tables_.at(current->type);
    t.remove.Reset().Bind(1, id);
    if (t.remove.Step() != SQLITE_DONE) return SqlError("delete");
    t.remove.Reset();
    return AppendLog(actor, current->type, std::string(id), current->version + 1, "delete", "");
  }

  Result<bool> Exists(std::string_view type, std::string_view id) override {
    auto it = tables_.find(std::string(type));
    if (it == tables_.end()) return false;
    Stmt& q = it->second.exists;
    q.Reset().Bind(1, id);
    bool found = q.Step() == SQLITE_ROW;
    q.Reset();
    return found;
  }

  Result<std::optional<StoredEntity>> Get(std::string_view id) override {
    log_last_for_id_.Reset().Bind(1, id);
    if (log_last_for_id_.Step() != SQLITE_ROW) {
      log_last_for_id_.Reset();
      return std::optional<StoredEntity>();
    }
    std::string type = log_last_for_id_.Text(0);
    log_last_for_id_.Reset();
    auto it = tables_.find(type);
    if (it == tables_.end()) return std::optional<StoredEntity>();
    Stmt& q = it->second.select;
    q.Reset().Bind(1, id);
    std::optional<StoredEntity> out;
    if (q.Step() == SQLITE_ROW) out = StoredEntity{type, std::string(id), q.Int(0), q.Text(1)};
    q.Reset();
    return out;
  }

  Result<std::vector<LogEntry>> History(std::string_view id) override {
    Stmt q(db_,
           "SELECT seq, at, actor, entity, id, version, op, body, prev_hash, hash FROM log "
           "WHERE id = ?1 ORDER BY seq");
    q.Bind(1, id);
    std::vector<LogEntry> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) out.push_back(ReadEntry(q));
    if (rc != SQLITE_DONE) return SqlError("history");
    return out;
  }

  Status ForEach(std::string_view type,
                 const std::function<Status(const StoredEntity&)>& fn) override {
    if (!tables_.count(std::string(type)))
      return Status::InvalidInput(fmt::format("unknown type {}", type));
    Stmt q(db_, fmt::format("SELECT id, version, body FROM {} ORDER BY id", type));
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      MEMORIA_RETURN_IF_ERROR(fn(StoredEntity{std::string(type), q.Text(0), q.Int(1), q.Text(2)}));
    }
    if (rc != SQLITE_DONE) return SqlError("scan");
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
    for (const EntitySpec& spec : EntitySpecs()) {
      Stmt q(db_, fmt::format("SELECT count(*) FROM {}", spec.type));
      if (q.Step() != SQLITE_ROW) return SqlError("count");
      s.entities[spec.type] = q.Int(0);
    }
    Stmt acts(db_, "SELECT body ->> '$.act_type' AS t, count(*) FROM act GROUP BY t ORDER BY t");
    while (acts.Step() == SQLITE_ROW) s.acts_by_type[acts.Text(0)] = acts.Int(1);
    Stmt del(db_,
             "SELECT count(*) FROM log l WHERE op = 'delete' AND "
             "seq = (SELECT max(seq) FROM log WHERE id = l.id)");
    if (del.Step() == SQLITE_ROW) s.deleted = del.Int(0);
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

  static Status BindDates(Stmt& s, const TableStatements& t, const json& body, int first) {
    int n = first;
    for (const auto& f : t.edtf_fields) {
      auto it = body.find(f);
      if (it == body.end()) {
        s.BindNull(n).BindNull(n + 1);
      } else {
        Result<EdtfDate> d = EdtfDate::Parse(it->get<std::string>());
        if (!d.ok()) return Status(d.status()).InField(f);
        s.Bind(n, static_cast<std::int64_t>(d->earliest()))
            .Bind(n + 1, static_cast<std::int64_t>(d->latest()));
      }
      n += 2;
    }
    return Status::Ok();
  }

  Status AppendLog(std::string_view actor, const std::string& type, const std::string& id,
                   std::int64_t version, const char* op, const std::string& body) {
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
    if (log_insert_.Step() != SQLITE_DONE) return SqlError("log append");
    log_insert_.Reset();
    head_seq_ = e.seq;
    head_hash_ = e.hash;
    return Status::Ok();
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
  std::unordered_map<std::string, TableStatements> tables_;
  Stmt log_insert_;
  Stmt log_last_for_id_;
  Stmt record_by_key_;
};

Result<VerifyReport> SqliteStore::Verify() {
  VerifyReport report;
  // Pass 1, in log order: the hash chain, and that each body is canonical and names its entity.
  {
    Stmt q(db_,
           "SELECT seq, at, actor, entity, id, version, op, body, prev_hash, hash FROM log ORDER "
           "BY seq");
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
      if (!tables_.count(e.entity)) return Status::Corruption(where + ": unknown entity type");
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
  // Pass 2, per id in log order: versions and ops follow each other, and the projection of each
  // type equals the last logged version of each of its entities (a merge of two id-ordered scans).
  std::unordered_map<std::string, std::unique_ptr<Stmt>> rows;
  std::unordered_map<std::string, bool> row_pending;
  for (const auto& [type, t] : tables_) {
    std::string cols = "id, version, body";
    for (const auto& f : t.edtf_fields) cols += fmt::format(", {0}_earliest, {0}_latest", f);
    rows[type] =
        std::make_unique<Stmt>(db_, fmt::format("SELECT {} FROM {} ORDER BY id", cols, type));
    row_pending[type] = rows[type]->Step() == SQLITE_ROW;
  }
  auto extra_rows_before = [&](const std::string& type, const std::string& id) -> Status {
    Stmt& r = *rows[type];
    if (row_pending[type] && (id.empty() || r.Text(0) < id)) {
      return Status::Corruption(fmt::format(
          "{} {}: projection row has no log entry (inserted outside memoria?)", type, r.Text(0)));
    }
    return Status::Ok();
  };
  Stmt q(db_, "SELECT seq, id, entity, version, op, body FROM log ORDER BY id, seq");
  std::string cur_id, cur_type, cur_op, cur_body;
  std::int64_t cur_version = 0, cur_seq = 0;
  auto finish_id = [&]() -> Status {
    if (cur_id.empty()) return Status::Ok();
    MEMORIA_RETURN_IF_ERROR(extra_rows_before(cur_type, cur_id));
    Stmt& r = *rows[cur_type];
    bool has_row = row_pending[cur_type] && r.Text(0) == cur_id;
    if (cur_op == "delete") {
      if (has_row) {
        return Status::Corruption(
            fmt::format("{} {}: deleted by log entry {} but still in the projection", cur_type,
                        cur_id, cur_seq));
      }
      return Status::Ok();
    }
    if (!has_row) {
      return Status::Corruption(
          fmt::format("{} {}: live in the log (entry {}) but missing from the projection", cur_type,
                      cur_id, cur_seq));
    }
    if (r.Int(1) != cur_version || r.Text(2) != cur_body) {
      return Status::Corruption(fmt::format(
          "{} {}: projection row differs from log entry {} (version {}) — changed outside memoria?",
          cur_type, cur_id, cur_seq, cur_version));
    }
    const TableStatements& t = tables_.at(cur_type);
    json body = json::parse(cur_body);
    int col = 3;
    for (const auto& f : t.edtf_fields) {
      auto it = body.find(f);
      bool bad;
      if (it == body.end()) {
        bad = !r.IsNull(col) || !r.IsNull(col + 1);
      } else {
        Result<EdtfDate> d = EdtfDate::Parse(it->get<std::string>());
        bad = !d.ok() || r.IsNull(col) || r.Int(col) != d->earliest() ||
              r.Int(col + 1) != d->latest();
      }
      if (bad) {
        return Status::Corruption(fmt::format(
            "{} {}: derived date columns of {} do not match the body", cur_type, cur_id, f));
      }
      col += 2;
    }
    ++report.entities;
    row_pending[cur_type] = r.Step() == SQLITE_ROW;
    return Status::Ok();
  };
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
    std::int64_t seq = q.Int(0);
    std::string id = q.Text(1), type = q.Text(2), op = q.Text(4);
    std::int64_t version = q.Int(3);
    std::string where = fmt::format("log entry {} ({} {})", seq, type, id);
    if (id != cur_id) {
      MEMORIA_RETURN_IF_ERROR(finish_id());
      if (version != 1 || op != "create")
        return Status::Corruption(where + ": the first entry of an id must be a create, version 1");
    } else {
      if (type != cur_type) return Status::Corruption(where + ": the id changed type");
      if (version != cur_version + 1)
        return Status::Corruption(where + ": version does not follow the previous one");
      if ((cur_op == "delete") != (op == "create")) {
        return Status::Corruption(where + ": only a deleted entity can be created again");
      }
    }
    cur_id = id;
    cur_type = type;
    cur_op = op;
    cur_body = q.Text(5);
    cur_version = version;
    cur_seq = seq;
  }
  if (rc != SQLITE_DONE) return SqlError("verify");
  MEMORIA_RETURN_IF_ERROR(finish_id());
  for (const auto& [type, t] : tables_) MEMORIA_RETURN_IF_ERROR(extra_rows_before(type, ""));
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
  std::string c = "{\"actor\":";
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
  sqlite3_exec(
      db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;",
      nullptr, nullptr, nullptr);
  auto store = std::make_unique<SqliteStore>(db, options.clock ? options.clock : &SystemClock());
  MEMORIA_RETURN_IF_ERROR(store->Prepare());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace memoria::store
