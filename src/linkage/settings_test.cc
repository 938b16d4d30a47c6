#include "linkage/settings.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace memoria::linkage {
namespace {

constexpr const char* kMinimal = R"({
  "id_column": "id",
  "blocking_rules": [{"keys": [{"column": "surname", "transform": "first", "n": 3}]}],
  "comparisons": [{"column": "surname", "levels": [{"type": "exact"},
                   {"type": "jaro_winkler", "threshold": 0.9}]}]
})";

TEST(SettingsTest, ParsesMinimalSettingsWithDefaults) {
  auto s = ParseSettings(kMinimal);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->link_type, LinkType::kDedupe);
  EXPECT_EQ(s->id_column, "id");
  ASSERT_EQ(s->blocking_rules.size(), 1u);
  EXPECT_EQ(s->blocking_rules[0].name, "rule0");
  EXPECT_EQ(s->blocking_rules[0].parts[0].kind, KeyPart::Kind::kFirst);
  EXPECT_EQ(s->blocking_rules[0].parts[0].n, 3);
  ASSERT_EQ(s->comparisons.size(), 1u);
  EXPECT_EQ(s->comparisons[0].name, "surname");
  ASSERT_EQ(s->comparisons[0].levels.size(), 2u);
  EXPECT_EQ(s->comparisons[0].levels[1].type, Level::Type::kJaroWinkler);
  EXPECT_DOUBLE_EQ(s->comparisons[0].levels[1].threshold, 0.9);
  EXPECT_EQ(LevelLabel(s->comparisons[0].levels[1]), "jaro_winkler>=0.9");
  EXPECT_DOUBLE_EQ(s->thresholds.match, 0.9);
}

struct BadCase {
  const char* json;
  const char* field;
};

TEST(SettingsTest, RejectsBadInputNamingTheField) {
  const BadCase cases[] = {
      {R"({"blocking_rules": [{"keys": [{"column": "a"}]}], "comparisons": [{"column": "a",
          "levels": [{"type": "exact"}]}], "bogus": 1})",
       "bogus"},
      {R"({"blocking_rules": [{"keys": [{"column": "a"}]}], "comparisons": [{"column": "a",
          "levels": [{"type": "nearly"}]}]})",
       "comparisons[0].levels[0].type"},
      {R"({"blocking_rules": [{"keys": [{"column": "a"}]}], "comparisons": [{"column": "a",
          "levels": [{"type": "jaro_winkler", "threshold": 1.5}]}]})",
       "comparisons[0].levels[0].threshold"},
      {R"({"blocking_rules": [{"keys": [{"column": "a", "transform": "first"}]}],
          "comparisons": [{"column": "a", "levels": [{"type": "exact"}]}]})",
       "blocking_rules[0].keys[0].n"},
      {R"({"blocking_rules": [], "comparisons": [{"column": "a", "levels": [{"type": "exact"}]}]})",
       "blocking_rules"},
      {R"({"blocking_rules": [{"keys": [{"column": "a"}]}], "comparisons": [{"column": "a",
          "kind": "date", "levels": [{"type": "jaro_winkler", "threshold": 0.9}]}]})",
       "comparisons[0].levels[0].type"},
      {R"({"blocking_rules": [{"keys": [{"column": "a"}]}], "comparisons": [{"column": "a",
          "levels": [{"type": "exact"}]}], "training": {"em_rules": ["nope"]}})",
       "training.em_rules[0]"},
      {R"({"blocking_rules": [{"keys": [{"column": "a"}]}], "comparisons": [{"column": "a",
          "levels": [{"type": "swapped"}]}]})",
       "comparisons[0].levels[0]"},
      {R"({"blocking_rules": [{"keys": [{"column": "a"}]}], "comparisons": [{"column": "a",
          "kind": "agreement", "levels": [{"type": "exact"}]}]})",
       "comparisons[0].columns"},
      {R"({"blocking_rules": [{"keys": [{"column": "a"}]}], "comparisons": [{"columns":
          ["a", "b"], "kind": "agreement", "levels": [{"type": "differ_at_most"}]}]})",
       "comparisons[0].levels[0].max"},
      {R"({"blocking_rules": [{"keys": [{"column": "a"}]}], "comparisons": [{"columns":
          ["a", "b"], "kind": "agreement", "levels": [{"type": "jaro", "threshold": 0.9}]}]})",
       "comparisons[0].levels[0].type"},
      {R"({"blocking_rules": [{"keys": [{"column": "a"}]}], "comparisons": [{"column": "a",
          "levels": [{"type": "differ_at_most", "max": 1}]}]})",
       "comparisons[0].levels[0].type"},
      {R"({"blocking_rules": [{"keys": [{"column": "a"}]}], "comparisons": [{"columns":
          ["a", "b"], "kind": "agreement", "levels": [{"type": "exact"}],
          "term_frequency": true}]})",
       "comparisons[0].term_frequency"},
      {R"({"blocking_rules": [{"keys": [{"column": "a"}]}], "comparisons": [{"column": "a",
          "levels": [{"type": "exact", "rarer_max_count": 2}]}]})",
       "comparisons[0].levels[0].rarer_max_count"},
      {R"({"blocking_rules": [{"keys": [{"column": "a"}]}], "comparisons": [{"column": "a",
          "levels": [{"type": "jaro", "threshold": 0.9, "rarer_max_count": 0}]}]})",
       "comparisons[0].levels[0].rarer_max_count"},
      {R"({"link_type": "merge", "blocking_rules": [{"keys": [{"column": "a"}]}],
          "comparisons": [{"column": "a", "levels": [{"type": "exact"}]}]})",
       "link_type"},
  };
  for (const auto& c : cases) {
    auto s = ParseSettings(c.json, "s.json");
    ASSERT_FALSE(s.ok()) << c.json;
    EXPECT_EQ(s.status().code(), ErrorCode::kInvalidInput);
    EXPECT_EQ(s.status().location().field, c.field) << s.status().ToString();
    EXPECT_EQ(s.status().location().file, "s.json");
  }
}

