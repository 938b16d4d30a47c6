// Latent class models for multiple systems estimation, by maximum likelihood.
//
// Each person belongs to one of K latent classes (weights π_k); given the class, the lists
// document independently with probabilities λ_jk. This is the finite-mixture model of
// heterogeneous capture (Pledger 2000's M_th with K classes; the latent class models of
// Agresti 1994 and Stanghellini & van der Heijden 2004 for multiple record systems), the
// model LCMCR puts a Dirichlet-process prior on. K = 1 is the independence model [1,2,…,k].
//
// Fitting follows Rcapture's conventions so that K = 1 reproduces its independence model:
//   * N̂ maximises the conditional likelihood of the observed patterns,
//     Π_{x≠0} (P_x / (1 − P_0))^{f_x}, and N̂ = n / (1 − P̂_0); EM treats the unobserved count
//     as missing data (Dempster, Laird & Rubin 1977), accelerated by SQUAREM (Varadhan &
//     Roland 2008), from several seeded random starts;
//   * deviance, AIC and BIC are those of the Poisson log-linear fit with μ_x = N̂ P̂_x
//     (AIC includes the log f_x! terms; BIC = AIC + (log n − 2) p), p = K(k + 1) parameters;
//   * the interval is the multinomial profile-likelihood interval for N (as closedpCI.t):
//     the set of N whose likelihood, maximised over π and λ with N − n people in the
//     unobserved cell, is within χ²₁(level)/2 of the maximum.
//
// Weak identification (Link 2003): with few lists, data that fit a class of rarely documented
// people barely constrain its size, and the profile likelihood is flat to the right. The
// interval then reaches the search cap and says so (`upper_bounded == false`): that is the
// honest answer, not a failure.
//
// All functions are pure and thread-safe; the same data and options give the same result.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "estimate/capture_histories.h"
#include "estimate/loglinear.h"

namespace memoria::estimate {

struct LatentClassOptions {
  // K. 0: fit every identifiable K from 1 to max_classes and select by `criterion`.
  int classes = 0;
  int max_classes = 4;
  Criterion criterion = Criterion::kBic;
  int starts = 10;  // random EM starts for each K >= 2 (K = 1 has a single optimum)
  std::uint64_t seed = 1;
  double level = 0.95;  // of the profile-likelihood interval
  // The interval's upper bound is searched up to this multiple of N̂; beyond it the interval
  // is reported as unbounded (`upper_bounded == false`, `upper` = the cap).
  double upper_cap_factor = 20;
};

// One fitted latent class model.
struct LatentClassFit {
  int classes = 0;     // K
  int parameters = 0;  // p = K(k + 1): the K − 1 free weights, K·k capture probabilities, N
  int df = 0;          // (2^k − 1) − p
  double log_likelihood = 0;  // conditional log-likelihood Σ f_x log(P_x / (1 − P_0))
  double deviance = 0;        // 2 Σ f_x log(f_x / μ_x), μ_x = N̂ P_x
  double aic = 0;
  double bic = 0;
  double estimate = 0;          // N̂ = n / (1 − P̂_0)
  double missing = 0;           // N̂ − n
  std::vector<double> weights;  // π_k, sorted by decreasing weight
  std::vector<double> capture;  // λ_jk at [k * lists + j], classes in the order of `weights`
  int iterations = 0;           // EM iterations of the best start
  bool converged = true;
  std::vector<std::string> warnings;  // non-convergence, boundary estimates, in words
};

struct LatentClassEstimate {
  std::vector<LatentClassFit> fits;  // one per K tried, in increasing K
  std::size_t selected = 0;          // index in `fits` of the model reported
  ProfileInterval interval;          // of the selected model
  // Standard error of N̂ from the curvature of the profile log-likelihood at its maximum
  // (its inverse observed information); used to add strata up.
  double std_error = 0;
};

// Largest K that leaves at least one degree of freedom with k lists: K(k + 1) <= 2^k − 2.
// (k = 3: 1; k = 4: 2; k = 5: 4.)
int MaxIdentifiableClasses(int k);

// Fits the model with `classes` latent classes. InvalidInput for invalid histories (fewer
// than 3 lists, see Validate), no individual observed, or classes outside
// 1..MaxIdentifiableClasses(k) (field "classes").
Result<LatentClassFit> FitLatentClass(const CaptureHistories& histories, int classes,
                                      const LatentClassOptions& options = {});

// Multinomial profile-likelihood interval of a fitted model. InvalidInput as FitLatentClass,
// or for a level outside (0, 1).
Result<ProfileInterval> LatentClassProfileInterval(const CaptureHistories& histories,
                                                   const LatentClassFit& fit,
                                                   const LatentClassOptions& options = {});

// Fits options.classes, or every identifiable K up to max_classes and selects one by the
// criterion (fits that did not converge are not selected unless nothing else is left), and
// computes the selected model's profile interval and standard error. Errors as FitLatentClass.
Result<LatentClassEstimate> EstimateLatentClass(const CaptureHistories& histories,
                                                const LatentClassOptions& options = {});

}  // namespace memoria::estimate
