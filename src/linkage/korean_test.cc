#include "linkage/korean.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/embedded_data.h"

namespace memoria::linkage {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// ---- NormalizeName -----------------------------------------------------------------------

TEST(NormalizeNameTest, TrimsCollapsesFoldsAndStrips) {
  EXPECT_EQ(NormalizeName("  Kim   Yŏng-ch'ŏl "), "kim yong-chol");
  EXPECT_EQ(NormalizeName("KIM\tYeong-cheol"), "kim yeong-cheol");
  EXPECT_EQ(NormalizeName("Ch’oe Ŭn-hŭi"), "choe un-hui");
  EXPECT_EQ(NormalizeName("Pʼyŏn Ch`ang-ho"), "pyon chang-ho");
  EXPECT_EQ(NormalizeName("José Ăn"), "jose an");
  EXPECT_EQ(NormalizeName("\u3000김  영철\u00A0"), "김 영철");  // ideographic and no-break spaces
  EXPECT_EQ(NormalizeName(""), "");
  EXPECT_EQ(NormalizeName("   "), "");
}

TEST(NormalizeNameTest, AppliesNfc) {
  // Decomposed input (o + combining breve; conjoining jamo ᄀ ᅵ ᆷ) equals precomposed.
  EXPECT_EQ(NormalizeName("Yo\u0306ng"), NormalizeName("Yŏng"));
  EXPECT_EQ(NormalizeName("\u1100\u1175\u11B7"), "김");
  EXPECT_EQ(NormalizeName("\u1100\u1175\u11B7"), NormalizeName("김"));
}

TEST(NormalizeNameTest, InvalidUtf8DoesNotFail) {
  const std::string out = NormalizeName("Kim\xff");
  EXPECT_EQ(out.substr(0, 3), "kim");
  EXPECT_GT(out.size(), 3u);  // the bad byte became U+FFFD, not silently dropped
}

TEST(HangulTest, ContainsHangul) {
  EXPECT_TRUE(ContainsHangul("김영철"));
  EXPECT_TRUE(ContainsHangul("Kim 철"));
  EXPECT_TRUE(ContainsHangul("ㄱ"));
  EXPECT_FALSE(ContainsHangul("Kim Yŏng-ch'ŏl"));
  EXPECT_FALSE(ContainsHangul("金英哲"));
  EXPECT_FALSE(ContainsHangul(""));
  EXPECT_FALSE(ContainsHangul("\xea\xb0"));  // truncated
}

TEST(HangulTest, RomanizeHangulIsRevisedRomanization) {
  EXPECT_EQ(RomanizeHangul("김영철"), "gimyeongcheol");
  EXPECT_EQ(RomanizeHangul("박"), "bak");
  EXPECT_EQ(RomanizeHangul("최 은희"), "choe eunhui");
  EXPECT_EQ(RomanizeHangul("영-철"), "yeong-cheol");
  EXPECT_EQ(RomanizeHangul("리설주"), "riseolju");
  EXPECT_EQ(RomanizeHangul("닭"), "dak");  // ㄺ final
  EXPECT_EQ(RomanizeHangul("Kim"), "Kim");
}

// ---- Surnames ----------------------------------------------------------------------------

TEST(SurnameTest, TableIsEmbeddedAndComplete) {
  const auto data = EmbeddedFile("linkage/korean_surnames.csv");
  ASSERT_TRUE(data.has_value());
  std::istringstream in{std::string(*data)};
  CsvReader reader(in, "korean_surnames.csv");
  std::vector<std::string> fields;
  int rows = 0;
  while (true) {
    Result<bool> more = reader.Next(fields);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    ++rows;
    // Every spelling of every surname leads back to it, and both Hangul spellings do.
    const std::string south = fields[*reader.Column("hangul_south")];
    for (const char* column : {"hangul_south", "hangul_north", "rr", "mr", "dprk_official",
                               "icu_hangul_latin_south", "icu_hangul_latin_north"}) {
      const std::string spelling = fields[*reader.Column(column)];
      EXPECT_THAT(SurnameCandidates(spelling), testing::Contains(south))
          << column << " " << spelling;
      EXPECT_TRUE(IsKnownSurname(spelling)) << spelling;
    }
    std::stringstream variants(fields[*reader.Column("common_variants")]);
    std::string variant;
    while (std::getline(variants, variant, ';')) {
      EXPECT_THAT(SurnameCandidates(variant), testing::Contains(south)) << variant;
    }
  }
  EXPECT_EQ(rows, 81);
}

TEST(SurnameTest, SouthAndNorthSpellingsMeet) {
  EXPECT_THAT(SurnameCandidates("리"), ElementsAre("이"));
  EXPECT_THAT(SurnameCandidates("이"), ElementsAre("이"));
  EXPECT_THAT(SurnameCandidates("림"), ElementsAre("임"));
  EXPECT_THAT(SurnameCandidates("류"), ElementsAre("유"));
  EXPECT_THAT(SurnameCandidates("로"), ElementsAre("노"));
  EXPECT_THAT(SurnameCandidates("라"), ElementsAre("나"));
  EXPECT_THAT(SurnameCandidates("량"), ElementsAre("양"));
  EXPECT_THAT(SurnameCandidates("렴"), ElementsAre("염"));
  EXPECT_THAT(SurnameCandidates("려"), ElementsAre("여"));
  EXPECT_THAT(SurnameCandidates("륙"), ElementsAre("육"));
  EXPECT_THAT(SurnameCandidates("룡"), ElementsAre("용"));
  for (auto [a, b] : std::vector<std::pair<const char*, const char*>>{
           {"이", "리"}, {"임", "림"}, {"유", "류"}, {"노", "로"}, {"나", "라"}, {"양", "량"}}) {
    EXPECT_TRUE(SurnamesCompatible(a, b)) << a << " " << b;
  }
}

TEST(SurnameTest, LatinSpellingsMapToSets) {
  EXPECT_THAT(SurnameCandidates("Song"), ElementsAre("송", "성"));  // 송 is more frequent
  EXPECT_THAT(SurnameCandidates("SONG"), ElementsAre("송", "성"));
  EXPECT_THAT(SurnameCandidates("Sŏng"), ElementsAre("송", "성"));  // breve dropped: collides
  EXPECT_THAT(SurnameCandidates("Son"), ElementsAre("손"));         // 선 is only in 선우 here
  EXPECT_THAT(SurnameCandidates("Chon"), UnorderedElementsAre("전", "천"));
  EXPECT_THAT(SurnameCandidates("Lee"), ElementsAre("이"));
  EXPECT_THAT(SurnameCandidates("Rhee"), ElementsAre("이"));
  EXPECT_THAT(SurnameCandidates("Gim"), ElementsAre("김"));
  EXPECT_THAT(SurnameCandidates("bag"), ElementsAre("박"));  // ICU Hangul-Latin form
  EXPECT_THAT(SurnameCandidates("Ch'oe"), ElementsAre("최"));
  EXPECT_THAT(SurnameCandidates("Namgoong"), ElementsAre("남궁"));
  EXPECT_THAT(SurnameCandidates("seon-u"), ElementsAre("선우"));
  EXPECT_THAT(SurnameCandidates("Sun Woo"), ElementsAre("선우"));
}

TEST(SurnameTest, UnknownSpellingsFallBackToPhoneticKey) {
  EXPECT_THAT(SurnameCandidates("Kimm"), ElementsAre("김"));
  EXPECT_THAT(SurnameCandidates("Gimm"), ElementsAre("김"));
  EXPECT_THAT(SurnameCandidates("Tschoi"), ElementsAre("최"));
  EXPECT_THAT(SurnameCandidates("Smith"), IsEmpty());
  EXPECT_THAT(SurnameCandidates(""), IsEmpty());
  EXPECT_THAT(SurnameCandidates("  "), IsEmpty());
  EXPECT_THAT(SurnameCandidates("123"), IsEmpty());
  EXPECT_FALSE(IsKnownSurname("Kimm"));  // IsKnownSurname has no phonetic fallback
  EXPECT_FALSE(IsKnownSurname(""));
}

TEST(SurnameTest, UnknownHangulSurnameIsItsOwnKey) {
  EXPECT_THAT(SurnameCandidates("뭐"), ElementsAre("뭐"));
  // The initial-sound rule still applies, so North and South spellings meet.
  EXPECT_THAT(SurnameCandidates("력"), ElementsAre("역"));
  EXPECT_TRUE(SurnamesCompatible("력", "역"));
  EXPECT_THAT(SurnameCandidates("뢰"), ElementsAre("뇌"));
}

TEST(SurnameTest, VariantSetsMeet) {
  const std::vector<std::vector<const char*>> sets = {
      {"김", "Kim", "Gim", "KIM", "Ghim", "Kym", "gim"},
      {"이", "리", "Lee", "Yi", "Rhee", "Ri", "I", "Li", "Rhie", "Yee"},
      {"박", "Park", "Pak", "Bak", "Bahk", "PARK", "bag"},
      {"최", "Choi", "Choe", "Chwe", "Ch'oe", "Choy", "Tsoi"},
      {"정", "Jung", "Jeong", "Chung", "Chong", "Chŏng", "Jong", "Cheong"},
      {"임", "림", "Lim", "Im", "Rim", "Yim", "Leem"},
      {"유", "류", "Yoo", "Yu", "Ryu", "Lyu", "Rhyu"},
      {"노", "로", "Noh", "Roh", "No", "Ro"},
      {"나", "라", "Na", "Ra", "La"},
      {"양", "량", "Yang", "Ryang"},
      {"조", "Cho", "Jo", "Joh"},
      {"강", "Kang", "Gang", "Kahng"},
      {"신", "Shin", "Sin", "Shinn"},
      {"서", "Suh", "Seo", "Sŏ", "So"},
      {"한", "Han", "Hahn"},
      {"오", "Oh", "O"},
      {"안", "Ahn", "An"},
      {"현", "Hyun", "Hyeon", "Hyŏn", "Hyon"},
      {"남궁", "Namgung", "Namkoong", "Namgoong"},
  };
  for (const auto& set : sets) {
    for (const char* a : set) {
      for (const char* b : set) EXPECT_TRUE(SurnamesCompatible(a, b)) << a << " / " << b;
    }
  }
  // Different surnames do not meet, whichever spellings are used.
  for (std::size_t i = 0; i < sets.size(); ++i) {
    for (std::size_t j = i + 1; j < sets.size(); ++j) {
      for (const char* a : sets[i]) {
        for (const char* b : sets[j]) EXPECT_FALSE(SurnamesCompatible(a, b)) << a << " / " << b;
      }
    }
  }
}

TEST(SurnameTest, KnownCollisionsAreCompatible) {
  // Documented false-merge cost: dropping breves makes these spellings ambiguous.
  EXPECT_TRUE(SurnamesCompatible("Song", "성"));
  EXPECT_TRUE(SurnamesCompatible("Song", "송"));
  EXPECT_FALSE(SurnamesCompatible("성", "송"));  // in Hangul they stay apart
  EXPECT_FALSE(SurnamesCompatible("Seong", "송"));
  EXPECT_TRUE(SurnamesCompatible("Ho", "허"));
}

TEST(SurnameTest, UnknownLatinSurnamesCompareByForm) {
  EXPECT_TRUE(SurnamesCompatible("Smith", "SMITH"));
  EXPECT_FALSE(SurnamesCompatible("Smith", "Jones"));
  EXPECT_FALSE(SurnamesCompatible("Smith", "Kim"));
  EXPECT_FALSE(SurnamesCompatible("", ""));
}

// ---- Phonetic key ------------------------------------------------------------------------

TEST(PhoneticKeyTest, RomanizationVariantsMeet) {
  const std::vector<std::vector<const char*>> sets = {
      {"영철", "Yeong-cheol", "Young-chul", "Yŏng-ch'ŏl", "Yong Chol", "Yong-chol", "Youngchul",
       "YEONGCHEOL", "yeong cheol"},
      {"영희", "Yeong-hui", "Young-hee", "Yŏng-hŭi", "Yong Hui", "Younghee"},
      {"정일", "Jeong-il", "Jong Il", "Chŏng-il", "Jung-il"},
      {"은희", "Eun-hui", "Ŭn-hŭi", "Un Hui", "Eunhee"},
      {"광수", "Gwang-su", "Kwang-su", "Kwang Su", "Kwangsoo"},
      {"설주", "Seol-ju", "Sŏl-chu", "Sol Ju", "Sul-joo"},
      {"경희", "Gyeong-hui", "Kyŏng-hŭi", "Kyong Hui", "Kyung-hee"},
      {"혜진", "Hye-jin", "Hye Jin", "Hyejin"},
      {"최", "Choi", "Choe", "Chwe"},
      {"박", "Park", "Pak", "Bak"},
  };
  for (const auto& set : sets) {
    const std::string key = PhoneticKey(set[0]);
    EXPECT_FALSE(key.empty());
    for (const char* spelling : set) EXPECT_EQ(PhoneticKey(spelling), key) << spelling;
  }
  EXPECT_EQ(PhoneticKey("영철"), "yong-col");
  EXPECT_THAT(PhoneticSyllables("Yŏng-ch'ŏl"), ElementsAre("yong", "col"));
}

TEST(PhoneticKeyTest, DifferentNamesStayApart) {
  EXPECT_NE(PhoneticKey("영철"), PhoneticKey("영희"));
  EXPECT_NE(PhoneticKey("Young-chul"), PhoneticKey("Young-hee"));
  EXPECT_NE(PhoneticKey("Kim"), PhoneticKey("Park"));
  // Known false merge (docs/korean-names.md): ㅓ ㅗ ㅜ ㅡ share one vowel class, because
  // romanizations confuse them (Chul for 철, Jong for 정, Un for 은).
  EXPECT_EQ(PhoneticKey("민수"), PhoneticKey("민서"));
}

TEST(PhoneticKeyTest, SortedKeyIgnoresOrder) {
  EXPECT_EQ(PhoneticKey("Chol-yong", /*sort_syllables=*/true),
            PhoneticKey("영철", /*sort_syllables=*/true));
  EXPECT_NE(PhoneticKey("Chol-yong"), PhoneticKey("영철"));
}

TEST(PhoneticKeyTest, AmbiguousAndEmptyInput) {
  EXPECT_EQ(PhoneticKey(""), "");
  EXPECT_EQ(PhoneticKey("--- 123 ,"), "");
  EXPECT_THAT(PhoneticSyllables("Kim Il-sung"), ElementsAre("kim", "il", "song"));
  // Solid words are segmented preferring a final consonant before a vowel-initial syllable.
  EXPECT_THAT(PhoneticSyllables("Minyoung"), ElementsAre("min", "yong"));
  EXPECT_THAT(PhoneticSyllables("Jaegun"), ElementsAre("ce", "kon"));
  // MR apostrophe between syllables separates them; after a consonant it marks aspiration.
  EXPECT_THAT(PhoneticSyllables("Yŏn'gil"), ElementsAre("yon", "kil"));
  EXPECT_THAT(PhoneticSyllables("Ch'ang-ho"), ElementsAre("cang", "ho"));
}

// ---- Given-name similarity ---------------------------------------------------------------

TEST(GivenNameSimilarityTest, SameNameAcrossSystemsAndScripts) {
  const std::vector<const char*> names = {"영철",      "Yeong-cheol", "Young-chul", "Yŏng-ch'ŏl",
                                          "Yong Chol", "Youngchul",   "YONG-CHOL"};
  for (const char* a : names) {
    for (const char* b : names) EXPECT_DOUBLE_EQ(GivenNameSimilarity(a, b), 1.0) << a << " " << b;
  }
}

TEST(GivenNameSimilarityTest, SwappedOrderScoresHigh) {
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("Chol Yong", "영철"), 0.95);
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("희영", "Young-hee"), 0.95);
}

