#include "core/vocabulary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace memoria {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kHeader[] = "code,parent,label_en,label_ko,rome_statute,description\n";
constexpr char kCrimes[] =
    "code,parent,label_en,label_ko,rome_statute,description\n"
    "7(1)(a),,Murder,살해,,\n"
    "7(1)(f),,Torture,고문,,\n";

// A fresh directory of vocabulary files, removed at the end of the test.
class TempVocabularyDir {
 public:
  TempVocabularyDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::path(::testing::TempDir()) /
            (std::string("memoria_vocab_") + info->test_suite_name() + "_" + info->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempVocabularyDir() { std::filesystem::remove_all(path_); }

  // Writes <name>.csv and returns its path as errors name it.
  std::string Write(const std::string& name, const std::string& bytes) const {
    std::filesystem::path file = path_ / (name + ".csv");
    std::ofstream(file, std::ios::binary) << bytes;
    return file.string();
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// Loads a directory holding the two-crime list plus `name`.csv = `bytes`; returns the error.
Status LoadBad(const TempVocabularyDir& dir, const std::string& name, const std::string& bytes) {
  dir.Write("crimes_against_humanity", kCrimes);
  dir.Write(name, bytes);
  auto loaded = Vocabularies::LoadFromDirectory(dir.path());
  return loaded.ok() ? Status::Ok() : loaded.status();
}

TEST(Vocabularies, EmbeddedListsLoad) {
  auto loaded = Vocabularies::LoadEmbedded();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  for (const char* name :
       {"violation_types", "crimes_against_humanity", "facility_types", "sex", "person_status",
        "songbun", "person_roles", "victim_status", "involvement_roles", "information_relation",
        "reliability", "consent", "place_kinds", "coordinate_precision", "unit_kinds",
        "capture_methods", "confidentiality", "scripts", "romanization_systems"}) {
    EXPECT_NE(loaded->List(name), nullptr) << name;
  }
  EXPECT_EQ(loaded->List("no_such_list"), nullptr);
}

TEST(Vocabularies, TermFieldsAreParsed) {
  const Vocabulary* v = Vocabularies::Default().List("violation_types");
  ASSERT_NE(v, nullptr);
  const Term* t = v->Find("V.MOVE.PUNISH_RETURNEES");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->parent, "V.MOVE");
  EXPECT_EQ(t->label_en, "Punishment of forcibly repatriated persons");
  EXPECT_EQ(t->label_ko, "강제송환자에 대한 처벌");
  EXPECT_THAT(t->rome_statute,
              ElementsAre("7(1)(e)", "7(1)(f)", "7(1)(g)-6", "7(1)(h)", "7(1)(i)"));
  EXPECT_THAT(t->description, HasSubstr("Source: UN COI DPRK"));
  EXPECT_EQ(v->terms().front().code, "V.THOUGHT");  // file order
  EXPECT_EQ(v->Find("v.det.torture"), nullptr);     // Find is exact
}

TEST(Vocabularies, CheckAcceptsKnownCodes) {
  const Vocabularies& all = Vocabularies::Default();
  EXPECT_TRUE(all.Check("violation_types", "V.DET.TORTURE").ok());
  EXPECT_TRUE(all.Check("crimes_against_humanity", "7(1)(g)-6").ok());
  EXPECT_TRUE(all.Check("confidentiality", "secret").ok());
}

TEST(Vocabularies, CheckSuggestsNearestCodes) {
  Status s = Vocabularies::Default().Check("violation_types", "V.DET.TORTUR");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(s.message(), StartsWith("unknown code 'V.DET.TORTUR' in list violation_types; "
                                      "nearest valid codes: V.DET.TORTURE, "));
  // Exactly three suggestions: distance 1, then the two codes at distance 5 in file order.
  std::string tail = s.message().substr(s.message().find("codes: ") + 7);
  EXPECT_EQ(tail, "V.DET.TORTURE, V.DET.CIDT, V.DET.RAPE");
}

TEST(Vocabularies, SuggestionsIgnoreCase) {
  const Vocabulary* v = Vocabularies::Default().List("violation_types");
  ASSERT_NE(v, nullptr);
  auto nearest = v->Nearest("v.det.torture");
  ASSERT_EQ(nearest.size(), 3u);
  EXPECT_EQ(nearest[0], "V.DET.TORTURE");
  const Vocabulary* sex = Vocabularies::Default().List("sex");
  ASSERT_NE(sex, nullptr);
  EXPECT_EQ(sex->Nearest("Female", 1), std::vector<std::string>{"female"});
  EXPECT_EQ(sex->Nearest("femal", 2), (std::vector<std::string>{"female", "male"}));
  Status s = sex->Check("MALE");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(s.message(), HasSubstr("nearest valid codes: male, female, other"));
}

TEST(Vocabularies, CheckOfUnknownListIsNotFound) {
  Status s = Vocabularies::Default().Check("violations", "V.DET");
  EXPECT_EQ(s.code(), ErrorCode::kNotFound);
  EXPECT_THAT(s.message(), HasSubstr("violation_types"));
}

TEST(Vocabularies, LongUnknownCodeIsShortenedInTheMessage) {
  std::string code(5000, 'x');
  Status s = Vocabularies::Default().Check("sex", code);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_LT(s.message().size(), 300u);
}

TEST(Vocabularies, ChildrenAndHierarchy) {
  const Vocabulary* v = Vocabularies::Default().List("violation_types");
  ASSERT_NE(v, nullptr);
  auto children = v->Children("V.DET");
  std::size_t expected = 0;
  for (const Term& t : v->terms()) expected += t.parent == "V.DET" ? 1 : 0;
  EXPECT_EQ(children.size(), expected);
  EXPECT_EQ(children.size(), 18u);
  EXPECT_EQ(children.front()->code, "V.DET.ARBITRARY");
  EXPECT_TRUE(v->Children("V.DET.TORTURE").empty());
  EXPECT_TRUE(v->Children("NOPE").empty());
  EXPECT_TRUE(v->IsWithin("V.DET.TORTURE", "V.DET"));
  EXPECT_TRUE(v->IsWithin("V.DET", "V.DET"));
  EXPECT_FALSE(v->IsWithin("V.DET", "V.DET.TORTURE"));
  EXPECT_FALSE(v->IsWithin("V.ABD.JAPAN", "V.DET"));
  EXPECT_FALSE(v->IsWithin("NOPE", "V.DET"));

  const Vocabulary* crimes = Vocabularies::Default().List("crimes_against_humanity");
  ASSERT_NE(crimes, nullptr);
  EXPECT_EQ(crimes->Children("7(1)(g)").size(), 6u);
}

TEST(Vocabularies, DefaultIsLoadedOnceAcrossThreads) {
  std::vector<const Vocabularies*> seen(8, nullptr);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&seen, i] { seen[i] = &Vocabularies::Default(); });
  }
  for (auto& t : threads) t.join();
  for (const Vocabularies* p : seen) EXPECT_EQ(p, seen.front());
}

