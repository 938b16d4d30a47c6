#include "estimate/lcmcr.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "estimate/capture_histories.h"
#include "estimate/reference_datasets.h"

namespace memoria::estimate {
namespace {

using reference::kMseDir;

double Mean(const std::vector<double>& x) {
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}
double Var(const std::vector<double>& x) {
  const double m = Mean(x);
  double s = 0;
  for (double v : x) s += (v - m) * (v - m);
  return s / static_cast<double>(x.size() - 1);
}

// ---- random variates --------------------------------------------------------------------

TEST(LcmcrRandomTest, XoshiroMatchesReferenceOutputs) {
  // Outputs of the reference xoshiro256++ (Blackman & Vigna) from the state {1, 2, 3, 4}.
  auto out = lcmcr_internal::XoshiroOutputs({1, 2, 3, 4}, 6);
  std::vector<std::uint64_t> expected = {41943041ULL,
                                         58720359ULL,
                                         3588806011781223ULL,
                                         3591011842654386ULL,
                                         9228616714210784205ULL,
                                         9973669472204895162ULL};
  EXPECT_EQ(out, expected);
}

// The per-person trials come from four xoshiro256++ lanes, eight 32-bit trials a step in the
// order (lane 0 low half, lane 0 high half, lane 1 low half, …): both the portable and (where
// the CPU has it) the AVX2 code, against the reference engine's outputs, for whole and partial
// steps (n = 1..64, 16 sets of states); with the largest trial and the −1 padding.
TEST(LcmcrRandomTest, TrialLanesAreXoshiroOutputs) {
  std::vector<std::array<std::array<std::uint64_t, 4>, 4>> state_sets = {
      {{{1, 2, 3, 4}, {5, 6, 7, 8}, {0x9e3779b97f4a7c15ULL, 1, 0, 0}, {~0ULL, ~0ULL, 3, 1}}}};
  std::uint64_t x = 12345;  // more states, from a simple LCG (any non-zero states will do)
  for (int set = 0; set < 15; ++set) {
    std::array<std::array<std::uint64_t, 4>, 4> states;
    for (auto& lane : states) {
      for (auto& word : lane) word = x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    }
    state_sets.push_back(states);
  }
  for (const auto& states : state_sets) {
    for (int n = 1; n <= 64; ++n) {
      const int steps = (n + 7) / 8;
      std::vector<double> expected;
      std::vector<std::vector<std::uint64_t>> lane_out;
      lane_out.reserve(states.size());
      for (const auto& state : states) {
        lane_out.push_back(lcmcr_internal::XoshiroOutputs(state, steps));
      }
      for (int step = 0; step < steps; ++step) {
        for (int l = 0; l < 4; ++l) {
          expected.push_back(static_cast<double>(lane_out[l][step] & 0xffffffffu) + 0.5);
          expected.push_back(static_cast<double>(lane_out[l][step] >> 32) + 0.5);
        }
      }
      const double largest = *std::max_element(expected.begin(), expected.begin() + n);
      std::fill(expected.begin() + n, expected.end(), -1.0);
      for (const bool portable : {true, false}) {
        const auto fill = lcmcr_internal::FillTrials(states, n, portable);
        ASSERT_EQ(fill.uniforms, expected) << "n " << n << " portable " << portable;
        ASSERT_EQ(fill.largest, largest) << "n " << n << " portable " << portable;
      }
    }
  }
}

// A chain must not depend on the machine: the AVX2 and the portable trials give the same
// multinomial draws, bit for bit, on every path (few trials from the engine, trials from the
// lanes, binomials first).
TEST(LcmcrRandomTest, TrialsSameWithAndWithoutAvx2) {
  if (!lcmcr_internal::TrialsUseAvx2()) GTEST_SKIP() << "this CPU has no AVX2";
  const std::vector<std::vector<double>> weights = {
      {0.5, 0.0, 0.2, 1e-9, 0.3}, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, {1e-3, 0.999}, {7, 0, 0, 3}};
  for (const auto& w : weights) {
    for (std::int64_t n = 1; n <= 70; ++n) {
      std::vector<int> reach_native, reach_portable;
      const auto native = lcmcr_internal::MultinomialDraws(29, n, w, 50, &reach_native);
      const auto portable =
          lcmcr_internal::MultinomialDraws(29, n, w, 50, &reach_portable, /*portable=*/true);
      ASSERT_EQ(native, portable) << "n " << n << " K " << w.size();
      ASSERT_EQ(reach_native, reach_portable) << "n " << n << " K " << w.size();
    }
  }
}

TEST(LcmcrRandomTest, GammaMomentsAcrossShapes) {
  for (double shape : {0.05, 0.3, 1.0, 3.7, 250.0}) {
    const int n = 100000;
    auto x = lcmcr_internal::GammaDraws(42, shape, n);
    for (double v : x) ASSERT_GE(v, 0.0);
    // Mean and variance are both `shape`; allow 5 standard errors of the mean.
    const double se = std::sqrt(shape / n);
    EXPECT_NEAR(Mean(x), shape, 5 * se) << "shape " << shape;
    EXPECT_NEAR(Var(x) / shape, 1.0, shape < 0.1 ? 0.15 : 0.05) << "shape " << shape;
  }
  // Same seed, same draws; different seed, different draws.
  EXPECT_EQ(lcmcr_internal::GammaDraws(7, 2.5, 10), lcmcr_internal::GammaDraws(7, 2.5, 10));
  EXPECT_NE(lcmcr_internal::GammaDraws(7, 2.5, 10), lcmcr_internal::GammaDraws(8, 2.5, 10));
}

TEST(LcmcrRandomTest, LogBetaEveryBranch) {
  struct Case {
    double a, b;
  };
  // a == 1, b == 1, both >= 1, and small shapes (the log-space path).
  for (Case c : {Case{1, 4}, Case{3, 1}, Case{2.5, 7.5}, Case{0.3, 0.6}, Case{40, 0.02}}) {
    const int n = 50000;
    auto draws = lcmcr_internal::LogBetaDraws(9, c.a, c.b, n);
    std::vector<double> v;
    for (auto [lv, l1m] : draws) {
      ASSERT_LE(lv, 0.0);
      ASSERT_LE(l1m, 0.0);
      ASSERT_FALSE(std::isnan(lv) || std::isnan(l1m));
      // V and 1 − V are complementary (when neither is denormal-small).
      if (lv > -30 && l1m > -30) {
        ASSERT_NEAR(std::exp(lv) + std::exp(l1m), 1.0, 1e-12);
      }
      v.push_back(std::exp(lv));
    }
    const double mean = c.a / (c.a + c.b);
    const double var = c.a * c.b / ((c.a + c.b) * (c.a + c.b) * (c.a + c.b + 1));
    EXPECT_NEAR(Mean(v), mean, 5 * std::sqrt(var / n)) << c.a << "," << c.b;
    EXPECT_NEAR(Var(v) / var, 1.0, 0.06) << c.a << "," << c.b;
  }
  // A tiny second shape: 1 − V underflows in linear space but its log stays finite.
  auto tiny = lcmcr_internal::LogBetaDraws(3, 1, 1e-4, 1000);
  int finite = 0;
  for (auto [lv, l1m] : tiny) finite += std::isfinite(l1m) && l1m < -100;
  EXPECT_GT(finite, 900);
}

// The sticks after the last occupied class come from the variates LogBeta uses, in the same
// order: from one seed, both give the same V, in linear space while 1 − V is representable
// and in logs below e^-600.
TEST(LcmcrRandomTest, SticksBelowOneAreLogBetasDraws) {
  struct Case {
    double a, b;
    int min_linear, min_logs;  // of 20,000 draws
  };
  for (Case c :
       {Case{1, 0.7, 20000, 0}, Case{1, 0.02, 19000, 0}, Case{1, 1e-4, 1000, 10000},
        Case{40, 0.5, 20000, 0}, Case{2.5, 1e-3, 8500, 10500}, Case{3000, 1e-5, 0, 19000}}) {
    const int n = 20000;
    const auto sticks = lcmcr_internal::StickDraws(21, c.a, c.b, n);
    const auto reference = lcmcr_internal::LogBetaDraws(21, c.a, c.b, n);
    int linear = 0, logs = 0;
    for (int i = 0; i < n; ++i) {
      const auto [lv, l1m] = reference[i];
      const auto& s = sticks[i];
      auto near = [](double x, double y) {
        return std::abs(x - y) <= 1e-12 * std::max(1.0, std::abs(y));
      };
      if (s.in_logs) {
        ++logs;
        ASSERT_TRUE(near(s.first, lv) && near(s.second, l1m)) << c.a << "," << c.b << " #" << i;
        ASSERT_LT(s.second, -500) << c.a << "," << c.b;  // 1 − V ≈ U^(1/b) < e^-600
      } else {
        ++linear;
        ASSERT_TRUE(s.first >= 0 && s.second > 0 && s.first <= 1 && s.second <= 1);
        ASSERT_NEAR(s.first + s.second, 1.0, 1e-15);
        // Each to full relative precision: its log matches LogBeta's, however small.
        if (s.first > 0) {
          ASSERT_TRUE(near(std::log(s.first), lv)) << c.a << "," << c.b << " #" << i;
        }
        ASSERT_TRUE(near(std::log(s.second), l1m)) << c.a << "," << c.b << " #" << i;
      }
    }
    EXPECT_GE(linear, c.min_linear) << c.a << "," << c.b;
    EXPECT_GE(logs, c.min_logs) << c.a << "," << c.b;
  }
}

TEST(LcmcrRandomTest, BetaOddsEveryBranch) {
  struct Case {
    double a, b;
  };
  // Beta(1, 1) (one uniform), a shape of 1 (exponential), both > 1, and lopsided shapes as
  // in a large class with almost everyone on (or off) a list.
  for (Case c : {Case{1, 1}, Case{1, 6}, Case{4, 1}, Case{2.5, 7.5}, Case{3000, 2}, Case{1, 5e5}}) {
    const int n = 50000;
    auto draws = lcmcr_internal::BetaOddsDraws(13, c.a, c.b, n);
    std::vector<double> v;
    for (auto [odds, om] : draws) {
      ASSERT_TRUE(std::isfinite(odds) && odds > 0) << c.a << "," << c.b;
      ASSERT_TRUE(om > 0 && om < 1) << c.a << "," << c.b;
      // odds = V/(1 − V) and om = 1 − V describe the same V.
      ASSERT_NEAR(odds * om, 1 - om, 1e-12 * std::max(1.0, odds));
      v.push_back(odds * om);
    }
    const double mean = c.a / (c.a + c.b);
    const double var = c.a * c.b / ((c.a + c.b) * (c.a + c.b) * (c.a + c.b + 1));
    EXPECT_NEAR(Mean(v), mean, 5 * std::sqrt(var / n)) << c.a << "," << c.b;
    EXPECT_NEAR(Var(v) / var, 1.0, 0.06) << c.a << "," << c.b;
  }
  EXPECT_EQ(lcmcr_internal::BetaOddsDraws(5, 2, 3, 20), lcmcr_internal::BetaOddsDraws(5, 2, 3, 20));
}

TEST(LcmcrRandomTest, MultinomialMeansAndTotals) {
  // Both paths: categorical draws (n <= 64) and conditional binomials (BINV with its squeeze,
  // and BTRD).
  const std::vector<double> w = {0.5, 0.0, 0.2, 1e-9, 0.3};
  for (std::int64_t n : {1, 7, 16, 17, 64, 65, 1000, 1000000}) {
    const int reps = 4000;
    auto draws = lcmcr_internal::MultinomialDraws(11, n, w, reps);
    std::vector<double> mean(w.size(), 0.0);
    for (int r = 0; r < reps; ++r) {
      std::int64_t total = 0;
      for (std::size_t k = 0; k < w.size(); ++k) {
        const std::int64_t c = draws[r * w.size() + k];
        ASSERT_GE(c, 0);
        total += c;
        mean[k] += static_cast<double>(c) / reps;
      }
      ASSERT_EQ(total, n);
      ASSERT_EQ(draws[r * w.size() + 1], 0);  // weight 0 never drawn
    }
    for (std::size_t k = 0; k < w.size(); ++k) {
      const double p = w[k];
      const double sd = std::sqrt(static_cast<double>(n) * p * (1 - p) / reps);
      EXPECT_NEAR(mean[k], static_cast<double>(n) * p, 5 * sd + 1e-6) << "n " << n << " k " << k;
    }
  }
}

// Many classes, most of weight 0: every class is reached or skipped correctly, and a draw of
// few trials stops before the last class (its reach says how far it went).
TEST(LcmcrRandomTest, MultinomialManyClasses) {
  std::vector<double> w(40, 0.0);
  for (int k = 0; k < 40; k += 3) w[k] = 1.0 + k;  // every third class, the rest weight 0
  double total = 0;
  for (double x : w) total += x;
  for (std::int64_t n : {5, 64, 500}) {
    const int reps = 4000;
    std::vector<int> reach;
    auto draws = lcmcr_internal::MultinomialDraws(17, n, w, reps, &reach);
    std::vector<double> mean(w.size(), 0.0);
    int short_reach = 0;  // draws that stopped before the last class of positive weight
    for (int r = 0; r < reps; ++r) {
      std::int64_t sum = 0;
      ASSERT_LE(reach[r], static_cast<int>(w.size()));
      short_reach += reach[r] < 40;
      for (std::size_t k = 0; k < w.size(); ++k) {
        const std::int64_t c = draws[r * w.size() + k];
        if (w[k] == 0 || static_cast<int>(k) >= reach[r]) {
          ASSERT_EQ(c, 0) << "class " << k << " reach " << reach[r];
        }
        sum += c;
        mean[k] += static_cast<double>(c) / reps;
      }
      ASSERT_EQ(sum, n);
    }
    // Few trials often stop early: 5 miss the heaviest, last class with probability 0.47.
    if (n == 5) {
      EXPECT_GT(short_reach, reps / 10) << "n " << n;
    }
    for (std::size_t k = 0; k < w.size(); ++k) {
      const double p = w[k] / total;
      const double sd = std::sqrt(static_cast<double>(n) * p * (1 - p) / reps);
      EXPECT_NEAR(mean[k], static_cast<double>(n) * p, 5 * sd + 1e-9) << "n " << n << " k " << k;
    }
  }
}

// The joint law of the draws, not only their means: Pearson's chi-square of `reps` draws of
// Multinomial(n, drawn) over three classes against the exact pmf of Multinomial(n, w) over the
// outcomes (c0, c1) (outcomes expected fewer than 5 times pooled into one cell). Returns the
// p-value.
double MultinomialChiSquarePValue(std::uint64_t seed, std::int64_t n,
                                  const std::vector<double>& drawn, const std::vector<double>& w,
                                  int reps, bool portable = false) {
  auto draws = lcmcr_internal::MultinomialDraws(seed, n, drawn, reps, nullptr, portable);
  const double total = w[0] + w[1] + w[2];
  const std::size_t side = static_cast<std::size_t>(n) + 1;
  std::vector<double> observed(side * side, 0.0);
  for (int r = 0; r < reps; ++r) {
    const auto at = static_cast<std::size_t>(r) * 3;
    observed[draws[at] * side + draws[at + 1]] += 1;
  }
  double stat = 0, pooled_obs = 0, pooled_exp = 0;
  int cells = 0;
  for (std::int64_t c0 = 0; c0 <= n; ++c0) {
    for (std::int64_t c1 = 0; c0 + c1 <= n; ++c1) {
      const std::int64_t c2 = n - c0 - c1;
      const auto lgamma1 = [](std::int64_t x) { return std::lgamma(static_cast<double>(x) + 1); };
      double log_pmf = lgamma1(n) - lgamma1(c0) - lgamma1(c1) - lgamma1(c2);
      const std::int64_t c[3] = {c0, c1, c2};
      for (int k = 0; k < 3; ++k) {
        if (c[k] > 0) log_pmf += static_cast<double>(c[k]) * std::log(w[k] / total);
      }
      const double expected = reps * std::exp(log_pmf);
      const double obs = observed[c0 * side + c1];
      if (expected < 5) {
        pooled_obs += obs;
        pooled_exp += expected;
        continue;
      }
      stat += (obs - expected) * (obs - expected) / expected;
      ++cells;
    }
  }
  if (pooled_exp > 0) {
    stat += (pooled_obs - pooled_exp) * (pooled_obs - pooled_exp) / pooled_exp;
    ++cells;
  }
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared(cells - 1), stat));
}

