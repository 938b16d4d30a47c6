// Tests of JSON Lines and CSV import/export: every kind of bad input gets a located error and
// leaves the store exactly as it was; imports are idempotent; export round-trips byte for byte.
#include "io/interchange.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/reference_data.h"
#include "store/sqlite_store.h"

namespace memoria::io {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

const std::string kExamples = std::string(MEMORIA_SOURCE_DIR) + "/examples/";

class FixedClock : public store::Clock {
 public:
  std::string NowUtc() override { return "2026-11-29T08:00:00.000Z"; }
};

// What must not change when an import fails.
struct Snapshot {
  std::int64_t log_entries;
  std::string head_hash;
  std::map<std::string, std::int64_t> entities;
  bool operator==(const Snapshot&) const = default;
};

class InterchangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "memoria_io_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    store_ = NewStore("store.db");
    ASSERT_NE(store_, nullptr);
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A new store in the temp dir with the reference data loaded.
  std::unique_ptr<store::Store> NewStore(const std::string& name) {
    Result<std::unique_ptr<store::Store>> s = store::OpenSqliteStore(
        dir_ + "/" + name, store::SqliteOptions{.create = true, .clock = &clock_});
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (!s.ok()) return nullptr;
    Result<ImportSummary> loaded = LoadReferenceData(**s);
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_GT(loaded->created, 0);
    return std::move(*s);
  }

  std::string Write(const std::string& name, const std::string& content) {
    std::string path = dir_ + "/" + name;
    std::ofstream out(path, std::ios::binary);
    out << content;
    return path;
  }

  Result<ImportSummary> Import(const std::string& path, bool allow_update = false) {
    ImportOptions options;
    options.actor = "tester";
    options.allow_update = allow_update;
    return ImportJsonLinesFile(*store_, path, options);
  }
  Result<ImportSummary> ImportText(const std::string& content, bool allow_update = false) {
    return Import(Write("input.jsonl", content), allow_update);
  }
  Result<ImportSummary> ImportCsvFile(const std::string& csv, const std::string& mapping) {
    ImportOptions options;
    options.actor = "tester";
    return ImportCsv(*store_, csv, mapping, options);
  }

  Snapshot Take() {
    Result<store::StoreStats> st = store_->Stats();
    EXPECT_TRUE(st.ok());
    return {st->log_entries, st->head_hash, st->entities};
  }

  std::string Export(store::Store& s) {
    std::ostringstream out;
    Result<std::int64_t> n = ExportJsonLines(s, out);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return out.str();
  }

  // Expects `r` to have failed with `code` at file:line: field, and the store to be unchanged
  // and to verify. Returns the error as `file:line: field: message` for further checks.
  std::string ExpectRejected(const Result<ImportSummary>& r, const Snapshot& before, ErrorCode code,
                             const std::string& file, std::int64_t line, const std::string& field) {
    EXPECT_FALSE(r.ok()) << "import should have failed";
    if (r.ok()) return "";
    const Status& s = r.status();
    EXPECT_EQ(s.code(), code) << s.ToString();
    EXPECT_EQ(s.location().file, file) << s.ToString();
    EXPECT_EQ(s.location().line, line) << s.ToString();
    EXPECT_EQ(s.location().field, field) << s.ToString();
    EXPECT_EQ(Take(), before) << "a failed import changed the store";
    Result<store::VerifyReport> v = store_->Verify();
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return s.ToString();
  }

  std::string InputPath() const { return dir_ + "/input.jsonl"; }

  FixedClock clock_;
  std::string dir_;
  std::unique_ptr<store::Store> store_;
};

const char* kUnitA = R"({"type":"unit","id":"u-1","name":"A"})";
const char* kPerson = R"({"type":"person","id":"p-1","sex":"male","birthplace":"KP-09"})";

// ---------------------------------------------------------------------------------------------
// Bad input: a located error, and nothing written.

TEST_F(InterchangeTest, MalformedJson) {
  Snapshot before = Take();
  std::string s = ExpectRejected(ImportText(std::string(kUnitA) + "\n{\"type\":\"unit\",\"id\":\n"),
                                 before, ErrorCode::kInvalidInput, InputPath(), 2, "");
  EXPECT_THAT(s, HasSubstr("malformed JSON"));
  ExpectRejected(ImportText("[1, 2]\n"), before, ErrorCode::kInvalidInput, InputPath(), 1, "");
  ExpectRejected(ImportText(std::string(kUnitA) + " trailing\n"), before, ErrorCode::kInvalidInput,
                 InputPath(), 1, "");
}

