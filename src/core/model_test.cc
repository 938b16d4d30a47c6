// Tests of the data model: ValidateEntity on every entity type, defaults, normalisation, the
// cross-field rules and the error locations.
#include "core/model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "core/uuid.h"
#include "core/vocabulary.h"

namespace memoria {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;

const Vocabularies& Vocab() { return Vocabularies::Default(); }

// A valid example of every entity type (references are not checked by ValidateEntity).
json Valid(const std::string& type) {
  if (type == "source")
    return {{"type", "source"}, {"id", "src-1"}, {"name", "A list"}, {"period", "2010/2019"}};
  if (type == "place")
    return {{"type", "place"},
            {"id", "pl-1"},
            {"name", "Camp"},
            {"kind", "facility"},
            {"facility_type", "kwanliso"},
            {"lat", 41.2},
            {"lon", 129.5},
            {"parent", "KP-09"}};
  if (type == "unit") return {{"type", "unit"}, {"id", "u-1"}, {"name", "A unit"}, {"kind", "MSS"}};
  if (type == "record")
    return {{"type", "record"},          {"id", "r-1"},           {"source", "src-1"},
            {"source_record_id", "T-1"}, {"received", "2015-04"}, {"raw", {{"k", "v"}}}};
  if (type == "person")
    return {{"type", "person"},
            {"id", "p-1"},
            {"names", {{{"full", "김영철"}, {"script", "Hang"}}}},
            {"sex", "male"},
            {"birth", "1962~"},
            {"roles", {"victim"}}};
  if (type == "event")
    return {{"type", "event"}, {"id", "e-1"}, {"title", "Arrest"}, {"date", "1999-03/1999-06"}};
  if (type == "act")
    return {{"type", "act"},
            {"id", "a-1"},
            {"victim", "p-1"},
            {"act_type", "V.DET.TORTURE"},
            {"rome_statute", {"7(1)(f)"}}};
  if (type == "involvement")
    return {{"type", "involvement"},
            {"id", "i-1"},
            {"act", "a-1"},
            {"unit", "u-1"},
            {"role", "direct_perpetrator"}};
  if (type == "information")
    return {{"type", "information"},
            {"id", "inf-1"},
            {"witness", "p-2"},
            {"event", "e-1"},
            {"relation", "eyewitness"}};
  if (type == "evidence")
    return {
        {"type", "evidence"},
        {"id", "ev-1"},
        {"sha256", std::string(64, 'a')},
        {"media_type", "audio/ogg"},
        {"size", 1024},
        {"custody", {{{"at", "2015-04-02T10:30:00Z"}, {"actor", "A"}, {"action", "recorded"}}}}};
  if (type == "link_decision")
    return {{"type", "link_decision"},
            {"id", UuidV5(kMemoriaUuidNamespace, "link_decision p-1 p-2").value()},
            {"person_a", "p-2"},
            {"person_b", "p-1"},
            {"decision", "reject"},
            {"reason", "different fathers' names"}};
  ADD_FAILURE() << "no example for " << type;
  return {};
}

// Validates and expects InvalidInput located at `field`; returns the message.
std::string Invalid(json object, const std::string& field) {
  Result<Entity> e = ValidateEntity(std::move(object), Vocab());
  EXPECT_FALSE(e.ok()) << "accepted: " << object.dump();
  if (e.ok()) return "";
  EXPECT_EQ(e.status().code(), ErrorCode::kInvalidInput) << e.status().ToString();
  EXPECT_EQ(e.status().location().field, field) << e.status().ToString();
  return e.status().message();
}

TEST(ModelTest, EverySpecHasAValidExample) {
  ASSERT_EQ(EntitySpecs().size(), 11u);
  for (const EntitySpec& spec : EntitySpecs()) {
    Result<Entity> e = ValidateEntity(Valid(spec.type), Vocab());
    ASSERT_TRUE(e.ok()) << spec.type << ": " << e.status().ToString();
    EXPECT_EQ(e->type, spec.type);
    EXPECT_EQ(e->body["type"], spec.type);
    EXPECT_EQ(e->body["id"], e->id);
    EXPECT_TRUE(e->body.contains("confidentiality")) << spec.type;
  }
}

TEST(ModelTest, SpecsAreInDependencyOrder) {
  std::set<std::string> seen;
  for (const EntitySpec& spec : EntitySpecs()) {
    for (const FieldSpec& f : spec.fields) {
      if (f.kind == FieldKind::kRef && f.ref_type != spec.type) {
        EXPECT_TRUE(seen.count(f.ref_type)) << spec.type << "." << f.name << " -> " << f.ref_type;
      }
    }
    seen.insert(spec.type);
  }
  EXPECT_NE(FindEntitySpec("person"), nullptr);
  EXPECT_EQ(FindEntitySpec("victim"), nullptr);
}

TEST(ModelTest, ReferencesAreReturned) {
  Result<Entity> e = ValidateEntity(Valid("act"), Vocab());
  ASSERT_TRUE(e.ok());
  ASSERT_EQ(e->references.size(), 1u);
  EXPECT_EQ(e->references[0].field, "victim");
  EXPECT_EQ(e->references[0].ref_type, "person");
  EXPECT_EQ(e->references[0].id, "p-1");
}

TEST(ModelTest, DefaultConfidentialityPerType) {
  auto conf = [](json o) {
    Result<Entity> e = ValidateEntity(std::move(o), Vocab());
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? e->body["confidentiality"].get<std::string>() : std::string();
  };
  EXPECT_EQ(conf(Valid("place")), "public");
  EXPECT_EQ(conf(Valid("source")), "internal");
  EXPECT_EQ(conf(Valid("person")), "restricted");
  EXPECT_EQ(conf(Valid("information")), "secret");
  // A witness's identity is secret by default ...
  json witness = Valid("person");
  witness["roles"] = {"victim", "witness"};
  EXPECT_EQ(conf(witness), "secret");
  // ... unless a level is given explicitly.
  witness["confidentiality"] = "internal";
  EXPECT_EQ(conf(witness), "internal");
  json bad = Valid("person");
  bad["confidentiality"] = "top_secret";
  Invalid(bad, "confidentiality");
}

TEST(ModelTest, NfdAndNfcInputValidateToTheSameBody) {
  // "김" as a precomposed syllable (NFC) and as conjoining jamo (NFD); "é" likewise.
  const std::string nfc = "\xEA\xB9\x80 Caf\xC3\xA9";
  const std::string nfd = "\xE1\x84\x80\xE1\x85\xB5\xE1\x86\xB7 Cafe\xCC\x81";
  json a = Valid("event"), b = Valid("event");
  a["title"] = nfc;
  b["title"] = nfd;
  Result<Entity> ea = ValidateEntity(a, Vocab());
  Result<Entity> eb = ValidateEntity(b, Vocab());
  ASSERT_TRUE(ea.ok()) << ea.status().ToString();
  ASSERT_TRUE(eb.ok()) << eb.status().ToString();
  EXPECT_EQ(ea->body, eb->body);
  EXPECT_EQ(eb->body["title"], nfc);
}

TEST(ModelTest, StringsAreTrimmedAndEmptyMeansAbsent) {
  json o = Valid("event");
  o["title"] = "  Arrest  ";
  o["description"] = "";
  o["place"] = nullptr;
  Result<Entity> e = ValidateEntity(o, Vocab());
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->body["title"], "Arrest");
  EXPECT_FALSE(e->body.contains("description"));
  EXPECT_FALSE(e->body.contains("place"));
  // A required field given as "" is missing.
  o["title"] = "   ";
  std::string s = Invalid(o, "title");
  EXPECT_THAT(s, HasSubstr("required"));
}