// Each path of Multinomial against the exact joint pmf: few categorical trials (from the
// engine), categorical trials from the lanes (n <= 64), one BINV binomial then categorical
// draws for the few trials left, and a BTRD binomial then categorical draws (or a second
// binomial when more than 64 trials are left); with the portable trial code and with AVX2.
TEST(LcmcrRandomTest, MultinomialMatchesExactPmf) {
  struct Case {
    std::int64_t n;
    std::vector<double> w;
  };
  for (const bool portable : {false, true}) {
    for (const Case& c :
         {Case{3, {0.6, 0.3, 0.1}}, Case{5, {0.6, 0.3, 0.1}}, Case{40, {0.2, 0.5, 0.3}},
          Case{80, {0.9, 0.06, 0.04}}, Case{200, {0.7, 0.2, 0.1}}, Case{300, {0.05, 0.9, 0.05}}}) {
      EXPECT_GT(MultinomialChiSquarePValue(23, c.n, c.w, c.w, 40000, portable), 1e-4)
          << "n " << c.n << " portable " << portable;
    }
  }
  // The check has power: slightly wrong weights are rejected.
  EXPECT_LT(MultinomialChiSquarePValue(23, 80, {0.89, 0.07, 0.04}, {0.9, 0.06, 0.04}, 40000), 1e-6);
  EXPECT_LT(MultinomialChiSquarePValue(23, 40, {0.22, 0.5, 0.28}, {0.2, 0.5, 0.3}, 40000), 1e-6);
}

