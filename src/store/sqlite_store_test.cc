// Tests of the SQLite store: write outcomes, versions, history, deletes, reopening, the entry hash
// byte for byte, files that are not (current) memoria stores, and Verify catching tampering done
// with the plain SQLite API, as someone with the `sqlite3` shell would.
#include "store/sqlite_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/vocabulary.h"

namespace memoria::store {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

class FixedClock : public Clock {
 public:
  std::string NowUtc() override { return "2026-11-29T08:00:00.000Z"; }
};

Entity MakeEntity(json object) {
  Result<Entity> e = ValidateEntity(std::move(object), Vocabularies::Default());
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? *e : Entity{};
}

Entity Unit(const std::string& id, const std::string& name) {
  return MakeEntity({{"type", "unit"}, {"id", id}, {"name", name}});
}

// Runs `sql` on the file with the plain SQLite API (the store must be closed).
void Tamper(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg << " in " << sql;
}

std::string Hex(const unsigned char* p, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s.push_back(kHex[p[i] >> 4]);
    s.push_back(kHex[p[i] & 0xF]);
  }
  return s;
}

std::string Sha256OfBytes(const std::string& bytes) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), out);
  return Hex(out, sizeof out);
}

std::string Unhex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "memoria_store_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/test.db";
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  Result<std::unique_ptr<Store>> Open(bool create) {
    return OpenSqliteStore(path_, SqliteOptions{.create = create, .clock = &clock_});
  }
  void OpenOrDie() {
    store_.reset();
    Result<std::unique_ptr<Store>> s = Open(true);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  WriteOutcome PutOk(const Entity& e, bool allow_update = false) {
    EXPECT_TRUE(store_->Begin().ok());
    Result<WriteOutcome> r = store_->Put(e, "tester", allow_update);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(store_->Commit().ok());
    return r.ok() ? *r : WriteOutcome::kUnchanged;
  }
  Status PutStatus(const Entity& e, bool allow_update = false) {
    EXPECT_TRUE(store_->Begin().ok());
    Result<WriteOutcome> r = store_->Put(e, "tester", allow_update);
    if (!r.ok()) {
      store_->Rollback();
      return r.status();
    }
    EXPECT_TRUE(store_->Commit().ok());
    return Status::Ok();
  }
  Status DeleteStatus(const std::string& id) {
    EXPECT_TRUE(store_->Begin().ok());
    Status s = store_->Delete(id, "tester");
    if (!s.ok()) {
      store_->Rollback();
      return s;
    }
    EXPECT_TRUE(store_->Commit().ok());
    return s;
  }
  StoreStats StatsOrDie() {
    Result<StoreStats> s = store_->Stats();
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : StoreStats{};
  }

  // A small store exercising every kind of log entry: creates, an update, a delete, dates.
  //  seq 1 place pl-1 create; 2 source src-1; 3 record r-1; 4 person p-1 (birth 1962~);
  //  5 event e-1 (date 1999-03/1999-06); 6 act a-1; 7 unit u-1; 8 unit u-1 update;
  //  9 unit u-2 create; 10 unit u-2 delete; 11 person p-2 create (last).
  void BuildSample() {
    OpenOrDie();
    ASSERT_TRUE(store_->Begin().ok());
    for (const json& o : std::vector<json>{
             {{"type", "place"}, {"id", "pl-1"}, {"name", "Onsong"}, {"kind", "county"}},
             {{"type", "source"}, {"id", "src-1"}, {"name", "List"}},
             {{"type", "record"}, {"id", "r-1"}, {"source", "src-1"}, {"source_record_id", "T-1"}},
             {{"type", "person"},
              {"id", "p-1"},
              {"sex", "male"},
              {"birth", "1962~"},
              {"birthplace", "pl-1"},
              {"record", "r-1"}},
             {{"type", "event"},
              {"id", "e-1"},
              {"title", "Arrest"},
              {"date", "1999-03/1999-06"},
              {"place", "pl-1"}},
             {{"type", "act"},
              {"id", "a-1"},
              {"event", "e-1"},
              {"victim", "p-1"},
              {"act_type", "V.DET.TORTURE"},
              {"date", "1999-04"}},
             {{"type", "unit"}, {"id", "u-1"}, {"name", "Unit one"}}}) {
      ASSERT_TRUE(store_->Put(MakeEntity(o), "tester", false).ok());
    }
    ASSERT_TRUE(store_->Put(Unit("u-1", "Unit one, renamed"), "tester", true).ok());
    ASSERT_TRUE(store_->Put(Unit("u-2", "Unit two"), "tester", false).ok());
    ASSERT_TRUE(store_->Delete("u-2", "tester").ok());
    ASSERT_TRUE(store_
                    ->Put(MakeEntity({{"type", "person"}, {"id", "p-2"}, {"sex", "female"}}),
                          "tester", false)
                    .ok());
    ASSERT_TRUE(store_->Commit().ok());
    Result<VerifyReport> v = store_->Verify();
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    ASSERT_EQ(v->entries, 11);
    // Rows checked: the 8 live entities, and u-2's tombstone where the store keeps one.
    ASSERT_TRUE(v->entities == 8 || v->entities == 9) << v->entities;
    store_.reset();
  }

  // Starts again from a fresh sample store and tampers with it.
  void BuildSampleAgainAndTamper(const std::string& sql) {
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix);
    BuildSample();
    Tamper(path_, sql);
  }

  // Reopens and verifies; expects Corruption whose message contains every one of `needles`.
  void ExpectCorruption(std::initializer_list<std::string> needles) {
    Result<std::unique_ptr<Store>> s = Open(false);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    Result<VerifyReport> v = (*s)->Verify();
    ASSERT_FALSE(v.ok()) << "tampering not detected";
    EXPECT_EQ(v.status().code(), ErrorCode::kCorruption) << v.status().ToString();
    for (const std::string& n : needles) EXPECT_THAT(v.status().message(), HasSubstr(n));
  }

  // Reads one log entry with the plain API.
  LogEntry ReadLog(std::int64_t seq) {
    OpenOrDie();
    LogEntry out;
    std::string id;
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, "SELECT id FROM log WHERE seq = ?1", -1, &q, nullptr);
    sqlite3_bind_int64(q, 1, seq);
    if (sqlite3_step(q) == SQLITE_ROW)
      id = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
    Result<std::vector<LogEntry>> h = store_->History(id);
    EXPECT_TRUE(h.ok());
    for (const LogEntry& e : *h) {
      if (e.seq == seq) out = e;
    }
    store_.reset();
    EXPECT_EQ(out.seq, seq);
    return out;
  }

  FixedClock clock_;
  std::string dir_, path_;
  std::unique_ptr<Store> store_;
};

