// Tests of linkage on the store: persons as profile rows, decisions in the change log.
#include "io/store_linkage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>

#include "core/csv.h"
#include "core/edtf.h"
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

// The rows as the first version of StorePersonsCsv made them, from whole bodies (Store::ForEach,
// each body parsed as a JSON document): the reference that reading a few fields per entity
// (Store::ForEachFields) must reproduce byte for byte.
std::string ReferencePersonsCsv(store::Store& store, const std::string& role) {
  auto text = [](const json& o, const char* key) {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  std::map<std::string, std::string> record_source;
  EXPECT_TRUE(store
                  .ForEach("record",
                           [&](const store::StoredEntity& e) {
                             record_source[e.id] = text(json::parse(e.body), "source");
                             return Status::Ok();
                           })
                  .ok());
  struct Act {
    std::int64_t last, first;
    std::string date, place;
  };
  std::map<std::string, Act> first_act;  // victim -> its first act
  const std::int64_t kNone = std::numeric_limits<std::int64_t>::max();
  EXPECT_TRUE(store
                  .ForEach("act",
                           [&](const store::StoredEntity& e) {
                             json b = json::parse(e.body);
                             std::string victim = text(b, "victim");
                             if (victim.empty()) return Status::Ok();
                             Act a{kNone, kNone, text(b, "date"), text(b, "place")};
                             if (auto d = EdtfDate::Parse(a.date); d.ok()) {
                               a.first = d->earliest();
                               if (d->latest() != kEdtfUnboundedEnd) a.last = d->latest();
                             }
                             auto it = first_act.find(victim);
                             // Acts come by id: a later act replaces only a strictly earlier one.
                             if (it == first_act.end()) {
                               first_act.emplace(victim, a);
                             } else if (std::pair(a.last, a.first) <
                                        std::pair(it->second.last, it->second.first)) {
                               it->second = a;
                             }
                             return Status::Ok();
                           })
                  .ok());
  std::ostringstream csv;
  csv << kHeader;
  EXPECT_TRUE(store
                  .ForEach("person",
                           [&](const store::StoredEntity& e) {
                             json b = json::parse(e.body);
                             auto act = first_act.find(e.id);
                             bool has_role =
                                 b.contains("roles") && b["roles"].is_array() &&
                                 std::count(b["roles"].begin(), b["roles"].end(), json(role)) > 0;
                             if (!(role.empty() || has_role ||
                                   (role == "victim" && act != first_act.end())))
                               return Status::Ok();
                             std::vector<std::string> row(10);
                             row[0] = e.id;
                             auto rec = record_source.find(text(b, "record"));
                             if (rec != record_source.end()) row[1] = rec->second;
                             if (b.contains("names") && !b["names"].empty()) {
                               row[2] = text(b["names"][0], "full");
                               row[3] = text(b["names"][0], "family");
                               row[4] = text(b["names"][0], "given");
                             }
                             row[5] = text(b, "sex");
                             row[6] = text(b, "birth");
                             row[7] = text(b, "birthplace");
                             if (act != first_act.end()) {
                               row[8] = act->second.date;
                               row[9] = act->second.place;
                             }
                             WriteCsvRow(csv, row);
                             return Status::Ok();
                           })
                  .ok());
  return csv.str();
}

// A random store of `persons` persons (seed: reproducible) with everything the rows depend on
// varied: names (none, one, several; only a full name; commas, quotes, backslashes, Hangul), sex,
// birth and birthplace present or not, roles (none, one, several), records of three sources or
// none or a missing one, and 0-4 acts per person whose dates are drawn from a few values (so
// that acts tie on their dates and the act id decides), some undated or open-ended.
void PutRandomStore(store::Store& store, std::uint32_t seed, int persons) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint32_t>(n)); };
  const std::vector<std::string> fulls = {"김영철",         "Kim, Yong Chol", "Ri \"Sun\" Hui",
                                          "Pak\\Chol",      "O Se-hun",       "Choe Myong",
                                          "이순희, 리순희", "Jöng Il",        "A"};
  const std::vector<std::string> dates = {"1999",       "1999-03", "1999-03-14", "1999-03/1999-04",
                                          "2003-05/..", "199X",    "2001~",      "2001-11"};
  const std::vector<std::string> role_codes = {"victim", "witness", "perpetrator"};
  std::vector<json> objects;
  for (const char* src : {"src-a", "src-b", "src-c"}) {
    objects.push_back({{"type", "source"}, {"id", src}, {"name", src}});
  }
  for (int i = 0; i < persons; ++i) {
    const std::string pid = "p-" + std::to_string(rng() % 100000);
    const std::string rid = "r-" + pid;
    json person = {{"type", "person"}, {"id", pid}};
    int record = pick(5);  // 0: none, 1: a record that is not stored, else a record of a source
    if (record >= 1) person["record"] = rid;
    if (record >= 2) {
      objects.push_back({{"type", "record"},
                         {"id", rid},
                         {"source", "src-" + std::string(1, static_cast<char>('a' + pick(3)))},
                         {"source_record_id", pid}});
    }
    int names = pick(4);
    if (names > 0) {
      json list = json::array();
      for (int n = 0; n < names; ++n) {
        const std::string& full = fulls[pick(static_cast<int>(fulls.size()))];
        json name = {{"full", full}};
        // Parts in the full name's script (a name may not mix Hangul and Latin).
        bool hangul = static_cast<unsigned char>(full[0]) >= 0xE0;
        if (pick(2)) name["family"] = hangul ? "김" : "Fam" + std::to_string(n);
        if (pick(2)) name["given"] = hangul ? "영, 철" : "Giv, \"" + std::to_string(n) + "\"";
        list.push_back(std::move(name));
      }
      person["names"] = std::move(list);
    }
    if (pick(3)) person["sex"] = std::vector<std::string>{"male", "female", "unknown"}[pick(3)];
    if (pick(2)) person["birth"] = dates[pick(static_cast<int>(dates.size()))];
    if (pick(2)) person["birthplace"] = "KP-0" + std::to_string(pick(9) + 1);
    json roles = json::array();
    for (const std::string& r : role_codes) {
      if (pick(3) == 0) roles.push_back(r);
    }
    if (!roles.empty()) person["roles"] = std::move(roles);
    objects.push_back(std::move(person));
    for (int a = pick(5); a > 0; --a) {
      json act = {{"type", "act"},
                  {"id", "a-" + std::to_string(rng() % 100000)},
                  {"victim", pid},
                  {"act_type", "V.DET.ARBITRARY"},
                  {"place", "KP-DET-0" + std::to_string(pick(90) + 10)}};
      if (pick(4)) act["date"] = dates[pick(static_cast<int>(dates.size()))];
      objects.push_back(std::move(act));
    }
  }
  ASSERT_TRUE(store.Begin().ok());
  std::set<std::string> ids;
  for (json& o : objects) {
    if (!ids.insert(o["id"].get<std::string>()).second) continue;  // a random id drawn twice
    Result<Entity> e = ValidateEntity(std::move(o), Vocabularies::Default());
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    ASSERT_TRUE(store.Put(*e, "tester", false).ok());
  }
  ASSERT_TRUE(store.Commit().ok());
}

