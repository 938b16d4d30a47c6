#include "linkage/linker.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "linkage/evaluate.h"

namespace memoria::linkage {
namespace {

std::string DataPath(const std::string& name) {
  return std::string(MEMORIA_TEST_DATA) + "/linkage/" + name;
}
std::string SettingsPath(const std::string& name) {
  return std::string(MEMORIA_SOURCE_DIR) + "/linkage/settings/" + name;
}

// Links `inputs` with shipped settings and returns pairwise quality against the settings' truth.
PairwiseMetrics LinkDataset(const std::string& settings_file,
                            const std::vector<std::string>& inputs, LinkRun* out = nullptr) {
  auto settings = LoadSettings(SettingsPath(settings_file));
  EXPECT_TRUE(settings.ok()) << settings.status().ToString();
  std::vector<std::string> paths;
  paths.reserve(inputs.size());
  for (const auto& i : inputs) paths.push_back(DataPath(i));
  // Fewer random pairs for u than the shipped 2,000,000 keep the test fast (bench uses them all).
  settings->training.u_pairs = 200'000;
  auto table = LoadRecords(paths, *settings);
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  LinkOptions options;
  options.threads = 2;
  auto run = RunLinkage(*settings, *table, options);
  EXPECT_TRUE(run.ok()) << run.status().ToString();
  if (!run.ok()) return {};
  auto m = EvaluatePairwise(
      run->cluster, table->truth,
      settings->link_type == LinkType::kLink ? table->source : std::vector<std::uint32_t>{});
  if (out) *out = std::move(run).value();
  return m;
}

TEST(LinkerQualityTest, Febrl1) {
  auto m = LinkDataset("febrl_dedupe.json", {"febrl1.csv"});
  EXPECT_EQ(m.true_pairs, 500);
  EXPECT_GE(m.f1, 0.99) << "precision " << m.precision << " recall " << m.recall;
}

TEST(LinkerQualityTest, RlData500) {
  auto m = LinkDataset("rldata.json", {"rldata500.csv"});
  EXPECT_EQ(m.true_pairs, 50);
  EXPECT_GE(m.f1, 0.98) << "precision " << m.precision << " recall " << m.recall;
}

TEST(LinkerQualityTest, SplinkFake1000) {
  auto m = LinkDataset("splink_fake_1000.json", {"splink_fake_1000.csv"});
  EXPECT_EQ(m.true_pairs, 2031);
  EXPECT_GE(m.f1, 0.90) << "precision " << m.precision << " recall " << m.recall;
}

TEST(LinkerQualityTest, SplinkFake1000FromLabels) {
  auto settings = LoadSettings(SettingsPath("splink_fake_1000.json"));
  ASSERT_TRUE(settings.ok());
  auto table = LoadRecords({DataPath("splink_fake_1000.csv")}, *settings);
  ASSERT_TRUE(table.ok());
  auto labels = LoadLabels(DataPath("splink_fake_1000_labels.csv"), *table);
  ASSERT_TRUE(labels.ok()) << labels.status().ToString();
  EXPECT_EQ(labels->size(), 3176u);
  LinkOptions options;
  options.labels = *labels;
  auto run = RunLinkage(*settings, *table, options);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  auto m = EvaluatePairwise(run->cluster, table->truth);
  EXPECT_GE(m.f1, 0.90) << "precision " << m.precision << " recall " << m.recall;
}

constexpr const char* kSmallSettings = R"({
  "id_column": "id",
  "blocking_rules": [{"name": "sn", "keys": [{"column": "sn"}]},
                     {"name": "born", "keys": [{"column": "born"}]}],
  "comparisons": [
    {"column": "fn", "levels": [{"type": "exact"}, {"type": "jaro_winkler", "threshold": 0.9}]},
    {"column": "sn", "levels": [{"type": "exact"}, {"type": "jaro_winkler", "threshold": 0.9}]},
    {"column": "born", "levels": [{"type": "exact"}]}],
  "training": {"prior": 0.01, "seed": 7},
  "thresholds": {"match": 0.9, "review_low": 0.2, "review_high": 0.9}
})";

// 60 people, each twice with a typo, plus decoys; enough for EM to find the matches.
std::string SmallCsv() {
  static const char* const kFirst[] = {"anna",   "boris",  "clara", "dmitri", "elena",
                                       "fyodor", "galina", "hans",  "irina",  "jakob"};
  static const char* const kLast[] = {"petrov",  "smirnov", "ivanova",
                                      "kuznets", "popov",   "sokolov"};
  std::ostringstream csv;
  csv << "id,fn,sn,born\n";
  for (int i = 0; i < 60; ++i) {
    std::string fn = kFirst[i % 10], sn = kLast[i / 10];
    std::string born = std::to_string(1930 + i);
    csv << "p" << i << "a," << fn << "," << sn << "," << born << "\n";
    csv << "p" << i << "b," << fn << (i % 3 == 0 ? "x" : "") << "," << sn << "," << born << "\n";
  }
  return csv.str();
}