// ---------------------------------------------------------------------------------------------
// Writes, versions, history.

TEST_F(SqliteStoreTest, CreateUpdateUnchangedConflict) {
  OpenOrDie();
  EXPECT_EQ(PutOk(Unit("u-1", "A")), WriteOutcome::kCreated);
  EXPECT_EQ(PutOk(Unit("u-1", "A")), WriteOutcome::kUnchanged);
  Status conflict = PutStatus(Unit("u-1", "B"));
  EXPECT_EQ(conflict.code(), ErrorCode::kConflict);
  EXPECT_THAT(conflict.message(), HasSubstr("u-1"));
  EXPECT_EQ(PutOk(Unit("u-1", "B"), /*allow_update=*/true), WriteOutcome::kUpdated);
  EXPECT_EQ(PutOk(Unit("u-1", "B"), true), WriteOutcome::kUnchanged);

  Result<std::optional<StoredEntity>> got = store_->Get("u-1");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->type, "unit");
  EXPECT_EQ((*got)->version, 2);
  EXPECT_EQ((*got)->body, R"({"confidentiality":"internal","id":"u-1","name":"B","type":"unit"})");
  EXPECT_EQ(StatsOrDie().log_entries, 2);  // unchanged writes add nothing
}

TEST_F(SqliteStoreTest, IdUsedByAnotherTypeIsAConflict) {
  OpenOrDie();
  PutOk(Unit("x-1", "A"));
  Status s = PutStatus(MakeEntity({{"type", "source"}, {"id", "x-1"}, {"name", "S"}}));
  EXPECT_EQ(s.code(), ErrorCode::kConflict);
  EXPECT_THAT(s.message(), HasSubstr("unit"));
}

TEST_F(SqliteStoreTest, WritesNeedATransaction) {
  OpenOrDie();
  Result<WriteOutcome> r = store_->Put(Unit("u-1", "A"), "tester", false);
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(store_->Delete("u-1", "tester").ok());
  EXPECT_FALSE(store_->Commit().ok());
}

TEST_F(SqliteStoreTest, RollbackDiscardsEverything) {
  OpenOrDie();
  PutOk(Unit("u-0", "Z"));
  std::string head = StatsOrDie().head_hash;
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->Put(Unit("u-1", "A"), "tester", false).ok());
  ASSERT_TRUE(store_->Put(Unit("u-0", "Y"), "tester", true).ok());
  store_->Rollback();
  EXPECT_FALSE(*store_->Exists("unit", "u-1"));
  EXPECT_EQ(StatsOrDie().log_entries, 1);
  EXPECT_EQ(StatsOrDie().head_hash, head);
  // The next transaction chains to the committed head, not to the discarded entries.
  PutOk(Unit("u-2", "B"));
  Result<VerifyReport> v = store_->Verify();
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->entries, 2);
}

