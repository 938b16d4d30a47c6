#include "linkage/comparison.h"

#include <gtest/gtest.h>

#include <random>

#include "linkage/korean.h"
#include "linkage/string_metrics.h"

namespace memoria::linkage {
namespace {

Settings Parse(const char* json) {
  auto s = ParseSettings(json);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : Settings{};
}

TEST(DatesTest, CivilDaysRoundTrip) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(YearOfDay(DaysFromCivil(1997, 12, 31)), 1997);
  EXPECT_EQ(YearOfDay(DaysFromCivil(1998, 1, 1)), 1998);
  EXPECT_EQ(YearOfDay(DaysFromCivil(1890, 6, 1)), 1890);
}

TEST(DatesTest, ParsesFormatsAsRanges) {
  DayRange y = ParseDayRange("1997", "edtf");
  ASSERT_TRUE(y.valid);
  EXPECT_EQ(y.earliest, DaysFromCivil(1997, 1, 1));
  EXPECT_EQ(y.latest, DaysFromCivil(1997, 12, 31));
  DayRange d = ParseDayRange("19970314", "yyyymmdd");
  ASSERT_TRUE(d.valid);
  EXPECT_EQ(d.earliest, DaysFromCivil(1997, 3, 14));
  EXPECT_FALSE(ParseDayRange("19971314", "yyyymmdd").valid);  // month 13
  EXPECT_FALSE(ParseDayRange("not a date", "edtf").valid);
  EXPECT_FALSE(ParseDayRange("", "edtf").valid);
  DayRange m = ParseYmd("1961", "2", "NA");
  ASSERT_TRUE(m.valid);
  EXPECT_EQ(m.earliest, DaysFromCivil(1961, 2, 1));
  EXPECT_EQ(m.latest, DaysFromCivil(1961, 2, 28));
}

TEST(NormalizeTextTest, FoldsCaseAndSpaces) {
  EXPECT_EQ(NormalizeText("  Kim   Yong  ", Normalize::kLower), "kim yong");
  EXPECT_EQ(NormalizeText("O'Brien-Smith", Normalize::kAlnum), "obriensmith");
  EXPECT_EQ(NormalizeText("ÉCOLE", Normalize::kLower), "école");
  EXPECT_EQ(NormalizeText(" As Is ", Normalize::kNone), "As Is");
}

class ComparatorTest : public ::testing::Test {
 protected:
  void Load(const char* settings_json, const std::string& csv) {
    settings_ = Parse(settings_json);
    auto t = LoadRecordsFromStrings({csv}, {"t.csv"}, settings_);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    table_ = std::move(t).value();
    auto c = Comparator::Build(settings_, table_);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    cmp_ = std::move(c).value();
  }
  std::vector<int> Levels(std::uint32_t a, std::uint32_t b) {
    std::vector<std::uint8_t> lv(cmp_->num_comparisons());
    cmp_->Compare(a, b, lv.data());
    return {lv.begin(), lv.end()};
  }
  Settings settings_;
  RecordTable table_;
  std::unique_ptr<Comparator> cmp_;
};

TEST_F(ComparatorTest, StringLevelsInOrderWithNullAndElse) {
  Load(R"({"id_column": "id", "blocking_rules": [{"keys": [{"column": "name"}]}],
           "comparisons": [{"columns": ["name", "other"], "levels": [{"type": "exact"},
              {"type": "swapped"}, {"type": "jaro_winkler", "threshold": 0.9},
              {"type": "levenshtein", "max": 2}]}]})",
       "id,name,other\n1,martha,x\n2,MARTHA,y\n3,marhta,z\n4,marx,q\n5,,w\n6,zzzzzz,k\n"
       "7,a,b\n8,b,a\n");
  EXPECT_EQ(cmp_->num_levels(0), 6);
  EXPECT_EQ(Levels(0, 1), std::vector<int>{1});  // exact after case folding
  EXPECT_EQ(Levels(0, 2), std::vector<int>{3});  // jw 0.961
  EXPECT_EQ(Levels(0, 3), std::vector<int>{5});  // jw < 0.9 and 3 edits: else
  EXPECT_EQ(Levels(0, 4), std::vector<int>{0});  // missing: null
  EXPECT_EQ(Levels(0, 5), std::vector<int>{5});
  EXPECT_EQ(Levels(6, 7), std::vector<int>{2});  // a/b vs b/a: swapped
  EXPECT_EQ(cmp_->level_label(0, 0), "null");
  EXPECT_EQ(cmp_->level_label(0, 3), "jaro_winkler>=0.9");
  EXPECT_EQ(cmp_->level_label(0, 5), "else");
}

