// The Fellegi–Sunter model: per comparison level, m = P(level | match) and u = P(level |
// non-match); a pair's match weight is log2(prior odds) + sum over comparisons of
// log2(m / u) (0 for the null level), with term-frequency adjustment; its match probability is
// 2^w / (1 + 2^w).
//
// Training (docs/linkage.md, "Method"):
//  - u from random pairs (sampled with a seeded generator; all pairs when there are few).
//  - m by EM with u fixed, in one session per training blocking rule; a session leaves out the
//    comparisons that use the rule's key columns (those agree by construction inside the
//    rule's blocks) and each comparison's m is the mean over the sessions that estimated it.
//  - or m from labelled pairs, when labels are given.
//  - the prior (probability that two random records match): settings.training.prior, or
//    estimated as matches in a rule's blocks (EM) / that rule's recall (the share of matches
//    agreeing on its key, measured in the other sessions) / all pairs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "linkage/blocking.h"
#include "linkage/comparison.h"
#include "linkage/records.h"
#include "linkage/settings.h"

namespace memoria::linkage {

struct ComparisonParams {
  std::vector<double> m;  // per level; index 0 (null) unused
  std::vector<double> u;
};

// What one EM session found (diagnostics, written to the run report).
struct EmSession {
  std::string rule;
  std::int64_t pairs = 0;       // pairs in the rule's blocks
  std::int64_t pairs_used = 0;  // after sampling (em_max_pairs)
  int iterations = 0;
  double match_share = 0;              // lambda within the rule's blocks
  std::vector<std::string> estimated;  // comparisons whose m this session estimated
};

struct Model {
  double prior = 0;  // probability that two random records match
  std::vector<ComparisonParams> params;
  std::vector<EmSession> sessions;
  std::int64_t u_pairs_sampled = 0;
  std::int64_t total_pairs = 0;       // all pairs the link type allows
  std::vector<std::string> warnings;  // e.g. an m left at its starting values
};

// A labelled record pair (indices into the table).
struct LabelledPair {
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  bool match = false;
};

// Trains the model. `labels` (may be empty) replace EM for m. `threads` >= 1.
// Errors: InvalidInput when a comparison's m cannot be estimated (every training rule uses its
// columns and it has no m_start) or when there are fewer than two records.
Result<Model> TrainModel(const Settings& settings, const RecordTable& table,
                         const Comparator& comparator, const Blocker& blocker,
                         const std::vector<LabelledPair>& labels, int threads);

// Match weight of a pair given its levels; fills per_comparison[k] (may be null) with each
// comparison's contribution (term-frequency adjustment included).
double MatchWeight(const Settings& settings, const Model& model, const Comparator& comparator,
                   std::uint32_t a, std::uint32_t b, const std::uint8_t* levels,
                   double* per_comparison);

// 2^w / (1 + 2^w), computed without overflow.
double WeightToProbability(double weight);

}  // namespace memoria::linkage
