// Checks the reference data memoria ships (data/, as compiled into the binary): the code lists
// are consistent, the gazetteer is valid JSON Lines whose values are codes of their lists, and
// the transcription agrees with the desk-review tables it came from (MEMORIA_TEST_DATA).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/embedded_data.h"
#include "core/model.h"
#include "core/vocabulary.h"

namespace memoria {
namespace {

using Json = nlohmann::ordered_json;

// Keys of a place line, in the order they must appear.
const std::vector<std::string> kPlaceKeys = {
    "type", "id",  "name",      "name_ko",       "other_names", "kind",    "parent",
    "lat",  "lon", "precision", "facility_type", "description", "sources", "confidentiality"};
// Rough bounding box of the DPRK.
constexpr double kMinLat = 37.5, kMaxLat = 43.1, kMinLon = 124.1, kMaxLon = 130.8;

const Vocabulary& List(const std::string& name) {
  const Vocabulary* v = Vocabularies::Default().List(name);
  if (v == nullptr) {
    ADD_FAILURE() << "missing list " << name;
    static const Vocabulary kEmpty("", "", {});
    return kEmpty;
  }
  return *v;
}

std::vector<Json> ShippedPlaces() {
  std::vector<Json> out;
  auto bytes = EmbeddedFile("gazetteer/places.jsonl");
  if (!bytes) {
    ADD_FAILURE() << "gazetteer/places.jsonl is not embedded";
    return out;
  }
  std::istringstream in{std::string(*bytes)};
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << "places.jsonl:" << n << ": not valid JSON";
    EXPECT_TRUE(j.is_object()) << "places.jsonl:" << n;
    out.push_back(j);
  }
  EXPECT_TRUE(bytes->ends_with("\n"));
  return out;
}

// A source table as rows of column -> value.
std::vector<std::map<std::string, std::string>> ReadSource(const std::string& name) {
  std::vector<std::map<std::string, std::string>> rows;
  const std::string path = std::string(MEMORIA_TEST_DATA) + "/reference/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot open " << path;
    return rows;
  }
  CsvReader reader(in, path);
  std::vector<std::string> fields;
  while (true) {
    auto more = reader.Next(fields);
    if (!more.ok()) {
      ADD_FAILURE() << more.status().ToString();
      break;
    }
    if (!*more) break;
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < fields.size(); ++i) row[reader.header()[i]] = fields[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ";") + s;
  return out;
}

// --- the shipped data on its own --------------------------------------------------------------

TEST(DataCheck, EveryShippedListLoadsWithLabels) {
  auto loaded = Vocabularies::LoadEmbedded();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->ListNames().size(), 20u);
  for (const std::string& name : loaded->ListNames()) {
    EXPECT_FALSE(loaded->List(name)->terms().empty()) << name;
  }
}

TEST(DataCheck, EveryRomeStatuteMappingIsACrimeCode) {
  const Vocabulary& crimes = List("crimes_against_humanity");
  std::size_t mapped = 0;
  for (const std::string& name : Vocabularies::Default().ListNames()) {
    for (const Term& t : List(name).terms()) {
      for (const std::string& code : t.rome_statute) {
        EXPECT_NE(crimes.Find(code), nullptr) << name << " " << t.code << " -> " << code;
        ++mapped;
      }
    }
  }
  EXPECT_GT(mapped, 50u);  // the violation types carry the mapping
  // The crime list: 7(1)(a)..(k) with (g) split into six.
  EXPECT_EQ(crimes.terms().size(), 17u);
  EXPECT_EQ(crimes.Children("7(1)(g)").size(), 6u);
}

TEST(DataCheck, ListsTheDesignRequires) {
  EXPECT_THAT(
      [] {
        std::vector<std::string> codes;
        for (const Term& t : List("confidentiality").terms()) codes.push_back(t.code);
        return codes;
      }(),
      ::testing::ElementsAre("public", "internal", "restricted", "secret"));  // ordered levels
  for (const char* code : {"male", "female", "unknown"}) EXPECT_NE(List("sex").Find(code), nullptr);
  for (const char* code : {"Hang", "Hani", "Kore", "Latn", "Cyrl"}) {
    EXPECT_NE(List("scripts").Find(code), nullptr);
  }
  for (const char* code : {"RR", "MR", "DPRK", "other"}) {
    EXPECT_NE(List("romanization_systems").Find(code), nullptr);
  }
}

