// Tests of linkage on the store: persons as profile rows, decisions in the change log.
#include "io/store_linkage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/model.h"
#include "core/uuid.h"
#include "core/vocabulary.h"
#include "store/sqlite_store.h"

namespace memoria::io {
namespace {

using json = nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

LinkDecision D(std::string a, std::string b, std::string decision, std::int64_t line = 0,
               std::string reason = "") {
  LinkDecision d;
  d.person_a = std::move(a);
  d.person_b = std::move(b);
  d.decision = std::move(decision);
  d.line = line;
  d.reason = std::move(reason);
  return d;
}

StoreRecordsOptions Role(std::string role) {
  StoreRecordsOptions o;
  o.role = std::move(role);
  return o;
}

class FixedClock : public store::Clock {
 public:
  std::string NowUtc() override { return "2026-11-29T08:00:00.000Z"; }
};

class StoreLinkageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "memoria_store_records_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto s = store::OpenSqliteStore(dir_ + "/test.db", {.create = true, .clock = &clock_});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void Put(json object) {
    Result<Entity> e = ValidateEntity(std::move(object), Vocabularies::Default());
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    ASSERT_TRUE(store_->Begin().ok());
    auto w = store_->Put(*e, "tester", false);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE(store_->Commit().ok());
  }

  // Two sources, three records; victims p-1 (three acts), p-2 (no roles, victim of acts),
  // p-4 (victim and witness, no record); a witness p-3 and a perpetrator p-5.
  void BuildSample() {
    Put({{"type", "source"}, {"id", "src-a"}, {"name", "List A"}});
    Put({{"type", "source"}, {"id", "src-b"}, {"name", "List B"}});
    Put({{"type", "record"}, {"id", "r-1"}, {"source", "src-a"}, {"source_record_id", "A1"}});
    Put({{"type", "record"}, {"id", "r-2"}, {"source", "src-b"}, {"source_record_id", "B1"}});
    Put({{"type", "record"}, {"id", "r-3"}, {"source", "src-b"}, {"source_record_id", "B2"}});
    Put({{"type", "person"},
         {"id", "p-1"},
         {"names",
          {{{"full", "김영철"}, {"family", "김"}, {"given", "영철"}},
           {{"full", "KIM Yeong-cheol"}, {"family", "Kim"}, {"given", "Yeong-cheol"}}}},
         {"sex", "male"},
         {"birth", "1962~"},
         {"birthplace", "KP-09"},
         {"roles", {"victim"}},
         {"record", "r-1"}});
    Put({{"type", "person"},
         {"id", "p-2"},
         {"names", {{{"full", "Kim, Yong Chol"}}}},
         {"birth", "1962"},
         {"record", "r-2"}});
    Put({{"type", "person"},
         {"id", "p-3"},
         {"names", {{{"full", "리순희"}}}},
         {"roles", {"witness"}},
         {"record", "r-2"}});
    Put({{"type", "person"}, {"id", "p-4"}, {"sex", "female"}, {"roles", {"victim", "witness"}}});
    Put({{"type", "person"},
         {"id", "p-5"},
         {"names", {{{"full", "박철수"}}}},
         {"roles", {"perpetrator"}},
         {"record", "r-3"}});
    // p-1: the act with the earliest day wins, whatever the ids' order; the undated act loses.
    Put({{"type", "act"},
         {"id", "a-1"},
         {"victim", "p-1"},
         {"act_type", "V.DET.TORTURE"},
         {"date", "1999-06"},
         {"place", "KP-DET-003"}});
    Put({{"type", "act"},
         {"id", "a-2"},
         {"victim", "p-1"},
         {"act_type", "V.DET.ARBITRARY"},
         {"date", "1999-03/1999-04"},
         {"place", "BC-07"}});
    Put({{"type", "act"},
         {"id", "a-0"},
         {"victim", "p-1"},
         {"act_type", "V.DET.ARBITRARY"},
         {"place", "KP-01"}});
    // p-2: of "2001" and "2001-11" the range that ends first (the more precise); undated last.
    Put({{"type", "act"},
         {"id", "a-3"},
         {"victim", "p-2"},
         {"act_type", "V.DET.ARBITRARY"},
         {"place", "KP-02"}});
    Put({{"type", "act"},
         {"id", "a-4"},
         {"victim", "p-2"},
         {"act_type", "V.DET.ARBITRARY"},
         {"date", "2001"},
         {"place", "KP-03"}});
    Put({{"type", "act"},
         {"id", "a-5"},
         {"victim", "p-2"},
         {"act_type", "V.DET.ARBITRARY"},
         {"date", "2001-11"},
         {"place", "KP-04"}});
    // p-4: an act with an open end comes before an undated one.
    Put({{"type", "act"},
         {"id", "a-6"},
         {"victim", "p-4"},
         {"act_type", "V.DET.ARBITRARY"},
         {"place", "KP-05"}});
    Put({{"type", "act"},
         {"id", "a-7"},
         {"victim", "p-4"},
         {"act_type", "V.DET.DISAPPEARANCE"},
         {"date", "2003-05/.."},
         {"place", "KP-06"}});
  }

