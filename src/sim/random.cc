#include "sim/random.h"

#include <cmath>
#include <limits>

namespace memoria::sim {
namespace {

std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(std::uint64_t seed) {
  std::uint64_t sm = seed;
  for (auto& word : s_) word = SplitMix64Next(sm);
}

Rng Rng::ForStream(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
  // Hash the triple into one 64-bit seed; SplitMix64's finaliser mixes every input bit.
  std::uint64_t h = seed;
  std::uint64_t x = SplitMix64Next(h) ^ a;
  std::uint64_t y = SplitMix64Next(x) ^ b;
  return Rng(SplitMix64Next(y));
}

std::uint64_t Rng::Next() {
  const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

double Rng::Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

std::int64_t Rng::UniformInt(std::int64_t lo, std::int64_t hi) {
  const std::uint64_t range = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (range == std::numeric_limits<std::uint64_t>::max()) return static_cast<std::int64_t>(Next());
  const std::uint64_t n = range + 1;
  // Reject the top partial block so every residue is equally likely.
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
  std::uint64_t x;
  do {
    x = Next();
  } while (x >= limit);
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + x % n);
}

bool Rng::Bernoulli(double p) {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return Uniform() < p;
}

double Rng::Normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u, v, s;
  do {
    u = 2 * Uniform() - 1;
    v = 2 * Uniform() - 1;
    s = u * u + v * v;
  } while (s >= 1 || s == 0);
  const double f = std::sqrt(-2 * std::log(s) / s);
  spare_ = v * f;
  has_spare_ = true;
  return u * f;
}

std::size_t Rng::Categorical(std::span<const double> cumulative) {
  const double x = Uniform() * cumulative.back();
  // Linear scan: the lists here are short (a dozen provinces, ~80 surnames, front-loaded).
  for (std::size_t i = 0; i < cumulative.size(); ++i) {
    if (x < cumulative[i]) return i;
  }
  return cumulative.size() - 1;
}

void CumulativeInPlace(std::span<double> weights) {
  double sum = 0;
  for (double& w : weights) {
    sum += w;
    w = sum;
  }
}

double Logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double Logit(double p) { return std::log(p / (1.0 - p)); }

}  // namespace memoria::sim