TEST(LinkerTest, LinksDuplicatesAndWritesOutputs) {
  auto settings = ParseSettings(kSmallSettings);
  ASSERT_TRUE(settings.ok()) << settings.status().ToString();
  auto table = LoadRecordsFromStrings({SmallCsv()}, {"small.csv"}, *settings);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto run = RunLinkage(*settings, *table, LinkOptions{});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->num_clusters, 60u);
  for (std::size_t i = 0; i < table->size(); i += 2)
    EXPECT_EQ(run->cluster[i], run->cluster[i + 1]);
  // Every candidate pair was scored once: each person's pair shares surname and year.
  EXPECT_GE(run->candidate_pairs, 60);
  std::ostringstream clusters, pairs;
  WriteClusters(clusters, *table, *run);
  EXPECT_TRUE(clusters.str().starts_with("record_id,cluster_id\np0a,c0\np0b,c0\np1a,c1\n"))
      << clusters.str().substr(0, 80);
  WritePairs(pairs, *table, *run, 0.9);
  std::string header = pairs.str().substr(0, pairs.str().find('\n'));
  EXPECT_EQ(header,
            "record_a,record_b,probability,match_weight,decision,fn_level,fn_weight,sn_level,"
            "sn_weight,born_level,born_weight");
  EXPECT_NE(pairs.str().find("\np0a,p0b,"), std::string::npos);
}

TEST(LinkerTest, ReproducibleForASeed) {
  auto settings = ParseSettings(kSmallSettings);
  ASSERT_TRUE(settings.ok());
  settings->training.prior.reset();
  settings->training.u_pairs = 500;  // sampled, not exhaustive
  auto table = LoadRecordsFromStrings({SmallCsv()}, {"small.csv"}, *settings);
  ASSERT_TRUE(table.ok());
  LinkOptions one, two;
  two.threads = 2;
  auto a = RunLinkage(*settings, *table, one);
  auto b = RunLinkage(*settings, *table, two);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->model.prior, b->model.prior);
  EXPECT_EQ(a->model.params[0].u, b->model.params[0].u);
  EXPECT_EQ(a->model.params[0].m, b->model.params[0].m);
}

TEST(LinkerTest, DecisionsWinOverScores) {
  auto settings = ParseSettings(kSmallSettings);
  ASSERT_TRUE(settings.ok());
  auto table = LoadRecordsFromStrings({SmallCsv()}, {"small.csv"}, *settings);
  ASSERT_TRUE(table.ok());
  std::istringstream in("decision,record_a,record_b\nreject,p0a,p0b\naccept,p1a,p2a\n,p3a,p3b\n");
  auto decisions = ReadDecisions(in, "d.csv");
  ASSERT_TRUE(decisions.ok()) << decisions.status().ToString();
  ASSERT_EQ(decisions->size(), 2u);  // the undecided row is skipped
  LinkOptions options;
  options.decisions = *decisions;
  auto run = RunLinkage(*settings, *table, options);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_NE(run->cluster[0], run->cluster[1]);  // p0a / p0b rejected
  EXPECT_EQ(run->cluster[2], run->cluster[4]);  // p1a / p2a accepted (not even a candidate)
  EXPECT_EQ(run->cluster[2], run->cluster[3]);
  std::ostringstream review;
  WriteReviewQueue(review, *table, *run, 0.0, 1.01);
  EXPECT_EQ(review.str().find("p0a,p0b"), std::string::npos) << "decided pairs leave the queue";
}

TEST(LinkerTest, BadDecisionsAreReported) {
  auto settings = ParseSettings(kSmallSettings);
  ASSERT_TRUE(settings.ok());
  auto table = LoadRecordsFromStrings({SmallCsv()}, {"small.csv"}, *settings);
  ASSERT_TRUE(table.ok());
  LinkOptions options;
  options.decisions = {{"p0a", "nobody", true}};
  auto run = RunLinkage(*settings, *table, options);
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(run.status().message().find("nobody"), std::string::npos);

  std::istringstream in("decision,record_a,record_b\nmaybe,p0a,p0b\n");
  auto d = ReadDecisions(in, "d.csv");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().location().line, 2);
  EXPECT_EQ(d.status().location().field, "decision");
  std::istringstream no_col("record_a,record_b\np0a,p0b\n");
  EXPECT_FALSE(ReadDecisions(no_col, "d.csv").ok());
}