  Status Decide(std::vector<LinkDecision> decisions, const std::string& actor = "tester") {
    auto r = RecordLinkDecisions(*store_, decisions, actor, "decisions.csv");
    return r.ok() ? Status::Ok() : r.status();
  }

  std::int64_t LogEntries() {
    auto stats = store_->Stats();
    EXPECT_TRUE(stats.ok());
    return stats.ok() ? stats->log_entries : -1;
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  FixedClock clock_;
  std::string dir_;
  std::unique_ptr<store::Store> store_;
};

constexpr char kHeader[] =
    "record_id,source,full_name,family_name,given_name,sex,birth_date,birth_place,event_date,"
    "event_place\n";

TEST_F(StoreLinkageTest, VictimsBecomeProfileRows) {
  BuildSample();
  auto csv = StorePersonsCsv(*store_, {});
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  EXPECT_EQ(*csv, std::string(kHeader) +
                      "p-1,src-a,김영철,김,영철,male,1962~,KP-09,1999-03/1999-04,BC-07\n"
                      "p-2,src-b,\"Kim, Yong Chol\",,,,1962,,2001-11,KP-04\n"
                      "p-4,,,,,female,,,2003-05/..,KP-06\n");
}

TEST_F(StoreLinkageTest, RoleSelectsPersons) {
  BuildSample();
  auto witnesses = StorePersonsCsv(*store_, Role("witness"));
  ASSERT_TRUE(witnesses.ok()) << witnesses.status().ToString();
  EXPECT_EQ(*witnesses,
            std::string(kHeader) + "p-3,src-b,리순희,,,,,,,\np-4,,,,,female,,,2003-05/..,KP-06\n");

  auto all = StorePersonsCsv(*store_, Role(""));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(std::count(all->begin(), all->end(), '\n'), 6);  // header + 5 persons

  auto bad = StorePersonsCsv(*store_, Role("victims"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(bad.status().location().field, "role");
  EXPECT_THAT(bad.status().message(), HasSubstr("victim"));
}

TEST_F(StoreLinkageTest, ProgressNamesEachPass) {
  BuildSample();
  std::vector<std::string> stages;
  StoreRecordsOptions options;
  options.progress = [&](std::string_view s) { stages.emplace_back(s); };
  ASSERT_TRUE(StorePersonsCsv(*store_, options).ok());
  EXPECT_THAT(stages, ElementsAre("records", "acts", "persons"));
}

TEST_F(StoreLinkageTest, EmptyStoreGivesAnEmptyTable) {
  auto table = LoadStoreRecords(*store_, linkage::DefaultSettings(), {});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->size(), 0u);
}

TEST_F(StoreLinkageTest, LoadsATableForTheDefaultProfile) {
  BuildSample();
  auto table = LoadStoreRecords(*store_, linkage::DefaultSettings(), {});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_THAT(table->ids, ElementsAre("p-1", "p-2", "p-4"));
  ASSERT_EQ(table->source.size(), 3u);
  EXPECT_EQ(table->source_names[table->source[0]], "src-a");
  EXPECT_EQ(table->source_names[table->source[1]], "src-b");
  int given = table->Column("given_name");
  ASSERT_GE(given, 0);
  EXPECT_EQ(table->columns[given][0], "영철");
}

// ---- decisions ----

TEST_F(StoreLinkageTest, DecisionIdIsDerivedFromTheUnorderedPair) {
  EXPECT_EQ(LinkDecisionId("p-1", "p-2"), LinkDecisionId("p-2", "p-1"));
  EXPECT_NE(LinkDecisionId("p-1", "p-2"), LinkDecisionId("p-1", "p-3"));
  // The same derivation as the data model's rule (core/model.cc).
  EXPECT_EQ(LinkDecisionId("p-2", "p-1"),
            UuidV5(kMemoriaUuidNamespace, "link_decision p-1 p-2").value());
}

TEST_F(StoreLinkageTest, DecidingAgainIsANewVersionOfTheSameEntity) {
  BuildSample();
  ASSERT_TRUE(Decide({D("p-2", "p-1", "accept")}, "alice").ok());
  auto again = RecordLinkDecisions(*store_, {D("p-1", "p-2", "accept")}, "alice");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 1);
  auto changed =
      RecordLinkDecisions(*store_, {D("p-1", "p-2", "reject", 0, "other parents")}, "bob");
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(changed->updated, 1);

  auto stored = StoredLinkDecisions(*store_);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  const LinkDecision& d = stored->front();
  EXPECT_EQ(d.id, LinkDecisionId("p-1", "p-2"));
  EXPECT_EQ(d.person_a, "p-1");  // stored in id order
  EXPECT_EQ(d.person_b, "p-2");
  EXPECT_EQ(d.decision, "reject");
  EXPECT_EQ(d.reason, "other parents");
  EXPECT_EQ(d.version, 2);

  auto history = store_->History(d.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].actor, "alice");
  EXPECT_EQ((*history)[1].actor, "bob");
  EXPECT_EQ((*history)[1].op, "update");
  EXPECT_TRUE(store_->Verify().ok());
}