TEST(Vocabularies, VersionIsSha256OfTheFileBytes) {
  TempVocabularyDir dir;
  // sha256sum of exactly these bytes, computed independently with coreutils.
  dir.Write("tiny", std::string(kHeader) + "a,,A,가,,\n");
  auto loaded = Vocabularies::LoadFromDirectory(dir.path());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_NE(loaded->List("tiny"), nullptr);
  EXPECT_EQ(loaded->List("tiny")->version(),
            "e27bd2b5190368fcc2da8066e1628952da69321bf63143e6c86b4f79f7fad88d");
  EXPECT_EQ(loaded->ListNames(), std::vector<std::string>{"tiny"});

  // Every embedded list has a distinct 64-hex-digit version.
  std::set<std::string> versions;
  const Vocabularies& all = Vocabularies::Default();
  for (const std::string& name : all.ListNames()) {
    const std::string& version = all.List(name)->version();
    EXPECT_EQ(version.size(), 64u) << name;
    EXPECT_EQ(version.find_first_not_of("0123456789abcdef"), std::string::npos) << name;
    versions.insert(version);
  }
  EXPECT_EQ(versions.size(), all.ListNames().size());
}

TEST(Vocabularies, LoadsAValidDirectory) {
  TempVocabularyDir dir;
  dir.Write("crimes_against_humanity", kCrimes);
  // Children may come before their parent; quoted fields and CRLF line ends are fine.
  dir.Write("acts", std::string(kHeader) +
                        "b.x,b,\"Beating, severe\",구타,7(1)(f),\"a \"\"quoted\"\" note\"\r\n"
                        "b,,Beating,폭행,7(1)(a);7(1)(f),\r\n");
  auto loaded = Vocabularies::LoadFromDirectory(dir.path());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const Vocabulary* acts = loaded->List("acts");
  ASSERT_NE(acts, nullptr);
  ASSERT_EQ(acts->terms().size(), 2u);
  EXPECT_EQ(acts->terms()[0].label_en, "Beating, severe");
  EXPECT_EQ(acts->terms()[0].description, "a \"quoted\" note");
  EXPECT_THAT(acts->terms()[1].rome_statute, ElementsAre("7(1)(a)", "7(1)(f)"));
  EXPECT_TRUE(acts->IsWithin("b.x", "b"));
}