TEST_F(StoreLinkageTest, FieldsReadGiveTheRowsOfWholeBodies) {
  for (std::uint32_t seed : {1u, 2u, 3u}) {
    TearDown();
    SetUp();
    PutRandomStore(*store_, seed, 150);
    for (const std::string role : {"victim", "witness", "perpetrator", ""}) {
      std::string expected = ReferencePersonsCsv(*store_, role);
      auto csv = StorePersonsCsv(*store_, Role(role));
      ASSERT_TRUE(csv.ok()) << csv.status().ToString();
      EXPECT_EQ(*csv, expected) << "seed " << seed << ", role '" << role << "'";
      // A store of this size has rows of every kind, or the comparison would prove little.
      if (role == "victim") {
        EXPECT_GT(std::count(csv->begin(), csv->end(), '\n'), 60) << seed;
        EXPECT_THAT(*csv, HasSubstr("\"Ri \"\"Sun\"\" Hui\"")) << seed;
        EXPECT_THAT(*csv, HasSubstr("Pak\\Chol")) << seed;
      }
      auto table = LoadStoreRecords(*store_, linkage::DefaultSettings(), Role(role));
      auto reference =
          linkage::LoadRecordsFromStrings({expected}, {"store"}, linkage::DefaultSettings());
      ASSERT_TRUE(table.ok() && reference.ok());
      EXPECT_EQ(table->ids, reference->ids);
      EXPECT_EQ(table->source, reference->source);
      EXPECT_EQ(table->source_names, reference->source_names);
      EXPECT_EQ(table->column_names, reference->column_names);
      EXPECT_EQ(table->columns, reference->columns);
    }
  }
}

