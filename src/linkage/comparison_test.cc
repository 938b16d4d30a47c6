#include "linkage/comparison.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace memoria::linkage