TEST_F(InterchangeTest, UnknownType) {
  Snapshot before = Take();
  std::string s =
      ExpectRejected(ImportText(std::string(kUnitA) + "\n{\"type\":\"victim\",\"id\":\"v\"}"),
                     before, ErrorCode::kInvalidInput, InputPath(), 2, "type");
  EXPECT_THAT(s, HasSubstr("victim"));
  EXPECT_THAT(s, HasSubstr(InputPath() + ":2: type: "));
}

TEST_F(InterchangeTest, UnknownField) {
  Snapshot before = Take();
  ExpectRejected(ImportText(R"({"type":"unit","id":"u-1","name":"A","colour":"red"})"), before,
                 ErrorCode::kInvalidInput, InputPath(), 1, "colour");
}

TEST_F(InterchangeTest, MissingRequiredField) {
  Snapshot before = Take();
  ExpectRejected(
      ImportText(std::string(kPerson) + "\n" + R"({"type":"act","id":"a-1","victim":"p-1"})"),
      before, ErrorCode::kInvalidInput, InputPath(), 2, "act_type");
}

TEST_F(InterchangeTest, UnknownVocabularyCodeSuggestsNearest) {
  Snapshot before = Take();
  std::string s = ExpectRejected(
      ImportText(std::string(kPerson) + "\n" +
                 R"({"type":"act","id":"a-1","victim":"p-1","act_type":"V.DET.TORTUR"})"),
      before, ErrorCode::kInvalidInput, InputPath(), 2, "act_type");
  EXPECT_THAT(s, HasSubstr("V.DET.TORTUR"));
  EXPECT_THAT(s, HasSubstr("V.DET.TORTURE"));
  // Inside an array, the field names the element.
  ExpectRejected(ImportText(std::string(kPerson) + "\n" +
                            R"({"type":"act","id":"a-1","victim":"p-1","act_type":"V.DET.TORTURE",)"
                            R"j("rome_statute":["7(1)(f)","7(1)(q)"]})j"),
                 before, ErrorCode::kInvalidInput, InputPath(), 2, "rome_statute[1]");
}

TEST_F(InterchangeTest, InvalidEdtfDate) {
  Snapshot before = Take();
  ExpectRejected(ImportText(R"({"type":"event","id":"e-1","title":"T","date":"1999-13"})"), before,
                 ErrorCode::kInvalidInput, InputPath(), 1, "date");
  ExpectRejected(ImportText(std::string(kPerson) + "\n" + kUnitA + "\n" +
                            R"({"type":"person","id":"p-2","birth":"around 1960"})"),
                 before, ErrorCode::kInvalidInput, InputPath(), 3, "birth");
}

TEST_F(InterchangeTest, ReferenceToAMissingEntity) {
  Snapshot before = Take();
  std::string s = ExpectRejected(
      ImportText(std::string(kPerson) + "\n" +
                 R"({"type":"act","id":"a-1","victim":"p-404","act_type":"V.DET.TORTURE"})"),
      before, ErrorCode::kNotFound, InputPath(), 2, "victim");
  EXPECT_THAT(s, HasSubstr("p-404"));
  // A reference of the wrong type: KP-09 is a place, not a person.
  ExpectRejected(
      ImportText(R"({"type":"act","id":"a-1","victim":"KP-09","act_type":"V.DET.TORTURE"})"),
      before, ErrorCode::kNotFound, InputPath(), 1, "victim");
}

