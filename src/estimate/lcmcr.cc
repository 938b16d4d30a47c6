#include "estimate/lcmcr.h"

#include <algorithm>
#include <array>
#include <bit>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/random.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define MEMORIA_LCMCR_AVX2 1
#endif

namespace memoria::estimate {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();
// The largest factor by which a run extended for min_effective_samples multiplies `thin`.
constexpr double kMaxThinFactor = 16;
// The effective sample size an extended run aims at, as a multiple of min_effective_samples.
// A chain that falls short mixes slowly, and there Geyer's ESS overstates the precision of the
// median: on the Italian diabetes lists, aiming at 1.2 times the default 1,500 left eight
// seeds' medians 2.5% apart (ESS 1,300–2,800); aiming at 3.2 times, 0.8% (ESS 3,200–5,100).
constexpr double kExtendedEssAim = 3.2;
// While every odds λ/(1 − λ) lies in [kOddsMin, kOddsMax], a class weight of step 1 (at most
// 15 odds times a factor in [0, 1], the largest factor 1) stays within [1e-195, 1e195]: finite,
// and the largest above 1e-200, so no cell needs checking.
constexpr double kOddsMin = 1e-13;
constexpr double kOddsMax = 1e13;
bool OddsInRange(double odds) { return odds >= kOddsMin && odds <= kOddsMax; }

// Two doubles or two 64-bit integers per instruction (GCC/Clang vector extensions; -O2 leaves
// short loops of unknown length scalar).
using V2d = double __attribute__((vector_size(16)));
using V2l = long long __attribute__((vector_size(16)));
// Σ x[k] for k < K, in two vector accumulators (a shorter dependency chain than one sum).
double Sum(const double* x, int K) {
  V2d a = {0, 0}, b = {0, 0};
  int k = 0;
  for (; k + 4 <= K; k += 4) {
    V2d xa, xb;
    std::memcpy(&xa, x + k, sizeof xa);
    std::memcpy(&xb, x + k + 2, sizeof xb);
    a += xa;
    b += xb;
  }
  a += b;
  double s = a[0] + a[1];
  for (; k < K; ++k) s += x[k];
  return s;
}
// y[k] *= x[k] for k < K. Always inlined: it runs a few times per pattern and sweep, on rows
// of ~10 classes, where a call costs as much.
[[gnu::always_inline]] inline void MultiplyInto(double* y, const double* x, int K) {
  int k = 0;
  for (; k + 2 <= K; k += 2) {
    V2d a, b;
    std::memcpy(&a, y + k, sizeof a);
    std::memcpy(&b, x + k, sizeof b);
    a *= b;
    std::memcpy(y + k, &a, sizeof a);
  }
  if (k < K) y[k] *= x[k];
}

// xoshiro256++ (Blackman & Vigna 2019), seeded from splitmix64. A UniformRandomBitGenerator.
class Xoshiro256pp {
 public:
  using result_type = std::uint64_t;
  explicit Xoshiro256pp(SplitMix64& seeds) {
    for (auto& s : s_) s = seeds();
  }
  explicit Xoshiro256pp(const std::array<std::uint64_t, 4>& state) {
    for (int i = 0; i < 4; ++i) s_[i] = state[i];
  }
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() { return Next(s_[0], s_[1], s_[2], s_[3]); }
  // The output of the state (s0, s1, s2, s3), which it advances by one step.
  static std::uint64_t Next(std::uint64_t& s0, std::uint64_t& s1, std::uint64_t& s2,
                            std::uint64_t& s3) {
    const std::uint64_t result = std::rotl(s0 + s3, 23) + s0;
    const std::uint64_t t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = std::rotl(s3, 45);
    return result;
  }