TEST_F(SqliteStoreTest, HistoryReturnsEveryVersion) {
  OpenOrDie();
  PutOk(Unit("u-1", "A"));
  PutOk(Unit("u-2", "other"));
  PutOk(Unit("u-1", "B"), true);
  PutOk(Unit("u-1", "C"), true);
  ASSERT_TRUE(DeleteStatus("u-1").ok());
  PutOk(Unit("u-1", "D"));  // created again after the delete

  Result<std::vector<LogEntry>> h = store_->History("u-1");
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 5u);
  std::vector<std::string> ops, names;
  for (std::size_t i = 0; i < h->size(); ++i) {
    const LogEntry& e = (*h)[i];
    EXPECT_EQ(e.version, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(e.entity, "unit");
    EXPECT_EQ(e.actor, "tester");
    EXPECT_EQ(e.at, "2026-11-29T08:00:00.000Z");
    EXPECT_EQ(e.hash, ComputeEntryHash(e));
    ops.push_back(e.op);
    names.push_back(e.body.empty() ? "" : json::parse(e.body)["name"].get<std::string>());
  }
  EXPECT_EQ(ops, (std::vector<std::string>{"create", "update", "update", "delete", "create"}));
  EXPECT_EQ(names, (std::vector<std::string>{"A", "B", "C", "", "D"}));
  EXPECT_EQ((*h)[0].seq, 1);
  EXPECT_EQ((*h)[1].seq, 3);
  EXPECT_EQ((*h)[0].prev_hash, std::string(64, '0'));
  EXPECT_EQ(store_->Get("u-1")->value().version, 5);
  EXPECT_TRUE(store_->History("nobody")->empty());
  EXPECT_TRUE(store_->Verify().ok());
}

TEST_F(SqliteStoreTest, DeleteWritesATombstoneAndRefusesWhileReferenced) {
  OpenOrDie();
  PutOk(MakeEntity({{"type", "unit"}, {"id", "u-top"}, {"name", "Top"}}));
  PutOk(MakeEntity({{"type", "unit"}, {"id", "u-sub"}, {"name", "Sub"}, {"parent", "u-top"}}));
  Status refused = DeleteStatus("u-top");
  EXPECT_EQ(refused.code(), ErrorCode::kConflict);
  EXPECT_THAT(refused.message(), HasSubstr("u-sub"));
  EXPECT_TRUE(*store_->Exists("unit", "u-top"));

  EXPECT_EQ(DeleteStatus("nobody").code(), ErrorCode::kNotFound);

  ASSERT_TRUE(DeleteStatus("u-sub").ok());
  ASSERT_TRUE(DeleteStatus("u-top").ok());
  EXPECT_FALSE(*store_->Exists("unit", "u-top"));
  EXPECT_FALSE(store_->Get("u-top")->has_value());
  EXPECT_EQ(DeleteStatus("u-top").code(), ErrorCode::kNotFound);  // already deleted
  Result<std::vector<LogEntry>> h = store_->History("u-top");
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ((*h)[1].op, "delete");
  EXPECT_EQ((*h)[1].body, "");
  EXPECT_EQ((*h)[1].version, 2);
  StoreStats st = StatsOrDie();
  EXPECT_EQ(st.deleted, 2);
  EXPECT_EQ(st.entities["unit"], 0);
  EXPECT_EQ(st.log_entries, 4);
  EXPECT_TRUE(store_->Verify().ok());
}

TEST_F(SqliteStoreTest, GetExistsAndForEachOrder) {
  OpenOrDie();
  for (const char* id : {"u-c", "u-a", "u-b"}) PutOk(Unit(id, id));
  PutOk(MakeEntity({{"type", "source"}, {"id", "s-1"}, {"name", "S"}}));
  EXPECT_TRUE(*store_->Exists("unit", "u-a"));
  EXPECT_FALSE(*store_->Exists("source", "u-a"));  // exists, but as another type
  EXPECT_FALSE(*store_->Exists("unit", "u-z"));
  EXPECT_FALSE(*store_->Exists("no_such_type", "u-a"));
  EXPECT_FALSE(store_->Get("u-z")->has_value());
  std::vector<std::string> ids;
  ASSERT_TRUE(store_
                  ->ForEach("unit",
                            [&](const StoredEntity& e) {
                              EXPECT_EQ(e.type, "unit");
                              ids.push_back(e.id);
                              return Status::Ok();
                            })
                  .ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"u-a", "u-b", "u-c"}));
  // ForEach stops at the first error and returns it.
  int calls = 0;
  Status s = store_->ForEach("unit", [&](const StoredEntity&) {
    ++calls;
    return Status::Internal("stop");
  });
  EXPECT_EQ(s.code(), ErrorCode::kInternal);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(store_->ForEach("nope", [](const StoredEntity&) { return Status::Ok(); }).code(),
            ErrorCode::kInvalidInput);
}