TEST_F(InterchangeTest, ForwardReferencesWithinAFileAreAccepted) {
  Result<ImportSummary> r = ImportText(
      R"({"type":"act","id":"a-1","victim":"p-1","act_type":"V.DET.TORTURE","event":"e-1"})"
      "\n"
      R"({"type":"event","id":"e-1","title":"T","place":"KP-09"})"
      "\n" +
      std::string(kPerson) + "\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->created, 3);
  EXPECT_TRUE(store_->Verify().ok());
}

TEST_F(InterchangeTest, SameIdWithDifferentContentInTheFile) {
  Snapshot before = Take();
  ExpectRejected(
      ImportText(std::string(kUnitA) + "\n" + R"({"type":"unit","id":"u-1","name":"B"})"), before,
      ErrorCode::kConflict, InputPath(), 2, "id");
  // The same line twice is not a conflict.
  Result<ImportSummary> r = ImportText(std::string(kUnitA) + "\n" + kUnitA + "\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->created, 1);
  EXPECT_EQ(r->unchanged, 1);
}

TEST_F(InterchangeTest, SameIdWithDifferentContentThanTheStore) {
  ASSERT_TRUE(ImportText(kUnitA).ok());
  Snapshot before = Take();
  std::string s = ExpectRejected(ImportText(R"({"type":"source","id":"s-1","name":"S"})"
                                            "\n"
                                            R"({"type":"unit","id":"u-1","name":"B"})"),
                                 before, ErrorCode::kConflict, InputPath(), 2, "id");
  EXPECT_THAT(s, HasSubstr("u-1"));
  // The same id as another type.
  ExpectRejected(ImportText(R"({"type":"source","id":"u-1","name":"S"})"), before,
                 ErrorCode::kConflict, InputPath(), 1, "id");
  // With allow_update, a new version.
  Result<ImportSummary> r = ImportText(R"({"type":"unit","id":"u-1","name":"B"})", true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->updated, 1);
  EXPECT_EQ(store_->Get("u-1")->value().version, 2);
}

TEST_F(InterchangeTest, TakenSourceRecordId) {
  ASSERT_TRUE(ImportText(R"({"type":"source","id":"s-1","name":"S"})"
                         "\n"
                         R"({"type":"record","id":"r-1","source":"s-1","source_record_id":"T-1"})")
                  .ok());
  Snapshot before = Take();
  ExpectRejected(
      ImportText(R"({"type":"record","id":"r-2","source":"s-1","source_record_id":"T-1"})"), before,
      ErrorCode::kConflict, InputPath(), 1, "source_record_id");
}

TEST_F(InterchangeTest, InvalidUtf8) {
  Snapshot before = Take();
  std::string s =
      ExpectRejected(ImportText(std::string(kUnitA) +
                                "\n{\"type\":\"unit\",\"id\":\"u-2\",\"name\":\"\xC3\x28\"}\n"),
                     before, ErrorCode::kInvalidInput, InputPath(), 2, "");
  EXPECT_THAT(s, HasSubstr("UTF-8"));
  // A stray byte outside any string, and a truncated sequence at the end of the line.
  ExpectRejected(ImportText("\xFF" + std::string(kUnitA)), before, ErrorCode::kInvalidInput,
                 InputPath(), 1, "");
  ExpectRejected(ImportText("{\"type\":\"unit\",\"id\":\"u-2\",\"name\":\"x\"}\xE2\x82"), before,
                 ErrorCode::kInvalidInput, InputPath(), 1, "");
}

TEST_F(InterchangeTest, EmptyFile) {
  Snapshot before = Take();
  std::string s =
      ExpectRejected(ImportText(""), before, ErrorCode::kInvalidInput, InputPath(), 1, "");
  EXPECT_THAT(s, HasSubstr("empty"));
  ExpectRejected(ImportText("\n  \n\t\n"), before, ErrorCode::kInvalidInput, InputPath(), 1, "");
}

TEST_F(InterchangeTest, MissingFileIsNotFound) {
  Result<ImportSummary> r = Import(dir_ + "/no-such-file.jsonl");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(r.status().location().file, dir_ + "/no-such-file.jsonl");
}

long MaxRssKiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

TEST_F(InterchangeTest, A100MegabyteLineIsRejectedWithoutReadingItIntoMemory) {
  const std::string path = dir_ + "/huge.jsonl";
  {
    // Written in 1 MiB pieces: the test itself never holds the line.
    std::ofstream out(path, std::ios::binary);
    out << kUnitA << "\n"
        << R"({"type":"unit","id":"u-2","name":")";
    std::string chunk(1 << 20, 'x');
    for (int i = 0; i < 100; ++i) out << chunk;
    out << "\"}\n"
        << R"({"type":"unit","id":"u-3","name":"C"})"
        << "\n";
  }
  ASSERT_GT(fs::file_size(path), 100u << 20);
  Snapshot before = Take();
  long rss_before = MaxRssKiB();
  std::string s = ExpectRejected(Import(path), before, ErrorCode::kInvalidInput, path, 2, "");
  EXPECT_THAT(s, HasSubstr("longer than"));
  long grew_mib = (MaxRssKiB() - rss_before) / 1024;
  RecordProperty("peak_rss_growth_mib", static_cast<int>(grew_mib));
#if !defined(__SANITIZE_ADDRESS__)
  // Reading the line whole would need more than 100 MiB.
  EXPECT_LT(grew_mib, 80) << "the importer seems to have read the whole line";
#endif
  fs::remove(path);
}

TEST_F(InterchangeTest, ErrorOnTheLastLineOfALongFileCommitsNothing) {
  std::string content;
  const int n = 3000;
  for (int i = 0; i < n; ++i)
    content += R"({"type":"unit","id":"u-)" + std::to_string(i) + R"(","name":"Unit"})" + "\n";
  content += R"({"type":"unit","id":"u-last","name":"Unit","kind":"NOPE"})";  // no final \n
  Snapshot before = Take();
  ExpectRejected(ImportText(content), before, ErrorCode::kInvalidInput, InputPath(), n + 1, "kind");
  EXPECT_FALSE(*store_->Exists("unit", "u-0"));
  EXPECT_FALSE(*store_->Exists("unit", "u-2999"));
}

TEST_F(InterchangeTest, LinesAndLineNumbers) {
  // Blank lines are skipped but counted for line numbers; CRLF line ends are accepted.
  Result<ImportSummary> r = ImportText("\r\n" + std::string(kUnitA) + "\r\n\n" + kPerson + "\r\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->lines, 2);
  EXPECT_EQ(r->created, 2);
  Snapshot before = Take();
  ExpectRejected(ImportText("\n\n\n" + std::string(R"({"type":"unit","id":"u-9"})")), before,
                 ErrorCode::kInvalidInput, InputPath(), 4, "name");
}

TEST_F(InterchangeTest, StoreIsUsableAfterAFailedImport) {
  Snapshot before = Take();
  ExpectRejected(ImportText(std::string(kUnitA) + "\nnot json"), before, ErrorCode::kInvalidInput,
                 InputPath(), 2, "");
  Result<ImportSummary> r = ImportText(kUnitA);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->created, 1);
  EXPECT_EQ(Take().log_entries, before.log_entries + 1);
}

// ---------------------------------------------------------------------------------------------
// Idempotency and round trips.

TEST_F(InterchangeTest, ImportingTheSameFileTwiceChangesNothing) {
  Result<ImportSummary> first = Import(kExamples + "sample.jsonl");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_GT(first->created, 10);
  EXPECT_EQ(first->unchanged, 0);
  Snapshot after_first = Take();
  Result<ImportSummary> second = Import(kExamples + "sample.jsonl");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->created, 0);
  EXPECT_EQ(second->updated, 0);
  EXPECT_EQ(second->unchanged, first->lines);
  EXPECT_EQ(Take(), after_first);
  EXPECT_TRUE(store_->Verify().ok());
}