TEST_F(StoreLinkageTest, BadDecisionsAreRefusedAndNothingIsWritten) {
  BuildSample();
  const std::int64_t before = LogEntries();
  struct Case {
    LinkDecision bad;
    ErrorCode code;
    std::string field;
    std::string message;
  };
  std::vector<Case> cases = {
      {D("p-1", "p-9", "accept", 3), ErrorCode::kNotFound, "person_b", "no person with id p-9"},
      {D("r-1", "p-1", "accept", 3), ErrorCode::kNotFound, "person_a", "no person with id r-1"},
      {D("p-1", "p-1", "reject", 3), ErrorCode::kInvalidInput, "person_b", "itself"},
      {D("p-1", "p-4", "acept", 3), ErrorCode::kInvalidInput, "decision", "accept"},
      {D("", "p-4", "accept", 3), ErrorCode::kInvalidInput, "person_a", "required"},
      {D("p 1", "p-4", "accept", 3), ErrorCode::kInvalidInput, "person_a", "not a valid id"},
      {D("p-2", "p-1", "reject", 3), ErrorCode::kInvalidInput, "person_b",
       "already decided in this input (line 2)"},
  };
  for (const Case& c : cases) {
    // A good decision first: the failing one must take it down with it.
    Status s = Decide({D("p-1", "p-2", "accept", 2), c.bad});
    ASSERT_FALSE(s.ok()) << c.message;
    EXPECT_EQ(s.code(), c.code) << s.ToString();
    EXPECT_EQ(s.location().file, "decisions.csv") << s.ToString();
    EXPECT_EQ(s.location().line, 3) << s.ToString();
    EXPECT_EQ(s.location().field, c.field) << s.ToString();
    EXPECT_THAT(s.message(), HasSubstr(c.message));
    EXPECT_EQ(LogEntries(), before) << s.ToString();
  }
  EXPECT_FALSE(Decide({}).ok());
  auto stored = StoredLinkDecisions(*store_);
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->empty());
}