// ---------------------------------------------------------------------------------------------
// ForEachFields: a few fields of each live entity, as JSON text.

TEST_F(SqliteStoreTest, ForEachFieldsGivesTheJsonTextAtEachPath) {
  OpenOrDie();
  PutOk(MakeEntity({{"type", "person"},
                    {"id", "p-b"},
                    {"names",
                     {{{"full", "Kim \"Yong\" \\ Chol"}, {"family", "Kim"}},
                      {{"full", "김영철"}, {"script", "Hang"}}}},
                    {"roles", {"victim", "witness"}},
                    {"sex", "male"}}));
  PutOk(MakeEntity({{"type", "person"}, {"id", "p-a"}, {"names", {{{"full", "리순희"}}}}}));
  PutOk(MakeEntity({{"type", "person"}, {"id", "p-c"}, {"sex", "female"}}));
  ASSERT_TRUE(DeleteStatus("p-c").ok());  // only live entities
  PutOk(Unit("u-1", "not a person"));
  struct Row {
    std::string id;
    std::vector<std::optional<std::string>> values;
  };
  std::vector<Row> rows;
  Status s = store_->ForEachFields(
      "person", {"names[0].full", "names[1].full", "names[2].full", "roles", "sex", "names"},
      [&](std::string_view id, const Store::FieldValues& v) {
        Row r{std::string(id), {}};
        for (const auto& x : v)
          r.values.push_back(x ? std::optional<std::string>(*x) : std::nullopt);
        rows.push_back(std::move(r));
        return Status::Ok();
      });
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, "p-a");  // ordered by id
  EXPECT_EQ(rows[0].values[0], "\"리순희\"");
  for (int i : {1, 2, 3, 4}) EXPECT_EQ(rows[0].values[i], std::nullopt) << i;
  EXPECT_EQ(rows[1].id, "p-b");
  // A string comes as JSON: quoted and escaped; it parses back to the stored value.
  ASSERT_TRUE(rows[1].values[0].has_value());
  EXPECT_EQ(json::parse(*rows[1].values[0]), "Kim \"Yong\" \\ Chol");
  EXPECT_EQ(rows[1].values[1], "\"김영철\"");
  EXPECT_EQ(rows[1].values[2], std::nullopt);
  ASSERT_TRUE(rows[1].values[3].has_value());
  EXPECT_EQ(json::parse(*rows[1].values[3]), json({"victim", "witness"}));
  EXPECT_EQ(rows[1].values[4], "\"male\"");
  ASSERT_TRUE(rows[1].values[5].has_value());
  EXPECT_EQ(json::parse(*rows[1].values[5]).size(), 2u);

  // No paths: just the ids.
  std::vector<std::string> ids;
  ASSERT_TRUE(store_
                  ->ForEachFields("person", {},
                                  [&](std::string_view id, const Store::FieldValues& v) {
                                    EXPECT_TRUE(v.empty());
                                    ids.emplace_back(id);
                                    return Status::Ok();
                                  })
                  .ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"p-a", "p-b"}));

  // Stops at the first error of fn and returns it.
  int calls = 0;
  s = store_->ForEachFields("person", {"sex"}, [&](std::string_view, const Store::FieldValues&) {
    ++calls;
    return Status::Internal("stop");
  });
  EXPECT_EQ(s.code(), ErrorCode::kInternal);
  EXPECT_EQ(calls, 1);
}

TEST_F(SqliteStoreTest, ForEachFieldsRefusesBadPathsAndTypes) {
  OpenOrDie();
  PutOk(Unit("u-1", "one"));
  auto none = [](std::string_view, const Store::FieldValues&) {
    ADD_FAILURE() << "called";
    return Status::Ok();
  };
  for (const char* bad :
       {"", ".", "names.", ".names", "names[", "names[]", "names[x]", "names[0", "names[0]x",
        "na me", "$.name", "names..full", "name's", "names[1234567890]"}) {
    Status s = store_->ForEachFields("unit", {"name", bad}, none);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidInput) << bad;
    EXPECT_EQ(s.location().field, "paths") << bad;
    EXPECT_THAT(s.message(), HasSubstr("malformed path")) << bad;
  }
  Status s = store_->ForEachFields("no_such_type", {"name"}, none);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(s.message(), HasSubstr("unknown type no_such_type"));
  for (const char* good : {"name", "a_b.c1[0][2].d", "names[0].full", "X9"}) {
    EXPECT_TRUE(store_
                    ->ForEachFields(
                        "unit", {good},
                        [](std::string_view, const Store::FieldValues&) { return Status::Ok(); })
                    .ok())
        << good;
  }
}