TEST(Vocabularies, DuplicateCodeIsLocated) {
  TempVocabularyDir dir;
  Status s = LoadBad(dir, "acts", std::string(kHeader) + "a,,A,가,,\nb,,B,나,,\na,,A2,다,,\n");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(s.location().file, dir.path() + "/acts.csv");
  EXPECT_EQ(s.location().line, 4);
  EXPECT_EQ(s.location().field, "code");
  EXPECT_THAT(s.ToString(), HasSubstr("acts.csv:4: code: duplicate code 'a'"));
  EXPECT_THAT(s.message(), HasSubstr("line 2"));
}

TEST(Vocabularies, UnknownParentIsLocated) {
  TempVocabularyDir dir;
  Status s = LoadBad(dir, "acts", std::string(kHeader) + "a,,A,가,,\na.b,x,B,나,,\n");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(s.location().line, 3);
  EXPECT_EQ(s.location().field, "parent");
  EXPECT_THAT(s.message(), HasSubstr("unknown parent 'x'"));
}

TEST(Vocabularies, ParentCycleIsRejected) {
  TempVocabularyDir dir;
  Status s = LoadBad(dir, "acts", std::string(kHeader) + "a,b,A,가,,\nb,a,B,나,,\nc,c,C,다,,\n");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(s.location().line, 2);
  EXPECT_EQ(s.location().field, "parent");
  EXPECT_THAT(s.message(), HasSubstr("cycle"));
}

TEST(Vocabularies, UnknownRomeStatuteCodeIsLocated) {
  TempVocabularyDir dir;
  Status s =
      LoadBad(dir, "acts", std::string(kHeader) + "a,,A,가,7(1)(a),\nb,,B,나,7(1)(f);7(1)(z),\n");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(s.location().line, 3);
  EXPECT_EQ(s.location().field, "rome_statute");
  EXPECT_THAT(s.message(), HasSubstr("'7(1)(z)'"));
}

TEST(Vocabularies, MalformedRomeStatuteListIsLocated) {
  TempVocabularyDir dir;
  for (const char* bad : {"7(1)(a);", "7(1)(a); 7(1)(f)", "7(1)(a);7(1)(a)", ";"}) {
    Status s = LoadBad(dir, "acts", std::string(kHeader) + "a,,A,가,\"" + bad + "\",\n");
    EXPECT_EQ(s.code(), ErrorCode::kInvalidInput) << bad;
    EXPECT_EQ(s.location().line, 2) << bad;
    EXPECT_EQ(s.location().field, "rome_statute") << bad;
  }
}

