// Clustering linked pairs into persons: connected components (union-find) of the links, with
// a guard against chaining.
//
// The guard (ClusterSettings in settings.h): a component is split while it
//   - is larger than max_size (when max_size > 0), or
//   - has at least 3 records and links fewer than min_density of its record pairs, or
//   - contains two records a reviewer rejected as the same person;
// splitting removes the component's weakest link(s) (lowest probability; accepted links are
// never removed) and recomputes its components. A reviewer's accepted link is always kept.
#pragma once

#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

#include "linkage/settings.h"

namespace memoria::linkage {

// Disjoint sets over record indices 0..n-1 (path halving, union by rank).
class UnionFind {
 public:
  explicit UnionFind(std::size_t n) : parent_(n), rank_(n, 0) {
    std::iota(parent_.begin(), parent_.end(), 0u);
  }
  std::uint32_t Find(std::uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void Union(std::uint32_t a, std::uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return;
    if (rank_[a] < rank_[b]) std::swap(a, b);
    parent_[b] = a;
    if (rank_[a] == rank_[b]) ++rank_[a];
  }

 private:
  std::vector<std::uint32_t> parent_;
  std::vector<std::uint8_t> rank_;
};

struct Link {
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  double probability = 0;
  bool accepted = false;  // a reviewer's decision: never removed by the guard
};

struct ClusterStats {
  std::int64_t components_split = 0;  // components the guard split
  std::int64_t links_removed = 0;     // links it removed
};

// Cluster id per record in [0, number of clusters), numbered by each cluster's first record.
// `cannot_link` holds record pairs that must end in different clusters (rejected decisions);
// a pair joined only by accepted links stays together.
std::vector<std::uint32_t> ClusterRecords(
    std::size_t num_records, std::vector<Link> links,
    const std::vector<std::pair<std::uint32_t, std::uint32_t>>& cannot_link,
    const ClusterSettings& settings, ClusterStats* stats = nullptr);

}  // namespace memoria::linkage
