#include "linkage/cluster.h"

#include <gtest/gtest.h>

namespace memoria::linkage {
namespace {

TEST(ClusterTest, ConnectedComponentsNumberedByFirstRecord) {
  std::vector<Link> links = {{3, 4, 0.99, false}, {0, 2, 0.95, false}, {2, 5, 0.97, false}};
  auto c = ClusterRecords(6, links, {}, ClusterSettings{});
  EXPECT_EQ(c, (std::vector<std::uint32_t>{0, 1, 0, 2, 2, 0}));
}

TEST(ClusterTest, SizeGuardCutsTheWeakestLinkOfAChain) {
  // 0-1-2-3-4 chain; the weak middle link goes when clusters may hold at most 3 records.
  std::vector<Link> links = {
      {0, 1, 0.99, false}, {1, 2, 0.98, false}, {2, 3, 0.91, false}, {3, 4, 0.99, false}};
  ClusterSettings s;
  s.max_size = 3;
  ClusterStats stats;
  auto c = ClusterRecords(5, links, {}, s, &stats);
  EXPECT_EQ(c, (std::vector<std::uint32_t>{0, 0, 0, 1, 1}));
  EXPECT_EQ(stats.links_removed, 1);
  EXPECT_EQ(stats.components_split, 1);
}

TEST(ClusterTest, DensityGuardSplitsSparseChains) {
  // Two triangles joined by one weak link: 7 links over 15 pairs (density 0.47).
  std::vector<Link> links = {{0, 1, 0.99, false}, {1, 2, 0.99, false}, {0, 2, 0.99, false},
                             {3, 4, 0.99, false}, {4, 5, 0.99, false}, {3, 5, 0.99, false},
                             {2, 3, 0.92, false}};
  ClusterSettings s;
  s.min_density = 0.5;
  auto c = ClusterRecords(6, links, {}, s);
  EXPECT_EQ(c, (std::vector<std::uint32_t>{0, 0, 0, 1, 1, 1}));
  s.min_density = 0.4;  // dense enough: kept whole
  EXPECT_EQ(ClusterRecords(6, links, {}, s), (std::vector<std::uint32_t>(6, 0)));
}

TEST(ClusterTest, RejectedPairEndsInDifferentClustersAcceptedLinksStay) {
  std::vector<Link> links = {{0, 1, 0.99, false}, {1, 2, 0.93, false}, {2, 3, 1.0, true}};
  auto c = ClusterRecords(4, links, {{0, 3}}, ClusterSettings{});
  EXPECT_NE(c[0], c[3]);
  EXPECT_EQ(c[2], c[3]);  // accepted link kept
  EXPECT_EQ(c[0], c[1]);  // the weaker 1-2 link was cut
  // Only accepted links join them: the rejection cannot be honoured, nothing is cut.
  auto d = ClusterRecords(2, {{0, 1, 1.0, true}}, {{0, 1}}, ClusterSettings{});
  EXPECT_EQ(d[0], d[1]);
}

}  // namespace
}  // namespace memoria::linkage
