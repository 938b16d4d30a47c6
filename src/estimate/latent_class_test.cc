#include "estimate/latent_class.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/csv.h"
#include "estimate/capture_histories.h"
#include "estimate/reference_datasets.h"

namespace memoria::estimate {
namespace {

using reference::Dataset;
using reference::kDatasets;
using reference::kMseDir;

// The row of a reference CSV whose `key` column equals `value`, as named columns.
std::map<std::string, std::string> FindRow(const std::string& path, const std::string& key,
                                           const std::string& value, const std::string& key2 = "",
                                           const std::string& value2 = "") {
  auto reader = CsvReader::Open(path);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return {};
  std::vector<std::string> fields;
  while (true) {
    auto next = (*reader)->Next(fields);
    EXPECT_TRUE(next.ok()) << next.status().ToString();
    if (!next.ok() || !*next) break;
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < fields.size(); ++i) row[(*reader)->header()[i]] = fields[i];
    if (row[key] == value && (key2.empty() || row[key2] == value2)) return row;
  }
  ADD_FAILURE() << "no row " << key << "=" << value << " in " << path;
  return {};
}

double RelErr(double got, double want) {
  return std::abs(got - want) / std::max(1.0, std::abs(want));
}

std::string IndependenceName(int k) {
  std::string s = "[";
  for (int j = 1; j <= k; ++j) s += (j > 1 ? "," : "") + std::to_string(j);
  return s + "]";
}

// One latent class is the independence model: N̂, deviance, AIC and BIC must equal
// Rcapture's closedpMS.t and the profile interval its closedpCI.t, on every dataset.
class OneClass : public ::testing::TestWithParam<Dataset> {};

TEST_P(OneClass, IsRcaptureIndependenceModel) {
  const Dataset& d = GetParam();
  auto read = ReadCaptureHistoriesCsv(kMseDir + d.file);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  const CaptureHistories& h = read->front();
  const std::string model = IndependenceName(h.k());

  auto fit = FitLatentClass(h, 1);
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_TRUE(fit->converged);
  const auto ms =
      FindRow(kMseDir + "reference/rcapture_closedpMS_" + d.name + ".csv", "model", model);
  EXPECT_LT(RelErr(fit->estimate, std::stod(ms.at("abundance"))), 1e-6);
  EXPECT_LT(RelErr(fit->deviance, std::stod(ms.at("deviance"))), 1e-6);
  EXPECT_LT(RelErr(fit->aic, std::stod(ms.at("AIC"))), 1e-6);
  EXPECT_LT(RelErr(fit->bic, std::stod(ms.at("BIC"))), 1e-6);
  EXPECT_EQ(fit->df, std::stoi(ms.at("df")));

  auto interval = LatentClassProfileInterval(h, *fit);
  ASSERT_TRUE(interval.ok()) << interval.status().ToString();
  const auto ci =
      FindRow(kMseDir + "reference/rcapture_profileCI.csv", "dataset", d.name, "model", model);
  EXPECT_LT(RelErr(interval->estimate, std::stod(ci.at("N_multinomial"))), 1e-3);
  EXPECT_LT(RelErr(interval->lower, std::stod(ci.at("lower95"))), 1e-3);
  EXPECT_LT(RelErr(interval->upper, std::stod(ci.at("upper95"))), 1e-3);
  EXPECT_TRUE(interval->upper_bounded);
  EXPECT_FALSE(interval->lower_at_observed);
}

INSTANTIATE_TEST_SUITE_P(Rcapture, OneClass, ::testing::ValuesIn(kDatasets),
                         [](const auto& info) { return std::string(info.param.name); });

// Expected counts (rounded) of N people from a K-class model over J lists; λ[k][j].
CaptureHistories ExpectedTable(double N, const std::vector<double>& pi,
                               const std::vector<std::vector<double>>& lambda) {
  const int J = static_cast<int>(lambda[0].size());
  CaptureHistories h;
  for (int j = 0; j < J; ++j) h.lists.push_back("L" + std::to_string(j + 1));
  h.counts.assign(std::size_t{1} << J, 0.0);
  for (unsigned x = 1; x < (1u << J); ++x) {
    double p = 0;
    for (std::size_t k = 0; k < pi.size(); ++k) {
      double v = pi[k];
      for (int j = 0; j < J; ++j) v *= (x >> j & 1u) ? lambda[k][j] : 1 - lambda[k][j];
      p += v;
    }
    h.counts[x] = std::round(N * p);
  }
  return h;
}

TEST(LatentClass, RecoversTwoClassPopulationWhereIndependenceFails) {
  // 100,000 people: 40% documented often, 60% rarely, five lists.
  const std::vector<double> pi = {0.4, 0.6};
  const std::vector<std::vector<double>> lambda = {{0.60, 0.45, 0.50, 0.35, 0.55},
                                                   {0.20, 0.30, 0.10, 0.25, 0.15}};
  const CaptureHistories h = ExpectedTable(100000, pi, lambda);

  auto two = FitLatentClass(h, 2);
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  EXPECT_TRUE(two->converged);
  EXPECT_NEAR(two->estimate, 100000, 300);
  ASSERT_EQ(two->weights.size(), 2u);
  EXPECT_NEAR(two->weights[0], 0.6, 0.01);  // sorted by weight: the rarely documented first
  EXPECT_NEAR(two->capture[0 * 5 + 2], 0.10, 0.005);
  EXPECT_NEAR(two->capture[1 * 5 + 0], 0.60, 0.005);
  EXPECT_LT(two->deviance, 1.0);  // only rounding left
  EXPECT_EQ(two->df, 31 - 12);

  auto one = FitLatentClass(h, 1);
  ASSERT_TRUE(one.ok());
  EXPECT_LT(one->estimate, 92000);  // heterogeneity hides people from the independence model
  EXPECT_GT(one->deviance, 1000);

  auto est = EstimateLatentClass(h);
  ASSERT_TRUE(est.ok()) << est.status().ToString();
  ASSERT_EQ(est->fits.size(), 4u);  // K = 1..4 with five lists
  EXPECT_EQ(est->fits[est->selected].classes, 2);
  EXPECT_TRUE(est->interval.upper_bounded);
  EXPECT_LT(est->interval.lower, 100000);
  EXPECT_GT(est->interval.upper, 100000);
  EXPECT_LT(est->interval.upper - est->interval.lower, 10000);
  // The profile's curvature and its interval tell the same story for a well-identified model.
  EXPECT_NEAR(est->std_error * 2 * 1.96, est->interval.upper - est->interval.lower,
              0.25 * (est->interval.upper - est->interval.lower));
}

TEST(LatentClass, SameInputSameResult) {
  const CaptureHistories h =
      ExpectedTable(3000, {0.3, 0.7}, {{0.45, 0.45, 0.45, 0.45}, {0.12, 0.12, 0.12, 0.12}});
  LatentClassOptions o;
  o.classes = 2;
  auto a = EstimateLatentClass(h, o);
  auto b = EstimateLatentClass(h, o);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->fits[0].estimate, b->fits[0].estimate);
  EXPECT_EQ(a->interval.lower, b->interval.lower);
  EXPECT_EQ(a->interval.upper, b->interval.upper);
}