TEST_F(InterchangeTest, SampleIsStoredAsDocumented) {
  ASSERT_TRUE(Import(kExamples + "sample.jsonl").ok());
  // The witness's identity is secret by default.
  auto witness = store_->Get("0192f3a0-0000-7000-8000-000000000011");
  ASSERT_TRUE(witness.ok() && witness->has_value());
  EXPECT_EQ(nlohmann::json::parse((*witness)->body)["confidentiality"], "secret");
  auto victim = store_->Get("0192f3a0-0000-7000-8000-000000000010");
  EXPECT_EQ(nlohmann::json::parse((*victim)->body)["confidentiality"], "restricted");
  auto h = store_->History("0192f3a0-0000-7000-8000-000000000030");
  ASSERT_EQ(h->size(), 1u);
  EXPECT_EQ((*h)[0].actor, "tester");
  EXPECT_EQ((*h)[0].op, "create");
}

TEST_F(InterchangeTest, ExportImportExportIsByteIdentical) {
  ASSERT_TRUE(Import(kExamples + "sample.jsonl").ok());
  ASSERT_TRUE(ImportCsvFile(kExamples + "victims.csv", kExamples + "victims.mapping.json").ok());
  const std::string first = Export(*store_);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first.back(), '\n');

  std::unique_ptr<store::Store> fresh = NewStore("fresh.db");
  ImportOptions options;
  std::istringstream in(first);
  Result<ImportSummary> r = ImportJsonLines(*fresh, in, "export.jsonl", options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->created + r->unchanged, r->lines);
  const std::string second = Export(*fresh);
  EXPECT_EQ(first, second);
  EXPECT_TRUE(fresh->Verify().ok());

  // Every line is canonical JSON, types in model order.
  std::istringstream lines(first);
  std::string line, last_type;
  std::size_t last_rank = 0;
  while (std::getline(lines, line)) {
    nlohmann::json j = nlohmann::json::parse(line);
    std::string type = j["type"];
    std::size_t rank = 0;
    while (EntitySpecs()[rank].type != type) ++rank;
    EXPECT_GE(rank, last_rank) << line;
    last_rank = rank;
  }
}