 private:
  std::uint64_t s_[4];
};

// The per-person trials of Random::Categorical: four xoshiro256++ engines (lanes) stepped
// together. A step yields the four lanes' next outputs, eight 32-bit trials in the order
// (lane 0's low half, its high half, lane 1's low half, …). With AVX2 a step is a dozen vector
// instructions for eight trials, where one engine gives two per step; the portable code steps
// the lanes one after the other. Both produce the same trials, so a chain is the same on every
// machine.
constexpr int kTrialsPerStep = 8;
// n trials rounded up to whole steps: the uniforms a fill writes, padding included.
constexpr int PaddedTrials(int n) {
  return (n + kTrialsPerStep - 1) / kTrialsPerStep * kTrialsPerStep;
}
// The uniform of a trial's 32 bits b, (b + 0.5)·scale: increasing in b, so the largest bits
// give the largest uniform.
inline double TrialUniform(std::uint64_t b, double scale) {
  return (static_cast<double>(b) + 0.5) * scale;
}
struct TrialLanes {
  alignas(32) std::uint64_t s[4][4];  // s[word][lane]: each lane's xoshiro256++ state
};

// Each fill writes u[0, 8⌈n/8⌉) for the lanes' next n trials b: (b + 0.5)·scale for the
// first n, −1 after (padding below every cumulative weight, never counted). Returns the
// largest of the n.
double FillTrialsPortable(TrialLanes& lanes, int n, double scale, double* u) {
  const int steps = PaddedTrials(n) / kTrialsPerStep, full = n / kTrialsPerStep;
  std::uint64_t top = 0;  // the largest bits of the n trials
  // Lane by lane, its state in registers: its two trials of each step go to u[8·step + 2l].
  double* lane_out = u;
  for (int l = 0; l < 4; ++l, lane_out += 2) {
    std::uint64_t s0 = lanes.s[0][l], s1 = lanes.s[1][l], s2 = lanes.s[2][l], s3 = lanes.s[3][l];
    double* out = lane_out;
    for (int step = 0; step < full; ++step, out += kTrialsPerStep) {
      const std::uint64_t b = Xoshiro256pp::Next(s0, s1, s2, s3);
      const std::uint64_t lo = b & 0xffffffffu, hi = b >> 32;
      out[0] = TrialUniform(lo, scale);
      out[1] = TrialUniform(hi, scale);
      top = std::max(top, std::max(lo, hi));
    }
    if (full < steps) {  // the last, partial step: only its first n mod 8 trials are drawn
      const std::uint64_t b = Xoshiro256pp::Next(s0, s1, s2, s3);
      const std::uint64_t lo = b & 0xffffffffu, hi = b >> 32;
      out[0] = TrialUniform(lo, scale);
      out[1] = TrialUniform(hi, scale);
      const int t = kTrialsPerStep * full + 2 * l;
      if (t < n) top = std::max(top, lo);
      if (t + 1 < n) top = std::max(top, hi);
    }
    lanes.s[0][l] = s0;
    lanes.s[1][l] = s1;
    lanes.s[2][l] = s2;
    lanes.s[3][l] = s3;
  }
  for (int t = n; t < PaddedTrials(n); ++t) u[t] = -1.0;
  return TrialUniform(top, scale);
}

// #{t < padded : u[t] >= c}, `padded` a multiple of 4; two doubles per compare (GCC/Clang
// vector extension; a true lane compares as −1).
std::int64_t CountAtLeast(const double* u, int padded, double c) {
  const V2d cc = {c, c};
  V2l acc0 = {0, 0}, acc1 = {0, 0};
  for (int t = 0; t < padded; t += 4) {
    V2d u0, u1;
    std::memcpy(&u0, u + t, sizeof u0);
    std::memcpy(&u1, u + t + 2, sizeof u1);
    acc0 += u0 >= cc;
    acc1 += u1 >= cc;
  }
  const V2l acc = acc0 + acc1;
  return -(acc[0] + acc[1]);
}

// Categorical's counting, class by class along `order` (see there), from the uniforms
// u[0, padded) of n trials (the padding −1); `count` is CountAtLeast or its AVX2 form. Returns the
// position along `order` of the last class that can have been drawn.
template <typename Count>
[[gnu::always_inline]] inline int CountClasses(const double* u, int padded, std::int64_t n,
                                               double umax, const double* w, const int* order,
                                               int last, std::int64_t* out, Count count) {
  std::int64_t beyond_prev = n;
  double c = 0;
  int idx = 0;
  for (; idx < last; ++idx) {
    c += w[order[idx]];
    if (c > umax) break;
    const std::int64_t beyond = count(u, padded, c);
    out[order[idx]] += beyond_prev - beyond;
    beyond_prev = beyond;
  }
  // The class where the cumulative weight passed the largest uniform gets the trials left
  // (or the last class, of positive weight, which also takes a u rounded up to the total).
  out[order[idx]] += beyond_prev;
  return idx;
}

int CountClassesPortable(const double* u, int padded, std::int64_t n, double umax, const double* w,
                         const int* order, int last, std::int64_t* out) {
  return CountClasses(u, padded, n, umax, w, order, last, out, CountAtLeast);
}

// The code of the trials: portable, or with AVX2 (see FastestTrialCode).
struct TrialCode {
  double (*fill)(TrialLanes& lanes, int n, double scale, double* u);
  int (*count)(const double* u, int padded, std::int64_t n, double umax, const double* w,
               const int* order, int last, std::int64_t* out);
};
constexpr TrialCode kPortableTrialCode = {FillTrialsPortable, CountClassesPortable};

#ifdef MEMORIA_LCMCR_AVX2

// FillTrialsPortable with the four lanes in the four 64-bit elements of AVX2 registers. The
// 32-bit halves are converted as signed integers (b − 2^31, exact) and shifted back by
// 2^31 + 0.5 (exact: below 2^33 with one fractional bit), so every uniform equals the
// portable one bit for bit.
[[gnu::target("avx2")]] double FillTrialsAvx2(TrialLanes& lanes, int n, double scale, double* u) {
  const int steps = PaddedTrials(n) / kTrialsPerStep, full = n / kTrialsPerStep;
  auto* words = reinterpret_cast<__m256i*>(lanes.s);
  __m256i s0 = _mm256_load_si256(words), s1 = _mm256_load_si256(words + 1);
  __m256i s2 = _mm256_load_si256(words + 2), s3 = _mm256_load_si256(words + 3);
  const __m256i flip = _mm256_set1_epi32(static_cast<int>(0x80000000u));
  const __m256d shift = _mm256_set1_pd(2147483648.5);
  const __m256d sc = _mm256_set1_pd(scale);
  __m256d top = _mm256_set1_pd(-1.0);
  for (int step = 0; step < steps; ++step) {
    const __m256i sum = _mm256_add_epi64(s0, s3);  // rotl(s0 + s3, 23) + s0
    const __m256i b = _mm256_add_epi64(
        _mm256_or_si256(_mm256_slli_epi64(sum, 23), _mm256_srli_epi64(sum, 41)), s0);
    const __m256i t = _mm256_slli_epi64(s1, 17);
    s2 = _mm256_xor_si256(s2, s0);
    s3 = _mm256_xor_si256(s3, s1);
    s1 = _mm256_xor_si256(s1, s2);
    s0 = _mm256_xor_si256(s0, s3);
    s2 = _mm256_xor_si256(s2, t);
    s3 = _mm256_or_si256(_mm256_slli_epi64(s3, 45), _mm256_srli_epi64(s3, 19));
    const __m256i bs = _mm256_xor_si256(b, flip);
    const __m256d lo =
        _mm256_mul_pd(_mm256_add_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(bs)), shift), sc);
    const __m256d hi = _mm256_mul_pd(
        _mm256_add_pd(_mm256_cvtepi32_pd(_mm256_extracti128_si256(bs, 1)), shift), sc);
    double* out = u + std::ptrdiff_t{kTrialsPerStep} * step;
    _mm256_storeu_pd(out, lo);
    _mm256_storeu_pd(out + 4, hi);
    if (step < full) top = _mm256_max_pd(top, _mm256_max_pd(lo, hi));
  }
  _mm256_store_si256(words, s0);
  _mm256_store_si256(words + 1, s1);
  _mm256_store_si256(words + 2, s2);
  _mm256_store_si256(words + 3, s3);
  const __m128d top2 = _mm_max_pd(_mm256_castpd256_pd128(top), _mm256_extractf128_pd(top, 1));
  double umax = std::max(_mm_cvtsd_f64(top2), _mm_cvtsd_f64(_mm_unpackhi_pd(top2, top2)));
  // The last, partial step: only its first n mod 8 trials are drawn.
  for (int t = kTrialsPerStep * full; t < n; ++t) umax = std::max(umax, u[t]);
  for (int t = n; t < PaddedTrials(n); ++t) u[t] = -1.0;
  return umax;
}

[[gnu::target("avx2")]] inline std::int64_t CountAtLeastAvx2(const double* u, int padded,
                                                             double c) {
  const __m256d cc = _mm256_set1_pd(c);
  __m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
  for (int t = 0; t < padded; t += 8) {
    const __m256d ge0 = _mm256_cmp_pd(_mm256_loadu_pd(u + t), cc, _CMP_GE_OQ);
    const __m256d ge1 = _mm256_cmp_pd(_mm256_loadu_pd(u + t + 4), cc, _CMP_GE_OQ);
    acc0 = _mm256_sub_epi64(acc0, _mm256_castpd_si256(ge0));
    acc1 = _mm256_sub_epi64(acc1, _mm256_castpd_si256(ge1));
  }
  const __m256i acc = _mm256_add_epi64(acc0, acc1);
  const __m128i acc2 = _mm_add_epi64(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
  return _mm_cvtsi128_si64(acc2) + _mm_extract_epi64(acc2, 1);
}

[[gnu::target("avx2")]] int CountClassesAvx2(const double* u, int padded, std::int64_t n,
                                             double umax, const double* w, const int* order,
                                             int last, std::int64_t* out) {
  return CountClasses(u, padded, n, umax, w, order, last, out, CountAtLeastAvx2);
}
#endif

// The AVX2 code where this CPU has it, else the portable code: the same trials either way.
TrialCode FastestTrialCode() {
#ifdef MEMORIA_LCMCR_AVX2
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) return {FillTrialsAvx2, CountClassesAvx2};
#endif
  return kPortableTrialCode;
}

// 1/x for x < kInverseTable (BINV's recurrence).
constexpr int kInverseTable = 64;
constexpr std::array<double, kInverseTable> MakeInverseTable() {
  std::array<double, kInverseTable> t{};
  for (int x = 1; x < kInverseTable; ++x) t[x] = 1.0 / x;
  return t;
}
constexpr std::array<double, kInverseTable> kInverse = MakeInverseTable();

