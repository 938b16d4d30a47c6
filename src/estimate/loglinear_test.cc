#include "estimate/loglinear.h"

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

CaptureHistories Load(const char* file) {
  auto r = ReadCaptureHistoriesCsv(kMseDir + file);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size(), 1u);
  return r->front();
}

// Reads a reference CSV into rows of named columns.
std::vector<std::map<std::string, std::string>> ReadTable(const std::string& path) {
  std::vector<std::map<std::string, std::string>> rows;
  auto reader = CsvReader::Open(path);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return rows;
  std::vector<std::string> fields;
  while (true) {
    auto next = (*reader)->Next(fields);
    EXPECT_TRUE(next.ok()) << next.status().ToString();
    if (!next.ok() || !*next) break;
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < fields.size(); ++i) row[(*reader)->header()[i]] = fields[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

double RelErr(double got, double want) {
  return std::abs(got - want) / std::max(1.0, std::abs(want));
}

// All hierarchical models of every dataset against closedpMS.t.
class ClosedpMS : public ::testing::TestWithParam<Dataset> {};

TEST_P(ClosedpMS, EveryHierarchicalModelMatchesRcapture) {
  {
    const Dataset& d = GetParam();
    SCOPED_TRACE(d.name);
    CaptureHistories h = Load(d.file);
    auto models = EnumerateHierarchicalModels(h.k(), h.k() - 1);
    ASSERT_TRUE(models.ok());
    std::map<std::vector<std::uint32_t>, LoglinearFit> fits;
    for (const LoglinearModel& m : *models) {
      auto f = FitLoglinear(h, m);
      ASSERT_TRUE(f.ok());
      fits[m.terms] = *f;
    }
    auto rows = ReadTable(kMseDir + "reference/rcapture_closedpMS_" + d.name + ".csv");
    ASSERT_EQ(rows.size(), fits.size()) << "model count differs from Rcapture";
    double worst[6] = {0, 0, 0, 0, 0, 0};
    std::size_t checked = 0;
    for (const auto& row : rows) {
      auto m = ParseHierarchicalModel(h.k(), row.at("model"));
      ASSERT_TRUE(m.ok()) << row.at("model");
      auto it = fits.find(m->terms);
      ASSERT_NE(it, fits.end()) << row.at("model");
      const LoglinearFit& f = it->second;
      SCOPED_TRACE(row.at("model") + " infoFit " + row.at("infoFit"));
      EXPECT_EQ(f.df, std::stoi(row.at("df")));
      const double errs[6] = {RelErr(f.estimate, std::stod(row.at("abundance"))),
                              RelErr(f.deviance, std::stod(row.at("deviance"))),
                              RelErr(f.aic, std::stod(row.at("AIC"))),
                              RelErr(f.bic, std::stod(row.at("BIC"))),
                              RelErr(f.std_error, std::stod(row.at("stderr"))),
                              0};
      // N̂, deviance, AIC and BIC to 1e-6 relative for every model; SE likewise for the
      // models Rcapture fits without a warning (for boundary fits the SE is dominated by a
      // diverging coefficient and depends on where IRLS stopped).
      EXPECT_LT(errs[0], 1e-6) << f.estimate << " vs " << row.at("abundance");
      EXPECT_LT(errs[1], 1e-6) << f.deviance << " vs " << row.at("deviance");
      EXPECT_LT(errs[2], 1e-6) << f.aic << " vs " << row.at("AIC");
      EXPECT_LT(errs[3], 1e-6) << f.bic << " vs " << row.at("BIC");
      if (row.at("infoFit") == "0") {
        EXPECT_LT(errs[4], 1e-6) << f.std_error << " vs " << row.at("stderr");
      }
      for (int i = 0; i < 5; ++i) worst[i] = std::max(worst[i], errs[i]);
      ++checked;
    }
    std::printf("%-13s %5zu models: max rel err N %.1e dev %.1e AIC %.1e BIC %.1e SE %.1e\n",
                d.name, checked, worst[0], worst[1], worst[2], worst[3], worst[4]);
  }
}

INSTANTIATE_TEST_SUITE_P(Rcapture, ClosedpMS, ::testing::ValuesIn(kDatasets),
                         [](const ::testing::TestParamInfo<Dataset>& info) {
                           return std::string(info.param.name);
                         });

// The 12 models of closedp.t.
TEST(LoglinearReference, HeterogeneityModelsMatchRcapture) {
  for (const Dataset& d : kDatasets) {
    SCOPED_TRACE(d.name);
    CaptureHistories h = Load(d.file);
    std::map<std::string, LoglinearFit> fits;
    for (const LoglinearModel& m : HeterogeneityModels(h.k())) {
      auto f = FitLoglinear(h, m);
      ASSERT_TRUE(f.ok());
      fits[m.name] = *f;
    }
    auto rows = ReadTable(kMseDir + "reference/rcapture_closedp_" + d.name + ".csv");
    ASSERT_EQ(rows.size(), 12u);
    for (const auto& row : rows) {
      std::string name = row.at("model");
      std::replace(name.begin(), name.end(), '_', ' ');
      SCOPED_TRACE(name + " infoFit " + row.at("infoFit"));
      ASSERT_TRUE(fits.count(name)) << name;
      const LoglinearFit& f = fits[name];
      EXPECT_EQ(f.df, std::stoi(row.at("df")));
      EXPECT_LT(RelErr(f.estimate, std::stod(row.at("abundance"))), 1e-6)
          << f.estimate << " vs " << row.at("abundance");
      EXPECT_LT(RelErr(f.deviance, std::stod(row.at("deviance"))), 1e-6);
      EXPECT_LT(RelErr(f.aic, std::stod(row.at("AIC"))), 1e-6);
      EXPECT_LT(RelErr(f.bic, std::stod(row.at("BIC"))), 1e-6);
      if (row.at("infoFit") == "0") {
        EXPECT_LT(RelErr(f.std_error, std::stod(row.at("stderr"))), 1e-6)
            << f.std_error << " vs " << row.at("stderr");
      }
    }
  }
}

TEST(LoglinearReference, ProfileIntervalsMatchClosedpCI) {
  auto rows = ReadTable(kMseDir + "reference/rcapture_profileCI.csv");
  ASSERT_EQ(rows.size(), 11u);
  for (const auto& row : rows) {
    const std::string ds = row.at("dataset");
    SCOPED_TRACE(ds + " " + row.at("model"));
    const Dataset* d = nullptr;
    for (const Dataset& x : kDatasets) {
      if (ds == x.name) d = &x;
    }
    ASSERT_NE(d, nullptr);
    CaptureHistories h = Load(d->file);
    auto m = ParseHierarchicalModel(h.k(), row.at("model"));
    ASSERT_TRUE(m.ok());
    auto fit = FitLoglinear(h, *m);
    ASSERT_TRUE(fit.ok());
    EXPECT_LT(RelErr(fit->estimate, std::stod(row.at("N_poisson"))), 1e-6);
    auto ci = ProfileLikelihoodInterval(h, *m);
    ASSERT_TRUE(ci.ok()) << ci.status().ToString();
    EXPECT_LT(RelErr(ci->estimate, std::stod(row.at("N_multinomial"))), 1e-3);
    EXPECT_LT(RelErr(ci->lower, std::stod(row.at("lower95"))), 1e-3)
        << ci->lower << " vs " << row.at("lower95");
    EXPECT_LT(RelErr(ci->upper, std::stod(row.at("upper95"))), 1e-3)
        << ci->upper << " vs " << row.at("upper95");
    EXPECT_TRUE(ci->upper_bounded);
    std::printf("%-13s %-18s N_mult %.4f [%.4f, %.4f] (Rcapture %s [%s, %s])\n", ds.c_str(),
                row.at("model").c_str(), ci->estimate, ci->lower, ci->upper,
                row.at("N_multinomial").c_str(), row.at("lower95").c_str(),
                row.at("upper95").c_str());
  }
}

// ---- closed forms and model space ----

CaptureHistories Make(std::vector<std::string> lists, std::vector<double> counts) {
  return CaptureHistories{std::move(lists), std::move(counts), ""};
}

TEST(Loglinear, ModelCountsMatchRcapture) {
  EXPECT_EQ(EnumerateHierarchicalModels(3, 2)->size(), 8u);
  EXPECT_EQ(EnumerateHierarchicalModels(4, 3)->size(), 113u);
  EXPECT_EQ(EnumerateHierarchicalModels(5, 4)->size(), 6893u);
  EXPECT_EQ(EnumerateHierarchicalModels(4, 2)->size(), 64u);  // 2^6 graphs
  EXPECT_EQ(EnumerateHierarchicalModels(5, 1)->size(), 1u);
}

TEST(Loglinear, ModelSpaceLimitIsAnError) {
  auto r = EnumerateHierarchicalModels(5, 4, 100);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
  EXPECT_FALSE(EnumerateHierarchicalModels(4, 4).ok());  // the k-way term is not allowed
}

TEST(Loglinear, NamesRoundTrip) {
  auto m = ParseHierarchicalModel(4, "[123,14,34]");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->name, "[123,14,34]");
  EXPECT_EQ(m->terms.size(), 4u + 3u + 2u + 1u);  // 4 main, 12 13 23, 14 34, 123
  EXPECT_EQ(ParseHierarchicalModel(4, "[23,1]")->name, "[23,1,4]");
  EXPECT_EQ(ParseHierarchicalModel(3, "[1,2,3]")->design.cols(), 3);
  EXPECT_FALSE(ParseHierarchicalModel(3, "[123]").ok());  // k-way
  EXPECT_FALSE(ParseHierarchicalModel(3, "[14]").ok());   // no list 4
  EXPECT_FALSE(ParseHierarchicalModel(3, "12").ok());
  EXPECT_FALSE(ParseHierarchicalModel(3, "[1,,2]").ok());
}

TEST(Loglinear, TwoListIndependenceIsLincolnPetersen) {
  // n1 = 60 (10 + 50), n2 = 30 (10 + 20), m = 10: N̂ = 60·30/10 = 180.
  auto h = Make({"A", "B"}, {0, 50, 20, 10});
  auto m = HierarchicalModel(2, {});
  ASSERT_TRUE(m.ok());
  auto f = FitLoglinear(h, *m);
  ASSERT_TRUE(f.ok());
  EXPECT_NEAR(f->estimate, 180.0, 1e-6);
  EXPECT_EQ(f->df, 0);
  EXPECT_TRUE(f->usable());
}

TEST(Loglinear, SaturatedModelHasClosedForm) {
  // μ̂₀ = Π_{|ω| odd} y_ω / Π_{|ω| even, ω≠0} y_ω.
  std::vector<double> y = {0, 69, 55, 21, 63, 17, 18, 28};
  auto h = Make({"P", "Q", "E"}, y);
  auto m = ParseHierarchicalModel(3, "[12,13,23]");
  auto f = FitLoglinear(h, *m);
  ASSERT_TRUE(f.ok());
  const double mu0 = (y[1] * y[2] * y[4] * y[7]) / (y[3] * y[5] * y[6]);
  EXPECT_NEAR(f->missing, mu0, 1e-6 * mu0);
  EXPECT_NEAR(f->deviance, 0.0, 1e-8);
}

TEST(Loglinear, ZeroSufficientStatisticIsFlaggedNotNaN) {
  // No one on both A and C: the AC term's MLE is −∞.
  auto h = Make({"A", "B", "C"}, {0, 30, 20, 5, 25, 0, 6, 0});
  auto m = ParseHierarchicalModel(3, "[13,2]");
  auto f = FitLoglinear(h, *m);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->info_fit, kFitBoundary);
  EXPECT_FALSE(f->usable());
  EXPECT_FALSE(f->warnings.empty());
  EXPECT_TRUE(std::isfinite(f->estimate));
  EXPECT_TRUE(std::isfinite(f->std_error));
  EXPECT_TRUE(std::isfinite(f->aic));
}

