#include "core/person_name.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>

#include "core/embedded_data.h"

namespace memoria {
namespace {

using ::testing::HasSubstr;

PersonName Name(std::string full, std::string family, std::string given, std::string script,
                std::string system) {
  return PersonName{std::move(full), std::move(family), std::move(given), std::move(script),
                    std::move(system)};
}

PersonName Valid(PersonName n) {
  auto r = ValidatePersonName(std::move(n));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : PersonName{};
}

Status Invalid(PersonName n) {
  auto r = ValidatePersonName(std::move(n));
  EXPECT_FALSE(r.ok()) << "accepted: " << (r.ok() ? r->full : "");
  return r.ok() ? Status::Ok() : r.status();
}

// "Yŏng-ch'ŏl" precomposed (U+014F) and decomposed (o + U+0306 combining breve).
const std::string kYongcholNfc = "Y\xC5\x8Fng-ch'\xC5\x8Fl";
const std::string kYongcholNfd = "Yo\xCC\x86ng-ch'o\xCC\x86l";

TEST(DetectScript, KoreanAndOtherScripts) {
  EXPECT_EQ(DetectScript("김영철"), "Hang");
  EXPECT_EQ(DetectScript("金永哲"), "Hani");
  EXPECT_EQ(DetectScript("김永哲"), "Kore");
  EXPECT_EQ(DetectScript("Kim Yong-chol"), "Latn");
  EXPECT_EQ(DetectScript("Kim " + kYongcholNfd), "Latn");  // combining marks are Inherited
  EXPECT_EQ(DetectScript("Ким Ён Чхоль"), "Cyrl");
  EXPECT_EQ(DetectScript("よこた めぐみ"), "Hira");
  EXPECT_EQ(DetectScript("横田めぐみ"), "Jpan");
  EXPECT_EQ(DetectScript("ㄱㅁ"), "Hang");  // compatibility jamo
}

TEST(DetectScript, EmptyWhenNoLettersOrUnsupportedMix) {
  EXPECT_EQ(DetectScript(""), "");
  EXPECT_EQ(DetectScript("1997 - ?"), "");
  EXPECT_EQ(DetectScript("Kim 영철"), "");  // Latin + Hangul is no one script
  EXPECT_EQ(DetectScript("\xFF\xFE"), "");  // invalid UTF-8
}

TEST(ValidatePersonName, HangulName) {
  const PersonName n = Valid(Name("김영철", "김", "영철", "Hang", ""));
  EXPECT_EQ(n.full, "김영철");
  EXPECT_EQ(n.script, "Hang");
  EXPECT_EQ(n.system, "");
}

TEST(ValidatePersonName, BuildsFullFromParts) {
  EXPECT_EQ(Valid(Name("", "김", "영철", "Hang", "")).full, "김영철");  // no space in CJK
  EXPECT_EQ(Valid(Name("", "金", "永哲", "Hani", "")).full, "金永哲");
  EXPECT_EQ(Valid(Name("", "Kim", "Yong Chol", "Latn", "DPRK")).full, "Kim Yong Chol");
  EXPECT_EQ(Valid(Name("", "", "Yong Chol", "Latn", "other")).full, "Yong Chol");
  EXPECT_EQ(Valid(Name("", "Kim", "", "Latn", "RR")).full, "Kim");
}

TEST(ValidatePersonName, DetectsMissingScript) {
  EXPECT_EQ(Valid(Name("김영철", "", "", "", "")).script, "Hang");
  EXPECT_EQ(Valid(Name("金永哲", "", "", "", "")).script, "Hani");
  EXPECT_EQ(Valid(Name("김永哲", "", "", "", "")).script, "Kore");
  EXPECT_EQ(Valid(Name("Kim Yong-chol", "", "", "", "MR")).script, "Latn");
  const Status mixed = Invalid(Name("Kim 영철", "", "", "", ""));
  EXPECT_EQ(mixed.location().field, "script");
  EXPECT_THAT(mixed.message(), HasSubstr("Hang+Latn"));
}

TEST(ValidatePersonName, NfcAndNfdInputsCompareEqual) {
  ASSERT_NE(kYongcholNfc, kYongcholNfd);
  const PersonName a = Valid(Name("Kim " + kYongcholNfc, "Kim", kYongcholNfc, "Latn", "MR"));
  const PersonName b = Valid(Name("Kim " + kYongcholNfd, "Kim", kYongcholNfd, "Latn", "MR"));
  EXPECT_EQ(a, b);
  EXPECT_EQ(b.given, kYongcholNfc);
  // Hangul written as conjoining jamo composes to precomposed syllables.
  const PersonName jamo = Valid(Name("\u1100\u1175\u11B7", "", "", "Hang", ""));  // ㄱ ㅣ ㅁ
  EXPECT_EQ(jamo.full, "김");
}

TEST(ValidatePersonName, TrimsUnicodeWhiteSpace) {
  // Ideographic space (U+3000), no-break space, tab and newline at the ends.
  const PersonName n = Valid(Name("\u3000김영철\u00A0\n", "\t김 ", " 영철", "Hang", ""));
  EXPECT_EQ(n.full, "김영철");
  EXPECT_EQ(n.family, "김");
  EXPECT_EQ(n.given, "영철");
  EXPECT_EQ(Valid(Name("  Kim Yong Chol  ", "", "", " Latn ", " RR ")).full, "Kim Yong Chol");
  // Inner spacing is kept as written.
  EXPECT_EQ(Valid(Name("Kim  Yong", "", "", "Latn", "RR")).full, "Kim  Yong");
}

TEST(ValidatePersonName, RequiresSomeName) {
  const Status s = Invalid(Name("", "", "", "Hang", ""));
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(s.location().field, "full");
  EXPECT_EQ(Invalid(Name("  \t", " ", "", "Hang", "")).location().field, "full");
  const Status no_letters = Invalid(Name("?", "", "", "Latn", "other"));
  EXPECT_EQ(no_letters.location().field, "full");
  EXPECT_THAT(no_letters.message(), HasSubstr("at least one letter"));
}

TEST(ValidatePersonName, RejectsInvalidUtf8NamingFieldAndPosition) {
  const Status s = Invalid(Name("Kim", "Ki\xC3", "", "Latn", "RR"));
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(s.location().field, "family");
  EXPECT_THAT(s.message(), HasSubstr("invalid UTF-8 at character 3 (byte 3)"));
  EXPECT_EQ(Invalid(Name("\xC0\xAF", "", "", "", "")).location().field, "full");  // overlong
  EXPECT_EQ(Invalid(Name("\xED\xA0\x80", "", "", "", "")).location().field,
            "full");  // encoded surrogate
  EXPECT_EQ(Invalid(Name("김", "", "영\xFF", "", "")).location().field, "given");
}

TEST(ValidatePersonName, RejectsControlAndInvisibleCharacters) {
  const Status bell = Invalid(Name("Kim\x07Yong", "", "", "Latn", "RR"));
  EXPECT_EQ(bell.location().field, "full");
  EXPECT_THAT(bell.message(), HasSubstr("control character U+0007 at character 4"));
  EXPECT_THAT(Invalid(Name("Kim\nYong", "", "", "Latn", "RR")).message(), HasSubstr("U+000A"));
  EXPECT_THAT(Invalid(Name("김\u202E영철", "", "", "Hang", "")).message(),
              HasSubstr("format character U+202E"));  // right-to-left override
  EXPECT_THAT(Invalid(Name("김\u200B영철", "", "", "Hang", "")).message(),
              HasSubstr("U+200B"));  // zero-width space
  EXPECT_THAT(Invalid(Name("김\uE000", "", "", "Hang", "")).message(), HasSubstr("private-use"));
  EXPECT_THAT(Invalid(Name("Kim\u2028Yong", "", "", "Latn", "RR")).message(),
              HasSubstr("line break"));
  EXPECT_THAT(Invalid(Name("Kim\xC2\x85Yong", "", "", "Latn", "RR")).message(),
              HasSubstr("U+0085"));  // C1 control (NEL)
  // Errors never repeat the name itself.
  EXPECT_THAT(bell.ToString(), ::testing::Not(HasSubstr("Kim")));
}

TEST(ValidatePersonName, ChecksScriptCode) {
  const Status unknown = Invalid(Name("김영철", "", "", "Arab", ""));
  EXPECT_EQ(unknown.location().field, "script");
  EXPECT_THAT(unknown.message(),
              HasSubstr("unknown script 'Arab'; expected one of Hang, Hani, Kore, Latn, Cyrl"));
  const Status lower = Invalid(Name("김영철", "", "", "hang", ""));
  EXPECT_EQ(lower.location().field, "script");
  EXPECT_THAT(lower.message(), HasSubstr("did you mean 'Hang'?"));
  for (const char* code : {"Hang", "Kore"}) {
    EXPECT_EQ(Valid(Name("김영철", "", "", code, "")).script, code);
  }
  for (const char* code : {"Hani", "Kore"}) {
    EXPECT_EQ(Valid(Name("金永哲", "", "", code, "")).script, code);
  }
  EXPECT_EQ(Valid(Name("Ким Ён Чхоль", "", "", "Cyrl", "")).script, "Cyrl");
  // Valid ISO 15924 codes outside the scripts vocabulary are refused.
  for (const char* code : {"Jpan", "Hans", "Hira", "Zyyy"}) {
    EXPECT_EQ(Invalid(Name("金永哲", "", "", code, "")).location().field, "script") << code;
  }
  EXPECT_THAT(Invalid(Name("横田めぐみ", "", "", "", "")).message(),
              HasSubstr("Hani+Hira"));  // detected, but not a script we accept
}

TEST(ValidatePersonName, ScriptMustMatchTheLetters) {
  const Status latin_as_hangul = Invalid(Name("Kim Yong Chol", "", "", "Hang", ""));
  EXPECT_EQ(latin_as_hangul.location().field, "script");
  EXPECT_THAT(latin_as_hangul.message(),
              HasSubstr("full has Latn letters, which script Hang does not admit"));
  EXPECT_THAT(Invalid(Name("김영철", "", "", "Latn", "RR")).message(),
              HasSubstr("full has Hang letters"));
  EXPECT_THAT(Invalid(Name("金永哲", "", "", "Hang", "")).message(),
              HasSubstr("full has Hani letters"));
  EXPECT_THAT(Invalid(Name("김영철", "김", "Yong", "Hang", "")).message(),
              HasSubstr("given has Latn letters"));
}

TEST(ValidatePersonName, ChecksRomanizationSystem) {
  for (const char* system : {"RR", "MR", "DPRK", "other"}) {
    EXPECT_EQ(Valid(Name("Kim Yong-chol", "", "", "Latn", system)).system, system);
  }
  // Unstated is unknown: "other".
  EXPECT_EQ(Valid(Name("Kim Yong-chol", "", "", "Latn", "")).system, "other");
  EXPECT_EQ(Valid(Name("Margaret Smith", "", "", "", "")).system, "other");
  const Status unknown = Invalid(Name("Kim Yong-chol", "", "", "Latn", "Yale"));
  EXPECT_EQ(unknown.location().field, "system");
  EXPECT_THAT(unknown.message(), HasSubstr("expected one of RR, MR, DPRK, other"));
  EXPECT_THAT(Invalid(Name("Kim Yong-chol", "", "", "Latn", "rr")).message(),
              HasSubstr("did you mean 'RR'?"));
  const Status on_hangul = Invalid(Name("김영철", "", "", "Hang", "RR"));
  EXPECT_EQ(on_hangul.location().field, "system");
  EXPECT_THAT(on_hangul.message(), HasSubstr("only given for Latin-script names"));
}

TEST(ValidatePersonName, RomanizationsWithDiacriticsAndApostrophes) {
  // McCune-Reischauer with breve and apostrophe, in the ASCII and the modifier-letter forms.
  const PersonName mr = Valid(Name("Kim " + kYongcholNfc, "Kim", kYongcholNfc, "Latn", "MR"));
  EXPECT_EQ(mr.full, "Kim " + kYongcholNfc);
  const PersonName modifier = Valid(Name("Pak Ch\u02BCŏl-su", "", "", "Latn", "MR"));
  EXPECT_EQ(modifier.script, "Latn");
  EXPECT_EQ(Valid(Name("Kim Yeong-cheol", "", "", "Latn", "RR")).full, "Kim Yeong-cheol");
}

// The codes in the first column of a shipped vocabulary.
std::set<std::string> VocabularyCodes(std::string_view path) {
  std::set<std::string> codes;
  const auto file = EmbeddedFile(path);
  EXPECT_TRUE(file.has_value()) << path;
  if (!file) return codes;
  std::istringstream in{std::string(*file)};
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty()) codes.insert(line.substr(0, line.find(',')));
  }
  return codes;
}

TEST(ValidatePersonName, CodesAgreeWithShippedVocabularies) {
  const auto scripts = PersonNameScripts();
  EXPECT_EQ(std::set<std::string>(scripts.begin(), scripts.end()),
            VocabularyCodes("vocabularies/scripts.csv"));
  const auto systems = RomanizationSystems();
  EXPECT_EQ(std::set<std::string>(systems.begin(), systems.end()),
            VocabularyCodes("vocabularies/romanization_systems.csv"));
}

TEST(ValidatePersonName, IsIdempotent) {
  const PersonName once = Valid(Name(" Kim " + kYongcholNfd + " ", "", "", "", "MR"));
  EXPECT_EQ(Valid(once), once);
}

}  // namespace
}  // namespace memoria