TEST_F(ComparatorTest, EdtfDatesCompareAsRanges) {
  Load(R"({"id_column": "id", "blocking_rules": [{"keys": [{"column": "d"}]}],
           "comparisons": [{"kind": "date", "column": "d", "levels": [{"type": "exact"},
              {"type": "date_within_days", "max": 0}, {"type": "date_same_month"},
              {"type": "date_years_within", "max": 1}]}]})",
       "id,d\n1,1997\n2,1997-03-14\n3,1997-03-30\n4,1998-07\n5,2001\n6,garbage\n7,1997\n");
  EXPECT_EQ(Levels(0, 6), std::vector<int>{1});  // same text
  EXPECT_EQ(Levels(0, 1), std::vector<int>{2});  // a year agrees with every day in it
  EXPECT_EQ(Levels(1, 2), std::vector<int>{3});  // same month, 16 days apart
  EXPECT_EQ(Levels(1, 3), std::vector<int>{4});  // one year apart
  EXPECT_EQ(Levels(1, 4), std::vector<int>{5});  // else
  EXPECT_EQ(Levels(1, 5), std::vector<int>{0});  // unparseable: null
}

TEST_F(ComparatorTest, NumericAndTermFrequency) {
  Load(R"({"id_column": "id", "blocking_rules": [{"keys": [{"column": "n"}]}],
           "comparisons": [{"kind": "numeric", "column": "n", "levels": [{"type": "exact"},
              {"type": "numeric_within", "max": 1.5}]},
             {"column": "s", "levels": [{"type": "exact"}], "term_frequency": true}]})",
       "id,n,s\n1,10,kim\n2,11,kim\n3,15,kim\n4,x,pak\n");
  EXPECT_EQ(Levels(0, 1)[0], 2);
  EXPECT_EQ(Levels(0, 2)[0], 3);
  EXPECT_EQ(Levels(0, 3)[0], 0);
  EXPECT_TRUE(cmp_->TfApplies(1, 1));
  EXPECT_FALSE(cmp_->TfApplies(0, 1));
  EXPECT_DOUBLE_EQ(cmp_->TfFrequency(1, 0, 1), 0.75f);
  EXPECT_DOUBLE_EQ(cmp_->TfFrequency(1, 3, 3), 0.25f);
}

TEST_F(ComparatorTest, AgreementCountsDifferingColumnsPresentInBoth) {
  Load(R"({"id_column": "id", "blocking_rules": [{"keys": [{"column": "f"}]}],
           "comparisons": [{"kind": "agreement", "columns": ["f", "l", "y"],
              "levels": [{"type": "exact"}, {"type": "differ_at_most", "max": 1},
                         {"type": "differ_at_most", "max": 2}]}]})",
       "id,f,l,y\n1,Hans,Meier,1950\n2,HANS,meier,1950\n3,hans,meyer,1950\n"
       "4,hans,meyer,1951\n5,karl,meyer,1951\n6,,meier,\n7,,,\n8,hans,,1951\n");
  EXPECT_EQ(cmp_->num_levels(0), 5);
  EXPECT_EQ(Levels(0, 1), std::vector<int>{1});  // all equal after case folding
  EXPECT_EQ(Levels(0, 2), std::vector<int>{2});  // one differs
  EXPECT_EQ(Levels(0, 3), std::vector<int>{3});  // two differ
  EXPECT_EQ(Levels(0, 4), std::vector<int>{4});  // three differ: else
  EXPECT_EQ(Levels(0, 5), std::vector<int>{1});  // only l present in both, equal
  EXPECT_EQ(Levels(2, 5), std::vector<int>{2});  // only l present in both, differs
  EXPECT_EQ(Levels(0, 6), std::vector<int>{0});  // nothing present in both: null
  EXPECT_EQ(Levels(0, 7), std::vector<int>{2});  // f equal, y differs, l missing
  EXPECT_EQ(cmp_->level_label(0, 2), "differ<=1");
  EXPECT_FALSE(cmp_->TfApplies(0, 1));
}