TEST(LatentClass, ListOrderDoesNotMatter) {
  const std::vector<std::vector<double>> lambda = {{0.6, 0.3, 0.5, 0.2}, {0.2, 0.1, 0.15, 0.3}};
  const CaptureHistories h = ExpectedTable(5000, {0.35, 0.65}, lambda);
  std::vector<std::vector<double>> reversed = lambda;
  for (auto& row : reversed) std::reverse(row.begin(), row.end());
  const CaptureHistories r = ExpectedTable(5000, {0.35, 0.65}, reversed);
  auto a = FitLatentClass(h, 2);
  auto b = FitLatentClass(r, 2);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NEAR(a->estimate, b->estimate, 1e-4 * a->estimate);
  EXPECT_NEAR(a->log_likelihood, b->log_likelihood, 1e-6);
}

TEST(LatentClass, IdentifiableClasses) {
  EXPECT_EQ(MaxIdentifiableClasses(3), 1);
  EXPECT_EQ(MaxIdentifiableClasses(4), 2);
  EXPECT_EQ(MaxIdentifiableClasses(5), 4);
  EXPECT_EQ(MaxIdentifiableClasses(6), 4);
  EXPECT_EQ(MaxIdentifiableClasses(7), 8);
}

TEST(LatentClass, RejectsBadInput) {
  const CaptureHistories h =
      ExpectedTable(2000, {0.5, 0.5}, {{0.5, 0.4, 0.3, 0.2}, {0.1, 0.2, 0.1, 0.2}});
  auto too_many = FitLatentClass(h, 3);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(too_many.status().ToString().find("classes"), std::string::npos);
  EXPECT_NE(too_many.status().message().find("1 to 2"), std::string::npos);
  EXPECT_FALSE(FitLatentClass(h, 0).ok());

  CaptureHistories two_lists;
  two_lists.lists = {"a", "b"};
  two_lists.counts = {0, 10, 20, 5};
  EXPECT_FALSE(FitLatentClass(two_lists, 1).ok());

  CaptureHistories seen_nowhere = h;
  seen_nowhere.counts[0] = 3;
  EXPECT_FALSE(FitLatentClass(seen_nowhere, 1).ok());

  CaptureHistories empty = h;
  std::fill(empty.counts.begin(), empty.counts.end(), 0.0);
  EXPECT_FALSE(FitLatentClass(empty, 1).ok());

  auto fit = FitLatentClass(h, 1);
  ASSERT_TRUE(fit.ok());
  LatentClassOptions bad_level;
  bad_level.level = 1.5;
  auto interval = LatentClassProfileInterval(h, *fit, bad_level);
  ASSERT_FALSE(interval.ok());
  EXPECT_NE(interval.status().ToString().find("level"), std::string::npos);

  LatentClassOptions negative;
  negative.classes = -1;
  EXPECT_FALSE(EstimateLatentClass(h, negative).ok());
}

}  // namespace
}  // namespace memoria::estimate