// (log V, log(1 − V)) for V = e^l1 / (e^l1 + e^l2), by log-sum-exp: the Beta variate
// G_1/(G_1 + G_2) from the logs l1, l2 of two Gamma variates, without underflow.
std::pair<double, double> LogShares(double l1, double l2) {
  const double m = std::max(l1, l2);
  const double lse = m + std::log(std::exp(l1 - m) + std::exp(l2 - m));
  return {l1 - lse, l2 - lse};
}

// The random variates the sampler needs: from one engine, except the uniforms of the
// per-person trials (Categorical), which come from the trial lanes.
class Random {
 public:
  // The engine and then the trial lanes take their states from one splitmix64 sequence.
  explicit Random(std::uint64_t seed) : Random(SplitMix64(seed)) {}
  // For tests: the engine from a raw state; the lanes from splitmix64 seeded by its words.
  explicit Random(const std::array<std::uint64_t, 4>& state) : engine_(state) {
    SplitMix64 seeds(state[0] ^ state[1] ^ state[2] ^ state[3]);
    SeedLanes(seeds);
  }
  std::uint64_t Bits() { return engine_(); }
  // For tests: the trials take the portable code even where AVX2 is available.
  void UsePortableCode() { code_ = kPortableTrialCode; }

  // Uniform on the open interval (0, 1): 52 random bits, centred in their cell. Both U and
  // 1 − U are exact doubles in (0, 1), never 0 or 1.
  double Uniform() { return UnitFromBits(engine_() >> 12); }
  // The uniform for 52 random bits b: (b + 0.5)·2^−52, increasing in b.
  static double UnitFromBits(std::uint64_t b) { return (static_cast<double>(b) + 0.5) * 0x1.0p-52; }

  // Exponential(1) = Gamma(1, 1) by the ziggurat method (no logarithm on the fast path).
  double Exponential() { return exponential_(engine_); }

