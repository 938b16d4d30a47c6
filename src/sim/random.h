// Reproducible random numbers for the simulator.
//
// The same seed must give byte-identical output on every platform and standard library, so
// nothing here uses <random>'s distributions (their algorithms are implementation-defined).
// The generator is xoshiro256** 1.0 (Blackman & Vigna, https://prng.di.unimi.it/), seeded by
// SplitMix64 as its authors recommend; every conversion to a distribution is written out here.
//
// Streams: Rng::ForStream(seed, a, b) gives an independent-looking generator for the pair
// (a, b), e.g. (person index, source index), so that what is drawn for one person or source
// does not depend on the draws made for any other.
//
// Not cryptographic. Not thread-safe (one Rng per thread).
#pragma once

#include <cstdint>
#include <span>

#include "core/random.h"

namespace memoria::sim {

class Rng {
 public:
  // Seeds the four state words from SplitMix64(seed).
  explicit Rng(std::uint64_t seed);
  // A generator for stream (a, b) under `seed`.
  static Rng ForStream(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0);

  // The next 64 random bits.
  std::uint64_t Next();
  // Uniform on [0, 1), 53 bits.
  double Uniform();
  // Uniform integer on [lo, hi] (inclusive); lo <= hi. Uses rejection, so it is unbiased.
  std::int64_t UniformInt(std::int64_t lo, std::int64_t hi);
  // True with probability p (p <= 0 never, p >= 1 always).
  bool Bernoulli(double p);
  // Standard normal (Marsaglia polar method; the spare value is kept for the next call).
  double Normal();
  // An index drawn with probability proportional to `weights` (non-negative, not all zero).
  std::size_t Categorical(std::span<const double> cumulative);

 private:
  std::uint64_t s_[4];
  bool has_spare_ = false;
  double spare_ = 0;
};

// Cumulative sums of `weights`, for Rng::Categorical (which draws against the last entry).
void CumulativeInPlace(std::span<double> weights);

// The logistic function 1 / (1 + exp(-x)) and its inverse log(p / (1 - p)).
double Logistic(double x);
double Logit(double p);

}  // namespace memoria::sim