TEST_F(ComparatorTest, RarerMaxCountTellsTyposFromOtherCommonNames) {
  Load(R"({"id_column": "id", "blocking_rules": [{"keys": [{"column": "f"}]}],
           "comparisons": [{"column": "f", "levels": [{"type": "exact"},
              {"type": "damerau_levenshtein", "max": 1, "rarer_max_count": 1},
              {"type": "damerau_levenshtein", "max": 1}]}]})",
       "id,f\n1,andrea\n2,andrea\n3,andreas\n4,andreas\n5,andreaz\n6,karl\n");
  EXPECT_EQ(Levels(0, 2), std::vector<int>{3});  // both values twice: another name
  EXPECT_EQ(Levels(0, 4), std::vector<int>{2});  // andreaz occurs once: a typo
  EXPECT_EQ(Levels(4, 2), std::vector<int>{2});
  EXPECT_EQ(Levels(0, 1), std::vector<int>{1});
  EXPECT_EQ(Levels(0, 5), std::vector<int>{4});
  EXPECT_EQ(cmp_->level_label(0, 2), "damerau<=1,rarer<=1");
}

TEST_F(ComparatorTest, MissingColumnIsAnError) {
  Settings s = Parse(R"({"id_column": "id", "blocking_rules": [{"keys": [{"column": "a"}]}],
           "comparisons": [{"column": "a", "levels": [{"type": "exact"}]}]})");
  RecordTable t;  // no columns loaded
  t.ids = {"1", "2"};
  t.source = {0, 0};
  auto c = Comparator::Build(s, t);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), ErrorCode::kInvalidInput);
}

TEST_F(ComparatorTest, KoreanNamesAcrossScriptsAndSpellings) {
  Load(R"({"id_column": "id", "blocking_rules": [{"keys": [{"column": "full"}]}],
           "comparisons": [
             {"name": "surname", "kind": "korean_name", "columns": ["full", "fam", "giv"],
              "levels": [{"type": "surname_match"}], "term_frequency": true},
             {"name": "given", "kind": "korean_name", "columns": ["full", "fam", "giv"],
              "levels": [{"type": "given_phonetic"},
                         {"type": "given_similarity", "threshold": 0.6}]}]})",
       "id,full,fam,giv\n"
       "1,김영철,,\n"
       "2,,KIM,Yeong-cheol\n"
       "3,Kim Yong Chol,,\n"
       "4,,Park,Yeong-cheol\n"
       "5,,Lee,Young-hee\n"
       "6,,Ri,Yong-hui\n"
       "7,,,\n");
  EXPECT_EQ(Levels(0, 1), (std::vector<int>{1, 1}));  // Hangul vs RR
  EXPECT_EQ(Levels(1, 2), (std::vector<int>{1, 1}));  // RR vs DPRK spelling, full name only
  EXPECT_EQ(Levels(1, 3)[0], 2);                      // Kim vs Park: else
  EXPECT_EQ(Levels(1, 3)[1], 1);
  EXPECT_EQ(Levels(4, 5)[0], 1);                      // Lee / Ri
  EXPECT_EQ(Levels(0, 6), (std::vector<int>{0, 0}));  // no name: null
  EXPECT_TRUE(cmp_->TfApplies(0, 1));
  EXPECT_FALSE(cmp_->TfApplies(1, 1));
}

// The comparator caches levels per pair of distinct values (few distinct values), skips
// Jaro-Winkler when a bound rules a level out, and caches given-name similarities. Whatever
// path it takes, each level must be the one the metrics give directly.
std::string RandomWord(std::mt19937& rng, int alphabet, int min_len, int max_len) {
  std::uniform_int_distribution<int> len(min_len, max_len), ch(0, alphabet - 1);
  std::string w;
  for (int i = len(rng); i > 0; --i) w.push_back(static_cast<char>('a' + ch(rng)));
  return w;
}

// Levels: exact, [swapped,] jw >= 0.92, levenshtein <= 2, jw >= 0.8, damerau <= 3; else.
int ExpectedStringLevel(const std::string& a, const std::string& b, const std::string& a2,
                        const std::string& b2, bool swapped) {
  if (a.empty() || b.empty()) return 0;
  std::vector<bool> holds = {a == b};
  if (swapped) holds.push_back(!a2.empty() && !b2.empty() && a == b2 && b == a2);
  holds.push_back(JaroWinkler(a, b) >= 0.92);
  holds.push_back(Levenshtein(a, b, 2) <= 2);
  holds.push_back(JaroWinkler(a, b) >= 0.8);
  holds.push_back(DamerauOsa(a, b, 3) <= 3);
  for (std::size_t i = 0; i < holds.size(); ++i) {
    if (holds[i]) return static_cast<int>(i) + 1;
  }
  return static_cast<int>(holds.size()) + 1;
}