  // Gamma(shape a >= 1, scale 1) by Marsaglia & Tsang (2000).
  double GammaAtLeastOne(double a) {
    const double d = a - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    while (true) {
      double x, v;
      do {
        x = normal_(engine_);
        v = 1.0 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const double u = Uniform();
      const double x2 = x * x;
      if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
      if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return d * v;
    }
  }

  // log of a Gamma(a, 1) variate, a > 0. For a < 1 it uses G(a) = G(a+1)·U^(1/a) in log
  // space, so tiny shapes do not underflow to log 0.
  double LogGamma(double a) {
    if (a >= 1) return std::log(GammaAtLeastOne(a));
    const double g = GammaAtLeastOne(a + 1.0);
    return std::log(g) + std::log(Uniform()) / a;
  }

  double Gamma(double a) {
    if (a >= 1) return GammaAtLeastOne(a);
    return std::exp(LogGamma(a));
  }

  // Beta(a, b) as (log V, log(1−V)), without underflow for tiny shapes. Beta(1, b) and
  // Beta(a, 1) are inverted exactly (1 − V = U^(1/b), V = U^(1/a)); two shapes >= 1 use the
  // Gamma ratio directly; otherwise two log-Gamma variates combined with log-sum-exp.
  std::pair<double, double> LogBeta(double a, double b) {
    if (a == 1.0) {
      const double l1m = std::log(Uniform()) / b;
      return {std::log(-std::expm1(l1m)), l1m};
    }
    if (b == 1.0) {
      const double lv = std::log(Uniform()) / a;
      return {lv, std::log(-std::expm1(lv))};
    }
    if (a >= 1.0 && b >= 1.0) {
      const double g1 = GammaAtLeastOne(a), g2 = GammaAtLeastOne(b);
      const double inv = 1.0 / (g1 + g2);
      return {std::log(g1 * inv), std::log(g2 * inv)};
    }
    const double g1 = LogGamma(a), g2 = LogGamma(b);
    return LogShares(g1, g2);
  }

  // V ~ Beta(a, b) for a >= 1 > b > 0 (a stick with no occupied class after it: b = α),
  // drawn from the variates LogBeta would use, in the same order, with fewer logarithms:
  // 1 − V = U^(1/b) for a = 1, otherwise G_a / (G_a + G_b) with G_b = G_{b+1}·U^(1/b).
  // Returns {V, 1 − V} in linear space, both to full relative precision, unless U^(1/b) is
  // below e^kStickLogFloor; then returns {log V, log(1 − V)} of the same draw and sets
  // `in_logs`.
  static constexpr double kStickLogFloor = -600;
  std::pair<double, double> StickBelowOne(double a, double b, bool& in_logs) {
    if (a == 1.0) {
      const double t = std::log(Uniform()) / b;  // log(1 − V)
      if (t < kStickLogFloor) {
        in_logs = true;
        return {std::log(-std::expm1(t)), t};
      }
      if (t > -0.5) {  // V <= 0.4: from expm1; 1 − V >= 0.6 has no cancellation
        const double v = -std::expm1(t);
        return {v, 1.0 - v};
      }
      const double om = std::exp(t);  // 1 − V < 0.61, V > 0.39
      return {1.0 - om, om};
    }
    const double g1 = GammaAtLeastOne(a);
    const double g = GammaAtLeastOne(b + 1.0);
    const double t = std::log(Uniform()) / b;  // G_b = g·e^t
    if (t < kStickLogFloor) {
      in_logs = true;
      return LogShares(std::log(g1), std::log(g) + t);
    }
    const double g2 = g * std::exp(t);
    const double inv = 1.0 / (g1 + g2);
    return {g1 * inv, g2 * inv};
  }

  // V ~ Beta(a, b) for shapes a, b >= 1, in linear space and without logarithms: returns
  // the odds V/(1−V) and 1 − V, from two Gamma variates (shape 1 by the exponential
  // ziggurat) or, for Beta(1, 1), one uniform. Both results are finite and positive.
  std::pair<double, double> BetaOdds(double a, double b) {
    if (a == 1.0 && b == 1.0) {
      const double u = Uniform();
      const double om = 1.0 - u;  // exact
      return {u / om, om};
    }
    double g1 = a == 1.0 ? Exponential() : GammaAtLeastOne(a);
    double g2 = b == 1.0 ? Exponential() : GammaAtLeastOne(b);
    // A zero variate has probability ~0 but would make the odds 0 or infinite.
    g1 = std::max(g1, 1e-300);
    g2 = std::max(g2, 1e-300);
    return {g1 / g2, g2 / (g1 + g2)};
  }

  // Binomial(n, p). Small means use sequential inversion (BINV, Kachitvichyanukul &
  // Schmeiser 1988) on min(p, 1 − p), after the exact squeeze u < 1 − n·p <= (1 − p)^n,
  // which returns 0 without a transcendental function; larger means use Boost's BTRD.
  std::int64_t Binomial(std::int64_t n, double p) {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    const bool flip = p > 0.5;
    const double pp = flip ? 1.0 - p : p;
    const double nd = static_cast<double>(n);
    std::int64_t x = 0;
    if (nd * pp < 14.0) {
      double u = Uniform();
      if (!(u < 1.0 - nd * pp)) {
        const double q = 1.0 - pp;
        const double s = pp / q;
        const double a = (nd + 1.0) * s;
        double r = std::exp(nd * std::log1p(-pp));  // P(X = 0) >= e^-14·(1 − 1/n)… > 0
        while (u > r && x < n) {
          u -= r;
          ++x;
          // P(x)/P(x−1) = a/x − s; 1/x from a table (a multiplication instead of a division
          // on the loop's critical path).
          r *= (x < kInverseTable ? a * kInverse[x] : a / static_cast<double>(x)) - s;
          if (r <= 0) break;  // rounding in the far tail
        }
      }
    } else {
      boost::random::binomial_distribution<std::int64_t, double> d(n, pp);
      x = d(engine_);
    }
    return flip ? n - x : x;
  }

  std::int64_t Poisson(double mean) {
    if (!(mean > 0)) return 0;
    boost::random::poisson_distribution<std::int64_t, double> d(mean);
    return d(engine_);
  }

  // Multinomial(n, w / Σw) into out[0..K) (overwritten). Weights are non-negative with a
  // positive sum; a class of weight 0 is never drawn. `order` lists the K classes, ideally by
  // decreasing weight: any permutation is exact, a good one lets both methods below stop
  // after the few heavy classes. More than kCategoricalMax trials: conditional binomials
  // along `order`, C_i ~ Binomial(trials left, w_i / weight left), until at most
  // kCategoricalMax trials are left (typically after the first, dominant class); those are
  // drawn one by one among the classes left (Categorical), which is cheaper than a binomial
  // per class when few trials are spread over many small classes. Returns how many classes
  // along `order` may have been drawn: out[order[i]] is 0 for every i at or after it.
  static constexpr std::int64_t kCategoricalMax = 64;
  int Multinomial(std::int64_t n, const double* w, const int* order, int K, std::int64_t* out) {
    std::fill(out, out + K, 0);
    if (n <= 0) return 0;
    int last = K - 1;  // the last class of positive weight along `order`
    while (last > 0 && w[order[last]] <= 0) --last;
    double rest = Sum(w, K);  // the classes after `last` have weight 0
    std::int64_t left = n;
    int idx = 0;
    for (; idx < last && left > kCategoricalMax; ++idx) {
      const double wk = w[order[idx]];
      if (wk <= 0) continue;
      const double p = rest > wk ? wk / rest : 1.0;
      const std::int64_t c = Binomial(left, p);
      out[order[idx]] = c;
      left -= c;
      rest -= wk;
    }
    if (idx == last) {
      out[order[last]] += left;
      return last + 1;
    }
    if (left > 0) {
      // Without a binomial draw, the total is still the sum; otherwise it is summed again
      // (`rest` has lost the precision of the weights taken off).
      double total = rest;
      if (idx > 0) {
        total = 0;
        for (int i = idx; i <= last; ++i) total += w[order[i]];
      }
      return idx + 1 + Categorical(left, w, order + idx, last - idx, total, out);
    }
    return idx;
  }

 private:
  explicit Random(SplitMix64 seeds) : engine_(seeds) { SeedLanes(seeds); }
  void SeedLanes(SplitMix64& seeds) {
    for (int l = 0; l < 4; ++l) {
      for (auto& word : lanes_.s) word[l] = seeds();
    }
  }

  // `n` (1..kCategoricalMax) categorical draws among the classes order[0..last] (the last of
  // positive weight) with weights w, added to out. Counted class by class rather than trial by
  // trial: with c_i the cumulative weights along `order`, G_i = #{t : u_t >= c_i} trials fall
  // beyond the i-th class, which gets G_{i−1} − G_i (a class of weight 0 has c_i = c_{i−1}
  // and gets nothing). Each G_i is a register reduction over a buffer of uniforms, with no
  // store per trial. Once c_i exceeds the largest uniform, G_i = 0 and the classes after get
  // nothing. The uniforms have 32 random bits, (b + 0.5)·2^−32·total: the resolution of R's
  // own uniforms, and two per 64-bit engine output. They come from the trial lanes (eight a
  // step), or for at most kFewTrials trials from the engine, which then costs less than a
  // step. Returns the position along `order` of the last class that can have been drawn.
  static constexpr std::int64_t kFewTrials = 4;
  int Categorical(std::int64_t n, const double* w, const int* order, int last, double total,
                  std::int64_t* out) {
    double* u = uniforms_.data();
    const double scale = total * 0x1.0p-32;
    const int trials = static_cast<int>(n);
    if (n <= kFewTrials) {    // counted inline, in one pass of four per class
      std::uint64_t top = 0;  // the largest bits
      for (int t = 0; t < trials; t += 2) {
        const std::uint64_t b = engine_();
        const std::uint64_t lo = b & 0xffffffffu, hi = b >> 32;
        u[t] = TrialUniform(lo, scale);
        u[t + 1] = t + 1 < trials ? TrialUniform(hi, scale) : -1.0;
        top = std::max(top, t + 1 < trials ? std::max(lo, hi) : lo);
      }
      if (trials <= 2) u[2] = u[3] = -1.0;
      const double umax = TrialUniform(top, scale);
      return CountClasses(u, 4, n, umax, w, order, last, out, CountAtLeast);
    }
    const double umax = code_.fill(lanes_, trials, scale, u);
    return code_.count(u, PaddedTrials(trials), n, umax, w, order, last, out);
  }

  Xoshiro256pp engine_;
  TrialLanes lanes_;
  TrialCode code_ = FastestTrialCode();
  boost::random::normal_distribution<double> normal_;
  boost::random::exponential_distribution<double> exponential_;
  // Scratch of Categorical: the uniforms of its trials, padded to a whole step.
  alignas(32) std::array<double, kCategoricalMax + kTrialsPerStep - 1> uniforms_;
};

Status ValidateInput(const CaptureHistories& data, const LcmcrOptions& o) {
  MEMORIA_RETURN_IF_ERROR(ValidateWholeCounts(data, 2));
  if (o.K < 2 || o.K > 1000) return Status::InvalidInput("K must be in 2..1000").AtField("K");
  if (!(o.a_alpha > 0) || !std::isfinite(o.a_alpha)) {
    return Status::InvalidInput("a_alpha must be positive").AtField("a_alpha");
  }
  if (!(o.b_alpha > 0) || !std::isfinite(o.b_alpha)) {
    return Status::InvalidInput("b_alpha must be positive").AtField("b_alpha");
  }
  if (o.burnin < 0) return Status::InvalidInput("burnin must be >= 0").AtField("burnin");
  if (o.warmup < 0) return Status::InvalidInput("warmup must be >= 0").AtField("warmup");
  if (o.samples < 1) return Status::InvalidInput("samples must be >= 1").AtField("samples");
  if (o.thin < 1) return Status::InvalidInput("thin must be >= 1").AtField("thin");
  if (!(o.min_effective_samples >= 0) || !std::isfinite(o.min_effective_samples)) {
    return Status::InvalidInput("min_effective_samples must be >= 0")
        .AtField("min_effective_samples");
  }
  if (std::isnan(o.max_n0_factor)) {
    return Status::InvalidInput("max_n0_factor must be a number").AtField("max_n0_factor");
  }
  return Status::Ok();
}

// The Gibbs sampler state over M occupied patterns, J lists and K classes. All arrays are
// allocated once; a sweep allocates nothing.
class Sampler {
 public:
  Sampler(const CaptureHistories& data, const LcmcrOptions& o)
      : J_(data.k()), K_(o.K), a_alpha_(o.a_alpha), b_alpha_(o.b_alpha), rng_(o.seed) {
    for (std::size_t w = 1; w < data.counts.size(); ++w) {
      if (data.counts[w] > 0) {
        pattern_.push_back(static_cast<unsigned>(w));
        freq_.push_back(static_cast<std::int64_t>(data.counts[w]));
      }
    }
    n_ = std::accumulate(freq_.begin(), freq_.end(), std::int64_t{0});
    max_n0_ = o.max_n0_factor > 0 ? static_cast<double>(n_) * o.max_n0_factor
                                  : std::numeric_limits<double>::infinity();
    const std::size_t JK = static_cast<std::size_t>(J_) * K_;
    odds_.assign(JK, 0);
    one_minus_.assign(JK, 0);
    a1_.assign(JK, 0);
    pi_.assign(K_, 0);
    log_pi_.assign(K_, 0);
    ell_.assign(K_, 0);
    exp_ell_.assign(K_, 0);
    q_.assign(K_, 0);
    weights_.assign(K_, 0);
    count_.assign(K_, 0);
    count0_.assign(K_, 0);
    draw_.assign(K_, 0);
    order_.resize(K_);
    std::iota(order_.begin(), order_.end(), 0);
    // Initial values as in the LCMCR package: λ_jk = marginal frequency of list j; π from
    // the stick-breaking prior with Beta(1,1) sticks; α = 0.3/K; n₀ = 0.
    for (int j = 0; j < J_; ++j) {
      double on = 0;
      for (std::size_t m = 0; m < pattern_.size(); ++m) {
        if (pattern_[m] >> j & 1u) on += static_cast<double>(freq_[m]);
      }
      // Keep λ strictly inside (0, 1) so that odds and logs are finite.
      const double lambda = std::clamp(on / static_cast<double>(n_), 1e-6, 1 - 1e-6);
      for (int k = 0; k < K_; ++k) {
        odds_[j * K_ + k] = lambda / (1 - lambda);
        one_minus_[j * K_ + k] = 1 - lambda;
      }
    }
    odds_in_range_ = std::all_of(odds_.begin(), odds_.end(), OddsInRange);
    double log_rest = 0;
    for (int k = 0; k < K_ - 1; ++k) {
      const double v = rng_.Uniform();
      log_pi_[k] = std::log(v) + log_rest;
      log_rest += std::log1p(-v);
    }
    log_pi_[K_ - 1] = log_rest;
    head_ = 0;
    alpha_ = 0.3 / K_;
    n0_ = 0;
    Prepare();
  }