TEST(GivenNameSimilarityTest, DifferentNamesScoreLow) {
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("영철", "영희"), 0.5);
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("Young-chul", "Young-hee"), 0.5);
  EXPECT_LT(GivenNameSimilarity("민수", "정희"), 0.3);
  // One vowel differs (철 / 칠): partial credit.
  EXPECT_NEAR(GivenNameSimilarity("영철", "영칠"), 0.8, 1e-12);
  // A missing syllable costs one syllable in three.
  EXPECT_NEAR(GivenNameSimilarity("영철", "영철수"), 2.0 / 3.0, 1e-12);
}

TEST(GivenNameSimilarityTest, ResegmentedSolidWriting) {
  // "Hana" is cut han-a, 하나 is ha-na: the letters agree, only the cut differs.
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("Hana", "하나"), 0.95);
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("Ha-na", "하나"), 1.0);
}

TEST(GivenNameSimilarityTest, LongNamesUseTheSameRules) {
  // More syllables than the stack rows hold.
  const std::string a = "가나다라마바사아자차카타파하거너더러";
  const std::string b = "가나다라마바사아자차카타파하거너더";
  EXPECT_NEAR(GivenNameSimilarity(a, b), 17.0 / 18.0, 1e-12);
  EXPECT_DOUBLE_EQ(GivenNameSimilarity(a, a), 1.0);
}