TEST_F(StoreLinkageTest, LoadingErrorsNameTheStore) {
  BuildSample();
  // A role is checked before the settings, as StorePersonsCsv checks it.
  auto bad_role = LoadStoreRecords(*store_, linkage::DefaultSettings(), Role("victims"));
  ASSERT_FALSE(bad_role.ok());
  EXPECT_EQ(bad_role.status().location().field, "role");

  // Settings that need a column the profile lacks fail at the header, before the store is read.
  linkage::Settings settings = linkage::DefaultSettings();
  settings.comparisons.front().columns = {"nickname"};
  std::vector<std::string> stages;
  StoreRecordsOptions options;
  options.progress = [&](std::string_view s) { stages.emplace_back(s); };
  auto missing = LoadStoreRecords(*store_, settings, options);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().ToString(), "store:1: nickname: missing column 'nickname'");
  EXPECT_TRUE(stages.empty());

  // Rows are located as lines after the header: p-1, p-2, p-4 are lines 2, 3, 4.
  settings = linkage::DefaultSettings();
  settings.truth.id_regex = "^p-([12])$";
  auto unmatched = LoadStoreRecords(*store_, settings, {});
  ASSERT_FALSE(unmatched.ok());
  EXPECT_EQ(unmatched.status().ToString(),
            "store:4: record_id: truth.id_regex does not match id 'p-4'");
  settings.truth.id_regex = "^p-(\\d)$";
  auto matched = LoadStoreRecords(*store_, settings, {});
  ASSERT_TRUE(matched.ok()) << matched.status().ToString();
  EXPECT_THAT(matched->truth, ElementsAre("1", "2", "4"));
}

TEST_F(StoreLinkageTest, ActsTiedOnTheirDatesGoByActId) {
  Put({{"type", "person"}, {"id", "p-1"}, {"names", {{{"full", "A"}}}}});
  // "a-10" < "a-9" < "a-b" as ids; the first two tie on the date, the third ends later.
  Put({{"type", "act"},
       {"id", "a-9"},
       {"victim", "p-1"},
       {"act_type", "V.DET.ARBITRARY"},
       {"date", "1999-03"},
       {"place", "KP-09"}});
  Put({{"type", "act"},
       {"id", "a-b"},
       {"victim", "p-1"},
       {"act_type", "V.DET.ARBITRARY"},
       {"date", "1999-03/1999-05"},
       {"place", "KP-0B"}});
  Put({{"type", "act"},
       {"id", "a-10"},
       {"victim", "p-1"},
       {"act_type", "V.DET.ARBITRARY"},
       {"date", "1999-03"},
       {"place", "KP-10"}});
  auto csv = StorePersonsCsv(*store_, {});
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  EXPECT_EQ(*csv, std::string(kHeader) + "p-1,,A,,,,,,1999-03,KP-10\n");
}

TEST_F(StoreLinkageTest, AStoredBodyThatIsNotAnObjectIsCorruption) {
  BuildSample();
  ASSERT_TRUE(StorePersonsCsv(*store_, {}).ok());
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/test.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE log SET body = '[]' WHERE seq = "
                         "(SELECT last_seq FROM entity WHERE id = 'a-4')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto s = store::OpenSqliteStore(dir_ + "/test.db", {.clock = &clock_});
  ASSERT_TRUE(s.ok());
  store_ = std::move(*s);
  auto csv = StorePersonsCsv(*store_, {});
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.status().code(), ErrorCode::kCorruption);
  EXPECT_EQ(csv.status().message(), "act a-4: stored body is not a JSON object");
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
