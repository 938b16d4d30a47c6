#include "core/random.h"

#include <gtest/gtest.h>

namespace memoria {
namespace {

// First outputs of the reference splitmix64.c with state 0 (widely published values).
TEST(SplitMix64, MatchesReferenceOutput) {
  SplitMix64 seq(0);
  EXPECT_EQ(seq(), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(seq(), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(seq(), 0x06c45d188009454fULL);
}

TEST(SplitMix64, StepHashAndObjectAgree) {
  std::uint64_t state = 42;
  SplitMix64 seq(42);
  const std::uint64_t first = SplitMix64Next(state);
  EXPECT_EQ(first, seq());
  EXPECT_EQ(first, SplitMix64Hash(42));
  EXPECT_EQ(SplitMix64Next(state), seq());
  EXPECT_EQ(state, 42 + 2 * kSplitMix64Gamma);
}

TEST(Mix64, IsABijectionOnSmallSamples) {
  // Distinct inputs give distinct outputs (a bijection), and zero is a fixed point.
  EXPECT_EQ(Mix64(0), 0u);
  EXPECT_NE(Mix64(1), Mix64(2));
  EXPECT_NE(Mix64(1), 1u);
}

TEST(UniformBelow, StaysInRangeAndCoversIt) {
  SplitMix64 seq(7);
  std::uint64_t counts[3] = {0, 0, 0};
  for (int i = 0; i < 30000; ++i) {
    const std::uint64_t x = UniformBelow(seq, 3);
    ASSERT_LT(x, 3u);
    ++counts[x];
  }
  for (auto c : counts) EXPECT_NEAR(static_cast<double>(c), 10000.0, 400.0);  // ~4.9 sigma
  EXPECT_EQ(UniformBelow(seq, 1), 0u);
}

TEST(UniformBelow, RejectsTheBiasedLowWords) {
  // With n = 3, 2^64 mod 3 = 1: a word w whose product w*3 has low word 0 (w = 0) is rejected
  // and the next word is used.
  std::uint64_t words[] = {0, ~0ULL};
  int i = 0;
  auto next = [&] { return words[i++]; };
  EXPECT_EQ(UniformBelow(next, 3), 2u);
  EXPECT_EQ(i, 2);
}

}  // namespace
}  // namespace memoria
