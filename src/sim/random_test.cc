#include "sim/random.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace memoria::sim {
namespace {

TEST(Rng, SameSeedSameSequenceDifferentSeedDifferent) {
  Rng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    std::uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    differs = differs || x != c.Next();
  }
  EXPECT_TRUE(differs);
}

TEST(Rng, StreamsAreDistinct) {
  Rng a = Rng::ForStream(7, 1, 0), b = Rng::ForStream(7, 0, 1), c = Rng::ForStream(7, 1, 0);
  std::uint64_t x = a.Next();
  EXPECT_NE(x, b.Next());
  EXPECT_EQ(x, c.Next());
}

TEST(Rng, UniformMomentsAndRange) {
  Rng r(1);
  const int n = 200000;
  double sum = 0, sq = 0;
  for (int i = 0; i < n; ++i) {
    double u = r.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sq += u * u;
  }
  // Mean 1/2 (sd of the mean ~ 0.00065), variance 1/12.
  EXPECT_NEAR(sum / n, 0.5, 0.004);
  EXPECT_NEAR(sq / n - (sum / n) * (sum / n), 1.0 / 12, 0.002);
}

TEST(Rng, UniformIntCoversRangeEvenly) {
  Rng r(2);
  std::vector<int> counts(7, 0);
  const int n = 70000;
  for (int i = 0; i < n; ++i) {
    auto x = r.UniformInt(3, 9);
    ASSERT_GE(x, 3);
    ASSERT_LE(x, 9);
    counts[static_cast<std::size_t>(x - 3)]++;
  }
  // Each ~10000 with sd ~ 93: 5 sd tolerance.
  for (int c : counts) EXPECT_NEAR(c, 10000, 470);
  EXPECT_EQ(r.UniformInt(5, 5), 5);
}

TEST(Rng, NormalMoments) {
  Rng r(3);
  const int n = 200000;
  double sum = 0, sq = 0;
  for (int i = 0; i < n; ++i) {
    double z = r.Normal();
    sum += z;
    sq += z * z;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.012);
  EXPECT_NEAR(sq / n, 1.0, 0.015);
}

TEST(Rng, CategoricalFollowsWeights) {
  Rng r(4);
  std::vector<double> w = {0.2, 0.0, 0.5, 0.3};
  CumulativeInPlace(w);
  std::vector<int> counts(4, 0);
  const int n = 100000;
  for (int i = 0; i < n; ++i) counts[r.Categorical(w)]++;
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[0] / double(n), 0.2, 0.007);
  EXPECT_NEAR(counts[2] / double(n), 0.5, 0.008);
  EXPECT_NEAR(counts[3] / double(n), 0.3, 0.007);
}

TEST(Rng, BernoulliEdges) {
  Rng r(5);
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(r.Bernoulli(0));
    EXPECT_TRUE(r.Bernoulli(1));
  }
}

TEST(Logistic, InverseOfLogit) {
  for (double p : {0.01, 0.2, 0.5, 0.9}) EXPECT_NEAR(Logistic(Logit(p)), p, 1e-12);
  EXPECT_DOUBLE_EQ(Logistic(0), 0.5);
}

}  // namespace
}  // namespace memoria::sim
