#include "estimate/dga.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "estimate/reference_datasets.h"

namespace memoria::estimate {
namespace {

using reference::kMseDir;

std::vector<std::string> Split(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.push_back(field);
      field.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  out.push_back(field);
  return out;
}

// A list file (0/1 columns then `count`): bit j of the pattern is column j.
CaptureHistories ReadLists(const std::string& file) {
  std::ifstream in(kMseDir + file);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header = Split(line);
  CaptureHistories h;
  h.lists.assign(header.begin(), header.end() - 1);
  h.counts.assign(std::size_t{1} << h.lists.size(), 0.0);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> f = Split(line);
    unsigned pattern = 0;
    for (std::size_t j = 0; j + 1 < f.size(); ++j) {
      if (f[j] == "1") pattern |= 1u << j;
    }
    h.counts[pattern] += std::stod(f.back());
  }
  return h;
}

std::map<std::int64_t, double> ReadPosterior(const std::string& file) {
  std::ifstream in(kMseDir + "reference/" + file);
  std::string line;
  std::getline(in, line);
  std::map<std::int64_t, double> out;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> f = Split(line);
    out[std::stoll(f[0])] = std::stod(f[1]);
  }
  return out;
}

struct RefModel {
  std::string cliques;
  double posterior, expected_n;
};
std::map<int, RefModel> ReadModels(const std::string& file) {
  std::ifstream in(kMseDir + "reference/" + file);
  std::string line;
  std::getline(in, line);
  std::map<int, RefModel> out;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> f = Split(line);
    out[std::stoi(f[0])] = {f[1], std::stod(f[2]), std::stod(f[3])};
  }
  return out;
}

// The reference grids of n₀ are 0..2000 (spina bifida), 0..5000 (hepatitis A), 0..60000 (HIV;
// the rows <= 1e-12 are dropped from the file, and 60000 is the end that reproduces dga's
// E[N | G] of the low-weight models, which depend on where the grid stops) and 1..300.
class DgaReferenceTest : public ::testing::Test {
 protected:
  void SetUp() override {}

