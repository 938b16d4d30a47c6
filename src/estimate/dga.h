// Bayesian model averaging over decomposable graphical models (Madigan & York 1997,
// Biometrika 84:19–31; the R package dga, `bma.cr`).
//
// For each decomposable graph G on the k lists (k = 3, 4, 5; the graph lists shipped by dga,
// embedded from data/mse/dga_graphs{k}.csv) and each n₀ on a grid, the complete 2^k table is
// multinomial with a hyper-Dirichlet prior Markov on G (every margin cell on list set A has
// parameter δ·2^(k−|A|)). The joint posterior of (G, n₀) is normalised with log-sum-exp;
// the posterior of N = n + n₀ is its sum over graphs, the posterior of G its sum over n₀.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "estimate/capture_histories.h"
#include "estimate/lcmcr.h"  // PosteriorSummary

namespace memoria::estimate {

// A probability distribution of N on consecutive integers n_min, n_min+1, ….
struct GridPosterior {
  std::int64_t n_min = 0;
  std::vector<double> prob;  // prob[i] = P(N = n_min + i); sums to 1

  // Median and equal-tailed interval are the smallest N whose cumulative probability reaches
  // 0.5, (1−level)/2 and (1+level)/2; mean is Σ N·P(N). InvalidInput if empty.
  Result<PosteriorSummary> Summarize(double level = 0.95) const;
};

// Distribution of the sum of two independent totals (strata): the convolution of the two
// grids. Leading and trailing probabilities below 1e-15 are trimmed first (so n_min may exceed
// a.n_min + b.n_min); the result then sums to 1 within ~1e-14.
// InvalidInput if either is empty. For many strata, fold left.
Result<GridPosterior> ConvolvePosteriors(const GridPosterior& a, const GridPosterior& b);

// Prior on N (not on n₀).
enum class DgaPriorN {
  kInverseN,          // π(N) ∝ 1/N, dga's default
  kNegativeBinomial,  // dga's example: log π(N) = N log b − (N+a) log(1+b) + lgamma(N+a)
                      //                − lgamma(N+1) − lgamma(a)
};

struct DgaOptions {
  double delta = 0;  // hyper-Dirichlet weight per cell of the full table; <= 0 means 2^−k
  DgaPriorN prior = DgaPriorN::kInverseN;
  double prior_a = 13.14;  // negative-binomial prior parameters (dga's example values)
  double prior_b = 55.17;
  // Grid of n₀: [n0_min, n0_max]. n0_max < 0 chooses it automatically: start at
  // n0_min + max(2n, 1000) and double until the posterior mass in the last 10% of the grid is
  // below 1e-10 or the grid has reached max(64n, 16384) points; DgaResult::tail_mass says how
  // much mass is near the end (heavy tails under the saturated model can keep it large).
  // With small δ the saturated model puts a spike at n₀ = 0; dga's examples start at
  // n0_min = 1.
  std::int64_t n0_min = 0;
  std::int64_t n0_max = -1;
  // Optional log prior weight per graph (size = number of graphs for k); empty = uniform.
  std::vector<double> log_prior_models;
  double level = 0.95;  // credible level of the summary interval
};

// One decomposable graph with its posterior weight.
struct DgaModel {
  int index = 0;          // 1-based index in dga's graph list (graphs3/4/5)
  std::string cliques;    // Rcapture-style, e.g. "[12,3]"; lists numbered from 1
  double posterior = 0;   // P(G | data)
  double expected_N = 0;  // E[N | G, data]
};

struct DgaResult {
  double observed = 0;  // n
  double delta = 0;     // the δ used
  GridPosterior posterior_N;
  PosteriorSummary summary;
  std::vector<DgaModel> models;  // every graph, by decreasing posterior weight
  double tail_mass = 0;          // posterior mass in the last 10% of the n₀ grid
};

// Errors (InvalidInput): k not in {3, 4, 5}, counts not of size 2^k, negative or
// non-integer counts or counts above 1e15, counts[0] != 0, no observed individual
// (ValidateWholeCounts), n0_min < 0 or n0_max < n0_min,
// non-positive negative-binomial parameters, log_prior_models of the wrong size.
// Internal if the embedded graph list is missing or malformed. Deterministic; thread-safe.
Result<DgaResult> EstimateDga(const CaptureHistories& data, const DgaOptions& options);

}  // namespace memoria::estimate