  std::int64_t n() const { return n_; }
  std::int64_t n0() const { return n0_; }
  double alpha() const { return alpha_; }
  std::int64_t truncations() const { return truncations_; }
  int OccupiedClasses() const {
    int c = 0;
    for (int k = 0; k < K_; ++k) c += count_[k] > 0;
    return c;
  }

  // For tests: the largest difference between the linear-space and the log-space forms of
  // the current state's class weights (each scaled to a largest weight of 1): Prepare's, and
  // step 1's for every pattern, and of log p₀. The sampler uses whichever applies; both must
  // agree up to rounding. Leaves the log-space weights in place.
  double PathDiscrepancy() {
    double worst = 0;
    if (PrepareLinear()) {
      const std::vector<double> linear = exp_ell_;
      const double linear_log_p0 = log_p0_;
      PrepareInLogs();
      for (int k = 0; k < K_; ++k) worst = std::max(worst, std::abs(linear[k] - exp_ell_[k]));
      worst = std::max(worst, std::abs(linear_log_p0 - log_p0_));
    }
    std::vector<double> linear(K_);
    for (const unsigned x : pattern_) {
      std::copy(exp_ell_.begin(), exp_ell_.end(), linear.begin());
      for (unsigned bits = x; bits; bits &= bits - 1) {
        MultiplyInto(linear.data(), OddsRow(std::countr_zero(bits)), K_);
      }
      const double mx = *std::max_element(linear.begin(), linear.end());
      LogSpaceWeights(x);
      for (int k = 0; k < K_; ++k) {
        worst = std::max(worst, std::abs(linear[k] / mx - weights_[k]));
      }
    }
    return worst;
  }