TEST(LinkerTest, BadInputRecords) {
  auto settings = ParseSettings(kSmallSettings);
  ASSERT_TRUE(settings.ok());
  auto dup = LoadRecordsFromStrings({"id,fn,sn,born\n1,a,b,c\n1,a,b,c\n"}, {"d.csv"}, *settings);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().location().line, 3);
  auto missing = LoadRecordsFromStrings({"id,fn,born\n1,a,c\n"}, {"m.csv"}, *settings);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().location().field, "sn");
  auto one = LoadRecordsFromStrings({"id,fn,sn,born\n1,a,b,c\n"}, {"o.csv"}, *settings);
  ASSERT_TRUE(one.ok());
  EXPECT_FALSE(RunLinkage(*settings, *one, LinkOptions{}).ok());
}

TEST(LinkerTest, DefaultProfileLinksKoreanSpellings) {
  const Settings& settings = DefaultSettings();
  std::string csv =
      "record_id,source,full_name,family_name,given_name,sex,birth_date,birth_place,event_date,"
      "event_place\n";
  // Twenty people each reported by two organizations in different scripts and spellings.
  static const char* const kHangul[] = {"김영철", "이순희", "박명수", "최광호", "정은주",
                                        "강철민", "조현우", "윤미영", "장성호", "임정숙"};
  static const char* const kLatin[] = {
      "Kim Yong Chol", "Ri Sun Hui", "Pak Myong Su", "Choe Kwang Ho", "Jong Un Ju",
      "Kang Chol Min", "Jo Hyon U",  "Yun Mi Yong",  "Jang Song Ho",  "Rim Jong Suk"};
  for (int i = 0; i < 10; ++i) {
    std::string year = std::to_string(1950 + i);
    csv += "a" + std::to_string(i) + ",NKDB," + kHangul[i] + ",,,M," + year + "-05-0" +
           std::to_string(i % 9 + 1) + ",Hoeryong,2009,Yodok\n";
    csv += "b" + std::to_string(i) + ",TJWG," + kLatin[i] + ",,,M," + year +
           ",Hoeryong,2009-06,Yodok\n";
  }
  auto table = LoadRecordsFromStrings({csv}, {"reports.csv"}, settings);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  LinkOptions options;
  options.threshold = 0.5;
  auto run = RunLinkage(settings, *table, options);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  int linked = 0;
  for (std::size_t i = 0; i < table->size(); i += 2)
    linked += run->cluster[i] == run->cluster[i + 1];
  EXPECT_GE(linked, 9);
  EXPECT_GE(run->num_clusters, 10u);
}

// cluster.split_below: records 1-2 and 2-3 link, but 1 and 3 agree on almost nothing; the
// guard keeps 1 and 3 apart when their own pair scores below split_below.
TEST(LinkerTest, SplitBelowBreaksChains) {
  auto settings = ParseSettings(R"({"id_column": "id",
      "blocking_rules": [{"keys": [{"column": "k"}]}],
      "comparisons": [{"name": "a", "column": "a", "levels": [{"type": "exact"}]},
                      {"name": "b", "column": "b", "levels": [{"type": "exact"}]},
                      {"name": "c", "column": "c", "levels": [{"type": "exact"}]}],
      "training": {"prior": 0.0001},
      "thresholds": {"match": 0.5}})");
  ASSERT_TRUE(settings.ok()) << settings.status().ToString();
  std::string csv = "id,k,a,b,c\nr1,1,x,p,u\nr2,1,x,p,v\nr3,1,y,p,v\n";
  for (int i = 0; i < 40; ++i) {  // fillers with values of their own, for u
    csv += fmt::format("f{0},1,a{0},b{0},c{0}\n", i);
  }
  auto table = LoadRecordsFromStrings({csv}, {"t.csv"}, *settings);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  LinkOptions options;
  options.labels = {{0, 1, true}, {1, 2, true}, {3, 4, false}, {5, 6, false}};
  auto chained = RunLinkage(*settings, *table, options);
  ASSERT_TRUE(chained.ok()) << chained.status().ToString();
  EXPECT_EQ(chained->cluster[0], chained->cluster[1]);
  EXPECT_EQ(chained->cluster[1], chained->cluster[2]);  // r1 and r3 only through r2

  settings->cluster.split_below = 0.1;
  auto split = RunLinkage(*settings, *table, options);
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  EXPECT_NE(split->cluster[0], split->cluster[2]);
  EXPECT_TRUE(split->cluster[1] == split->cluster[0] || split->cluster[1] == split->cluster[2]);
  EXPECT_GE(split->cluster_stats.links_removed, 1);
  // Fillers stay alone.
  EXPECT_EQ(split->num_clusters, 42u);
}

}  // namespace
}  // namespace memoria::linkage