TEST(DataCheck, PlacesAreValidAndConsistent) {
  std::vector<Json> places = ShippedPlaces();
  ASSERT_FALSE(places.empty());
  const Vocabulary& kinds = List("place_kinds");
  const Vocabulary& facility_types = List("facility_types");
  const Vocabulary& precisions = List("coordinate_precision");
  const Vocabulary& confidentiality = List("confidentiality");
  std::map<std::string, std::string> kind_of;  // ids seen so far -> kind

  for (std::size_t n = 0; n < places.size(); ++n) {
    const Json& p = places[n];
    SCOPED_TRACE("places.jsonl:" + std::to_string(n + 1));
    // Keys known, in the prescribed order; no null or empty values.
    auto next_key = kPlaceKeys.begin();
    for (const auto& [key, value] : p.items()) {
      auto pos = std::find(next_key, kPlaceKeys.end(), key);
      ASSERT_NE(pos, kPlaceKeys.end()) << "unknown or misplaced key " << key;
      next_key = pos + 1;
      EXPECT_FALSE(value.is_null()) << key;
      EXPECT_FALSE(value.is_string() && value.get<std::string>().empty()) << key;
      EXPECT_FALSE(value.is_array() && value.empty()) << key;
    }
    for (const char* key : {"type", "id", "name", "kind", "sources", "confidentiality"}) {
      ASSERT_TRUE(p.contains(key) && p[key].is_string()) << key;
    }
    EXPECT_EQ(p["type"], "place");
    const std::string id = p["id"];
    EXPECT_EQ(
        id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-"),
        std::string::npos)
        << id;
    EXPECT_FALSE(kind_of.contains(id)) << "duplicate id " << id;

    const std::string kind = p["kind"];
    EXPECT_TRUE(kinds.Check(kind).ok()) << kind;
    EXPECT_TRUE(confidentiality.Check(p["confidentiality"].get<std::string>()).ok());

    if (p.contains("other_names")) {
      ASSERT_TRUE(p["other_names"].is_array());
      std::set<std::string> names;
      for (const Json& name : p["other_names"]) {
        ASSERT_TRUE(name.is_string());
        EXPECT_TRUE(names.insert(name.get<std::string>()).second) << "repeated name " << name;
        EXPECT_NE(name, p["name"]);
      }
    }

    // Parents exist and come first; only the country is a root.
    if (kind == "country") {
      EXPECT_FALSE(p.contains("parent"));
    } else {
      ASSERT_TRUE(p.contains("parent"));
      const std::string parent = p["parent"];
      ASSERT_TRUE(kind_of.contains(parent)) << "parent " << parent << " missing or later";
      if (kind == "facility") {
        EXPECT_THAT(kind_of[parent], ::testing::AnyOf("capital_city", "province", "special_city",
                                                      "metropolitan_city"));
      }
    }

    // A facility has a facility type, and only a facility does.
    EXPECT_EQ(p.contains("facility_type"), kind == "facility");
    if (p.contains("facility_type")) {
      EXPECT_TRUE(facility_types.Check(p["facility_type"].get<std::string>()).ok());
    }

    // Coordinates: both or neither, inside the DPRK, with a precision that has a point.
    EXPECT_EQ(p.contains("lat"), p.contains("lon"));
    if (p.contains("precision")) {
      EXPECT_TRUE(precisions.Check(p["precision"].get<std::string>()).ok());
    }
    if (p.contains("lat")) {
      ASSERT_TRUE(p["lat"].is_number() && p["lon"].is_number());
      double lat = p["lat"], lon = p["lon"];
      EXPECT_TRUE(lat >= kMinLat && lat <= kMaxLat) << lat;
      EXPECT_TRUE(lon >= kMinLon && lon <= kMaxLon) << lon;
      ASSERT_TRUE(p.contains("precision"));
      EXPECT_NE(p["precision"], "county_only");
    }
    if (p.value("precision", "") == "county_only") {
      EXPECT_FALSE(p.contains("lat"));
    }
    kind_of[id] = kind;
  }
  EXPECT_EQ(places.front()["id"], "KP");
}