TEST_F(SqliteStoreTest, ForEachFieldsNamesABodyThatIsNotAJsonObject) {
  for (const char* body : {"not json {", "[1, 2]", "\"text\""}) {
    BuildSampleAgainAndTamper(std::string("UPDATE log SET body = '") + body +
                              "' WHERE seq = (SELECT last_seq FROM entity WHERE id = 'p-2')");
    OpenOrDie();
    std::vector<std::string> seen;
    Status s = store_->ForEachFields("person", {"sex"},
                                     [&](std::string_view id, const Store::FieldValues&) {
                                       seen.emplace_back(id);
                                       return Status::Ok();
                                     });
    EXPECT_EQ(s.code(), ErrorCode::kCorruption) << body;
    EXPECT_EQ(s.message(), "person p-2: stored body is not a JSON object") << body;
    EXPECT_EQ(seen, std::vector<std::string>{"p-1"}) << body;  // the rows before it
  }
}

TEST_F(SqliteStoreTest, RecordSourceRecordIdIsUniquePerSource) {
  OpenOrDie();
  PutOk(MakeEntity({{"type", "source"}, {"id", "s-1"}, {"name", "S1"}}));
  PutOk(MakeEntity({{"type", "source"}, {"id", "s-2"}, {"name", "S2"}}));
  auto record = [](const std::string& id, const std::string& source, const std::string& rid) {
    return MakeEntity(
        {{"type", "record"}, {"id", id}, {"source", source}, {"source_record_id", rid}});
  };
  PutOk(record("r-1", "s-1", "T-1"));
  Status s = PutStatus(record("r-2", "s-1", "T-1"));
  EXPECT_EQ(s.code(), ErrorCode::kConflict);
  EXPECT_EQ(s.location().field, "source_record_id");
  EXPECT_THAT(s.message(), HasSubstr("r-1"));
  EXPECT_EQ(PutOk(record("r-3", "s-2", "T-1")), WriteOutcome::kCreated);  // other source
  // The same record may change its other fields.
  Entity changed = MakeEntity({{"type", "record"},
                               {"id", "r-1"},
                               {"source", "s-1"},
                               {"source_record_id", "T-1"},
                               {"received", "2015"}});
  EXPECT_EQ(PutOk(changed, true), WriteOutcome::kUpdated);
}

TEST_F(SqliteStoreTest, ReopenKeepsEverything) {
  BuildSample();
  OpenOrDie();
  StoreStats before = StatsOrDie();
  ASSERT_TRUE(store_->SetMeta("k", "v1").ok());
  ASSERT_TRUE(store_->SetMeta("k", "v2").ok());
  store_.reset();

  Result<std::unique_ptr<Store>> s = Open(false);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  store_ = std::move(*s);
  StoreStats after = StatsOrDie();
  EXPECT_EQ(after.log_entries, 11);
  EXPECT_EQ(after.head_hash, before.head_hash);
  EXPECT_EQ(after.entities, before.entities);
  EXPECT_EQ(after.entities["person"], 2);
  EXPECT_EQ(after.entities["unit"], 1);
  EXPECT_EQ(after.acts_by_type, (std::map<std::string, std::int64_t>{{"V.DET.TORTURE", 1}}));
  EXPECT_EQ(after.deleted, 1);
  EXPECT_EQ(store_->GetMeta("k")->value_or(""), "v2");
  EXPECT_FALSE(store_->GetMeta("absent")->has_value());
  EXPECT_EQ(store_->Get("u-1")->value().version, 2);
  EXPECT_EQ(store_->History("u-2")->size(), 2u);
  EXPECT_TRUE(store_->Verify().ok());
  // Writing after reopening continues the chain.
  PutOk(Unit("u-3", "Three"));
  Result<VerifyReport> v = store_->Verify();
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->entries, 12);
  EXPECT_EQ(store_->History("u-3")->at(0).prev_hash, before.head_hash);
}

TEST_F(SqliteStoreTest, FileHeaderIdentifiesAMemoriaStore) {
  OpenOrDie();
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  auto pragma = [&](const char* p) {
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, p, -1, &q, nullptr);
    sqlite3_step(q);
    std::string v = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return v;
  };
  EXPECT_EQ(pragma("PRAGMA application_id"), std::to_string(kSqliteApplicationId));
  EXPECT_EQ(pragma("PRAGMA user_version"), std::to_string(kSchemaVersion));
  EXPECT_EQ(pragma("PRAGMA journal_mode"), "wal");
  sqlite3_close(db);
}