TEST(GivenNameSimilarityTest, SolidWritingCutEitherWay) {
  // The first cut of a solid word is a guess; the other cut scores 0.95.
  EXPECT_THAT(PhoneticSyllables("Geungwang"), ElementsAre("kong", "wang"));
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("Geungwang", "근광"), 0.95);
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("Chungil", "준길"), 0.95);
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("Pokun", "복은"), 0.95);
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("Namyeong", "Nam-yeong"), 0.95);
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("Wolae", "월애"), 1.0);  // l before a vowel stays a coda
  // ui and oi close their syllable: Suil is su-il, Hoil ho-il, but Hui and Choi stay whole.
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("Suil", "수일"), 1.0);
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("Hoil", "호일"), 1.0);
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("Yonghui", "영희"), 1.0);
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("Huiyeon", "희연"), 1.0);
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("Hoyong", "호영"), 1.0);
  // Written apart, nothing is re-cut.
  EXPECT_TRUE(PrepareGivenName("Nam-yeong").recuts.empty());
  EXPECT_FALSE(PrepareGivenName("Namyeong").recuts.empty());
}

TEST(GivenNameSimilarityTest, EmptyGivesZero) {
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("", "영철"), 0.0);
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("", ""), 0.0);
  EXPECT_DOUBLE_EQ(GivenNameSimilarity("123", "123"), 0.0);
}

