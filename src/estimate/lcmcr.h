// LCMCR: Bayesian non-parametric latent class capture–recapture (Manrique-Vallier 2016,
// Biometrics 72(3); the R package LCMCR).
//
// Individuals belong to one of K latent classes (truncated stick-breaking prior on the class
// weights, concentration α ~ Gamma(a_α, b_α)); within a class the lists capture independently
// with probabilities λ_jk ~ Beta(1, 1). The prior on N is ∝ 1/N. A Gibbs sampler works on the
// occupied capture patterns (not on individuals), augments the unobserved count n₀ and returns
// posterior draws of N = n + n₀.
//
// Also here: PosteriorSummary and the helpers that summarise and sum draws, shared with dga.h.
#pragma once

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/status.h"
#include "estimate/capture_histories.h"

namespace memoria::estimate {

// Point and interval summary of a posterior distribution of N.
struct PosteriorSummary {
  double level = 0.95;  // credible level of [lower, upper] (equal-tailed)
  double median = 0;
  double mean = 0;
  double lower = 0;  // (1 - level)/2 quantile
  double upper = 0;  // (1 + level)/2 quantile
};

// Summary of posterior draws; quantiles are R's default (type 7, linear interpolation).
// InvalidInput if `draws` is empty or level is not in (0, 1).
Result<PosteriorSummary> SummarizeDraws(const std::vector<double>& draws, double level = 0.95);

// Posterior draws of the total over independent strata: element i of the result is the sum
// of element i of every stratum's draws (independent chains, so the sum of the i-th draws is
// a draw from the posterior of the total). InvalidInput if the vectors are empty or differ in
// length.
Result<std::vector<double>> SumStrataDraws(const std::vector<std::vector<double>>& per_stratum);

// Effective sample size of a chain, n / (1 + 2 Σ ρ_t), summing the autocorrelations ρ_t in
// Geyer's initial positive sequence (pairs ρ_{2m} + ρ_{2m+1} while positive). Returns n for
// a constant chain; 0 for an empty one.
double EffectiveSampleSize(const std::vector<double>& chain);

struct LcmcrOptions {
  int K = 10;             // truncation level of the stick-breaking prior (>= 2)
  double a_alpha = 0.25;  // Gamma shape of the concentration α
  double b_alpha = 0.25;  // Gamma rate of α
  // Defaults: 2.1·10^6 sweeps (the LCMCR package's reference runs use 1.1·10^6). Slowly
  // mixing data (the Italian diabetes lists: lag-1000 autocorrelation of N ≈ 0.45) need that
  // many for two seeds to agree on the median within 2%; check
  // diagnostics.effective_sample_size (a few hundred at least).
  std::int64_t burnin = 100000;  // sweeps discarded after the warm-up
  std::int64_t samples = 10000;  // draws of N returned
  std::int64_t thin = 200;       // sweeps per returned draw
  std::uint64_t seed = 1;        // the whole run is a deterministic function of data, options
  // Initial sweeps without the α update, as in the LCMCR package (before burn-in).
  std::int64_t warmup = 500;
  // n₀ is redrawn while n₀ > max_n0_factor · n, as the LCMCR package does (20). Every redraw
  // is counted in the diagnostics; <= 0 disables the truncation.
  double max_n0_factor = 20;
  // When the effective sample size of the draws of N is below this, the chain goes on: the
  // draws so far become further burn-in and `samples` new draws are taken with the thinning
  // multiplied by ⌈3.2 · target / ESS⌉ (at most 16), once: a chain that falls short mixes
  // slowly, and its ESS overstates the precision of the median, so the extension aims well
  // above the target. Pursued only when the target is at most half of `samples`; 0 never
  // extends. With the defaults, slowly mixing data (the Italian diabetes lists: ESS ≈ 450
  // after 2.1·10^6 sweeps, two seeds' medians up to 3.3% apart) run 1.8–3.2·10^7 sweeps,
  // and eight seeds' medians lie within 0.8%.
  double min_effective_samples = 1500;
};

// Convergence and cost diagnostics of one run.
struct LcmcrDiagnostics {
  std::int64_t sweeps = 0;           // total Gibbs sweeps, warm-up included
  std::int64_t thin = 0;             // sweeps per returned draw (options.thin unless extended)
  bool extended = false;             // the chain was extended for min_effective_samples
  double effective_sample_size = 0;  // of the returned draws of N
  double autocorrelation_lag1 = 0;   // of the returned draws of N
  // Trace summary: mean of N in the first and the last third of the draws, and the
  // Geweke-style z score of their difference (|z| > 2 suggests the chain has not settled).
  double trace_mean_first = 0;
  double trace_mean_last = 0;
  double trace_z = 0;
  std::int64_t n0_truncations = 0;   // redraws because n₀ > max_n0_factor · n
  double mean_occupied_classes = 0;  // classes holding >= 1 individual, averaged over draws
  double alpha_mean = 0;             // posterior mean of α
};

struct LcmcrResult {
  double observed = 0;          // n
  PosteriorSummary summary;     // of draws_N
  std::vector<double> draws_N;  // `samples` draws of N = n + n₀, in sampling order
  LcmcrDiagnostics diagnostics;
};

// Runs the sampler. Errors (InvalidInput): fewer than 2 or more than 15 lists, counts not of
// size 2^k, negative or non-integer counts or counts above 1e15, counts[0] != 0, no observed
// individual (see ValidateWholeCounts), and
// options out of range (K < 2, a_α or b_α <= 0, burnin < 0, samples < 1, thin < 1,
// min_effective_samples < 0).
// Deterministic for a given seed. Thread-safe (no shared state).
Result<LcmcrResult> EstimateLcmcr(const CaptureHistories& data, const LcmcrOptions& options);

// The sampler's random variates, exposed for unit tests only (not an API; may change).
namespace lcmcr_internal {
// The first `count` outputs of xoshiro256++ started from a raw state (reference test vectors).
std::vector<std::uint64_t> XoshiroOutputs(const std::array<std::uint64_t, 4>& state, int count);
// `count` Gamma(shape, 1) variates from one seeded engine.
std::vector<double> GammaDraws(std::uint64_t seed, double shape, int count);
// `count` Beta(a, b) variates as (log V, log(1−V)).
std::vector<std::pair<double, double>> LogBetaDraws(std::uint64_t seed, double a, double b,
                                                    int count);
// `count` sticks V ~ Beta(a, b) for a >= 1 > b > 0, as the sampler draws those with no
// occupied class after them: {V, 1 − V, false}, or {log V, log(1 − V), true} when U^(1/b)
// (1 − V up to a Gamma factor) is below e^-600.
struct StickDraw {
  double first, second;
  bool in_logs;
};
std::vector<StickDraw> StickDraws(std::uint64_t seed, double a, double b, int count);
// `count` Beta(a, b) variates V (a, b >= 1) as (V/(1−V), 1−V), the sampler's λ draws.
std::vector<std::pair<double, double>> BetaOddsDraws(std::uint64_t seed, double a, double b,
                                                     int count);
// `count` Multinomial(n, weights/Σweights) vectors, concatenated (count · weights.size()),
// with the classes in index order. With `reach`, also each draw's reach: the classes from it
// on were not drawn (the sampler adds only the classes before it). With `portable`, the
// per-person trials take the portable code even where the CPU has AVX2.
std::vector<std::int64_t> MultinomialDraws(std::uint64_t seed, std::int64_t n,
                                           const std::vector<double>& weights, int count,
                                           std::vector<int>* reach = nullptr,
                                           bool portable = false);
// Whether this CPU runs the per-person trials with AVX2 (otherwise only the portable code).
bool TrialsUseAvx2();
// One fill of n (1..64) per-person trials from four xoshiro256++ lanes started from `states`
// (lane l from states[l]), at scale 1: uniforms[t] = b_t + 0.5 for the 32-bit trials b_t,
// t < n, then −1 up to a multiple of 8; `largest` is the largest of the n.
struct TrialFill {
  std::vector<double> uniforms;
  double largest;
};
TrialFill FillTrials(const std::array<std::array<std::uint64_t, 4>, 4>& states, int n,
                     bool portable);
// Runs `sweeps` sweeps and returns the largest difference seen between the linear-space and
// the log-space class weights of the sampler's state (-1 for invalid input).
double PathDiscrepancy(const CaptureHistories& data, const LcmcrOptions& options, int sweeps);
}  // namespace lcmcr_internal

}  // namespace memoria::estimate