// ---------------------------------------------------------------------------------------------
// The entry hash, computed independently from the documented bytes.

TEST(ComputeEntryHashTest, MatchesSha256OfDocumentedBytes) {
  LogEntry e;
  e.seq = 1;
  e.at = "2026-11-29T08:00:00.000Z";
  e.actor = "tester";
  e.entity = "unit";
  e.id = "u-1";
  e.version = 1;
  e.op = "create";
  e.body = R"({"confidentiality":"internal","id":"u-1","name":"Unit 한","type":"unit"})";
  e.prev_hash = std::string(64, '0');
  const std::string canonical =
      R"({"actor":"tester","at":"2026-11-29T08:00:00.000Z",)"
      R"("body":{"confidentiality":"internal","id":"u-1","name":"Unit 한","type":"unit"},)"
      R"("entity":"unit","id":"u-1","op":"create","seq":1,"version":1})";
  const std::string first = Sha256OfBytes(std::string(32, '\0') + canonical);
  EXPECT_EQ(ComputeEntryHash(e), first);
  e.hash = "ignored";
  EXPECT_EQ(ComputeEntryHash(e), first);

  // A delete (body null) chained to the first entry; the actor needs JSON escaping.
  LogEntry d;
  d.seq = 2;
  d.at = "2026-11-29T08:00:01.000Z";
  d.actor = "ann \"quoted\"\n";
  d.entity = "unit";
  d.id = "u-1";
  d.version = 2;
  d.op = "delete";
  d.prev_hash = first;
  const std::string canonical2 =
      R"({"actor":"ann \"quoted\"\n","at":"2026-11-29T08:00:01.000Z","body":null,)"
      R"("entity":"unit","id":"u-1","op":"delete","seq":2,"version":2})";
  EXPECT_EQ(ComputeEntryHash(d), Sha256OfBytes(Unhex(first) + canonical2));
}

TEST_F(SqliteStoreTest, StoredHashesFollowTheDocumentedChain) {
  BuildSample();
  OpenOrDie();
  Result<std::vector<LogEntry>> h = store_->History("pl-1");
  ASSERT_TRUE(h.ok() && h->size() == 1u);
  const LogEntry& e = (*h)[0];
  std::string canonical = R"({"actor":"tester","at":"2026-11-29T08:00:00.000Z","body":)" + e.body +
                          R"(,"entity":"place","id":"pl-1","op":"create","seq":1,"version":1})";
  EXPECT_EQ(e.hash, Sha256OfBytes(std::string(32, '\0') + canonical));
}

// ---------------------------------------------------------------------------------------------
// Files that are not memoria stores.

TEST_F(SqliteStoreTest, MissingFileWithoutCreateIsNotFound) {
  Result<std::unique_ptr<Store>> s = Open(false);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kNotFound);
  EXPECT_THAT(s.status().message(), HasSubstr(path_));
  EXPECT_FALSE(fs::exists(path_));  // and nothing was created
}

TEST_F(SqliteStoreTest, RandomBytesAreUnsupported) {
  {
    std::ofstream out(path_, std::ios::binary);
    std::mt19937 rng(42);
    for (int i = 0; i < 8192; ++i) out.put(static_cast<char>(rng() & 0xFF));
  }
  auto size = fs::file_size(path_);
  for (bool create : {false, true}) {
    Result<std::unique_ptr<Store>> s = Open(create);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), ErrorCode::kUnsupported) << s.status().ToString();
    EXPECT_THAT(s.status().message(), HasSubstr("not a memoria store"));
  }
  EXPECT_EQ(fs::file_size(path_), size);  // left alone
}

TEST_F(SqliteStoreTest, EmptyFileWithoutCreateIsUnsupported) {
  std::ofstream(path_).close();
  Result<std::unique_ptr<Store>> s = Open(false);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kUnsupported);
}

TEST_F(SqliteStoreTest, OtherSqliteApplicationIsUnsupported) {
  Tamper(path_,
         "PRAGMA application_id = 1179602515; CREATE TABLE t (x); INSERT INTO t VALUES (1);");
  for (bool create : {false, true}) {
    Result<std::unique_ptr<Store>> s = Open(create);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), ErrorCode::kUnsupported);
    EXPECT_THAT(s.status().message(), HasSubstr("not a memoria store"));
  }
}

TEST_F(SqliteStoreTest, PlainSqliteDatabaseIsUnsupported) {
  // application_id 0 but with tables: someone else's database, not an empty file.
  Tamper(path_, "CREATE TABLE log (x); INSERT INTO log VALUES (1);");
  Result<std::unique_ptr<Store>> s = Open(true);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kUnsupported);
}