TEST(GivenNameSimilarityTest, PreparedKeysGiveTheSameScore) {
  const GivenNameKey a = PrepareGivenName("Youngchul");
  const GivenNameKey b = PrepareGivenName("영희");
  EXPECT_TRUE(a.segmented);
  EXPECT_FALSE(b.segmented);
  EXPECT_EQ(a.syllables.size(), 2u);
  EXPECT_DOUBLE_EQ(GivenNameSimilarity(a, b), GivenNameSimilarity("Youngchul", "영희"));
}

// Every given-name syllable the simulator writes, in every system it uses, keys like its
// Hangul (data/sim/given_syllables.csv is embedded by the sim subsystem's owner).
TEST(GivenNameSimilarityTest, SimulatorSyllableTableAgrees) {
  const auto data = EmbeddedFile("sim/given_syllables.csv");
  if (!data) GTEST_SKIP() << "sim/given_syllables.csv not embedded";
  std::istringstream in{std::string(*data)};
  CsvReader reader(in, "given_syllables.csv");
  std::vector<std::string> fields;
  int rows = 0;
  while (true) {
    Result<bool> more = reader.Next(fields);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    ++rows;
    const std::string key = PhoneticKey(fields[*reader.Column("hangul_south")]);
    for (const char* column : {"hangul_north", "rr", "mr", "dprk", "english"}) {
      const auto col = reader.Column(column);
      if (!col) continue;
      EXPECT_EQ(PhoneticKey(fields[*col]), key) << column << " " << fields[*col];
    }
  }
  EXPECT_GT(rows, 20);
}

