#include "linkage/blocking.h"

#include <gtest/gtest.h>

#include <mutex>
#include <set>

namespace memoria::linkage {
namespace {

using PairSet = std::set<std::pair<std::string, std::string>>;

PairSet Pairs(const char* settings_json, const std::vector<std::string>& csvs, int threads = 1) {
  auto s = ParseSettings(settings_json);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  std::vector<std::string> names;
  for (std::size_t i = 0; i < csvs.size(); ++i) names.push_back("f" + std::to_string(i));
  auto t = LoadRecordsFromStrings(csvs, names, *s);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  auto b = Blocker::Build(*s, *t);
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  PairSet out;
  std::size_t count = 0;
  std::mutex mu;
  for (std::size_t r = 0; r < (*b)->num_rules(); ++r) {
    (*b)->ForEachPair(r, true, threads, [&](int, std::uint32_t x, std::uint32_t y) {
      std::lock_guard<std::mutex> lock(mu);
      EXPECT_LT(x, y);
      out.emplace(t->ids[x], t->ids[y]);
      ++count;
    });
  }
  EXPECT_EQ(count, out.size()) << "a pair was produced twice";
  return out;
}

TEST(SoundexTest, KnownCodes) {
  EXPECT_EQ(Soundex("robert"), "R163");
  EXPECT_EQ(Soundex("Rupert"), "R163");
  EXPECT_EQ(Soundex("ashcraft"), "A261");
  EXPECT_EQ(Soundex("tymczak"), "T522");
  EXPECT_EQ(Soundex("pfister"), "P236");
  EXPECT_EQ(Soundex("lee"), "L000");
  EXPECT_EQ(Soundex("123"), "");
}

constexpr const char* kTwoRules = R"({"id_column": "id",
  "blocking_rules": [{"name": "sn", "keys": [{"column": "sn"}]},
                     {"name": "fn3", "keys": [{"column": "fn", "transform": "first", "n": 3}]}],
  "comparisons": [{"column": "sn", "levels": [{"type": "exact"}]}]})";

TEST(BlockerTest, UnionOfRulesEachPairOnce) {
  PairSet p = Pairs(kTwoRules, {"id,sn,fn\n1,kim,yongchol\n2,kim,yongsu\n3,pak,yonghi\n"
                                "4,,yon\n5,ri,sunhi\n6,ri,\n"});
  PairSet want = {{"1", "2"}, {"1", "3"}, {"2", "3"}, {"1", "4"},
                  {"2", "4"}, {"3", "4"}, {"5", "6"}};
  EXPECT_EQ(p, want);
}

TEST(BlockerTest, LinkOnlyProducesCrossSourcePairs) {
  std::string json = kTwoRules;
  json.replace(json.find("\"id_column\""), 0, "\"link_type\": \"link\", ");
  PairSet p = Pairs(json.c_str(), {"id,sn,fn\na1,kim,x\na2,kim,y\n", "id,sn,fn\nb1,kim,z\n"});
  PairSet want = {{"a1", "b1"}, {"a2", "b1"}};
  EXPECT_EQ(p, want);
}

TEST(BlockerTest, ThreadsProduceTheSamePairs) {
  std::string csv = "id,sn,fn\n";
  for (int i = 0; i < 400; ++i) {
    csv += std::to_string(i) + ",s" + std::to_string(i % 97) + ",f" + std::to_string(i % 31) + "\n";
  }
  EXPECT_EQ(Pairs(kTwoRules, {csv}, 1), Pairs(kTwoRules, {csv}, 2));
}

TEST(BlockerTest, MaxBlockSizeSkipsAndWarns) {
  auto s = ParseSettings(R"({"id_column": "id",
    "blocking_rules": [{"name": "sn", "keys": [{"column": "sn"}], "max_block_size": 2}],
    "comparisons": [{"column": "sn", "levels": [{"type": "exact"}]}]})");
  ASSERT_TRUE(s.ok());
  auto t = LoadRecordsFromStrings({"id,sn\n1,a\n2,a\n3,a\n4,b\n5,b\n"}, {"x"}, *s);
  ASSERT_TRUE(t.ok());
  auto b = Blocker::Build(*s, *t);
  ASSERT_TRUE(b.ok());
  int n = 0;
  (*b)->ForEachPair(0, true, 1, [&](int, std::uint32_t, std::uint32_t) { ++n; });
  EXPECT_EQ(n, 1);  // only b's block
  ASSERT_EQ((*b)->warnings().size(), 1u);
}

TEST(BlockerTest, YearAndKoreanSurnameKeys) {
  // Surname candidates are a multi-valued key: Lee, Ri and 이 meet; a pair that shares several
  // keys is still produced once.
  PairSet p = Pairs(R"({"id_column": "id",
    "blocking_rules": [{"keys": [{"columns": ["full", "fam", "giv"], "transform": "surname_key"},
                                 {"column": "born", "transform": "year"}]}],
    "comparisons": [{"column": "born", "levels": [{"type": "exact"}]}]})",
                    {"id,full,fam,giv,born\n1,,Lee,Young-hee,1960-03-01\n2,,Ri,Yong-hui,1960\n"
                     "3,이영희,,,1960-12\n4,,Kim,Young-hee,1960\n5,,Lee,Yong,1961\n"});
  PairSet want = {{"1", "2"}, {"1", "3"}, {"2", "3"}};
  EXPECT_EQ(p, want);
}

// A pair in a block skipped for max_block_size is still produced by a later rule whose block
// holds it (the skipped block does not count as "produced earlier").
TEST(BlockerTest, SkippedBlockDoesNotHidePairsFromLaterRules) {
  PairSet p = Pairs(R"({"id_column": "id",
      "blocking_rules": [{"name": "g", "max_block_size": 2, "keys": [{"column": "g"}]},
                         {"name": "h", "keys": [{"column": "h"}]}],
      "comparisons": [{"column": "g", "levels": [{"type": "exact"}]}]})",
                    {"id,g,h\n1,x,y\n2,x,y\n3,x,z\n4,w,q\n5,w,r\n"});
  EXPECT_EQ(p, (PairSet{{"1", "2"}, {"4", "5"}}));
}

}  // namespace
}  // namespace memoria::linkage