  // Relabels classes by decreasing π (as the package does after warm-up).
  void SortClasses() {
    ell_valid_ = false;
    for (int k = 0; k < K_; ++k) log_pi_[k] = LogPi(k);
    head_ = 0;
    std::vector<int> order(K_);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return log_pi_[a] > log_pi_[b]; });
    auto permute = [&](auto& v, int rows) {
      const auto copy = v;
      for (int r = 0; r < rows; ++r)
        for (int k = 0; k < K_; ++k) v[r * K_ + k] = copy[r * K_ + order[k]];
    };
    permute(odds_, J_);
    permute(one_minus_, J_);
    permute(log_pi_, 1);
    permute(count_, 1);
    permute(count0_, 1);
    Prepare();
  }

  void Sweep(bool update_alpha) {
    // 1. Classes of the observed individuals, pattern by pattern: w_mk ∝ π_k Π_j (1 − λ_jk)
    //    · Π_{j on m} λ_jk/(1 − λ_jk) = exp_ell_k · Π_{j on m} odds_jk (Prepare() computed
    //    exp_ell_ from the current λ and π, largest 1). While every odds is within
    //    [kOddsMin, kOddsMax], no product can leave the comfortable range of doubles and the
    //    weights are plain products; otherwise each cell is checked (CheckedWeights).
    std::fill(a1_.begin(), a1_.end(), 0);
    // Visit classes by decreasing size in the previous sweep (cheap, and any order is exact).
    std::sort(order_.begin(), order_.end(), [&](int a, int b) {
      return count_[a] > count_[b] || (count_[a] == count_[b] && a < b);
    });
    for (int k = 0; k < K_; ++k) count_[k] = count0_[k];
    double* w = weights_.data();
    for (std::size_t m = 0; m < pattern_.size(); ++m) {
      const unsigned x = pattern_[m];
      if (odds_in_range_) {
        std::copy(exp_ell_.begin(), exp_ell_.end(), w);
        for (unsigned bits = x; bits; bits &= bits - 1) {
          MultiplyInto(w, OddsRow(std::countr_zero(bits)), K_);
        }
      } else {
        CheckedWeights(x);
      }
      const int touched = rng_.Multinomial(freq_[m], w, order_.data(), K_, draw_.data());
      // Add the draw to the class sizes and to the row of each list on pattern x: only the
      // few classes the multinomial reached, one element at a time (whole-row vector adds of
      // the draw cost more, and its elements were just stored one by one).
      for (int i = 0; i < touched; ++i) {
        const int k = order_[i];
        const std::int64_t c = draw_[k];
        count_[k] += c;
        for (unsigned bits = x; bits; bits &= bits - 1) a1_[std::countr_zero(bits) * K_ + k] += c;
      }
    }
    ell_valid_ = false;  // λ and then π change below
    // 2. λ_jk ~ Beta(1 + on, 1 + off), where off includes the augmented unobserved; drawn as
    //    odds and 1 − λ (both shapes >= 1, so linear space is safe).
    bool in_range = true;
    for (int j = 0; j < J_; ++j) {
      for (int k = 0; k < K_; ++k) {
        const std::int64_t on = a1_[j * K_ + k];
        const std::int64_t off = count_[k] - on;
        auto [odds, om] =
            rng_.BetaOdds(1.0 + static_cast<double>(on), 1.0 + static_cast<double>(off));
        odds_[j * K_ + k] = odds;
        one_minus_[j * K_ + k] = om;
        in_range &= OddsInRange(odds);
      }
    }
    odds_in_range_ = in_range;
    // 3. Stick-breaking weights: V_k ~ Beta(1 + C_k, α + Σ_{l>k} C_l), π_k = V_k Π_{l<k}
    //    (1 − V_l), drawn and multiplied in linear space (π_k in pi_, for k < head_). From the
    //    first stick with no occupied class after it on, the second shape is α, which can be
    //    so small that 1 − V_k underflows: when U^(1/α) falls below e^-600 (StickBelowOne),
    //    or the product of the sticks below 1e-250, that stick and the rest are kept in log
    //    space (log π_k in log_pi_).
    std::int64_t above = 0;
    for (int k = 0; k < K_; ++k) above += count_[k];
    double rest = 1;  // Π_{l<k} (1 − V_l)
    bool in_logs = false;
    double lv = 0, l1mv = 0;  // log V_k and log(1 − V_k) of the stick that moved to logs
    int k = 0;
    for (; k < K_ - 1; ++k) {
      above -= count_[k];
      const double a = 1.0 + static_cast<double>(count_[k]);
      const double b = alpha_ + static_cast<double>(above);
      double v, om;
      if (b >= 1) {
        const auto [odds, one_minus] = rng_.BetaOdds(a, b);
        v = odds * one_minus;  // V = odds·(1 − V)
        om = one_minus;
      } else {
        std::tie(v, om) = rng_.StickBelowOne(a, b, in_logs);
        if (in_logs) {
          lv = v;
          l1mv = om;
          break;
        }
      }
      if (!(rest * om > 1e-250)) {
        in_logs = true;
        lv = std::log(v);
        l1mv = std::log(om);
        break;
      }
      pi_[k] = v * rest;
      rest *= om;
    }
    head_ = k;
    if (!in_logs) {
      pi_[k] = rest;  // k = K − 1
      head_ = K_;
    } else {
      double log_rest = std::log(rest);
      log_pi_[k] = lv + log_rest;
      log_rest += l1mv;
      for (++k; k < K_ - 1; ++k) {
        above -= count_[k];
        const auto [lvk, l1mvk] =
            rng_.LogBeta(1.0 + static_cast<double>(count_[k]), alpha_ + static_cast<double>(above));
        log_pi_[k] = lvk + log_rest;
        log_rest += l1mvk;
      }
      log_pi_[K_ - 1] = log_rest;
    }
    // 4. Probability of the unobserved pattern, p₀ = Σ_k π_k Π_j (1 − λ_jk), and the class
    //    weights of step 1 of the next sweep.
    Prepare();
    // log(1 − p₀), accurate for p₀ near 0 and near 1.
    const double log_1m_p0 =
        log_p0_ > -0.693 ? std::log(-std::expm1(log_p0_)) : std::log1p(-std::exp(log_p0_));
    // 5. n₀ ~ NegBinomial(n, 1 − p₀) = Poisson(Gamma(n) · p₀/(1 − p₀)); redrawn while above
    //    the package's cap (counted). If p₀ is so close to 1 that the cap is nearly always
    //    exceeded, the draw is clamped to the cap after 1000 tries (also counted).
    const double odds = std::exp(log_p0_ - log_1m_p0);
    std::int64_t n0 = 0;
    for (int tries = 0;; ++tries) {
      const double mean = std::isfinite(odds) ? rng_.Gamma(static_cast<double>(n_)) * odds
                                              : std::numeric_limits<double>::infinity();
      if (std::isfinite(mean) && mean < 4e18) {
        n0 = rng_.Poisson(mean);
        if (static_cast<double>(n0) <= max_n0_) break;
      }
      ++truncations_;
      if (tries >= 1000 || !std::isfinite(max_n0_)) {
        n0 = std::isfinite(max_n0_) ? static_cast<std::int64_t>(max_n0_) : std::int64_t{1} << 53;
        break;
      }
    }
    n0_ = n0;
    // 6. Classes of the unobserved individuals ∝ π_k Π_j (1 − λ_jk).
    rng_.Multinomial(n0_, exp_ell_.data(), order_.data(), K_, count0_.data());
    // 7. α ~ Gamma(a_α + K − 1, rate b_α − log π_K).
    if (update_alpha) {
      alpha_ = rng_.Gamma(a_alpha_ + K_ - 1) / (b_alpha_ - LogPi(K_ - 1));
      alpha_ = std::max(alpha_, 1e-300);
    }
  }

 private:
  // The weights of pattern x in weights_, each product checked: when one leaves the
  // comfortable range of doubles (extreme λ or π), the cell is redone in log space with max
  // subtraction. Both give the same weights up to rounding.
  void CheckedWeights(unsigned x) {
    int on = 0;  // the odds rows of the lists on x
    for (unsigned bits = x; bits; bits &= bits - 1) {
      rows_[on++] = OddsRow(std::countr_zero(bits));
    }
    double wmax = 0;
    bool finite = true;
    for (int k = 0; k < K_; ++k) {
      double wk = exp_ell_[k];
      for (int i = 0; i < on; ++i) wk *= rows_[i][k];
      weights_[k] = wk;
      wmax = std::max(wmax, wk);
      finite = finite && std::isfinite(wk);
    }
    if (!finite || !(wmax > 1e-200) || wmax > 1e200) LogSpaceWeights(x);
  }

  // The row of list j in odds_ (K classes).
  const double* OddsRow(int j) const { return odds_.data() + static_cast<std::ptrdiff_t>(j) * K_; }

  // log π_k and π_k, whichever space step 3 drew it in.
  double LogPi(int k) const { return k < head_ ? std::log(pi_[k]) : log_pi_[k]; }
  double Pi(int k) const { return k < head_ ? pi_[k] : std::exp(log_pi_[k]); }

  // From λ and π: the weight of class k among the never-documented, π_k Π_j (1 − λ_jk),
  // scaled so that the largest is 1 (exp_ell_), and log p₀ = log Σ_k π_k Π_j (1 − λ_jk).
  // Formed in linear space when step 3 drew some sticks there, with no logarithm per class;
  // a class whose product underflows then weighs less than 1e-200 of the largest. When the
  // largest product is itself near underflow (or every π is in log space), the classes are
  // redone in logs (ell_k = log π_k + Σ_j log(1 − λ_jk), max subtracted). Both give the same
  // weights up to rounding.
  void Prepare() {
    if (!PrepareLinear()) PrepareInLogs();
  }

  // Prepare in linear space; false (and nothing usable) when it does not apply.
  bool PrepareLinear() {
    if (head_ == 0) return false;
    std::fill(q_.begin(), q_.end(), 1.0);
    for (int j = 0; j < J_; ++j) {
      MultiplyInto(q_.data(), one_minus_.data() + static_cast<std::ptrdiff_t>(j) * K_, K_);
    }
    double wmax = 0;
    for (int k = 0; k < K_; ++k) {
      exp_ell_[k] = Pi(k) * q_[k];
      wmax = std::max(wmax, exp_ell_[k]);
    }
    if (!(wmax > 1e-100)) return false;
    const double inv = 1.0 / wmax;
    double s = 0;
    for (int k = 0; k < K_; ++k) {
      exp_ell_[k] *= inv;
      s += exp_ell_[k];
    }
    log_p0_ = std::min(0.0, std::log(wmax * s));
    return true;
  }

  void PrepareInLogs() {
    ComputeEll();
    double mx = kNegInf;
    for (int k = 0; k < K_; ++k) mx = std::max(mx, ell_[k]);
    double s = 0;
    for (int k = 0; k < K_; ++k) {
      exp_ell_[k] = std::exp(ell_[k] - mx);
      s += exp_ell_[k];
    }
    log_p0_ = std::min(0.0, mx + std::log(s));
  }

  // ell_k = log π_k + Σ_j log(1 − λ_jk), summed in logs (for the rare cells and sweeps whose
  // linear products leave the range of doubles).
  void ComputeEll() {
    for (int k = 0; k < K_; ++k) {
      double lq = 0;
      for (int j = 0; j < J_; ++j) lq += std::log(one_minus_[j * K_ + k]);
      ell_[k] = LogPi(k) + lq;
    }
    ell_valid_ = true;
  }

  // weights_ for pattern x in log space: ell_k + Σ_{j on x} log odds_jk, max subtracted.
  void LogSpaceWeights(unsigned x) {
    if (!ell_valid_) ComputeEll();
    double mx = kNegInf;
    for (int k = 0; k < K_; ++k) {
      double l = ell_[k];
      for (unsigned bits = x; bits; bits &= bits - 1) {
        l += std::log(odds_[std::countr_zero(bits) * K_ + k]);
      }
      weights_[k] = l;
      mx = std::max(mx, l);
    }
    for (int k = 0; k < K_; ++k) weights_[k] = std::exp(weights_[k] - mx);
  }

  int J_, K_;
  double a_alpha_, b_alpha_;
  Random rng_;
  std::vector<unsigned> pattern_;
  std::vector<std::int64_t> freq_;
  std::int64_t n_ = 0;
  double max_n0_ = 0;
  std::vector<double> odds_, one_minus_;             // λ/(1 − λ) and 1 − λ, [j * K + k]
  std::vector<double> pi_, log_pi_;                  // π_k for k < head_, log π_k after
  int head_ = 0;                                     // classes whose π step 3 drew linearly
  bool ell_valid_ = false;                           // ell_ is of the current λ and π
  std::vector<double> ell_, exp_ell_, q_;            // [k]
  std::vector<double> weights_;                      // [k]
  std::array<const double*, 15> rows_;               // scratch of CheckedWeights
  bool odds_in_range_ = false;                       // every odds_ in [kOddsMin, kOddsMax]
  std::vector<std::int64_t> count_, count0_, draw_;  // [k]
  std::vector<std::int64_t> a1_;                     // [j * K + k]
  std::vector<int> order_;  // classes by decreasing size in the previous sweep
  double alpha_ = 0;
  double log_p0_ = 0;
  std::int64_t n0_ = 0;
  std::int64_t truncations_ = 0;
};

