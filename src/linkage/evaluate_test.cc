#include "linkage/evaluate.h"

#include <gtest/gtest.h>

namespace memoria::linkage {
namespace {

TEST(EvaluateTest, PairwisePrecisionRecallF1) {
  // Truth: {0,1,2} {3,4}; predicted: {0,1} {2,3,4}.
  auto m = EvaluatePairwise({0, 0, 1, 1, 1}, {"a", "a", "a", "b", "b"});
  EXPECT_EQ(m.true_pairs, 4);
  EXPECT_EQ(m.predicted_pairs, 4);
  EXPECT_EQ(m.correct_pairs, 2);
  EXPECT_DOUBLE_EQ(m.precision, 0.5);
  EXPECT_DOUBLE_EQ(m.recall, 0.5);
  EXPECT_DOUBLE_EQ(m.f1, 0.5);
}

TEST(EvaluateTest, CrossSourceOnly) {
  // Records 0,1 in source 0 and 2 in source 1, all one entity and one cluster: 2 cross pairs.
  auto m = EvaluatePairwise({0, 0, 0}, {"a", "a", "a"}, {0, 0, 1});
  EXPECT_EQ(m.true_pairs, 2);
  EXPECT_EQ(m.correct_pairs, 2);
  EXPECT_DOUBLE_EQ(m.f1, 1.0);
}

TEST(EvaluateTest, NothingPredicted) {
  auto m = EvaluatePairwise({0, 1}, {"a", "a"});
  EXPECT_DOUBLE_EQ(m.precision, 1.0);
  EXPECT_DOUBLE_EQ(m.recall, 0.0);
  EXPECT_DOUBLE_EQ(m.f1, 0.0);
}

}  // namespace
}  // namespace memoria::linkage
