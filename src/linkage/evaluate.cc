#include "linkage/evaluate.h"

#include <map>
#include <tuple>
#include <unordered_map>

namespace memoria::linkage {
namespace {

std::int64_t Choose2(std::int64_t n) { return n * (n - 1) / 2; }

// Number of pairs sharing a label, minus those that also share a source when `source` is set.
template <typename Key>
std::int64_t PairsSharing(const std::vector<Key>& keys, const std::vector<std::uint32_t>& source) {
  std::map<Key, std::int64_t> all;
  for (const auto& k : keys) ++all[k];
  std::int64_t total = 0;
  for (const auto& [k, c] : all) total += Choose2(c);
  if (!source.empty()) {
    std::map<std::pair<Key, std::uint32_t>, std::int64_t> same;
    for (std::size_t i = 0; i < keys.size(); ++i) ++same[{keys[i], source[i]}];
    for (const auto& [k, c] : same) total -= Choose2(c);
  }
  return total;
}

}  // namespace

PairwiseMetrics EvaluatePairwise(const std::vector<std::uint32_t>& cluster,
                                 const std::vector<std::string>& truth,
                                 const std::vector<std::uint32_t>& source) {
  PairwiseMetrics m;
  m.predicted_pairs = PairsSharing(cluster, source);
  m.true_pairs = PairsSharing(truth, source);
  std::vector<std::pair<std::uint32_t, std::string>> both;
  both.reserve(cluster.size());
  for (std::size_t i = 0; i < cluster.size(); ++i) both.emplace_back(cluster[i], truth[i]);
  m.correct_pairs = PairsSharing(both, source);
  m.precision = m.predicted_pairs > 0
                    ? static_cast<double>(m.correct_pairs) / static_cast<double>(m.predicted_pairs)
                    : 1.0;
  m.recall = m.true_pairs > 0
                 ? static_cast<double>(m.correct_pairs) / static_cast<double>(m.true_pairs)
                 : 1.0;
  m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall) : 0;
  return m;
}

}  // namespace memoria::linkage