TEST(Loglinear, NoOverlapAtAllIsAnErrorNotAnInfinity) {
  // Three lists that share no one: nothing identifies N.
  auto h = Make({"A", "B", "C"}, {0, 30, 20, 0, 25, 0, 0, 0});
  auto est = EstimateLoglinear(h);
  ASSERT_FALSE(est.ok());
  EXPECT_EQ(est.status().code(), ErrorCode::kInvalidInput);
}

TEST(Loglinear, BadInputIsRejected) {
  auto h = Make({"A", "B", "C"}, {0, 1, 2, 3});  // wrong size
  EXPECT_FALSE(FitLoglinear(h, *ParseHierarchicalModel(3, "[1,2,3]")).ok());
  auto h2 = Make({"A", "B", "C"}, {0, 1, 2, 3, 4, -5, 6, 7});  // negative count
  EXPECT_FALSE(FitLoglinear(h2, *ParseHierarchicalModel(3, "[1,2,3]")).ok());
  auto h3 = Make({"A", "B"}, {0, 1, 2, 3});
  EXPECT_FALSE(EstimateLoglinear(h3).ok());  // fewer than 3 lists
  auto h4 = Make({"A", "B", "C"}, {0, 69, 55, 21, 63, 17, 18, 28});
  EXPECT_FALSE(ProfileLikelihoodInterval(h4, *ParseHierarchicalModel(3, "[1,2,3]"), 1.5).ok());
}