double Mean(const double* x, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += x[i];
  return n ? s / static_cast<double>(n) : 0.0;
}

double Variance(const double* x, std::size_t n) {
  if (n < 2) return 0;
  const double m = Mean(x, n);
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += (x[i] - m) * (x[i] - m);
  return s / static_cast<double>(n - 1);
}

// Autocorrelations ρ_0..ρ_{max_lag} (biased estimator, as in coda and Geyer).
std::vector<double> Autocorrelations(const double* x, std::size_t n, std::size_t max_lag) {
  std::vector<double> rho;
  const double m = Mean(x, n);
  double c0 = 0;
  for (std::size_t i = 0; i < n; ++i) c0 += (x[i] - m) * (x[i] - m);
  if (c0 <= 0) return rho;
  for (std::size_t t = 0; t <= max_lag && t < n; ++t) {
    double c = 0;
    for (std::size_t i = 0; i + t < n; ++i) c += (x[i] - m) * (x[i + t] - m);
    rho.push_back(c / c0);
  }
  return rho;
}

double Ess(const double* x, std::size_t n) {
  if (n == 0) return 0;
  const double m = Mean(x, n);
  double c0 = 0;
  for (std::size_t i = 0; i < n; ++i) c0 += (x[i] - m) * (x[i] - m);
  if (c0 <= 0) return static_cast<double>(n);  // constant chain
  auto rho = [&](std::size_t t) {
    double c = 0;
    for (std::size_t i = 0; i + t < n; ++i) c += (x[i] - m) * (x[i + t] - m);
    return c / c0;
  };
  // Geyer's initial positive sequence: Γ_m = ρ_2m + ρ_2m+1 summed while positive;
  // τ = −1 + 2 Σ_m Γ_m. Autocorrelations are computed only as far as needed.
  double sum = -1.0;
  for (std::size_t lag = 0; lag + 1 < n; lag += 2) {
    const double gamma = (lag == 0 ? 1.0 : rho(lag)) + rho(lag + 1);
    if (gamma <= 0) break;
    sum += 2 * gamma;
  }
  return static_cast<double>(n) / std::max(sum, 1e-12);
}

}  // namespace

