#include "estimate/report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace memoria::estimate {
namespace {

// Expected counts of an independent 4-list design with capture probabilities p, total N.
CaptureHistories Independent(double total, std::string stratum) {
  const double p[4] = {0.3, 0.25, 0.2, 0.35};
  CaptureHistories h{{"A", "B", "C", "D"}, std::vector<double>(16, 0.0), std::move(stratum)};
  for (int c = 1; c < 16; ++c) {
    double q = 1;
    for (int j = 0; j < 4; ++j) q *= (c >> j) & 1 ? p[j] : 1 - p[j];
    h.counts[c] = std::round(total * q);
  }
  return h;
}

TEST(EstimateReport, LoglinearJsonLayout) {
  auto r = EstimateReport({Independent(2000, "")}, EstimateRequest{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& j = *r;
  // The documented top-level keys, in order.
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  ASSERT_GE(keys.size(), 6u);
  EXPECT_EQ(keys[0], "lists");
  EXPECT_EQ(keys[1], "observed");
  EXPECT_EQ(keys[2], "method");
  EXPECT_EQ(keys[3], "estimate");
  EXPECT_EQ(j["lists"].size(), 4u);
  EXPECT_EQ(j["method"], "loglinear");
  EXPECT_EQ(j["model"], "[1,2,3,4]");  // the data are exactly independent
  const double n = j["observed"].get<double>();
  const double est = j["estimate"].get<double>();
  EXPECT_GT(est, n);
  EXPECT_NEAR(est, 2000, 20);
  EXPECT_EQ(j["interval"]["level"], 0.95);
  EXPECT_LT(j["interval"]["lower"].get<double>(), est);
  EXPECT_GT(j["interval"]["upper"].get<double>(), est);
  EXPECT_FALSE(j["models"].empty());
  EXPECT_LE(j["models"].size(), 20u);
  EXPECT_EQ(j["models_fitted"], 113u);
  EXPECT_TRUE(j["strata"].empty());
  EXPECT_FALSE(j.contains("strata_total"));
  EXPECT_EQ(j.dump().find("null"), std::string::npos);  // no NaN/inf anywhere
}

TEST(EstimateReport, StrataAndTotals) {
  std::vector<CaptureHistories> strata = {Independent(1000, "2001"), Independent(3000, "2002")};
  auto r = EstimateReport(strata, EstimateRequest{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& j = *r;
  ASSERT_EQ(j["strata"].size(), 2u);
  EXPECT_EQ(j["strata"][0]["stratum"], "2001");
  EXPECT_EQ(j["strata"][1]["stratum"], "2002");
  const double s0 = j["strata"][0]["estimate"].get<double>();
  const double s1 = j["strata"][1]["estimate"].get<double>();
  ASSERT_TRUE(j.contains("strata_total"));
  EXPECT_NEAR(j["strata_total"]["estimate"].get<double>(), s0 + s1, 1e-6);
  EXPECT_NEAR(j["observed"].get<double>(),
              j["strata"][0]["observed"].get<double>() + j["strata"][1]["observed"].get<double>(),
              1e-9);
  EXPECT_LT(j["strata_total"]["interval"]["lower"].get<double>(), s0 + s1);
  EXPECT_GT(j["strata_total"]["interval"]["upper"].get<double>(), s0 + s1);

  const std::string table = FormatReportTable(j);
  EXPECT_NE(table.find("2001"), std::string::npos);
  EXPECT_NE(table.find("(sum of strata)"), std::string::npos);
  const std::string svg = RenderReportSvg(j);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find(">2002<"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
}

TEST(EstimateReport, AStratumThatCannotBeEstimatedIsReportedNotFatal) {
  CaptureHistories empty{{"A", "B", "C", "D"}, std::vector<double>(16, 0.0), "1999 <&>"};
  empty.counts[1] = 5;  // five people on list A only: no overlap at all
  auto r = EstimateReport({Independent(1000, "2001"), empty}, EstimateRequest{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& j = *r;
  ASSERT_EQ(j["strata"].size(), 2u);
  EXPECT_TRUE(j["strata"][1].contains("error"));
  EXPECT_TRUE(j["strata_total"].contains("error"));
  const std::string svg = RenderReportSvg(j);
  EXPECT_NE(svg.find("no estimate"), std::string::npos);
  EXPECT_NE(svg.find("1999 &lt;&amp;&gt;"), std::string::npos);  // labels are escaped
}

TEST(EstimateReport, DgaCombinesStrataByConvolution) {
  EstimateRequest req;
  req.method = Method::kDga;
  auto r = EstimateReport({Independent(400, "a"), Independent(600, "b")}, req);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& j = *r;
  EXPECT_EQ(j["method"], "dga");
  EXPECT_TRUE(j.contains("mean"));
  EXPECT_EQ(j["interval"]["kind"], "credible");
  ASSERT_TRUE(j.contains("strata_total"));
  const double total = j["strata_total"]["estimate"].get<double>();
  EXPECT_GT(total, j["observed"].get<double>());
  EXPECT_NEAR(total,
              j["strata"][0]["estimate"].get<double>() + j["strata"][1]["estimate"].get<double>(),
              0.05 * total);
}

// Expected counts (rounded) of `total` people in latent classes {weight, capture probabilities}.
CaptureHistories LatentClasses(double total, std::string stratum,
                               const std::vector<std::pair<double, std::vector<double>>>& classes) {
  const int k = static_cast<int>(classes.front().second.size());
  CaptureHistories h{{}, std::vector<double>(std::size_t{1} << k, 0.0), std::move(stratum)};
  for (int j = 0; j < k; ++j) h.lists.push_back("L" + std::to_string(j + 1));
  for (unsigned c = 1; c < (1u << k); ++c) {
    double p = 0;
    for (const auto& [w, lambda] : classes) {
      double q = w;
      for (int j = 0; j < k; ++j) q *= (c >> j) & 1 ? lambda[j] : 1 - lambda[j];
      p += q;
    }
    h.counts[c] = std::round(total * p);
  }
  return h;
}

TEST(EstimateReport, LatentClassJsonAndTable) {
  EstimateRequest request;
  request.method = Method::kLatentClass;
  const auto h = LatentClasses(
      20000, "", {{0.4, {0.60, 0.45, 0.50, 0.35, 0.55}}, {0.6, {0.20, 0.30, 0.10, 0.25, 0.15}}});
  auto r = EstimateReport({h}, request);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& j = *r;
  EXPECT_EQ(j["method"], "latentclass");
  EXPECT_EQ(j["model"], "latent class K=2");
  EXPECT_NEAR(j["estimate"].get<double>(), 20000, 200);
  EXPECT_EQ(j["interval"]["kind"], "profile likelihood");
  EXPECT_TRUE(j["interval"]["upper_bounded"].get<bool>());
  EXPECT_LT(j["interval"]["lower"].get<double>(), 20000);
  EXPECT_GT(j["interval"]["upper"].get<double>(), 20000);
  ASSERT_EQ(j["models"].size(), 4u);  // K = 1..4 with five lists
  const auto& two = j["models"][1];
  EXPECT_EQ(two["classes"], 2);
  ASSERT_EQ(two["class_parameters"].size(), 2u);
  EXPECT_NEAR(two["class_parameters"][0]["weight"].get<double>(), 0.6, 0.01);
  EXPECT_EQ(two["class_parameters"][0]["capture"].size(), 5u);
  EXPECT_EQ(j.dump().find("null"), std::string::npos);
  const std::string table = FormatReportTable(j);
  EXPECT_NE(table.find("latent class K=2"), std::string::npos);
  EXPECT_NE(table.find("converged"), std::string::npos);
}

TEST(EstimateReport, LatentClassWarnsWhenListsDependOnEachOtherDirectly) {
  // Lists 1 and 2 refer people to each other, and so do lists 3 and 4 (log odds ratios 1.5),
  // with no other dependence: classes, a common cause of every list, cannot produce that.
  CaptureHistories h = Independent(20000, "");
  for (int c = 1; c < 16; ++c) {
    if ((c & 3) == 3) h.counts[c] = std::round(h.counts[c] * std::exp(1.5));
    if ((c & 12) == 12) h.counts[c] = std::round(h.counts[c] * std::exp(1.5));
  }
  EstimateRequest request;
  request.method = Method::kLatentClass;
  auto r = EstimateReport({h}, request);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->contains("warnings"));
  EXPECT_NE((*r)["warnings"].back().get<std::string>().find("does not fit"), std::string::npos);
  // The independent table itself fits: no warning.
  auto fits = EstimateReport({Independent(20000, "")}, request);
  ASSERT_TRUE(fits.ok());
  EXPECT_FALSE(fits->contains("warnings"));
}

TEST(EstimateReport, AStratumWithoutUpperBoundLeavesTheTotalUnbounded) {
  // 4 lists, 70% of people documented with probability 0.12 on every list: with two classes
  // the data cannot rule out many more such people.
  EstimateRequest request;
  request.method = Method::kLatentClass;
  request.latent_class.classes = 2;
  const std::vector<std::pair<double, std::vector<double>>> weak = {
      {0.3, {0.45, 0.45, 0.45, 0.45}}, {0.7, {0.12, 0.12, 0.12, 0.12}}};
  const std::vector<std::pair<double, std::vector<double>>> strong = {
      {0.5, {0.7, 0.6, 0.65, 0.5}}, {0.5, {0.3, 0.35, 0.25, 0.4}}};
  std::vector<CaptureHistories> strata = {LatentClasses(2000, "a", weak),
                                          LatentClasses(2000, "b", strong)};
  strata[1].lists = strata[0].lists;
  auto r = EstimateReport(strata, request);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& j = *r;
  ASSERT_EQ(j["strata"].size(), 2u);
  EXPECT_FALSE(j["strata"][0]["interval"]["upper_bounded"].get<bool>());
  ASSERT_TRUE(j["strata"][0].contains("warnings"));
  EXPECT_NE(j["strata"][0]["warnings"][0].get<std::string>().find("do not bound N"),
            std::string::npos);
  EXPECT_FALSE(j["strata"][1].contains("warnings"));
  EXPECT_TRUE(j["strata"][1]["interval"]["upper_bounded"].get<bool>());
  ASSERT_TRUE(j.contains("strata_total"));
  EXPECT_FALSE(j["strata_total"]["interval"]["upper_bounded"].get<bool>());
  EXPECT_GE(j["strata_total"]["interval"]["upper"].get<double>(),
            j["strata"][0]["interval"]["upper"].get<double>());
  const std::string svg = RenderReportSvg(j);
  EXPECT_NE(svg.find("no upper bound"), std::string::npos);
  const std::string table = FormatReportTable(j);
  EXPECT_NE(table.find("upper bound marked +"), std::string::npos);
}

TEST(EstimateReport, LoglinearWarnsWhenTheDataDoNotBoundN) {
  // Three lists that share almost nobody.
  CaptureHistories h{{"a", "b", "c"}, {0, 200, 150, 1, 180, 2, 1, 0}, ""};
  auto r = EstimateReport({h}, EstimateRequest{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE((*r)["interval"]["upper_bounded"].get<bool>());
  ASSERT_TRUE(r->contains("warnings"));
  EXPECT_NE((*r)["warnings"][0].get<std::string>().find("do not bound N"), std::string::npos);
  EXPECT_NE(FormatReportTable(*r).find("warning:"), std::string::npos);
  // Well-overlapping lists: no warning.
  auto fine = EstimateReport({Independent(2000, "")}, EstimateRequest{});
  ASSERT_TRUE(fine.ok());
  EXPECT_FALSE(fine->contains("warnings"));
}

TEST(EstimateReport, BadRequests) {
  EXPECT_FALSE(ParseMethod("bayes").ok());
  EXPECT_EQ(*ParseMethod("lcmcr"), Method::kLcmcr);
  EXPECT_FALSE(EstimateReport({}, EstimateRequest{}).ok());
  CaptureHistories none{{"A", "B", "C"}, std::vector<double>(8, 0.0), ""};
  none.counts[1] = 3;
  auto r = EstimateReport({none}, EstimateRequest{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace memoria::estimate