TEST(DataCheck, PlacesAreValidEntitiesOfTheDataModel) {
  for (const Json& p : ShippedPlaces()) {
    auto entity = ValidateEntity(nlohmann::json::parse(p.dump()), Vocabularies::Default());
    EXPECT_TRUE(entity.ok()) << p["id"] << ": " << entity.status().ToString();
  }
}

TEST(DataCheck, DocsListEveryCode) {
  std::ifstream in(std::string(MEMORIA_SOURCE_DIR) + "/docs/vocabularies.md");
  ASSERT_TRUE(in) << "docs/vocabularies.md";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string docs = ss.str();
  for (const std::string& name : Vocabularies::Default().ListNames()) {
    std::size_t section = docs.find("### `" + name + "`");
    ASSERT_NE(section, std::string::npos) << name;
    std::size_t end = docs.find("\n### ", section + 1);
    std::string body = docs.substr(section, end == std::string::npos ? end : end - section);
    for (const Term& t : List(name).terms()) {
      EXPECT_NE(body.find("| `" + t.code + "` |"), std::string::npos) << name << " " << t.code;
    }
  }
}

// --- the transcription against its sources ---------------------------------------------------

TEST(DataCheck, ViolationTypesMatchTheSource) {
  auto source = ReadSource("violation_types.csv");
  const Vocabulary& v = List("violation_types");
  ASSERT_EQ(v.terms().size(), source.size());
  for (std::size_t i = 0; i < source.size(); ++i) {
    const Term& t = v.terms()[i];
    auto& row = source[i];
    EXPECT_EQ(t.code, row["code"]);
    EXPECT_EQ(t.parent, row["parent_code"]);
    EXPECT_EQ(t.label_en, row["label_en"]);
    EXPECT_EQ(t.label_ko, row["label_ko"]);
    EXPECT_EQ(Joined(t.rome_statute), row["maps_to_rome_statute"]) << t.code;
    EXPECT_THAT(t.description, ::testing::HasSubstr(row["source"])) << t.code;  // attribution
  }
}