TEST(Loglinear, EstimateSelectsByBicAndReportsSpread) {
  CaptureHistories h = Load("lesbian_rcapture.csv");
  auto est = EstimateLoglinear(h);
  ASSERT_TRUE(est.ok()) << est.status().ToString();
  // Rcapture's BIC-best model for these data (rcapture_profileCI.csv).
  EXPECT_EQ(est->fits[est->selected].model, "[12,14,23,24,34]");
  EXPECT_NEAR(est->fits[est->selected].estimate, 6349.02421611923, 1e-3);
  EXPECT_NEAR(est->interval.lower, 5421.70967162572, 5);
  EXPECT_NEAR(est->interval.upper, 7536.28048242102, 7);
  EXPECT_GE(est->spread.models, 1u);
  EXPECT_LE(est->spread.min_estimate, est->fits[0].estimate);
  EXPECT_GE(est->spread.max_estimate, est->fits[0].estimate);
  EXPECT_EQ(est->fits.size(), 113u);
  for (std::size_t i = 1; i < est->fits.size(); ++i) {
    if (est->fits[i].usable()) {
      EXPECT_LE(est->fits[i - 1].bic, est->fits[i].bic);
    }
  }
  LoglinearOptions aic;
  aic.criterion = Criterion::kAic;
  auto est_aic = EstimateLoglinear(h, aic);
  ASSERT_TRUE(est_aic.ok());
  for (const LoglinearFit& f : est_aic->fits) {
    if (f.usable()) {
      EXPECT_GE(f.aic, est_aic->fits[0].aic);
    }
  }
}

}  // namespace
}  // namespace memoria::estimate