// ---- ParseKoreanName ---------------------------------------------------------------------

struct ParseCase {
  const char* full;
  const char* family;
  const char* given;
  bool family_first;
};

TEST(ParseKoreanNameTest, AnyOrderAnyScript) {
  const ParseCase cases[] = {
      {"김영철", "김", "영철", true},
      {"KIM Yeong-cheol", "KIM", "Yeong-cheol", true},
      {"Young-chul Kim", "Kim", "Young-chul", false},
      {"Kim Yong Chol", "Kim", "Yong Chol", true},
      {"Kim Yŏng-ch'ŏl", "Kim", "Yŏng-ch'ŏl", true},
      {"Yong Chol Kim", "Kim", "Yong Chol", false},  // Yong is a surname too, Kim more frequent
      {"Yeong-cheol KIM", "KIM", "Yeong-cheol", false},
      {"Kim, Yong Chol", "Kim", "Yong Chol", true},
      {"  Ri   Sol  Ju ", "Ri", "Sol Ju", true},
      {"김 영철", "김", "영철", true},
      {"영철 김", "김", "영철", false},
      {"남궁민수", "남궁", "민수", true},
      {"남궁민", "남궁", "민", true},
      {"남궁", "남", "궁", true},  // no given name would remain: one-syllable surname
      {"이수", "이", "수", true},
      {"Hyon Song Wol", "Hyon", "Song Wol", true},
      {"PAK Jong-hui", "PAK", "Jong-hui", true},
      {"Jong-hui PAK", "PAK", "Jong-hui", false},
      {"Smith John", "Smith", "John", true},  // unknown both: Korean order assumed
      {"Kim", "Kim", "", true},
      {"Youngchul", "", "Youngchul", true},
  };
  for (const ParseCase& c : cases) {
    Result<ParsedName> parsed = ParseKoreanName(c.full);
    ASSERT_TRUE(parsed.ok()) << c.full;
    EXPECT_EQ(parsed->family, c.family) << c.full;
    EXPECT_EQ(parsed->given, c.given) << c.full;
    EXPECT_EQ(parsed->family_first, c.family_first) << c.full;
  }
  EXPECT_TRUE(ParseKoreanName("Kim Yong Chol")->family_known);
  EXPECT_FALSE(ParseKoreanName("Smith John")->family_known);
}