TEST(SettingsTest, ParsesAgreementComparison) {
  auto s = ParseSettings(R"({"blocking_rules": [{"keys": [{"column": "a"}]}],
      "comparisons": [{"name": "all", "kind": "agreement", "columns": ["a", "b", "c"],
                       "levels": [{"type": "exact"}, {"type": "differ_at_most", "max": 1}]}]})");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  const Comparison& c = s->comparisons[0];
  EXPECT_EQ(c.kind, ValueKind::kAgreement);
  EXPECT_EQ(c.columns, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(c.levels.size(), 2u);
  EXPECT_EQ(c.levels[1].type, Level::Type::kDifferAtMost);
  EXPECT_DOUBLE_EQ(c.levels[1].max, 1);
  EXPECT_EQ(LevelLabel(c.levels[1]), "differ<=1");
}

TEST(SettingsTest, RejectsInvalidJson) {
  auto s = ParseSettings("{not json", "x.json");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kInvalidInput);
}

TEST(SettingsTest, MissingFileIsNotFound) {
  auto s = LoadSettings("/nonexistent/settings.json");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kNotFound);
}

TEST(SettingsTest, EmptyPathLoadsTheDefaultProfile) {
  auto s = LoadSettings("");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->comparisons.size(), DefaultSettings().comparisons.size());
  EXPECT_EQ(s->thresholds.match, DefaultSettings().thresholds.match);
}

TEST(SettingsTest, DefaultProfileIsTheShippedFile) {
  std::ifstream in(std::string(MEMORIA_SOURCE_DIR) + "/linkage/settings/memoria_default.json");
  ASSERT_TRUE(in) << "linkage/settings/memoria_default.json is missing";
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  std::string embedded(DefaultSettingsJson());
  while (!embedded.empty() && embedded.back() == '\n') embedded.pop_back();
  while (!embedded.empty() && embedded.front() == '\n') embedded.erase(0, 1);
  EXPECT_EQ(embedded, text) << "src/linkage/default_profile.cc is out of date";
  const Settings& s = DefaultSettings();
  EXPECT_EQ(s.id_column, "record_id");
  EXPECT_EQ(s.source_column, "source");
  EXPECT_EQ(s.link_type, LinkType::kLinkAndDedupe);
}

TEST(SettingsTest, EveryShippedSettingsFileParses) {
  for (const char* name : {"memoria_default", "febrl_dedupe", "febrl4_link", "rldata",
                           "splink_fake_1000", "splink_historical_50k"}) {
    auto s = LoadSettings(std::string(MEMORIA_SOURCE_DIR) + "/linkage/settings/" + name + ".json");
    EXPECT_TRUE(s.ok()) << name << ": " << s.status().ToString();
  }
}

}  // namespace
}  // namespace memoria::linkage