void CheckStringLevels(int distinct, bool swapped, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> pool;
  for (int i = 0; i < distinct; ++i) pool.push_back(RandomWord(rng, 6, 3, 9));
  std::string csv = "id,v,w\n";
  std::vector<std::string> v, w;
  std::uniform_int_distribution<int> pick(0, distinct - 1), coin(0, 9);
  for (int r = 0; r < 3000; ++r) {
    v.push_back(coin(rng) == 0 ? "" : pool[pick(rng)]);
    w.push_back(pool[pick(rng)]);
    if (coin(rng) < 2 && !v.back().empty()) w.back() = v[pick(rng) % (r + 1)];
    csv += std::to_string(r) + "," + v.back() + "," + w.back() + "\n";
  }
  std::string levels = swapped ? R"({"type": "swapped"},)" : "";
  std::string json = R"({"id_column": "id", "blocking_rules": [{"keys": [{"column": "v"}]}],
      "comparisons": [{"columns": ["v", "w"], "levels": [{"type": "exact"},)" +
                     levels + R"({"type": "jaro_winkler", "threshold": 0.92},
        {"type": "levenshtein", "max": 2}, {"type": "jaro_winkler", "threshold": 0.8},
        {"type": "damerau_levenshtein", "max": 3}]}]})";
  auto settings = ParseSettings(json);
  ASSERT_TRUE(settings.ok()) << settings.status().ToString();
  auto table = LoadRecordsFromStrings({csv}, {"t.csv"}, *settings);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto cmp = Comparator::Build(*settings, *table);
  ASSERT_TRUE(cmp.ok());
  std::uniform_int_distribution<std::uint32_t> rec(0, 2999);
  std::uint8_t level = 0;
  for (int i = 0; i < 20000; ++i) {
    std::uint32_t a = rec(rng), b = rec(rng);
    (*cmp)->Compare(a, b, &level);
    int expected = ExpectedStringLevel(v[a], v[b], w[a], w[b], swapped);
    ASSERT_EQ(level, expected) << v[a] << " / " << v[b];
  }
}

TEST(ComparatorPathsTest, CachedLevelsEqualMetrics) { CheckStringLevels(300, false, 1); }
TEST(ComparatorPathsTest, BoundedLevelsEqualMetrics) { CheckStringLevels(2500, false, 2); }
TEST(ComparatorPathsTest, SwappedLevelsEqualMetrics) { CheckStringLevels(300, true, 3); }

TEST(ComparatorPathsTest, GivenNameLevelsEqualSimilarity) {
  const std::vector<std::string> givens = {
      "Yeong-cheol", "Young Chul", "영철",     "Yong Chol", "Chol-yong", "영희",      "Yong-hui",
      "Youngchul",   "Minsu",      "Min Su",   "민수",      "Su-min",    "Geungwang", "Geun-gwang",
      "Kwang-il",    "광일",       "Chun-sŏk", "Jun Sok",   "Soo uSng",  "수성",      ""};
  std::string csv = "id,fam,giv\n";
  for (std::size_t i = 0; i < 400; ++i) {
    csv += std::to_string(i) + ",Kim," + givens[(i * 7 + i / 21) % givens.size()] + "\n";
  }
  auto settings = ParseSettings(R"({"id_column": "id",
      "blocking_rules": [{"keys": [{"column": "fam"}]}],
      "comparisons": [{"kind": "korean_name", "columns": ["fam", "fam", "giv"], "levels": [
        {"type": "given_phonetic"}, {"type": "given_similarity", "threshold": 0.9},
        {"type": "given_similarity", "threshold": 0.6}]}]})");
  ASSERT_TRUE(settings.ok()) << settings.status().ToString();
  auto table = LoadRecordsFromStrings({csv}, {"t.csv"}, *settings);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto cmp = Comparator::Build(*settings, *table);
  ASSERT_TRUE(cmp.ok());
  const auto& giv = table->columns[table->Column("giv")];
  std::uint8_t level = 0;
  for (std::uint32_t a = 0; a < 400; a += 3) {
    for (std::uint32_t b = 0; b < 400; b += 5) {
      (*cmp)->Compare(a, b, &level);
      int expected = 0;
      if (!giv[a].empty() && !giv[b].empty()) {
        double s = GivenNameSimilarity(giv[a], giv[b]);
        std::string pa = PhoneticKey(giv[a]), pb = PhoneticKey(giv[b]);
        expected = !pa.empty() && pa == pb ? 1 : s >= 0.9 ? 2 : s >= 0.6 ? 3 : 4;
      }
      ASSERT_EQ(level, expected) << giv[a] << " / " << giv[b];
    }
  }
}

}  // namespace
}  // namespace memoria::linkage