TEST(Vocabularies, RomeStatuteNeedsTheCrimesList) {
  TempVocabularyDir dir;
  dir.Write("acts", std::string(kHeader) + "a,,A,가,7(1)(a),\n");
  auto loaded = Vocabularies::LoadFromDirectory(dir.path());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().location().field, "rome_statute");
  EXPECT_THAT(loaded.status().message(), HasSubstr("crimes_against_humanity"));
}

TEST(Vocabularies, MissingLabelsAreLocated) {
  TempVocabularyDir dir;
  Status ko = LoadBad(dir, "acts", std::string(kHeader) + "a,,A,가,,\nb,,B,,,\n");
  EXPECT_EQ(ko.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(ko.location().line, 3);
  EXPECT_EQ(ko.location().field, "label_ko");

  Status en = LoadBad(dir, "acts", std::string(kHeader) + "a,,\" \",가,,\n");
  EXPECT_EQ(en.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(en.location().line, 2);
  EXPECT_EQ(en.location().field, "label_en");
}

TEST(Vocabularies, InvalidCodesAreRejected) {
  TempVocabularyDir dir;
  for (const char* bad : {"", " a", "a b", "a,b", "코드", "a;b"}) {
    Status s = LoadBad(dir, "acts", std::string(kHeader) + "\"" + bad + "\",,A,가,,\n");
    EXPECT_EQ(s.code(), ErrorCode::kInvalidInput) << bad;
    EXPECT_EQ(s.location().line, 2) << bad;
    EXPECT_EQ(s.location().field, "code") << bad;
  }
}

TEST(Vocabularies, WrongHeaderIsLocated) {
  TempVocabularyDir dir;
  Status s = LoadBad(dir, "acts", "code,label_en,label_ko\na,A,가\n");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(s.location().line, 1);
  EXPECT_EQ(s.location().field, "header");
  EXPECT_THAT(s.message(), HasSubstr("code,parent,label_en,label_ko,rome_statute,description"));
}

TEST(Vocabularies, MalformedCsvIsLocated) {
  TempVocabularyDir dir;
  Status extra = LoadBad(dir, "acts", std::string(kHeader) + "a,,A,가,,,\n");
  EXPECT_EQ(extra.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(extra.location().line, 2);
  EXPECT_THAT(extra.location().file, HasSubstr("acts.csv"));

  Status quote = LoadBad(dir, "acts", std::string(kHeader) + "a,,A,가,,\"open\n");
  EXPECT_EQ(quote.code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(quote.location().file, HasSubstr("acts.csv"));

  Status utf8 = LoadBad(dir, "acts", std::string(kHeader) + "a,,A,\xff,,\n");
  EXPECT_EQ(utf8.code(), ErrorCode::kInvalidInput);
}

TEST(Vocabularies, EmptyListsAndBadNamesAreRejected) {
  TempVocabularyDir dir;
  Status empty = LoadBad(dir, "acts", kHeader);
  EXPECT_EQ(empty.code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(empty.location().file, HasSubstr("acts.csv"));

  Status nothing = LoadBad(dir, "acts", "");
  EXPECT_EQ(nothing.code(), ErrorCode::kInvalidInput);

  TempVocabularyDir dir2;
  Status name = LoadBad(dir2, "Bad-Name", std::string(kHeader) + "a,,A,가,,\n");
  EXPECT_EQ(name.code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(name.message(), HasSubstr("Bad-Name"));
}

TEST(Vocabularies, MissingOrEmptyDirectory) {
  auto missing = Vocabularies::LoadFromDirectory("/nonexistent/memoria/vocabularies");
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);

  TempVocabularyDir dir;
  auto empty = Vocabularies::LoadFromDirectory(dir.path());
  EXPECT_EQ(empty.status().code(), ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace memoria