TEST(ParseKoreanNameTest, ReadingsOfAmbiguousNames) {
  Result<std::vector<ParsedName>> r = KoreanNameReadings("Jong Min Yun");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].family, "Jong");  // 정 is more frequent than 윤
  EXPECT_EQ((*r)[0].given, "Min Yun");
  EXPECT_EQ((*r)[1].family, "Yun");
  EXPECT_EQ((*r)[1].given, "Jong Min");
  EXPECT_FALSE((*r)[1].family_first);

  r = KoreanNameReadings("선우진");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].family, "선우");
  EXPECT_EQ((*r)[1].family, "선");
  EXPECT_EQ((*r)[1].given, "우진");

  r = KoreanNameReadings("Kim Yong Chol");  // Chol is no surname: one reading
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 1u);
  r = KoreanNameReadings("Kim, Yong Nam");  // a comma settles it
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 1u);
  EXPECT_FALSE(KoreanNameReadings(" ").ok());
}

TEST(CompareFullNamesTest, BestReadingsAgree) {
  // Hong Ae Chun reads Chun (전) as the surname first, since it outranks Hong; Hong Ae Choon
  // (Choon is no surname) settles it: a's second reading, so 0.97.
  FullNameComparison c =
      CompareFullNames(PrepareFullName("Hong Ae Chun"), PrepareFullName("Hong Ae Choon"));
  EXPECT_TRUE(c.surnames_compatible);
  EXPECT_NEAR(c.given_similarity, 0.97, 1e-12);
  EXPECT_EQ(c.reading_a, 1u);
  EXPECT_EQ(c.reading_b, 0u);

  c = CompareFullNames(PrepareFullName("Jong Min Yun"), PrepareFullName("Yun Chong-min"));
  EXPECT_TRUE(c.surnames_compatible);
  EXPECT_NEAR(c.given_similarity, 0.97, 1e-12);  // a's second reading: 0.97
  EXPECT_EQ(c.reading_a, 1u);
  EXPECT_EQ(c.reading_b, 0u);

  c = CompareFullNames(PrepareFullName("김영철"), PrepareFullName("Young-chul Kim"));
  EXPECT_TRUE(c.surnames_compatible);
  EXPECT_DOUBLE_EQ(c.given_similarity, 1.0);

  c = CompareFullNames(PrepareFullName("김영철"), PrepareFullName("Park Young-chul"));
  EXPECT_FALSE(c.surnames_compatible);

  c = CompareFullNames(PrepareFullName("김영철"), PrepareFullName("Kim Young-hee"));
  EXPECT_TRUE(c.surnames_compatible);
  EXPECT_DOUBLE_EQ(c.given_similarity, 0.5);

  // A name without letters has no readings and agrees with nothing.
  EXPECT_TRUE(PrepareFullName("123").readings.empty());
  c = CompareFullNames(PrepareFullName("123"), PrepareFullName("김영철"));
  EXPECT_FALSE(c.surnames_compatible);
  EXPECT_DOUBLE_EQ(c.given_similarity, 0.0);
}