TEST(DataCheck, CrimesMatchTheSource) {
  auto source = ReadSource("crimes_against_humanity.csv");
  std::map<std::string, std::string> names;  // crime code -> name
  for (auto& row : source) {
    if (!row["crime_code"].starts_with("7(1)-")) names[row["crime_code"]] = row["crime_name"];
  }
  const Vocabulary& crimes = List("crimes_against_humanity");
  EXPECT_EQ(crimes.terms().size(), names.size() + 1);  // + the 7(1)(g) parent
  for (const auto& [code, name] : names) {
    const Term* t = crimes.Find(code);
    ASSERT_NE(t, nullptr) << code;
    EXPECT_EQ(t->label_en, name);
  }
  ASSERT_NE(crimes.Find("7(1)(g)"), nullptr);

  // The element table ships unchanged.
  std::ifstream in(std::string(MEMORIA_TEST_DATA) + "/reference/crimes_against_humanity.csv",
                   std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  auto shipped = EmbeddedFile("reference/crimes_against_humanity_elements.csv");
  ASSERT_TRUE(shipped.has_value());
  EXPECT_EQ(*shipped, bytes.str());
}

TEST(DataCheck, FacilityTypesAndSongbunMatchTheSource) {
  auto source = ReadSource("facility_types.csv");
  const Vocabulary& types = List("facility_types");
  ASSERT_EQ(types.terms().size(), source.size());
  for (std::size_t i = 0; i < source.size(); ++i) {
    EXPECT_EQ(types.terms()[i].code, source[i]["code"]);
    EXPECT_EQ(types.terms()[i].label_en, source[i]["label_en"]);
  }

  std::size_t classes = 0;
  for (auto& row : ReadSource("dprk_terms.csv")) {
    if (!row["term_id"].starts_with("songbun_")) continue;
    ++classes;
    const Term* t = List("songbun").Find(row["term_id"].substr(8));
    ASSERT_NE(t, nullptr) << row["term_id"];
    EXPECT_EQ(t->label_ko, row["name_ko"]);
    EXPECT_EQ(t->label_en, row["label_en"]);
  }
  EXPECT_EQ(classes, 3u);
}

TEST(DataCheck, PrecisionListIsExactlyTheValuesInTheSources) {
  std::set<std::string> used;
  for (const char* file : {"dprk_admin_divisions.csv", "dprk_detention_facilities.csv"}) {
    for (auto& row : ReadSource(file)) {
      if (!row["coordinate_precision"].empty()) used.insert(row["coordinate_precision"]);
    }
  }
  std::set<std::string> listed;
  for (const Term& t : List("coordinate_precision").terms()) listed.insert(t.code);
  EXPECT_EQ(listed, used);
}

TEST(DataCheck, PlacesMatchTheSource) {
  auto admin = ReadSource("dprk_admin_divisions.csv");
  auto facilities = ReadSource("dprk_detention_facilities.csv");
  std::vector<Json> places = ShippedPlaces();
  ASSERT_EQ(places.size(), admin.size() + facilities.size() + 1);  // + the country

  std::map<std::string, Json> by_id;
  for (const Json& p : places) by_id[p["id"]] = p;
  ASSERT_EQ(by_id.size(), places.size());

  auto check_point = [](const Json& p, std::map<std::string, std::string>& row) {
    if (row["approx_lat"].empty() || row["coordinate_precision"] == "county_only") {
      EXPECT_FALSE(p.contains("lat")) << p["id"];
      return;
    }
    ASSERT_TRUE(p.contains("lat")) << p["id"];
    EXPECT_DOUBLE_EQ(p["lat"].get<double>(), std::stod(row["approx_lat"])) << p["id"];
    EXPECT_DOUBLE_EQ(p["lon"].get<double>(), std::stod(row["approx_lon"])) << p["id"];
    EXPECT_EQ(p["precision"], row["coordinate_precision"]) << p["id"];
  };

  std::map<std::string, std::string> province_id;  // English name -> ISO id
  for (auto& row : admin) {
    ASSERT_TRUE(by_id.contains(row["id"])) << row["id"];
    const Json& p = by_id[row["id"]];
    EXPECT_EQ(p["name"], row["name_en"]);
    EXPECT_EQ(p["kind"], row["feature_type"]);
    EXPECT_EQ(p["parent"], row["parent_iso_3166_2"].empty() ? "KP" : row["parent_iso_3166_2"]);
    EXPECT_THAT(row["name_ko"], ::testing::StartsWith(p["name_ko"].get<std::string>()));
    EXPECT_EQ(p["sources"], row["sources"]);
    check_point(p, row);
    if (!row["iso_3166_2"].empty()) province_id[row["name_en"]] = row["id"];
  }
  for (auto& row : facilities) {
    ASSERT_TRUE(by_id.contains(row["id"])) << row["id"];
    const Json& p = by_id[row["id"]];
    EXPECT_EQ(p["name"], row["name_en"]);
    EXPECT_EQ(p["kind"], "facility");
    EXPECT_EQ(p["facility_type"], row["facility_type"]);
    EXPECT_EQ(p.value("name_ko", ""), row["name_ko"]);
    ASSERT_TRUE(province_id.contains(row["province"])) << row["province"];
    EXPECT_EQ(p["parent"], province_id[row["province"]]);
    EXPECT_EQ(p["sources"], row["sources"]);
    EXPECT_EQ(p["precision"], row["coordinate_precision"]);
    check_point(p, row);
    // Status and population estimates are kept, attributed, in the description.
    EXPECT_THAT(p["description"].get<std::string>(), ::testing::HasSubstr(row["status"]));
    EXPECT_THAT(p["description"].get<std::string>(),
                ::testing::HasSubstr(row["reported_population_estimate"]));
  }
}

}  // namespace
}  // namespace memoria