TEST(ModelTest, ControlCharactersAndLineBreaks) {
  json o = Valid("event");
  o["title"] = "two\nlines";
  Invalid(o, "title");
  o["title"] = "ok";
  o["description"] = "two\r\nlines\tand a tab";
  Result<Entity> e = ValidateEntity(o, Vocab());
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->body["description"], "two\nlines\tand a tab");
  o["description"] = std::string("bell\x07");
  Invalid(o, "description");
}

TEST(ModelTest, TypeAndIdErrors) {
  Result<Entity> not_object = ValidateEntity(json::array(), Vocab());
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.status().code(), ErrorCode::kInvalidInput);

  json o = Valid("person");
  o.erase("type");
  Invalid(o, "type");
  o["type"] = 7;
  Invalid(o, "type");
  o["type"] = "victim";
  std::string s = Invalid(o, "type");
  EXPECT_THAT(s, HasSubstr("unknown type 'victim'"));
  EXPECT_THAT(s, HasSubstr("person"));

  o = Valid("person");
  o.erase("id");
  Invalid(o, "id");
  for (json bad : {json(""), json("-starts-with-dash"), json("has space"), json("ü-umlaut"),
                   json(std::string(129, 'a')), json(12)}) {
    o["id"] = bad;
    Invalid(o, "id");
  }
}