TEST(ParseKoreanNameTest, RejectsEmptyNames) {
  for (const char* bad : {"", "   ", " , ", "123", "-"}) {
    Result<ParsedName> parsed = ParseKoreanName(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidInput);
  }
}

// ---- Robustness: arbitrary bytes never crash and stay in range -----------------------------

TEST(KoreanRobustnessTest, RandomInput) {
  std::mt19937 rng(4);  // fixed seed: reproducible
  const std::vector<std::string> pieces = {"a", "Y",  "eo",       "ng", "-",    " ",
                                           "'", "ŏ",  "김",       "리", "\xff", "\xe2\x82",
                                           ",", "ch", "\xcc\x86", "ㄱ", "5"};
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 12);
  for (int trial = 0; trial < 300; ++trial) {
    std::string a, b;
    for (int i = length(rng); i > 0; --i) a += pieces[pick(rng)];
    for (int i = length(rng); i > 0; --i) b += pieces[pick(rng)];
    const double g = GivenNameSimilarity(a, b);
    ASSERT_GE(g, 0.0) << a << " / " << b;
    ASSERT_LE(g, 1.0) << a << " / " << b;
    SurnamesCompatible(a, b);
    NormalizeName(a);
    RomanizeHangul(a);
    PhoneticKey(a, true);
    const FullNameComparison c = CompareFullNames(PrepareFullName(a), PrepareFullName(b));
    ASSERT_GE(c.given_similarity, 0.0);
    ASSERT_LE(c.given_similarity, 1.0);
    Result<ParsedName> parsed = ParseKoreanName(a);
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidInput);
    }
  }
}

// ---- End to end: the variant sets of issue 4 ---------------------------------------------

// Two full names can be the same person when their surnames are compatible and their given
// names score at least 0.9.
bool SamePerson(const char* a, const char* b) {
  Result<ParsedName> pa = ParseKoreanName(a);
  Result<ParsedName> pb = ParseKoreanName(b);
  if (!pa.ok() || !pb.ok()) return false;
  return SurnamesCompatible(pa->family, pb->family) &&
         GivenNameSimilarity(pa->given, pb->given) >= 0.9;
}

TEST(KoreanNamesEndToEnd, IssueVariantsMeet) {
  const std::vector<const char*> kim = {"김영철",        "KIM Yeong-cheol", "Young-chul Kim",
                                        "Kim Yong Chol", "Kim Yŏng-ch'ŏl",  "Gim Yeongcheol"};
  for (const char* a : kim) {
    for (const char* b : kim) EXPECT_TRUE(SamePerson(a, b)) << a << " / " << b;
  }
  const std::vector<const char*> ri = {"리설주",      "이설주",     "Ri Sol Ju",
                                       "Lee Seol-ju", "Yi Sŏl-chu", "RHEE Sul-joo"};
  for (const char* a : ri) {
    for (const char* b : ri) EXPECT_TRUE(SamePerson(a, b)) << a << " / " << b;
  }
}

TEST(KoreanNamesEndToEnd, NegativesDoNotMeet) {
  EXPECT_FALSE(SamePerson("Kim Yong Chol", "Park Yong Chol"));
  EXPECT_FALSE(SamePerson("김영철", "박영철"));
  EXPECT_FALSE(SamePerson("김영철", "김영희"));
  EXPECT_FALSE(SamePerson("Kim Young-chul", "Kim Young-hee"));
  EXPECT_FALSE(SamePerson("Choi Min-su", "Jung Min-su"));
  EXPECT_FALSE(SamePerson("성민수", "송민수"));
}

}  // namespace
}  // namespace memoria::linkage
