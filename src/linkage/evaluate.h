// Pairwise quality of a clustering against ground truth: precision, recall and F1 over the
// unordered record pairs placed in one cluster.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace memoria::linkage {

struct PairwiseMetrics {
  std::int64_t true_pairs = 0;       // pairs in the same true entity
  std::int64_t predicted_pairs = 0;  // pairs in the same predicted cluster
  std::int64_t correct_pairs = 0;    // both
  double precision = 0;              // correct / predicted (1 when nothing is predicted)
  double recall = 0;                 // correct / true (1 when there are no true pairs)
  double f1 = 0;
};

// `cluster[i]` and `truth[i]` label record i (same length). With `source` non-empty, only
// pairs whose sources differ count (two-file linkage: within-file pairs are not the task).
PairwiseMetrics EvaluatePairwise(const std::vector<std::uint32_t>& cluster,
                                 const std::vector<std::string>& truth,
                                 const std::vector<std::uint32_t>& source = {});

}  // namespace memoria::linkage