namespace lcmcr_internal {
namespace {
// `count` variates draw(rng) from one engine seeded with `seed` (or started from a raw state).
template <typename Seed, typename Draw>
auto Draws(const Seed& seed, int count, Draw draw) {
  Random rng(seed);
  std::vector<decltype(draw(rng))> out;
  out.reserve(count);
  for (int i = 0; i < count; ++i) out.push_back(draw(rng));
  return out;
}
}  // namespace

std::vector<std::uint64_t> XoshiroOutputs(const std::array<std::uint64_t, 4>& state, int count) {
  return Draws(state, count, [](Random& r) { return r.Bits(); });
}

std::vector<double> GammaDraws(std::uint64_t seed, double shape, int count) {
  return Draws(seed, count, [&](Random& r) { return r.Gamma(shape); });
}

std::vector<std::pair<double, double>> LogBetaDraws(std::uint64_t seed, double a, double b,
                                                    int count) {
  return Draws(seed, count, [&](Random& r) { return r.LogBeta(a, b); });
}

std::vector<std::pair<double, double>> BetaOddsDraws(std::uint64_t seed, double a, double b,
                                                     int count) {
  return Draws(seed, count, [&](Random& r) { return r.BetaOdds(a, b); });
}

std::vector<StickDraw> StickDraws(std::uint64_t seed, double a, double b, int count) {
  return Draws(seed, count, [&](Random& r) {
    bool in_logs = false;
    const auto [first, second] = r.StickBelowOne(a, b, in_logs);
    return StickDraw{first, second, in_logs};
  });
}

double PathDiscrepancy(const CaptureHistories& data, const LcmcrOptions& options, int sweeps) {
  if (!ValidateInput(data, options).ok()) return -1;
  Sampler sampler(data, options);
  double worst = 0;
  for (int i = 0; i < sweeps; ++i) {
    sampler.Sweep(/*update_alpha=*/true);
    worst = std::max(worst, sampler.PathDiscrepancy());
  }
  return worst;
}

std::vector<std::int64_t> MultinomialDraws(std::uint64_t seed, std::int64_t n,
                                           const std::vector<double>& weights, int count,
                                           std::vector<int>* reach, bool portable) {
  Random rng(seed);
  if (portable) rng.UsePortableCode();
  const int K = static_cast<int>(weights.size());
  std::vector<int> order(K);
  std::iota(order.begin(), order.end(), 0);
  std::vector<std::int64_t> out(static_cast<std::size_t>(count) * K);
  if (reach) reach->clear();
  for (int i = 0; i < count; ++i) {
    const int r =
        rng.Multinomial(n, weights.data(), order.data(), K, &out[static_cast<std::size_t>(i) * K]);
    if (reach) reach->push_back(r);
  }
  return out;
}

bool TrialsUseAvx2() { return FastestTrialCode().fill != kPortableTrialCode.fill; }

TrialFill FillTrials(const std::array<std::array<std::uint64_t, 4>, 4>& states, int n,
                     bool portable) {
  TrialLanes lanes;
  for (int l = 0; l < 4; ++l) {
    for (int w = 0; w < 4; ++w) lanes.s[w][l] = states[l][w];
  }
  const TrialCode code = portable ? kPortableTrialCode : FastestTrialCode();
  TrialFill fill;
  fill.uniforms.resize(PaddedTrials(n));
  fill.largest = code.fill(lanes, n, /*scale=*/1.0, fill.uniforms.data());
  return fill;
}

}  // namespace lcmcr_internal

Result<PosteriorSummary> SummarizeDraws(const std::vector<double>& draws, double level) {
  if (draws.empty()) return Status::InvalidInput("no posterior draws to summarise");
  if (!(level > 0 && level < 1)) return Status::InvalidInput("level must be in (0, 1)");
  for (double d : draws) {
    if (!std::isfinite(d)) return Status::InvalidInput("posterior draws must be finite");
  }
  std::vector<double> sorted = draws;
  std::sort(sorted.begin(), sorted.end());
  auto quantile = [&](double p) {  // R type 7
    const double h = (static_cast<double>(sorted.size()) - 1) * p;
    const std::size_t lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
  };
  PosteriorSummary s;
  s.level = level;
  s.mean = Mean(draws.data(), draws.size());
  s.median = quantile(0.5);
  s.lower = quantile((1 - level) / 2);
  s.upper = quantile((1 + level) / 2);
  return s;
}

Result<std::vector<double>> SumStrataDraws(const std::vector<std::vector<double>>& per_stratum) {
  if (per_stratum.empty()) return Status::InvalidInput("no strata to sum");
  const std::size_t n = per_stratum.front().size();
  if (n == 0) return Status::InvalidInput("a stratum has no draws");
  std::vector<double> total(n, 0.0);
  for (std::size_t s = 0; s < per_stratum.size(); ++s) {
    if (per_stratum[s].size() != n) {
      return Status::InvalidInput("stratum " + std::to_string(s) + " has " +
                                  std::to_string(per_stratum[s].size()) + " draws, expected " +
                                  std::to_string(n));
    }
    for (std::size_t i = 0; i < n; ++i) total[i] += per_stratum[s][i];
  }
  return total;
}

double EffectiveSampleSize(const std::vector<double>& chain) {
  return Ess(chain.data(), chain.size());
}

Result<LcmcrResult> EstimateLcmcr(const CaptureHistories& data, const LcmcrOptions& options) {
  MEMORIA_RETURN_IF_ERROR(ValidateInput(data, options));
  Sampler sampler(data, options);
  for (std::int64_t i = 0; i < options.warmup; ++i) sampler.Sweep(/*update_alpha=*/false);
  sampler.SortClasses();
  for (std::int64_t i = 0; i < options.burnin; ++i) sampler.Sweep(true);

  LcmcrResult result;
  result.observed = static_cast<double>(sampler.n());
  result.draws_N.reserve(static_cast<std::size_t>(options.samples));
  LcmcrDiagnostics& d = result.diagnostics;
  d.sweeps = options.warmup + options.burnin;
  double alpha_sum = 0, occupied_sum = 0;
  const auto draw = [&](std::int64_t thin) {
    result.draws_N.clear();
    alpha_sum = occupied_sum = 0;
    for (std::int64_t s = 0; s < options.samples; ++s) {
      for (std::int64_t t = 0; t < thin; ++t) sampler.Sweep(true);
      result.draws_N.push_back(static_cast<double>(sampler.n() + sampler.n0()));
      alpha_sum += sampler.alpha();
      occupied_sum += sampler.OccupiedClasses();
    }
    d.sweeps += options.samples * thin;
    d.thin = thin;
    return Ess(result.draws_N.data(), result.draws_N.size());
  };
  d.effective_sample_size = draw(options.thin);
  const double target = options.min_effective_samples;
  if (target > 0 && target <= 0.5 * static_cast<double>(options.samples) &&
      d.effective_sample_size < target) {
    const double factor =
        std::min(kMaxThinFactor,
                 std::ceil(kExtendedEssAim * target / std::max(d.effective_sample_size, 1.0)));
    d.effective_sample_size = draw(options.thin * static_cast<std::int64_t>(factor));
    d.extended = true;
  }
  MEMORIA_ASSIGN_OR_RETURN(result.summary, SummarizeDraws(result.draws_N));

  const std::vector<double>& x = result.draws_N;
  std::vector<double> rho = Autocorrelations(x.data(), x.size(), 1);
  d.autocorrelation_lag1 = rho.size() > 1 ? rho[1] : 0.0;
  const std::size_t third = x.size() / 3;
  if (third >= 2) {
    const double* first = x.data();
    const double* last = x.data() + x.size() - third;
    d.trace_mean_first = Mean(first, third);
    d.trace_mean_last = Mean(last, third);
    const double ess1 = std::max(1.0, Ess(first, third));
    const double ess3 = std::max(1.0, Ess(last, third));
    const double se = std::sqrt(Variance(first, third) / ess1 + Variance(last, third) / ess3);
    d.trace_z = se > 0 ? (d.trace_mean_first - d.trace_mean_last) / se : 0.0;
  } else {
    d.trace_mean_first = d.trace_mean_last = result.summary.mean;
  }
  d.n0_truncations = sampler.truncations();
  d.alpha_mean = alpha_sum / static_cast<double>(options.samples);
  d.mean_occupied_classes = occupied_sum / static_cast<double>(options.samples);
  return result;
}

}  // namespace memoria::estimate