TEST_F(SqliteStoreTest, NewerSchemaIsUnsupported) {
  BuildSample();
  Tamper(path_, "PRAGMA user_version = 99;");
  Result<std::unique_ptr<Store>> s = Open(false);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kUnsupported);
  EXPECT_THAT(s.status().message(), HasSubstr("newer"));
  EXPECT_THAT(s.status().message(), HasSubstr("99"));
}

// ---------------------------------------------------------------------------------------------
// Verify catches tampering.

TEST_F(SqliteStoreTest, UntouchedStoreVerifies) {
  BuildSample();
  OpenOrDie();
  Result<VerifyReport> v = store_->Verify();
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->entries, 11);
  EXPECT_TRUE(v->entities == 8 || v->entities == 9) << v->entities;
}

// The current state is the `entity` table: one row per id ever written (version, last log entry,
// tombstone flag and derived columns); the per-type tables are read-only views joining it to the
// log. See migrations/0001_initial.sql.

TEST_F(SqliteStoreTest, VerifyCatchesProjectionPointingAtAnotherEntry) {
  BuildSample();
  Tamper(path_, "UPDATE entity SET last_seq = 3 WHERE id = 'p-1'");
  ExpectCorruption({"person p-1", "log entry 3"});
}

TEST_F(SqliteStoreTest, VerifyCatchesProjectionRolledBackToAnOlderVersion) {
  BuildSample();
  // u-1 is shown as its version 1 again, consistently: the update (entry 8) is left on no chain.
  Tamper(path_, "UPDATE entity SET last_seq = 7, version = 1 WHERE id = 'u-1'");
  ExpectCorruption({"chain"});
}

TEST_F(SqliteStoreTest, VerifyCatchesProjectionVersionEdited) {
  BuildSample();
  Tamper(path_, "UPDATE entity SET version = 1 WHERE id = 'u-1'");
  ExpectCorruption({"unit u-1", "log entry 8"});
}

TEST_F(SqliteStoreTest, VerifyCatchesProjectionTypeEdited) {
  BuildSample();
  Tamper(path_, "UPDATE entity SET type = 'source' WHERE id = 'u-1'");
  ExpectCorruption({"u-1", "log entry 8"});
}

TEST_F(SqliteStoreTest, VerifyCatchesProjectionRowDeleted) {
  BuildSample();
  Tamper(path_, "DELETE FROM entity WHERE id = 'a-1'");
  ExpectCorruption({"act a-1", "log entry 6"});
}

TEST_F(SqliteStoreTest, VerifyCatchesProjectionRowInserted) {
  BuildSample();
  // Pointing at an existing entry of another id, or at no entry at all.
  Tamper(path_, "INSERT INTO entity (id, type, version, last_seq) VALUES ('u-9', 'unit', 1, 11)");
  ExpectCorruption({"unit u-9", "log entry 11"});
  BuildSampleAgainAndTamper(
      "INSERT INTO entity (id, type, version, last_seq) VALUES ('u-9', 'unit', 1, 99)");
  ExpectCorruption({"unit u-9", "log entry 99"});
}

TEST_F(SqliteStoreTest, VerifyCatchesDeletedEntityRevivedInProjection) {
  BuildSample();
  Tamper(path_, "UPDATE entity SET deleted = 0 WHERE id = 'u-2'");
  ExpectCorruption({"unit u-2", "log entry 10"});
}

TEST_F(SqliteStoreTest, VerifyCatchesProjectionDateColumnEdited) {
  BuildSample();
  Tamper(path_, "UPDATE entity SET earliest = earliest - 1 WHERE id = 'e-1'");
  ExpectCorruption({"event e-1", "date"});
  BuildSampleAgainAndTamper("UPDATE entity SET latest = NULL WHERE id = 'p-1'");
  ExpectCorruption({"person p-1", "date"});
  BuildSampleAgainAndTamper("UPDATE entity SET earliest = 0, latest = 0 WHERE id = 'u-1'");
  ExpectCorruption({"unit u-1", "date"});
}

TEST_F(SqliteStoreTest, VerifyCatchesProjectionRecordKeyEdited) {
  BuildSample();
  Tamper(path_, "UPDATE entity SET record_key = 'src-1' || char(31) || 'T-2' WHERE id = 'r-1'");
  ExpectCorruption({"record r-1", "record key"});
}

TEST_F(SqliteStoreTest, VerifyCatchesLogChainLinksEdited) {
  // prev_seq (the previous entry of the same id) is derived, not hashed: editing it must still
  // be caught by the walk along each id's entries.
  BuildSample();
  Tamper(path_, "UPDATE log SET prev_seq = NULL WHERE seq = 8");
  ExpectCorruption({"log entry 8", "u-1"});
  BuildSampleAgainAndTamper("UPDATE log SET prev_seq = 2 WHERE seq = 8");
  ExpectCorruption({"log entry 2", "u-1"});
}