TEST(ModelTest, IsValidId) {
  EXPECT_TRUE(IsValidId("KP-DET-001"));
  EXPECT_TRUE(IsValidId("0192f3a0-0000-7000-8000-000000000001"));
  EXPECT_TRUE(IsValidId("a"));
  EXPECT_TRUE(IsValidId("x:y.z_w"));
  EXPECT_TRUE(IsValidId(std::string(128, 'a')));
  EXPECT_FALSE(IsValidId(std::string(129, 'a')));
  EXPECT_FALSE(IsValidId(""));
  EXPECT_FALSE(IsValidId("_a"));
  EXPECT_FALSE(IsValidId(".a"));
  EXPECT_FALSE(IsValidId("a/b"));
  EXPECT_FALSE(IsValidId("a b"));
}

TEST(ModelTest, UnknownFieldIsRejected) {
  json o = Valid("person");
  o["nickname"] = "x";
  std::string s = Invalid(o, "nickname");
  EXPECT_THAT(s, HasSubstr("unknown field"));
}

TEST(ModelTest, MissingRequiredField) {
  for (const auto& [type, field] :
       std::vector<std::pair<std::string, std::string>>{{"source", "name"},
                                                        {"place", "kind"},
                                                        {"record", "source_record_id"},
                                                        {"act", "victim"},
                                                        {"act", "act_type"},
                                                        {"information", "relation"},
                                                        {"evidence", "sha256"},
                                                        {"evidence", "size"}}) {
    json o = Valid(type);
    o.erase(field);
    std::string s = Invalid(o, field);
    EXPECT_THAT(s, HasSubstr("required")) << type << "." << field;
  }
}

TEST(ModelTest, UnknownVocabularyCodeSuggestsNearest) {
  json o = Valid("act");
  o["act_type"] = "V.DET.TORTUR";
  std::string s = Invalid(o, "act_type");
  EXPECT_THAT(s, HasSubstr("V.DET.TORTURE"));
  EXPECT_THAT(s, HasSubstr("violation_types"));
  o["act_type"] = 3;
  Invalid(o, "act_type");
}

TEST(ModelTest, CodesArrays) {
  json o = Valid("act");
  o["rome_statute"] = {"7(1)(e)", "7(1)(e)"};
  std::string s = Invalid(o, "rome_statute[1]");
  EXPECT_THAT(s, HasSubstr("twice"));
  o["rome_statute"] = {"7(1)(e)", "7(1)(zz)"};
  Invalid(o, "rome_statute[1]");
  o["rome_statute"] = {"7(1)(e)", 5};
  Invalid(o, "rome_statute[1]");
  o["rome_statute"] = "7(1)(e)";
  Invalid(o, "rome_statute");
  json p = Valid("person");
  p["roles"] = {"victim", "witness", "victim"};
  Invalid(p, "roles[2]");
}

TEST(ModelTest, EdtfDates) {
  json o = Valid("event");
  for (const char* good : {"1997", "1997-03-14", "1997~", "199X", "../1999", "1997/.."}) {
    o["date"] = good;
    Result<Entity> e = ValidateEntity(o, Vocab());
    EXPECT_TRUE(e.ok()) << good << ": " << e.status().ToString();
  }
  for (const char* bad : {"1997-13", "1997-02-30", "yesterday", "1999/1997"}) {
    o["date"] = bad;
    Invalid(o, "date");
  }
  o["date"] = 1997;
  Invalid(o, "date");
}

