#include "linkage/string_metrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace memoria::linkage {
namespace {

// Published values: Winkler (1990) / Cohen et al. (2003) examples, as used by every reference
// implementation (e.g. the Wikipedia article on Jaro–Winkler distance).
TEST(JaroTest, PublishedValues) {
  EXPECT_NEAR(Jaro("MARTHA", "MARHTA"), 0.944, 5e-4);
  EXPECT_NEAR(Jaro("DWAYNE", "DUANE"), 0.822, 5e-4);
  EXPECT_NEAR(Jaro("DIXON", "DICKSONX"), 0.767, 5e-4);
  EXPECT_NEAR(Jaro("CRATE", "TRACE"), 0.733, 5e-4);
}

TEST(JaroWinklerTest, PublishedValues) {
  EXPECT_NEAR(JaroWinkler("MARTHA", "MARHTA"), 0.961, 5e-4);
  EXPECT_NEAR(JaroWinkler("DWAYNE", "DUANE"), 0.840, 5e-4);
  EXPECT_NEAR(JaroWinkler("DIXON", "DICKSONX"), 0.813, 5e-4);
  EXPECT_NEAR(JaroWinkler("JELLYFISH", "SMELLYFISH"), 0.896, 5e-4);
}

TEST(JaroWinklerTest, EdgeCases) {
  EXPECT_DOUBLE_EQ(JaroWinkler("", ""), 1.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("", "A"), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("A", ""), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("ABC", "XYZ"), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("KIM", "KIM"), 1.0);
  EXPECT_DOUBLE_EQ(Jaro("A", "A"), 1.0);
  // Symmetric.
  EXPECT_DOUBLE_EQ(JaroWinkler("DIXON", "DICKSONX"), JaroWinkler("DICKSONX", "DIXON"));
}

TEST(JaroWinklerTest, BoostOnlyAboveThreshold) {
  // Jaro("ABCDEFGH", "ABCXXXXX") = (3/8 + 3/8 + 1) / 3 = 0.5833 < 0.7: no prefix bonus.
  EXPECT_NEAR(Jaro("ABCDEFGH", "ABCXXXXX"), 0.58333, 1e-4);
  EXPECT_DOUBLE_EQ(JaroWinkler("ABCDEFGH", "ABCXXXXX"), Jaro("ABCDEFGH", "ABCXXXXX"));
  JaroWinklerOptions low;
  low.boost_threshold = 0.5;
  EXPECT_NEAR(JaroWinkler("ABCDEFGH", "ABCXXXXX", low), 0.58333 + 3 * 0.1 * (1 - 0.58333), 1e-4);
}

TEST(JaroWinklerTest, PrefixCappedAtFour) {
  // Same Jaro, prefixes 4 and 6: the bonus is the same because l is capped at 4.
  const double j = Jaro("ABCDEFXY", "ABCDEFYX");
  EXPECT_NEAR(JaroWinkler("ABCDEFXY", "ABCDEFYX"), j + 4 * 0.1 * (1 - j), 1e-12);
  JaroWinklerOptions six;
  six.max_prefix = 6;
  six.prefix_scale = 0.1;
  EXPECT_NEAR(JaroWinkler("ABCDEFXY", "ABCDEFYX", six), j + 6 * 0.1 * (1 - j), 1e-12);
}

TEST(JaroWinklerTest, ComparesCodePointsNotBytes) {
  // "ŏ" is two bytes; by code point YŎNG/YONG differ in one of four characters.
  EXPECT_NEAR(Jaro("yŏng", "yong"), Jaro("yxng", "yong"), 1e-12);
  EXPECT_NEAR(JaroWinkler("김영철", "김영칠"), JaroWinkler("abc", "abd"), 1e-12);
  EXPECT_DOUBLE_EQ(JaroWinkler("김영철", "김영철"), 1.0);
  // Same as the u32 overload.
  EXPECT_DOUBLE_EQ(JaroWinkler("박정희", "박정의"), JaroWinkler(U"박정희", U"박정의"));
}

TEST(LevenshteinTest, KnownValues) {
  EXPECT_EQ(Levenshtein("kitten", "sitting"), 3);
  EXPECT_EQ(Levenshtein("flaw", "lawn"), 2);
  EXPECT_EQ(Levenshtein("", ""), 0);
  EXPECT_EQ(Levenshtein("", "abc"), 3);
  EXPECT_EQ(Levenshtein("abc", ""), 3);
  EXPECT_EQ(Levenshtein("ab", "ba"), 2);
  EXPECT_EQ(Levenshtein("Yŏng", "Yong"), 1);  // one code point, though two bytes
  EXPECT_EQ(Levenshtein("김영철", "김철"), 1);
  EXPECT_EQ(Levenshtein(U"김영철", U"영철김"), 2);
}

TEST(LevenshteinTest, CutOff) {
  EXPECT_EQ(Levenshtein("kitten", "sitting", 3), 3);
  EXPECT_EQ(Levenshtein("kitten", "sitting", 2), 3);  // > k: returns k + 1
  EXPECT_EQ(Levenshtein("kitten", "sitting", 0), 1);
  EXPECT_EQ(Levenshtein("abc", "abc", 0), 0);
  EXPECT_EQ(Levenshtein("a", "abcdefgh", 2), 3);  // length difference alone exceeds k
  EXPECT_EQ(Levenshtein("abc", "abd", -5), 1);    // negative k behaves as 0
}

TEST(DamerauOsaTest, KnownValues) {
  EXPECT_EQ(DamerauOsa("ab", "ba"), 1);
  EXPECT_EQ(DamerauOsa("CA", "ABC"), 3);  // OSA, not unrestricted Damerau (2)
  EXPECT_EQ(DamerauOsa("kitten", "sitting"), 3);
  EXPECT_EQ(DamerauOsa("MARTHA", "MARHTA"), 1);
  EXPECT_EQ(DamerauOsa("영철", "철영"), 1);
  EXPECT_EQ(DamerauOsa("MARTHA", "MARHTA", 0), 1);
  EXPECT_EQ(DamerauOsa("abcdef", "badcfe", 2), 3);
  EXPECT_EQ(DamerauOsa("abcdef", "badcfe"), 3);
}

TEST(LevenshteinSimilarityTest, Values) {
  EXPECT_DOUBLE_EQ(LevenshteinSimilarity("", ""), 1.0);
  EXPECT_DOUBLE_EQ(LevenshteinSimilarity("abcd", "abce"), 0.75);
  EXPECT_DOUBLE_EQ(LevenshteinSimilarity("Yŏng", "Yong"), 0.75);
}

TEST(Utf8Test, InvalidBytesAreOneCodePointEach) {
  EXPECT_EQ(CodePointCount("a\xff"
                           "b"),
            3u);
  EXPECT_EQ(CodePointCount("\xe2\x82"), 2u);      // truncated 3-byte sequence
  EXPECT_EQ(CodePointCount("\xc0\xaf"), 2u);      // overlong encoding of '/'
  EXPECT_EQ(CodePointCount("\xed\xa0\x80"), 3u);  // UTF-16 surrogate
  EXPECT_EQ(CodePointCount("김영철 Kim"), 7u);
  EXPECT_EQ(DecodeUtf8("a\xff"), std::u32string(U"a\uFFFD"));
  // Never crashes; invalid bytes compare as U+FFFD.
  EXPECT_EQ(Levenshtein("a\xff", "a\xfe"), 0);
  EXPECT_EQ(Levenshtein("\xf0\x9f", "ab"), 2);
  EXPECT_GE(JaroWinkler("\xf0\x9f\x98", "\xe2"), 0.0);
}

TEST(SortedTokensTest, SortsAndDeduplicates) {
  EXPECT_EQ(SortedTokens("Yong Chol  Kim"), "Chol Kim Yong");
  EXPECT_EQ(SortedTokens("  kim kim\tyong "), "kim kim yong");
  EXPECT_EQ(SortedTokens("  kim kim\tyong ", /*unique=*/true), "kim yong");
  EXPECT_EQ(SortedTokens(""), "");
  EXPECT_EQ(SortedTokens("   "), "");
}

// ---- Cross-check against plain textbook implementations on random strings ---------------

int NaiveEdit(const std::u32string& a, const std::u32string& b, bool transpose) {
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (transpose && i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

double NaiveJaro(const std::u32string& a, const std::u32string& b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  const int window = std::max<int>(0, static_cast<int>(std::max(a.size(), b.size())) / 2 - 1);
  std::vector<bool> am(a.size()), bm(b.size());
  int m = 0;
  for (int i = 0; i < static_cast<int>(a.size()); ++i) {
    for (int j = std::max(0, i - window); j <= std::min<int>(b.size() - 1, i + window); ++j) {
      if (!bm[j] && a[i] == b[j]) {
        am[i] = bm[j] = true;
        ++m;
        break;
      }
    }
  }
  if (m == 0) return 0.0;
  std::u32string sa, sb;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (am[i]) sa += a[i];
  for (std::size_t j = 0; j < b.size(); ++j)
    if (bm[j]) sb += b[j];
  int half = 0;
  for (std::size_t i = 0; i < sa.size(); ++i) half += sa[i] != sb[i];
  const double t = half / 2;
  return (double(m) / a.size() + double(m) / b.size() + (m - t) / m) / 3.0;
}

std::string EncodeUtf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

TEST(StringMetricsCrossCheck, RandomStringsAgreeWithTextbookDefinitions) {
  std::mt19937 rng(20260601);  // fixed seed: reproducible
  // A small alphabet (so matches and transpositions are frequent), ASCII and not.
  const std::u32string alphabets[] = {U"abc", U"abcdef", U"aŏ김영철"};
  int checked = 0;
  for (const auto& alphabet : alphabets) {
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    for (int trial = 0; trial < 600; ++trial) {
      // Mostly short strings; some beyond the 64-code-point stack buffers.
      const std::size_t max_len = trial % 10 == 0 ? 90 : 12;
      std::uniform_int_distribution<std::size_t> len(0, max_len);
      std::u32string a, b;
      const std::size_t la = len(rng), lb = len(rng);
      for (std::size_t i = 0; i < la; ++i) a += alphabet[pick(rng)];
      for (std::size_t i = 0; i < lb; ++i) b += alphabet[pick(rng)];
      const std::string ua = EncodeUtf8(a), ub = EncodeUtf8(b);

      const int lev = NaiveEdit(a, b, false);
      const int osa = NaiveEdit(a, b, true);
      ASSERT_EQ(Levenshtein(ua, ub), lev) << trial;
      ASSERT_EQ(Levenshtein(a, b), lev) << trial;
      ASSERT_EQ(DamerauOsa(ua, ub), osa) << trial;
      for (int k : {0, 1, 2, 5}) {
        ASSERT_EQ(Levenshtein(ua, ub, k), std::min(lev, k + 1)) << trial << " k=" << k;
        ASSERT_EQ(DamerauOsa(ua, ub, k), std::min(osa, k + 1)) << trial << " k=" << k;
      }
      ASSERT_NEAR(Jaro(ua, ub), NaiveJaro(a, b), 1e-12) << trial;
      const double jw = JaroWinkler(ua, ub);
      ASSERT_GE(jw, Jaro(ua, ub));
      ASSERT_LE(jw, 1.0);
      ASSERT_DOUBLE_EQ(jw, JaroWinkler(a, b));
      ++checked;
    }
  }
  EXPECT_EQ(checked, 1800);
}

}  // namespace
}  // namespace memoria::linkage