TEST_F(InterchangeTest, ExportOfAnEmptyStoreHasOnlyTheReferenceData) {
  const std::string out = Export(*store_);
  std::istringstream lines(out);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    EXPECT_EQ(nlohmann::json::parse(line)["type"], "place");
    ++n;
  }
  EXPECT_EQ(n, Take().entities["place"]);
}

// ---------------------------------------------------------------------------------------------
// CSV.

TEST_F(InterchangeTest, CsvImportRecodesAndIsIdempotent) {
  Result<ImportSummary> r =
      ImportCsvFile(kExamples + "victims.csv", kExamples + "victims.mapping.json");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->lines, 3);
  // source + 3 x (record, person, act)
  EXPECT_EQ(r->created, 10);
  Snapshot after = Take();
  EXPECT_EQ(after.entities["record"], 3);
  EXPECT_EQ(after.entities["person"], 3);
  EXPECT_EQ(after.entities["act"], 3);
  EXPECT_EQ(after.entities["source"], 1);

  // Recoding: F -> female, North Hamgyong -> KP-09, violation text -> code, Camp 15 -> place.
  std::map<std::string, nlohmann::json> persons, acts;
  ASSERT_TRUE(store_
                  ->ForEach("person",
                            [&](const store::StoredEntity& e) {
                              nlohmann::json b = nlohmann::json::parse(e.body);
                              persons[b.contains("names") ? b["names"][0].value("full", "") : ""] =
                                  b;
                              return Status::Ok();
                            })
                  .ok());
  ASSERT_TRUE(store_
                  ->ForEach("act",
                            [&](const store::StoredEntity& e) {
                              nlohmann::json b = nlohmann::json::parse(e.body);
                              acts[b["act_type"]] = b;
                              return Status::Ok();
                            })
                  .ok());
  ASSERT_TRUE(persons.count("박순남"));
  EXPECT_EQ(persons["박순남"]["sex"], "female");
  EXPECT_EQ(persons["박순남"]["birthplace"], "KP-09");
  EXPECT_EQ(persons["박순남"]["birth"], "1958");
  EXPECT_EQ(persons["박순남"]["roles"], nlohmann::json({"victim"}));
  ASSERT_TRUE(acts.count("V.DET.POLITICAL_CAMP"));
  EXPECT_EQ(acts["V.DET.POLITICAL_CAMP"]["place"], "KP-DET-002");
  EXPECT_EQ(acts["V.DET.POLITICAL_CAMP"]["date"], "1997");
  EXPECT_EQ(acts["V.DET.POLITICAL_CAMP"]["victim"], persons["박순남"]["id"]);
  ASSERT_TRUE(acts.count("V.DET.TORTURE"));
  EXPECT_FALSE(acts["V.DET.TORTURE"].contains("place"));  // empty cell: absent

  // The record keeps (source, source_record_id) and the row verbatim.
  nlohmann::json record = nlohmann::json::parse(
      store_->Get(acts["V.DET.TORTURE"]["record"].get<std::string>())->value().body);
  EXPECT_EQ(record["source"], "src-example-list");
  EXPECT_EQ(record["source_record_id"], "A-003");
  EXPECT_EQ(record["raw"]["violation"], "torture");

  Result<ImportSummary> again =
      ImportCsvFile(kExamples + "victims.csv", kExamples + "victims.mapping.json");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->unchanged, 10);
  EXPECT_EQ(Take(), after);
}

const char* kMapping = R"({
  "source": {"id": "src-t", "name": "Test list"},
  "id_column": "case",
  "columns": {"full_name": "name", "sex": "gender", "act_type": "violation"},
  "values": {"sex": {"M": "male", "F": "female"}, "act_type": {"torture": "V.DET.TORTURE"}}
})";

