#include "linkage/cluster.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace memoria::linkage {
namespace {

using Pair = std::pair<std::uint32_t, std::uint32_t>;

struct Guard {
  const ClusterSettings& settings;
  ClusterStats stats;
  // Output: groups of records that form final clusters.
  std::vector<std::vector<std::uint32_t>> groups;

  bool Violates(const std::vector<std::uint32_t>& records, const std::vector<Link>& links,
                const std::vector<Pair>& cannot) const {
    const auto n = static_cast<std::int64_t>(records.size());
    if (settings.max_size > 0 && n > settings.max_size) return true;
    if (settings.min_density > 0 && n >= 3) {
      double density = static_cast<double>(links.size()) / (static_cast<double>(n) * (n - 1) / 2);
      if (density < settings.min_density) return true;
    }
    return !cannot.empty();
  }

  // Splits one component (records, its links, cannot-link pairs within it) until no part
  // violates the rules or only accepted links remain.
  void Resolve(std::vector<std::uint32_t> records, std::vector<Link> links,
               std::vector<Pair> cannot) {
    if (records.size() < 2 || !Violates(records, links, cannot)) {
      groups.push_back(std::move(records));
      return;
    }
    // Remove the weakest removable links: one at a time for small components, a twentieth at a
    // time for large ones (bounded cost).
    std::vector<std::size_t> removable;
    for (std::size_t i = 0; i < links.size(); ++i) {
      if (!links[i].accepted) removable.push_back(i);
    }
    if (removable.empty()) {
      groups.push_back(std::move(records));
      return;
    }
    std::sort(removable.begin(), removable.end(), [&](std::size_t x, std::size_t y) {
      return links[x].probability != links[y].probability
                 ? links[x].probability < links[y].probability
                 : x < y;
    });
    std::size_t batch = std::max<std::size_t>(1, links.size() / 20);
    batch = std::min(batch, removable.size());
    std::vector<bool> drop(links.size(), false);
    for (std::size_t i = 0; i < batch; ++i) drop[removable[i]] = true;
    std::vector<Link> kept;
    for (std::size_t i = 0; i < links.size(); ++i) {
      if (!drop[i]) kept.push_back(links[i]);
    }
    stats.links_removed += static_cast<std::int64_t>(batch);
    // Recompute components over local indices.
    std::unordered_map<std::uint32_t, std::uint32_t> local;
    for (std::uint32_t i = 0; i < records.size(); ++i) local[records[i]] = i;
    UnionFind uf(records.size());
    for (const auto& l : kept) uf.Union(local[l.a], local[l.b]);
    std::unordered_map<std::uint32_t, std::size_t> part_of;
    std::vector<std::vector<std::uint32_t>> parts;
    for (std::uint32_t r : records) {
      auto [it, ins] = part_of.emplace(uf.Find(local[r]), parts.size());
      if (ins) parts.emplace_back();
      parts[it->second].push_back(r);
    }
    if (parts.size() > 1) ++stats.components_split;
    std::vector<std::vector<Link>> part_links(parts.size());
    for (const auto& l : kept) part_links[part_of[uf.Find(local[l.a])]].push_back(l);
    std::vector<std::vector<Pair>> part_cannot(parts.size());
    for (const auto& c : cannot) {
      std::size_t pa = part_of[uf.Find(local[c.first])], pb = part_of[uf.Find(local[c.second])];
      if (pa == pb) part_cannot[pa].push_back(c);
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
      Resolve(std::move(parts[i]), std::move(part_links[i]), std::move(part_cannot[i]));
    }
  }
};

}  // namespace

std::vector<std::uint32_t> ClusterRecords(std::size_t n, std::vector<Link> links,
                                          const std::vector<Pair>& cannot_link,
                                          const ClusterSettings& settings, ClusterStats* stats) {
  UnionFind uf(n);
  for (const auto& l : links) uf.Union(l.a, l.b);
  // Components with more than one record, with their links and cannot-link pairs.
  std::unordered_map<std::uint32_t, std::size_t> comp_of;
  std::vector<std::vector<std::uint32_t>> comps;
  for (std::uint32_t r = 0; r < n; ++r) {
    std::uint32_t root = uf.Find(r);
    auto [it, ins] = comp_of.emplace(root, comps.size());
    if (ins) comps.emplace_back();
    comps[it->second].push_back(r);
  }
  std::vector<std::vector<Link>> comp_links(comps.size());
  for (const auto& l : links) comp_links[comp_of[uf.Find(l.a)]].push_back(l);
  std::vector<std::vector<Pair>> comp_cannot(comps.size());
  for (const auto& c : cannot_link) {
    if (c.first >= n || c.second >= n) continue;
    std::size_t ca = comp_of[uf.Find(c.first)];
    if (ca == comp_of[uf.Find(c.second)]) comp_cannot[ca].push_back(c);
  }
  Guard guard{settings, {}, {}};
  for (std::size_t i = 0; i < comps.size(); ++i) {
    guard.Resolve(std::move(comps[i]), std::move(comp_links[i]), std::move(comp_cannot[i]));
  }
  // Number clusters by their first record.
  std::vector<std::uint32_t> label(n, 0);
  std::vector<std::uint32_t> first(guard.groups.size());
  for (std::size_t g = 0; g < guard.groups.size(); ++g) {
    first[g] = *std::min_element(guard.groups[g].begin(), guard.groups[g].end());
  }
  std::vector<std::size_t> order(guard.groups.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t x, std::size_t y) { return first[x] < first[y]; });
  for (std::size_t i = 0; i < order.size(); ++i) {
    for (std::uint32_t r : guard.groups[order[i]]) label[r] = static_cast<std::uint32_t>(i);
  }
  if (stats) *stats = guard.stats;
  return label;
}

}  // namespace memoria::linkage
