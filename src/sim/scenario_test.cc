#include "sim/scenario.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/embedded_data.h"

namespace memoria::sim {
namespace {

using json = nlohmann::json;

json DefaultJson() { return json::parse(*EmbeddedFile("scenarios/default.json")); }

Status ParseError(const json& j) {
  auto r = ParseScenario(j.dump(), "test.json");
  EXPECT_FALSE(r.ok());
  return r.ok() ? Status::Ok() : r.status();
}

TEST(Scenario, DefaultParses) {
  auto sc = DefaultScenario();
  ASSERT_TRUE(sc.ok()) << sc.status().ToString();
  EXPECT_EQ(sc->persons, 5000);
  EXPECT_EQ(sc->sources.size(), 4u);
  EXPECT_EQ(sc->sources[0].id, "interviews");
  EXPECT_DOUBLE_EQ(sc->sources[0].capture, 0.30);
  EXPECT_DOUBLE_EQ(sc->sources[3].referral_log_odds.at("families"), 2.0);
  EXPECT_EQ(sc->violations[0].act_type, "V.MOVE.REFOULEMENT");
  EXPECT_EQ(sc->violations[0].followups.size(), 4u);
  EXPECT_FALSE(sc->violations.back().dprk_national);
  // Defaults fill the keys a source leaves out.
  EXPECT_DOUBLE_EQ(sc->sources[1].errors.at("swapped_given"), 0.0);
}

TEST(Scenario, UnknownKeyIsNamedWithItsPath) {
  json j = DefaultJson();
  j["sources"][1]["captur"] = 0.2;
  Status s = ParseError(j);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(s.location().file, "test.json");
  EXPECT_EQ(s.location().field, "sources[1].captur");
  EXPECT_NE(s.message().find("unknown key"), std::string::npos);

  j = DefaultJson();
  j["colour"] = "blue";
  EXPECT_EQ(ParseError(j).location().field, "colour");

  j = DefaultJson();
  j["violations"][0]["followups"][1]["when"] = 1;
  EXPECT_EQ(ParseError(j).location().field, "violations[0].followups[1].when");
}

TEST(Scenario, ProbabilityOutsideUnitIntervalIsRejected) {
  json j = DefaultJson();
  j["sources"][2]["capture"] = 1.5;
  Status s = ParseError(j);
  EXPECT_EQ(s.location().field, "sources[2].capture");
  EXPECT_NE(s.message().find("outside [0, 1]"), std::string::npos);

  j = DefaultJson();
  j["sources"][0]["errors"]["typo"] = -0.1;
  EXPECT_EQ(ParseError(j).location().field, "sources[0].errors.typo");

  j = DefaultJson();
  j["violations"][1]["followups"][0]["probability"] = 2;
  EXPECT_EQ(ParseError(j).location().field, "violations[1].followups[0].probability");
}

TEST(Scenario, NegativeSizesAreRejected) {
  json j = DefaultJson();
  j["persons"] = -5;
  Status s = ParseError(j);
  EXPECT_EQ(s.location().field, "persons");
  j = DefaultJson();
  j["persons"] = 2.5;
  EXPECT_EQ(ParseError(j).location().field, "persons");
  j = DefaultJson();
  j["sources"][0]["report_lag_max"] = -1;
  EXPECT_EQ(ParseError(j).location().field, "sources[0].report_lag_max");
  j = DefaultJson();
  j["visibility_sd"] = -1;
  EXPECT_EQ(ParseError(j).location().field, "visibility_sd");
  j = DefaultJson();
  j["age"] = json::array({40, 20});
  EXPECT_EQ(ParseError(j).location().field, "age");
}

TEST(Scenario, DistributionsMustSumToOne) {
  json j = DefaultJson();
  j["sex"] = {{"male", 0.5}, {"female", 0.4}};
  Status s = ParseError(j);
  EXPECT_EQ(s.location().field, "sex");
  EXPECT_NE(s.message().find("sum to"), std::string::npos);
  j = DefaultJson();
  j["violations"][0]["probability"] = 0.5;
  EXPECT_EQ(ParseError(j).location().field, "violations");
}

TEST(Scenario, UnknownCodesAndPlacesAreRejected) {
  json j = DefaultJson();
  j["violations"][2]["act_type"] = "V.DET.PRISON";
  Status s = ParseError(j);
  EXPECT_EQ(s.location().field, "violations[2].act_type");
  EXPECT_NE(s.message().find("nearest"), std::string::npos);
  j = DefaultJson();
  j["provinces"]["KP-99"] = 0.0;
  EXPECT_EQ(ParseError(j).location().field, "provinces.KP-99");
  j = DefaultJson();
  j["violations"][1]["place"] = "gulag";
  EXPECT_EQ(ParseError(j).location().field, "violations[1].place");
  j = DefaultJson();
  j["sources"][0]["script"] = {{"Cyrl", 1.0}};
  EXPECT_EQ(ParseError(j).location().field, "sources[0].script.Cyrl");
}

TEST(Scenario, SourceIdsAndReferralsAreChecked) {
  json j = DefaultJson();
  j["sources"][1]["id"] = "interviews";
  EXPECT_EQ(ParseError(j).location().field, "sources[1].id");
  j = DefaultJson();
  j["sources"][0]["id"] = "../evil";
  EXPECT_EQ(ParseError(j).location().field, "sources[0].id");
  j = DefaultJson();
  j["sources"][1]["referral_log_odds"] = {{"media", 1.0}};  // media comes later
  EXPECT_EQ(ParseError(j).location().field, "sources[1].referral_log_odds.media");
}

TEST(Scenario, MissingRequiredKeyAndBadJson) {
  json j = DefaultJson();
  j.erase("sources");
  Status s = ParseError(j);
  EXPECT_EQ(s.location().field, "sources");
  auto bad = ParseScenario("{\"persons\": ", "broken.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().location().file, "broken.json");
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidInput);
  auto missing = LoadScenarioFile("/nonexistent/scenario.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace memoria::sim