TEST_F(SqliteStoreTest, VerifyCatchesLogBodyEdited) {
  BuildSample();
  Tamper(path_, "UPDATE log SET body = replace(body, 'Arrest', 'Release') WHERE seq = 5");
  ExpectCorruption({"log entry 5", "event e-1", "hash"});
}

TEST_F(SqliteStoreTest, VerifyCatchesLogMetadataEdited) {
  BuildSample();
  Tamper(path_, "UPDATE log SET actor = 'someone else' WHERE seq = 2");
  ExpectCorruption({"log entry 2", "hash"});
  BuildSampleAgainAndTamper("UPDATE log SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 11");
  ExpectCorruption({"log entry 11", "hash"});
}

TEST_F(SqliteStoreTest, VerifyCatchesLogEntryDeletedInTheMiddle) {
  BuildSample();
  Tamper(path_, "DELETE FROM log WHERE seq = 6");
  ExpectCorruption({"log entry 6 is missing"});
}

TEST_F(SqliteStoreTest, VerifyCatchesLastLogEntryDeleted) {
  BuildSample();
  // The remaining chain is intact, but p-2 has a current-state row and no log entry.
  Tamper(path_, "DELETE FROM log WHERE seq = 11");
  ExpectCorruption({"person p-2", "log entry 11"});
}

TEST_F(SqliteStoreTest, VerifyCatchesLastLogEntryDeletedWhenItWasAnUpdate) {
  OpenOrDie();
  PutOk(Unit("u-1", "A"));
  PutOk(Unit("u-1", "B"), true);
  store_.reset();
  Tamper(path_, "DELETE FROM log WHERE seq = 2");
  ExpectCorruption({"unit u-1", "log entry 2"});
}

TEST_F(SqliteStoreTest, VerifyCatchesLogEntryInsertedWithABadHash) {
  BuildSample();
  LogEntry last = ReadLog(11);
  Tamper(path_,
         "INSERT INTO log (seq, at, actor, entity, id, version, op, body, prev_hash, hash) "
         "VALUES (12, '2026-11-29T09:00:00.000Z', 'intruder', 'unit', 'u-1', 3, 'delete', NULL, '" +
             last.hash + "', '" + std::string(64, 'f') + "')");
  ExpectCorruption({"log entry 12", "hash does not match"});
}

TEST_F(SqliteStoreTest, VerifyCatchesLogEntryInsertedWithARecomputedHash) {
  BuildSample();
  // Someone who knows the algorithm appends a well-formed entry: the chain holds, but the
  // projections no longer equal the replay.
  LogEntry last = ReadLog(11);
  LogEntry forged{
      12,         "2026-11-29T09:00:00.000Z",
      "intruder", "unit",
      "u-1",      3,
      "update",   R"({"confidentiality":"internal","id":"u-1","name":"Forged","type":"unit"})",
      last.hash,  ""};
  forged.hash = ComputeEntryHash(forged);
  Tamper(path_,
         "INSERT INTO log (seq, at, actor, entity, id, version, op, body, prev_hash, hash) "
         "VALUES (12, '" +
             forged.at + "', 'intruder', 'unit', 'u-1', 3, 'update', '" + forged.body + "', '" +
             forged.prev_hash + "', '" + forged.hash + "')");
  ExpectCorruption({"chain"});
}

TEST_F(SqliteStoreTest, VerifyCatchesRecomputedHashAfterABodyEdit) {
  BuildSample();
  // Edit entry 5's body and recompute its own hash: the chain breaks at entry 6.
  LogEntry e = ReadLog(5);
  e.body = R"({"confidentiality":"internal","date":"1999-03/1999-06","id":"e-1","place":"pl-1",)"
           R"("title":"Release","type":"event"})";
  e.hash = ComputeEntryHash(e);
  Tamper(path_, "UPDATE log SET body = '" + e.body + "', hash = '" + e.hash + "' WHERE seq = 5");
  ExpectCorruption({"log entry 6", "prev_hash"});
}

TEST_F(SqliteStoreTest, VerifyCatchesLogEntrySwappedToAnotherEntity) {
  BuildSample();
  // Renumbering entries breaks the chain even if the hashes are left alone.
  Tamper(path_,
         "UPDATE log SET seq = 100 WHERE seq = 3; UPDATE log SET seq = 3 WHERE seq = 4; "
         "UPDATE log SET seq = 4 WHERE seq = 100;");
  ExpectCorruption({"log entry 3"});
}

}  // namespace
}  // namespace memoria::store