  // Compares a run with dga's posterior of N (1e-8 absolute on every grid point, dropped
  // reference rows being <= 1e-12) and its model weights (1e-8) and E[N | G] (2 decimals).
  void Check(const std::string& data_file, const std::string& label, const DgaOptions& options,
             std::int64_t grid_max_n0) {
    CaptureHistories h = ReadLists(data_file);
    DgaOptions o = options;
    o.n0_max = grid_max_n0;
    auto r = EstimateDga(h, o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    auto ref = ReadPosterior("dga_posteriorN_" + label + ".csv");
    ASSERT_FALSE(ref.empty());
    const GridPosterior& post = r->posterior_N;
    double total = 0;
    for (std::size_t i = 0; i < post.prob.size(); ++i) {
      const std::int64_t N = post.n_min + static_cast<std::int64_t>(i);
      total += post.prob[i];
      auto it = ref.find(N);
      const double expected = it == ref.end() ? 0.0 : it->second;
      ASSERT_NEAR(post.prob[i], expected, it == ref.end() ? 1e-12 : 1e-8) << "N = " << N;
    }
    EXPECT_NEAR(total, 1.0, 1e-12);
    for (const auto& [N, p] : ref) {
      EXPECT_GE(N, post.n_min);
      EXPECT_LT(N, post.n_min + static_cast<std::int64_t>(post.prob.size()));
    }
    auto models = ReadModels("dga_modelweights_" + label + ".csv");
    ASSERT_EQ(models.size(), r->models.size());
    for (const DgaModel& m : r->models) {
      auto it = models.find(m.index);
      ASSERT_NE(it, models.end()) << m.index;
      EXPECT_EQ(m.cliques, it->second.cliques) << m.index;
      EXPECT_NEAR(m.posterior, it->second.posterior, 1e-8) << m.cliques;
      EXPECT_NEAR(m.expected_N, it->second.expected_n, 0.0051) << m.cliques;
    }
    for (std::size_t i = 1; i < r->models.size(); ++i) {
      EXPECT_GE(r->models[i - 1].posterior, r->models[i].posterior);
    }
  }
};

TEST_F(DgaReferenceTest, SpinaBifidaDeltaOneEighth) {
  DgaOptions o;
  o.delta = 1.0 / 8;
  Check("spina_bifida_dga_3lists.csv", "spina_bifida_delta1over8", o, 2000);
}

TEST_F(DgaReferenceTest, HepatitisADeltaOneEighth) {
  DgaOptions o;  // default δ = 2^-3
  Check("hepatitis_a_taiwan_care1_3lists.csv", "hepatitis_a_delta1over8", o, 5000);
}

TEST_F(DgaReferenceTest, HivDeltaOneSixteenth) {
  DgaOptions o;  // default δ = 2^-4
  Check("hiv_rcapture.csv", "hiv_delta1over16", o, 60000);
}

TEST_F(DgaReferenceTest, CongenitalFiveListsDeltaHalfGrid1To300) {
  DgaOptions o;
  o.delta = 0.5;
  o.n0_min = 1;
  Check("congenital_anomaly_care1_5lists.csv", "congenital_delta0.5_grid1to300", o, 300);
}

TEST_F(DgaReferenceTest, SpinaBifidaNegativeBinomialPrior) {
  DgaOptions o;
  o.delta = 1;
  o.prior = DgaPriorN::kNegativeBinomial;  // a = 13.14, b = 55.17 as in dga's example
  o.n0_min = 1;
  Check("spina_bifida_dga_3lists.csv", "spina_bifida_delta1_negbinprior_grid1to300", o, 300);
}

TEST_F(DgaReferenceTest, AutomaticGridCoversTheTail) {
  CaptureHistories h = ReadLists("hiv_rcapture.csv");
  auto r = EstimateDga(h, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_LT(r->tail_mass, 1e-10);
  EXPECT_DOUBLE_EQ(r->delta, 1.0 / 16);
  EXPECT_EQ(r->posterior_N.n_min, 1896);
  // Median and interval are where the reference distribution puts them.
  auto ref = ReadPosterior("dga_posteriorN_hiv_delta1over16.csv");
  double cum = 0;
  double ref_median = 0;
  for (const auto& [N, p] : ref) {
    cum += p;
    if (cum >= 0.5) {
      ref_median = static_cast<double>(N);
      break;
    }
  }
  EXPECT_EQ(r->summary.median, ref_median);
  EXPECT_LT(r->summary.lower, r->summary.median);
  EXPECT_GT(r->summary.upper, r->summary.median);
}

CaptureHistories SpinaBifida() {
  CaptureHistories h;
  h.lists = {"L1", "L2", "L3"};
  h.counts = {0, 60, 49, 4, 247, 112, 142, 12};
  return h;
}

// The dga package's own unit test: δ = 1, the negative-binomial prior, grid 1..300 on the
// spina bifida data (top model weight ≈ 0.37; E[N] under the top models 731, 729, 728 at
// slightly different settings). We check the posterior mean is in that neighbourhood and the
// top weight.
TEST(DgaTest, SpinaBifidaPackageExample) {
  DgaOptions o;
  o.delta = 1;
  o.prior = DgaPriorN::kNegativeBinomial;
  o.n0_min = 1;
  o.n0_max = 300;
  auto r = EstimateDga(SpinaBifida(), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NEAR(r->models[0].posterior, 0.37, 0.005);
  EXPECT_EQ(r->models[0].cliques, "[12,3]");
  EXPECT_NEAR(r->summary.mean, 731, 5);
  EXPECT_EQ(r->posterior_N.n_min, 627);
  EXPECT_EQ(r->posterior_N.prob.size(), 300u);
}

TEST(DgaTest, UniformModelPriorEqualsExplicitZeros) {
  DgaOptions a;
  a.n0_max = 2000;
  DgaOptions b = a;
  b.log_prior_models.assign(8, 0.0);
  auto ra = EstimateDga(SpinaBifida(), a);
  auto rb = EstimateDga(SpinaBifida(), b);
  ASSERT_TRUE(ra.ok() && rb.ok());
  EXPECT_EQ(ra->posterior_N.prob, rb->posterior_N.prob);
  // Excluding every graph but the independence model gives that model weight 1.
  b.log_prior_models.assign(8, -std::numeric_limits<double>::infinity());
  b.log_prior_models[0] = 0;
  auto rc = EstimateDga(SpinaBifida(), b);
  ASSERT_TRUE(rc.ok());
  EXPECT_EQ(rc->models[0].index, 1);
  EXPECT_DOUBLE_EQ(rc->models[0].posterior, 1.0);
}

TEST(DgaTest, RejectsBadInput) {
  CaptureHistories two;
  two.lists = {"a", "b"};
  two.counts = {0, 1, 2, 3};
  EXPECT_EQ(EstimateDga(two, {}).status().code(), ErrorCode::kInvalidInput);

  CaptureHistories h = SpinaBifida();
  h.counts.pop_back();
  EXPECT_EQ(EstimateDga(h, {}).status().code(), ErrorCode::kInvalidInput);

  h = SpinaBifida();
  h.counts[3] = -1;
  EXPECT_EQ(EstimateDga(h, {}).status().code(), ErrorCode::kInvalidInput);
  h.counts[3] = 2.5;
  EXPECT_EQ(EstimateDga(h, {}).status().code(), ErrorCode::kInvalidInput);

  h = SpinaBifida();
  h.counts[0] = 5;
  auto r = EstimateDga(h, {});
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(r.status().location().field, "counts");

  h.counts.assign(8, 0.0);
  EXPECT_EQ(EstimateDga(h, {}).status().code(), ErrorCode::kInvalidInput);

  DgaOptions o;
  o.n0_min = 10;
  o.n0_max = 5;
  EXPECT_EQ(EstimateDga(SpinaBifida(), o).status().code(), ErrorCode::kInvalidInput);
  o = {};
  o.log_prior_models = {0, 0};
  EXPECT_EQ(EstimateDga(SpinaBifida(), o).status().code(), ErrorCode::kInvalidInput);
  o = {};
  o.prior = DgaPriorN::kNegativeBinomial;
  o.prior_a = 0;
  EXPECT_EQ(EstimateDga(SpinaBifida(), o).status().code(), ErrorCode::kInvalidInput);
}

TEST(GridPosteriorTest, SummarizeAndConvolve) {
  GridPosterior a{10, {0.25, 0.5, 0.25}};  // 10, 11, 12
  auto s = a.Summarize();
  ASSERT_TRUE(s.ok());
  EXPECT_DOUBLE_EQ(s->mean, 11);
  EXPECT_EQ(s->median, 11);
  EXPECT_EQ(s->lower, 10);
  EXPECT_EQ(s->upper, 12);

  GridPosterior b{100, {0.5, 0.5}};  // 100, 101
  auto c = ConvolvePosteriors(a, b);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->n_min, 110);
  ASSERT_EQ(c->prob.size(), 4u);
  EXPECT_DOUBLE_EQ(c->prob[0], 0.125);
  EXPECT_DOUBLE_EQ(c->prob[1], 0.375);
  EXPECT_DOUBLE_EQ(c->prob[2], 0.375);
  EXPECT_DOUBLE_EQ(c->prob[3], 0.125);
  auto cs = c->Summarize();
  ASSERT_TRUE(cs.ok());
  EXPECT_DOUBLE_EQ(cs->mean, 11 + 100.5);

  EXPECT_EQ(ConvolvePosteriors(GridPosterior{}, b).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(GridPosterior{}.Summarize().status().code(), ErrorCode::kInvalidInput);
}

TEST(GridPosteriorTest, ConvolutionOfStrataMatchesWholeMeans) {
  DgaOptions o;
  o.n0_max = 3000;
  auto r = EstimateDga(SpinaBifida(), o);
  ASSERT_TRUE(r.ok());
  auto c = ConvolvePosteriors(r->posterior_N, r->posterior_N);
  ASSERT_TRUE(c.ok());
  auto s = c->Summarize();
  ASSERT_TRUE(s.ok());
  EXPECT_NEAR(s->mean, 2 * r->summary.mean, 1e-6 * r->summary.mean);
  double total = 0;
  for (double p : c->prob) total += p;
  EXPECT_NEAR(total, 1.0, 1e-12);
}

}  // namespace
}  // namespace memoria::estimate