TEST_F(InterchangeTest, CsvMappingNamingAMissingColumn) {
  std::string csv = Write("t.csv", "case,name,gender,violation\n1,Kim,M,torture\n");
  std::string mapping =
      Write("m.json", R"({"source": {"id": "src-t", "name": "T"}, "id_column": "case",
                    "columns": {"sex": "sex_column"}})");
  Snapshot before = Take();
  std::string s = ExpectRejected(ImportCsvFile(csv, mapping), before, ErrorCode::kInvalidInput,
                                 mapping, 0, "columns.sex");
  EXPECT_THAT(s, HasSubstr("sex_column"));
  EXPECT_THAT(s, HasSubstr("gender"));  // lists the columns there are
  std::string bad_id =
      Write("m2.json", R"({"source": {"id": "s", "name": "T"}, "id_column": "no"})");
  ExpectRejected(ImportCsvFile(csv, bad_id), before, ErrorCode::kInvalidInput, bad_id, 0,
                 "id_column");
}

TEST_F(InterchangeTest, CsvMappingErrors) {
  std::string csv = Write("t.csv", "case,name,gender,violation\n1,Kim,M,torture\n");
  Snapshot before = Take();
  std::string m1 = Write("m1.json", R"({"source": {"id": "s", "name": "T"}, "id_column": "case",
                                         "columns": {"shoe_size": "gender"}})");
  ExpectRejected(ImportCsvFile(csv, m1), before, ErrorCode::kInvalidInput, m1, 0,
                 "columns.shoe_size");
  std::string m2 = Write("m2.json", R"({"id_column": "case"})");
  ExpectRejected(ImportCsvFile(csv, m2), before, ErrorCode::kInvalidInput, m2, 0, "source");
  std::string m3 = Write("m3.json", "{not json");
  ExpectRejected(ImportCsvFile(csv, m3), before, ErrorCode::kInvalidInput, m3, 0, "");
  Result<ImportSummary> r = ImportCsvFile(csv, dir_ + "/none.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
}

TEST_F(InterchangeTest, CsvBadCellNamesTheColumn) {
  std::string mapping = Write("m.json", kMapping);
  std::string csv = Write("t.csv",
                          "case,name,gender,violation\n"
                          "1,Kim,M,torture\n"
                          "2,Ri,X,torture\n");
  Snapshot before = Take();
  std::string s = ExpectRejected(ImportCsvFile(csv, mapping), before, ErrorCode::kInvalidInput, csv,
                                 3, "gender");
  EXPECT_THAT(s, HasSubstr("'X'"));
  // An unmapped violation stays as written and is not a code.
  std::string csv2 = Write("t2.csv", "case,name,gender,violation\n1,Kim,M,beating\n");
  ExpectRejected(ImportCsvFile(csv2, mapping), before, ErrorCode::kInvalidInput, csv2, 2,
                 "violation");
  // The same row identifier twice.
  std::string csv3 = Write("t3.csv", "case,name,gender,violation\n1,Kim,M,torture\n1,Ri,F,\n");
  ExpectRejected(ImportCsvFile(csv3, mapping), before, ErrorCode::kInvalidInput, csv3, 3, "case");
  // No rows.
  std::string csv4 = Write("t4.csv", "case,name,gender,violation\n");
  Result<ImportSummary> r = ImportCsvFile(csv4, mapping);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(Take(), before);
}

TEST_F(InterchangeTest, CsvBadNamePartNamesItsColumn) {
  std::string mapping = Write("m.json", R"({
    "source": {"id": "src-t", "name": "Test list"},
    "id_column": "case",
    "columns": {"full_name": "name", "name_script": "script"}
  })");
  std::string csv = Write("t.csv", "case,name,script\n1,Kim,Latn\n2,Ri,Klingon\n");
  Snapshot before = Take();
  std::string s = ExpectRejected(ImportCsvFile(csv, mapping), before, ErrorCode::kInvalidInput, csv,
                                 3, "script");
  EXPECT_THAT(s, HasSubstr("Klingon"));
}

TEST_F(InterchangeTest, CsvRowWithoutActTypeMakesNoAct) {
  std::string mapping = Write("m.json", kMapping);
  std::string csv = Write("t.csv", "case,name,gender,violation\n1,Kim,F,\n");
  Result<ImportSummary> r = ImportCsvFile(csv, mapping);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->created, 3);  // source, record, person
  EXPECT_EQ(Take().entities["act"], 0);
}

}  // namespace
}  // namespace memoria::io