TEST(ModelTest, InvolvementNeedsExactlyOneOfActAndEvent) {
  json o = Valid("involvement");
  o["event"] = "e-1";
  std::string both = Invalid(o, "act");
  EXPECT_THAT(both, HasSubstr("exactly one"));
  o.erase("act");
  EXPECT_TRUE(ValidateEntity(o, Vocab()).ok());
  o.erase("event");
  Invalid(o, "act");
  // And a perpetrator or a unit.
  o = Valid("involvement");
  o.erase("unit");
  Invalid(o, "perpetrator");
  o["perpetrator"] = "p-9";
  EXPECT_TRUE(ValidateEntity(o, Vocab()).ok());
}

TEST(ModelTest, InformationNeedsEventOrAct) {
  json o = Valid("information");
  o.erase("event");
  Invalid(o, "event");
  o["act"] = "a-1";
  EXPECT_TRUE(ValidateEntity(o, Vocab()).ok());
}

TEST(ModelTest, PlaceRules) {
  json o = Valid("place");
  o.erase("lon");
  Invalid(o, "lat");
  o.erase("lat");
  EXPECT_TRUE(ValidateEntity(o, Vocab()).ok());
  o["lon"] = 129.5;
  Invalid(o, "lat");
  o = Valid("place");
  o["kind"] = "province";  // facility_type only for a facility
  Invalid(o, "facility_type");
  o = Valid("place");
  o["parent"] = "pl-1";
  Invalid(o, "parent");
}

TEST(ModelTest, NumbersOutOfRange) {
  json o = Valid("place");
  o["lat"] = 90.0001;
  std::string s = Invalid(o, "lat");
  EXPECT_THAT(s, HasSubstr("outside"));
  o["lat"] = -90;
  o["lon"] = 180.5;
  Invalid(o, "lon");
  o["lon"] = "129.5";
  Invalid(o, "lon");
  json ev = Valid("evidence");
  ev["size"] = -1;
  Invalid(ev, "size");
  ev["size"] = 1.5;
  Invalid(ev, "size");
  ev["size"] = 0;
  EXPECT_TRUE(ValidateEntity(ev, Vocab()).ok());
}

TEST(ModelTest, EvidenceFields) {
  json o = Valid("evidence");
  o["sha256"] = std::string(64, 'A');
  Invalid(o, "sha256");
  o["sha256"] = std::string(63, 'a');
  Invalid(o, "sha256");
  o = Valid("evidence");
  o["media_type"] = "jpeg";
  Invalid(o, "media_type");
  o = Valid("evidence");
  o["captured_at"] = "2015-04-02 10:30";
  Invalid(o, "captured_at");
  o["captured_at"] = "2015-04-02T10:30:00Z";
  EXPECT_TRUE(ValidateEntity(o, Vocab()).ok());
}

TEST(ModelTest, CustodyTimestamps) {
  json o = Valid("evidence");
  o["custody"] = {{{"at", "2015-04-02"}, {"actor", "A"}, {"action", "recorded"}}};
  Invalid(o, "custody[0].at");
  o["custody"] = {{{"at", "2015-04-02T10:30:00Z"}, {"actor", "A"}}};
  Invalid(o, "custody[0].action");
  o["custody"] = {{{"at", "2015-04-02T10:30:00Z"}, {"actor", "A"}, {"action", "x"}, {"by", "B"}}};
  Invalid(o, "custody[0].by");
  o["custody"] = {"recorded"};
  Invalid(o, "custody[0]");
  o["custody"] = {{{"at", "2015-04-02T10:30:00Z"}, {"actor", " A "}, {"action", "x"}},
                  {{"at", "2015-04-03T09:00:00.250Z"},
                   {"actor", "B"},
                   {"action", "y"},
                   {"note", "line 1\nline 2"}}};
  Result<Entity> e = ValidateEntity(o, Vocab());
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->body["custody"][0]["actor"], "A");
  EXPECT_EQ(e->body["custody"][1]["note"], "line 1\nline 2");
}