// ---- summaries and diagnostics ----------------------------------------------------------

TEST(LcmcrSummaryTest, TypeSevenQuantiles) {
  std::vector<double> x = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
  auto s = SummarizeDraws(x);
  ASSERT_TRUE(s.ok());
  EXPECT_DOUBLE_EQ(s->median, 5.5);
  EXPECT_DOUBLE_EQ(s->mean, 5.5);
  EXPECT_DOUBLE_EQ(s->lower, 1.225);
  EXPECT_DOUBLE_EQ(s->upper, 9.775);
  auto s80 = SummarizeDraws(x, 0.8);
  ASSERT_TRUE(s80.ok());
  EXPECT_DOUBLE_EQ(s80->lower, 1.9);
  EXPECT_DOUBLE_EQ(s80->upper, 9.1);
  EXPECT_EQ(SummarizeDraws({}).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(SummarizeDraws(x, 1.0).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(SummarizeDraws({1.0, NAN}).status().code(), ErrorCode::kInvalidInput);
}

TEST(LcmcrSummaryTest, SumStrataDraws) {
  auto total = SumStrataDraws({{1, 2, 3}, {10, 20, 30}, {100, 200, 300}});
  ASSERT_TRUE(total.ok());
  EXPECT_EQ(*total, (std::vector<double>{111, 222, 333}));
  EXPECT_EQ(SumStrataDraws({{1, 2}, {1}}).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(SumStrataDraws({}).status().code(), ErrorCode::kInvalidInput);
}

TEST(LcmcrSummaryTest, EffectiveSampleSize) {
  // Independent draws: ESS ≈ n. AR(1) with φ = 0.9: ESS ≈ n (1 − φ)/(1 + φ) = n/19.
  auto g = lcmcr_internal::GammaDraws(5, 50.0, 20000);
  EXPECT_NEAR(EffectiveSampleSize(g) / 20000, 1.0, 0.1);
  std::vector<double> ar(g.size());
  double prev = 0;
  for (std::size_t i = 0; i < g.size(); ++i) {
    prev = 0.9 * prev + (g[i] - 50.0);
    ar[i] = prev;
  }
  EXPECT_NEAR(EffectiveSampleSize(ar) / (20000.0 / 19), 1.0, 0.25);
  EXPECT_EQ(EffectiveSampleSize(std::vector<double>(10, 3.0)), 10);
  EXPECT_EQ(EffectiveSampleSize({}), 0);
}

// ---- the sampler ------------------------------------------------------------------------

CaptureHistories SpinaBifida() {
  CaptureHistories h;
  h.lists = {"L1", "L2", "L3"};
  h.counts = {0, 60, 49, 4, 247, 112, 142, 12};
  return h;
}

TEST(LcmcrTest, RejectsBadInput) {
  LcmcrOptions o;
  o.burnin = 10;
  o.samples = 10;
  o.thin = 1;
  CaptureHistories one;
  one.lists = {"a"};
  one.counts = {0, 5};
  EXPECT_EQ(EstimateLcmcr(one, o).status().code(), ErrorCode::kInvalidInput);
  CaptureHistories many;
  many.lists.assign(16, "x");
  many.counts.assign(std::size_t{1} << 16, 1.0);
  many.counts[0] = 0;
  EXPECT_EQ(EstimateLcmcr(many, o).status().code(), ErrorCode::kInvalidInput);

  CaptureHistories h = SpinaBifida();
  h.counts.pop_back();
  EXPECT_EQ(EstimateLcmcr(h, o).status().code(), ErrorCode::kInvalidInput);
  h = SpinaBifida();
  h.counts[2] = -3;
  EXPECT_EQ(EstimateLcmcr(h, o).status().code(), ErrorCode::kInvalidInput);
  h.counts[2] = 0.5;
  EXPECT_EQ(EstimateLcmcr(h, o).status().code(), ErrorCode::kInvalidInput);
  h = SpinaBifida();
  h.counts[0] = 1;
  auto r = EstimateLcmcr(h, o);
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(r.status().location().field, "counts");
  h.counts.assign(8, 0.0);
  EXPECT_EQ(EstimateLcmcr(h, o).status().code(), ErrorCode::kInvalidInput);

  auto bad = [&](auto mutate, const char* field) {
    LcmcrOptions b = o;
    mutate(b);
    auto res = EstimateLcmcr(SpinaBifida(), b);
    EXPECT_EQ(res.status().code(), ErrorCode::kInvalidInput) << field;
    EXPECT_EQ(res.status().location().field, field);
  };
  bad([](LcmcrOptions& b) { b.K = 1; }, "K");
  bad([](LcmcrOptions& b) { b.a_alpha = 0; }, "a_alpha");
  bad([](LcmcrOptions& b) { b.b_alpha = -1; }, "b_alpha");
  bad([](LcmcrOptions& b) { b.burnin = -1; }, "burnin");
  bad([](LcmcrOptions& b) { b.samples = 0; }, "samples");
  bad([](LcmcrOptions& b) { b.thin = 0; }, "thin");
  bad([](LcmcrOptions& b) { b.min_effective_samples = -1; }, "min_effective_samples");
}

TEST(LcmcrTest, ReproducibleForASeed) {
  LcmcrOptions o;
  o.burnin = 200;
  o.samples = 100;
  o.thin = 5;
  o.seed = 123;
  auto a = EstimateLcmcr(SpinaBifida(), o);
  auto b = EstimateLcmcr(SpinaBifida(), o);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->draws_N, b->draws_N);
  o.seed = 124;
  auto c = EstimateLcmcr(SpinaBifida(), o);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->draws_N, c->draws_N);
  EXPECT_EQ(a->draws_N.size(), 100u);
  EXPECT_EQ(a->diagnostics.sweeps, 500 + 200 + 100 * 5);
  for (double n : a->draws_N) EXPECT_GE(n, 626);
}

// Independent lists with homogeneous capture: the posterior must sit around the truth.
TEST(LcmcrTest, RecoversSizeOfIndependentLists) {
  const double N = 5000;
  const double p[3] = {0.3, 0.4, 0.5};
  CaptureHistories h;
  h.lists = {"a", "b", "c"};
  h.counts.assign(8, 0.0);
  for (unsigned w = 1; w < 8; ++w) {
    double prob = 1;
    for (int j = 0; j < 3; ++j) prob *= (w >> j & 1u) ? p[j] : 1 - p[j];
    h.counts[w] = std::round(N * prob);
  }
  LcmcrOptions o;
  o.burnin = 2000;
  o.samples = 500;
  o.thin = 20;
  auto r = EstimateLcmcr(h, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NEAR(r->summary.median, N, 0.03 * N);
  EXPECT_LT(r->summary.lower, N);
  EXPECT_GT(r->summary.upper, N);
  EXPECT_LT(r->summary.lower, r->summary.median);
  EXPECT_GT(r->diagnostics.effective_sample_size, 20);
  EXPECT_LE(r->diagnostics.effective_sample_size, 1000);
  EXPECT_EQ(r->diagnostics.n0_truncations, 0);
  EXPECT_GE(r->diagnostics.mean_occupied_classes, 1);
  EXPECT_GT(r->diagnostics.alpha_mean, 0);
}

// Lists that never overlap say nothing about the unobserved: n₀ runs into the package's cap
// of 20·n, and the truncation is counted rather than hidden.
TEST(LcmcrTest, NoOverlapHitsTheCapVisibly) {
  CaptureHistories h;
  h.lists = {"a", "b", "c"};
  h.counts = {0, 40, 30, 0, 50, 0, 0, 0};
  LcmcrOptions o;
  o.burnin = 300;
  o.samples = 100;
  o.thin = 2;
  auto r = EstimateLcmcr(h, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GT(r->diagnostics.n0_truncations, 0);
  for (double n : r->draws_N) EXPECT_LE(n, 120 + 20 * 120);
  // Without the cap the sampler still terminates (each draw is clamped after 1000 tries).
  o.max_n0_factor = 0;
  o.burnin = 20;
  o.samples = 10;
  auto u = EstimateLcmcr(h, o);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
}

// A chain whose draws are too correlated for min_effective_samples goes on with a longer
// thinning interval and keeps the same number of draws; a target above half of the draws is
// not pursued, and 0 never extends.
TEST(LcmcrTest, ExtendsAChainWithTooFewEffectiveSamples) {
  // The Italian diabetes lists (CARE1), embedded: clinic, hospital, prescription, strips.
  CaptureHistories h;
  h.lists = {"clinic", "hospital", "prescription", "strips"};
  h.counts = {0, 709, 74, 104, 182, 650, 20, 157, 10, 12, 7, 18, 8, 46, 14, 58};
  LcmcrOptions o;
  o.burnin = 1000;
  o.samples = 400;
  o.thin = 1;  // consecutive sweeps: strongly autocorrelated on these data
  o.min_effective_samples = 150;
  auto r = EstimateLcmcr(h, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->diagnostics.extended);
  EXPECT_GT(r->diagnostics.thin, 1);
  EXPECT_LE(r->diagnostics.thin, 16);
  EXPECT_EQ(r->draws_N.size(), 400u);
  EXPECT_EQ(r->diagnostics.sweeps, o.warmup + o.burnin + 400 + 400 * r->diagnostics.thin);

  o.min_effective_samples = 0;
  auto never = EstimateLcmcr(h, o);
  ASSERT_TRUE(never.ok());
  EXPECT_FALSE(never->diagnostics.extended);
  EXPECT_EQ(never->diagnostics.thin, 1);
  EXPECT_EQ(never->diagnostics.sweeps, o.warmup + o.burnin + 400);
  const double first_ess = never->diagnostics.effective_sample_size;  // the same first draws
  EXPECT_LT(first_ess, 150);
  EXPECT_EQ(r->diagnostics.thin, 16);  // ⌈3.2 · 150 / ESS⌉ is more: the cap

  // The extension aims at 3.2 times the target: thin ⌈3.2 · target / ESS⌉ below the cap.
  o.min_effective_samples = std::ceil(2 * first_ess);
  ASSERT_LE(o.min_effective_samples, 200);
  auto aimed = EstimateLcmcr(h, o);
  ASSERT_TRUE(aimed.ok());
  EXPECT_TRUE(aimed->diagnostics.extended);
  const double factor = std::ceil(3.2 * o.min_effective_samples / first_ess);
  ASSERT_LT(factor, 16);
  EXPECT_EQ(aimed->diagnostics.thin, static_cast<std::int64_t>(factor));

  o.min_effective_samples = 201;  // more than half of 400 draws: not pursued
  auto too_high = EstimateLcmcr(h, o);
  ASSERT_TRUE(too_high.ok());
  EXPECT_FALSE(too_high->diagnostics.extended);
}

// The sampler forms class weights in linear space while that is safe and in log space
// otherwise; on real states, including extreme ones, both forms agree up to rounding.
TEST(LcmcrTest, LinearAndLogSpaceWeightsAgree) {
  LcmcrOptions o;
  CaptureHistories diabetes;
  diabetes.lists = {"clinic", "hospital", "prescription", "strips"};
  diabetes.counts = {0, 709, 74, 104, 182, 650, 20, 157, 10, 12, 7, 18, 8, 46, 14, 58};
  EXPECT_LT(lcmcr_internal::PathDiscrepancy(diabetes, o, 300), 1e-9);
  // A concentration α near 0: the empty classes' sticks are drawn in log space, where their
  // weights underflow in linear space.
  LcmcrOptions tiny_alpha = o;
  tiny_alpha.a_alpha = 0.01;
  tiny_alpha.b_alpha = 1e6;
  EXPECT_LT(lcmcr_internal::PathDiscrepancy(diabetes, tiny_alpha, 300), 1e-9);
  // Fifteen lists that nearly everyone is on: 1 − λ near 1e-7, so p₀ is far below 1e-100
  // and Prepare works in logs, while step 1 multiplies odds near 1e7.
  CaptureHistories all;
  all.lists.assign(15, "l");
  all.counts.assign(std::size_t{1} << 15, 0.0);
  all.counts[0x7fff] = 1e7;
  all.counts[0x0001] = 5;
  EXPECT_LT(lcmcr_internal::PathDiscrepancy(all, o, 50), 1e-9);
}

// Up to 15 lists run, on aggregated patterns.
TEST(LcmcrTest, FifteenLists) {
  CaptureHistories h;
  h.lists.assign(15, "l");
  h.counts.assign(std::size_t{1} << 15, 0.0);
  for (unsigned w = 1; w < h.counts.size(); w = w * 3 + 1) h.counts[w & 0x7fffu] += 3;
  h.counts[0] = 0;
  LcmcrOptions o;
  o.burnin = 50;
  o.samples = 20;
  o.thin = 2;
  auto r = EstimateLcmcr(h, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->draws_N.size(), 20u);
  EXPECT_GE(r->summary.lower, h.Observed());
}

// ---- validation against the LCMCR package -----------------------------------------------

CaptureHistories ReadLists(const std::string& file) {
  auto h = ReadCaptureHistoriesCsv(kMseDir + file);
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? h->front() : CaptureHistories{};
}

// The two reference chains of the LCMCR package (seeds 7 and 8), pooled.
std::vector<double> ReferenceDraws(const std::string& dataset) {
  std::vector<double> out;
  for (int seed : {7, 8}) {
    std::string path = kMseDir;
    path += "reference/lcmcr_" + dataset;
    path += "_K10_seed" + std::to_string(seed) + "_burnin1e5_thin1000_draws.csv";
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      if (!line.empty()) out.push_back(std::stod(line));
    }
  }
  return out;
}

using ReferenceCase = reference::Dataset;
constexpr const auto& kCases = reference::kDatasets;

// Median within 2% and the 2.5% and 97.5% quantiles within 5% of the package's.
void CompareWithPackage(const ReferenceCase& c, const LcmcrOptions& o) {
  auto ref_draws = ReferenceDraws(c.name);
  ASSERT_EQ(ref_draws.size(), 2000u) << c.name;
  auto ref = SummarizeDraws(ref_draws);
  ASSERT_TRUE(ref.ok());
  auto r = EstimateLcmcr(ReadLists(c.file), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NEAR(r->summary.median / ref->median, 1.0, 0.02) << c.name;
  EXPECT_NEAR(r->summary.lower / ref->lower, 1.0, 0.05) << c.name;
  EXPECT_NEAR(r->summary.upper / ref->upper, 1.0, 0.05) << c.name;
  std::printf("%-13s median %8.1f (ref %8.1f)  q025 %8.1f (%8.1f)  q975 %8.1f (%8.1f)  ESS %.0f\n",
              c.name, r->summary.median, ref->median, r->summary.lower, ref->lower,
              r->summary.upper, ref->upper, r->diagnostics.effective_sample_size);
}

class LcmcrReferenceTest : public ::testing::Test {
 protected:
  void SetUp() override {}
};

// Fast tier: two datasets with light tails (3 and 5 lists) at a length that keeps Debug
// builds within seconds.
TEST_F(LcmcrReferenceTest, SpinaBifidaShortRun) {
  // Spina bifida mixes slowly (an autocorrelation time of a few hundred sweeps): 20,000
  // sweeps at thin 10 leave an ESS near 30, and one seed in ten then misses the 97.5%
  // quantile by more than 5%. At thin 100 none of 40 seeds did.
  LcmcrOptions o;
  o.burnin = 20000;
  o.samples = 2000;
  o.thin = 100;
  o.seed = 2024;
  CompareWithPackage(kCases[1], o);
}

TEST_F(LcmcrReferenceTest, CongenitalShortRun) {
  LcmcrOptions o;
  o.burnin = 3000;
  o.samples = 1500;
  o.thin = 10;
  o.seed = 77;
  CompareWithPackage(kCases[5], o);
}

// Slow tier (`ctest --preset slow`, which sets MEMORIA_SLOW_TESTS=1; tests named SlowTier* are
// left out of the default presets' test discovery): every dataset, at the package's own burn-in
// and a chain of 10^6 sweeps.
TEST_F(LcmcrReferenceTest, SlowTierAllDatasetsLongRun) {
  if (std::getenv("MEMORIA_SLOW_TESTS") == nullptr) {
    GTEST_SKIP() << "slow validation: ctest --preset slow (or MEMORIA_SLOW_TESTS=1)";
  }
  for (const ReferenceCase& c : kCases) {
    LcmcrOptions o;
    o.burnin = 100000;
    o.samples = 5000;
    o.thin = 200;
    o.seed = 31;
    CompareWithPackage(c, o);
  }
}

// Slow tier: two seeds at the default settings agree on the median within 2%.
TEST_F(LcmcrReferenceTest, SlowTierDefaultSettingsTwoSeedsAgree) {
  if (std::getenv("MEMORIA_SLOW_TESTS") == nullptr) {
    GTEST_SKIP() << "slow validation: ctest --preset slow (or MEMORIA_SLOW_TESTS=1)";
  }
  for (const ReferenceCase& c : kCases) {
    LcmcrOptions a;
    a.seed = 1;
    LcmcrOptions b;
    b.seed = 2;
    auto ra = EstimateLcmcr(ReadLists(c.file), a);
    auto rb = EstimateLcmcr(ReadLists(c.file), b);
    ASSERT_TRUE(ra.ok() && rb.ok());
    EXPECT_NEAR(ra->summary.median / rb->summary.median, 1.0, 0.02) << c.name;
  }
}

}  // namespace
}  // namespace memoria::estimate