TEST_F(StoreLinkageTest, TheModelRefusesADecisionWithAnotherId) {
  json d = {{"type", "link_decision"},
            {"id", "dec-1"},
            {"person_a", "p-1"},
            {"person_b", "p-2"},
            {"decision", "accept"}};
  auto e = ValidateEntity(d, Vocabularies::Default());
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().location().field, "id");
  EXPECT_THAT(e.status().message(), HasSubstr(LinkDecisionId("p-1", "p-2")));
  d["id"] = LinkDecisionId("p-1", "p-2");
  EXPECT_TRUE(ValidateEntity(d, Vocabularies::Default()).ok());
}

TEST_F(StoreLinkageTest, DecisionsCsvReadsAnEditedReviewQueue) {
  std::string path = WriteFile("queue.csv",
                               "record_a,record_b,probability,decision,reason\n"
                               "p-1,p-2,0.7,accept,same father\n"
                               "p-1,p-4,0.6,,\n"
                               "p-2,p-4,0.55, reject ,\n");
  auto d = ReadLinkDecisionsCsv(path);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->size(), 2u);
  EXPECT_EQ((*d)[0].person_a, "p-1");
  EXPECT_EQ((*d)[0].reason, "same father");
  EXPECT_EQ((*d)[0].line, 2);
  EXPECT_EQ((*d)[1].decision, "reject");
  EXPECT_EQ((*d)[1].line, 4);

  BuildSample();
  auto written = RecordLinkDecisions(*store_, *d, "tester", path);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(written->created, 2);
}

TEST_F(StoreLinkageTest, DecisionsCsvErrorsNameFileLineField) {
  auto missing = ReadLinkDecisionsCsv(WriteFile("m.csv", "decision,person_a\naccept,p-1\n"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().location().line, 1);
  EXPECT_EQ(missing.status().location().field, "person_b");
  EXPECT_THAT(missing.status().ToString(), HasSubstr("m.csv:1: person_b: missing column"));

  BuildSample();
  std::string path = WriteFile("d.csv",
                               "decision,person_a,person_b\n"
                               "accept,p-1,p-2\n"
                               "reject,p-1,p-77\n");
  auto d = ReadLinkDecisionsCsv(path);
  ASSERT_TRUE(d.ok());
  auto written = RecordLinkDecisions(*store_, *d, "tester", path);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.status().ToString(), path + ":3: person_b: no person with id p-77");
  auto stored = StoredLinkDecisions(*store_);
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->empty());

  EXPECT_EQ(ReadLinkDecisionsCsv(dir_ + "/absent.csv").status().code(), ErrorCode::kNotFound);
}

TEST_F(StoreLinkageTest, OnlyDecisionsWithinTheTableApply) {
  BuildSample();
  ASSERT_TRUE(
      Decide({D("p-1", "p-2", "reject"), D("p-3", "p-4", "accept"), D("p-4", "p-1", "accept")})
          .ok());
  auto table = LoadStoreRecords(*store_, linkage::DefaultSettings(), {});
  ASSERT_TRUE(table.ok());
  auto stored = StoredLinkDecisions(*store_);
  ASSERT_TRUE(stored.ok());
  std::vector<linkage::Decision> d = DecisionsForTable(*stored, *table);
  ASSERT_EQ(d.size(), 2u);  // p-3 is a witness only: not in the victims' table
  for (const linkage::Decision& x : d) {
    EXPECT_NE(x.record_a, "p-3");
    EXPECT_NE(x.record_b, "p-3");
    EXPECT_EQ(x.accept, x.record_a == "p-1" && x.record_b == "p-4");
  }
}

TEST_F(StoreLinkageTest, APersonWithADecisionCannotBeDeletedSilently) {
  BuildSample();
  ASSERT_TRUE(Decide({D("p-1", "p-2", "reject")}).ok());
  ASSERT_TRUE(store_->Begin().ok());
  Status s = store_->Delete("p-2", "tester");
  store_->Rollback();
  EXPECT_EQ(s.code(), ErrorCode::kConflict) << s.ToString();
  EXPECT_THAT(s.message(), HasSubstr("link_decision"));
}

}  // namespace
}  // namespace memoria::io