TEST(ModelTest, PersonNames) {
  json o = Valid("person");
  o["names"] = {{{"full", "KIM Yeong-cheol"}, {"script", "Latn"}, {"system", "RR"}},
                {{"full", "김영철"}, {"family", "김"}, {"given", "영철"}, {"script", "Hang"}}};
  Result<Entity> e = ValidateEntity(o, Vocab());
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->body["names"].size(), 2u);
  o["names"] = {{{"full", "김영철"}, {"nick", "x"}}};
  Invalid(o, "names[0].nick");
  o["names"] = {"김영철"};
  Invalid(o, "names[0]");
  o["names"] = {{{"full", "김영철"}, {"script", "Klingon"}}};
  Result<Entity> bad_script = ValidateEntity(o, Vocab());
  ASSERT_FALSE(bad_script.ok());
  EXPECT_THAT(bad_script.status().location().field, HasSubstr("names[0]"));
}

TEST(ModelTest, OtherNamesDropDuplicatesAndBlanks) {
  json o = Valid("place");
  o["other_names"] = {"North Korea", " North Korea ", "", "DPRK"};
  Result<Entity> e = ValidateEntity(o, Vocab());
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->body["other_names"], json({"North Korea", "DPRK"}));
}

TEST(ModelTest, RawJsonIsKeptVerbatim) {
  json o = Valid("record");
  o["raw"] = {{"nested", {1, 2, {{"x", nullptr}}}}, {"empty", ""}};
  Result<Entity> e = ValidateEntity(o, Vocab());
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->body["raw"], o["raw"]);
}

TEST(ModelTest, InvalidUtf8InAField) {
  json o = Valid("event");
  o["title"] = std::string("bad \xC3\x28 byte");
  Invalid(o, "title");
}

TEST(ModelTest, JsonSchemaCoversEveryType) {
  json schema = InterchangeJsonSchema();
  EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
  ASSERT_EQ(schema["oneOf"].size(), EntitySpecs().size());
  for (std::size_t i = 0; i < EntitySpecs().size(); ++i) {
    const json& s = schema["oneOf"][i];
    EXPECT_EQ(s["title"], EntitySpecs()[i].type);
    EXPECT_EQ(s["additionalProperties"], false);
    EXPECT_EQ(s["properties"].size(), EntitySpecs()[i].fields.size() + 2);
  }
}

// A link_decision: a pair of distinct persons, a known decision, and the id derived from the
// unordered pair (so the pair has one entity, and deciding again is a new version of it).
TEST(ModelTest, LinkDecisionIdIsDerivedFromThePair) {
  Result<Entity> e = ValidateEntity(Valid("link_decision"), Vocab());
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->body["confidentiality"], "restricted");
  ASSERT_EQ(e->references.size(), 2u);
  EXPECT_EQ(e->references[0].ref_type, "person");
  EXPECT_EQ(e->references[1].ref_type, "person");

  json swapped = Valid("link_decision");
  swapped["person_a"] = "p-1";
  swapped["person_b"] = "p-2";
  EXPECT_TRUE(ValidateEntity(swapped, Vocab()).ok());

  json other = Valid("link_decision");
  other["person_b"] = "p-3";
  std::string expected = UuidV5(kMemoriaUuidNamespace, "link_decision p-2 p-3").value();
  EXPECT_THAT(Invalid(other, "id"), HasSubstr("expected " + expected));
}

TEST(ModelTest, LinkDecisionRefusesASelfPairAndUnknownCodes) {
  json self = Valid("link_decision");
  self["person_b"] = "p-2";
  EXPECT_THAT(Invalid(self, "person_b"), HasSubstr("itself"));

  json bad = Valid("link_decision");
  bad["decision"] = "acept";
  std::string message = Invalid(bad, "decision");
  EXPECT_THAT(message, HasSubstr("link_decisions"));
  EXPECT_THAT(message, HasSubstr("accept"));

  json missing = Valid("link_decision");
  missing.erase("decision");
  Invalid(missing, "decision");
}

}  // namespace
}  // namespace memoria
