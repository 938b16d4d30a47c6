#include "sim/names.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "core/person_name.h"

namespace memoria::sim {
namespace {

// Finds the true name with the given South-spelled Hangul by drawing (the tables are small).
TrueName Find(const std::string& hangul) {
  const NameBook& book = NameBook::Default();
  Rng rng(99);
  for (int i = 0; i < 2000000; ++i) {
    TrueName n = book.Draw(rng, i % 2 ? "male" : "female");
    if (book.Hangul(n) == hangul) return n;
  }
  ADD_FAILURE() << "no such name drawn";
  return {};
}

TEST(NameBook, Loads) {
  const NameBook& book = NameBook::Default();
  EXPECT_GT(book.surname_count(), 50u);
  EXPECT_EQ(book.SurnameHangul(0), "김");
}

TEST(NameBook, SurnamesFollowCensusFrequencies) {
  const NameBook& book = NameBook::Default();
  Rng rng(7);
  std::map<std::uint16_t, int> counts;
  const int n = 100000;
  for (int i = 0; i < n; ++i) counts[book.Draw(rng, "male").surname]++;
  // Kim (about 21.6% of the table's weight) and Lee: within 5 standard errors.
  for (std::uint16_t s : {0, 1, 2}) {
    double p = book.SurnameProbability(s);
    double se = std::sqrt(p * (1 - p) / n);
    EXPECT_NEAR(counts[s] / double(n), p, 5 * se) << book.SurnameHangul(s);
  }
  EXPECT_NEAR(book.SurnameProbability(0), 0.216, 0.02);
}

TEST(NameBook, RendersEverySystem) {
  const NameBook& book = NameBook::Default();
  TrueName n = Find("이영철");
  NameStyle s;
  EXPECT_EQ(book.Render(n, s).full, "이영철");
  s.north_spelling = true;
  EXPECT_EQ(book.Render(n, s).full, "리영철");
  EXPECT_EQ(book.Render(n, s).script, "Hang");
  s = NameStyle{.latin = true, .romanization = Romanization::kRR, .separator = '-'};
  WrittenName w = book.Render(n, s);
  EXPECT_EQ(w.full, "I Yeong-cheol");
  EXPECT_EQ(w.system, "RR");
  s.romanization = Romanization::kMR;
  EXPECT_EQ(book.Render(n, s).full, "Yi Yŏng-ch'ŏl");
  s.romanization = Romanization::kMRPlain;
  EXPECT_EQ(book.Render(n, s).full, "Yi Yong-chol");
  EXPECT_EQ(book.Render(n, s).system, "MR");
  s.romanization = Romanization::kDPRK;
  EXPECT_EQ(book.Render(n, s).full, "Ri Yong Chol");
  s.romanization = Romanization::kEnglish;
  s.family_first = false;
  s.separator = '\0';
  w = book.Render(n, s);
  EXPECT_EQ(w.full, "Youngchul Lee");
  EXPECT_EQ(w.family, "Lee");
  EXPECT_EQ(w.given, "Youngchul");
  EXPECT_EQ(w.system, "other");
  s.separator = ' ';
  EXPECT_EQ(book.Render(n, s).given, "Young Chul");
}

TEST(NameBook, McCuneReischauerVoicesInsideGivenNames) {
  const NameBook& book = NameBook::Default();
  NameStyle s{.latin = true, .romanization = Romanization::kMR, .separator = '-'};
  EXPECT_EQ(book.Render(Find("박성국"), s).full, "Pak Sŏng-guk");
  EXPECT_EQ(book.Render(Find("김혁준"), s).full, "Kim Hyŏk-chun");  // after k: no voicing
  s.romanization = Romanization::kDPRK;
  EXPECT_EQ(book.Render(Find("박성국"), s).full, "Pak Song Kuk");
}

TEST(NameBook, EveryRenderingIsAValidPersonName) {
  const NameBook& book = NameBook::Default();
  Rng rng(11);
  for (int i = 0; i < 3000; ++i) {
    TrueName n = book.Draw(rng, i % 2 ? "male" : "female");
    NameStyle s;
    s.latin = i % 3 != 0;
    s.north_spelling = i % 5 == 0;
    s.romanization = static_cast<Romanization>(i % 5);
    s.family_first = i % 7 != 0;
    s.separator = "- \0"[i % 3];
    WrittenName w = book.Render(n, s);
    if (i % 4 == 0) w.given = Typo(w.given, rng);
    auto v = ValidatePersonName({w.full, w.family, w.given, w.script, w.system});
    ASSERT_TRUE(v.ok()) << v.status().ToString() << " for " << w.full;
  }
}

TEST(Typo, ChangesOneThing) {
  Rng rng(3);
  for (int i = 0; i < 200; ++i) {
    std::string t = Typo("영철", rng);
    EXPECT_NE(t, "영철");
    EXPECT_EQ(t.size(), 6u);
    std::string l = Typo("Young-chul", rng);
    EXPECT_NE(l, "Young-chul");
    EXPECT_LE(std::abs(static_cast<int>(l.size()) - 10), 1);
    EXPECT_EQ(l[0], 'Y');
  }
  EXPECT_EQ(Typo("", rng), "");
}

}  // namespace
}  // namespace memoria::sim
