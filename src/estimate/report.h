// One estimation run as the `memoria estimate` command and the API present it: the chosen
// method on the pooled table and on every stratum, combined into the documented JSON, plus a
// plain-text table and an SVG picture of the same result.
//
// JSON layout (numbers are always finite; a stratum that cannot be estimated carries "error"):
//   {"lists":[…], "observed":n, "method":"loglinear|latentclass|lcmcr|dga", "estimate":N̂,
//    "interval":{"level":0.95,"lower":…,"upper":…,"kind":"profile likelihood|credible"},
//    "model":"[12,3]", "models":[…], …method-specific fields…,
//    "strata":[{"stratum":"2001", "observed":…, "estimate":…, "interval":{…}, …}, …],
//      (a list that documented nobody in a stratum is left out of that stratum's analysis and
//       named in its "lists_without_records", with the remaining "lists")
//    "strata_total":{…}}   (only with strata; see EstimateReport)
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "estimate/capture_histories.h"
#include "estimate/dga.h"
#include "estimate/latent_class.h"
#include "estimate/lcmcr.h"
#include "estimate/loglinear.h"

namespace memoria::estimate {

enum class Method { kLoglinear, kLatentClass, kLcmcr, kDga };

// "loglinear", "latentclass", "lcmcr" or "dga"; InvalidInput otherwise.
Result<Method> ParseMethod(std::string_view name);
const char* MethodName(Method method);

struct EstimateRequest {
  Method method = Method::kLoglinear;
  double level = 0.95;  // of every interval (overrides loglinear.level and dga.level)
  LoglinearOptions loglinear;
  LatentClassOptions latent_class;  // its level and criterion come from `level`, `loglinear`
  LcmcrOptions lcmcr;               // stratum i (0-based) runs with seed lcmcr.seed + 1 + i
  DgaOptions dga;
  std::size_t max_models_listed = 20;  // length of "models" in the JSON
};

// Runs `request.method` on the pooled table (TotalOf(strata)) — the top-level fields — and,
// when there is more than one stratum or a non-empty label, on each stratum. With strata,
// "strata_total" combines the per-stratum results: for the Bayesian methods by summing
// posterior draws (LCMCR) or convolving posteriors (dga), for log-linear and latent class
// models by adding the N̂ of the strata with a normal-approximation interval from their
// standard errors (unbounded above if any stratum's profile interval is).
// Errors: those of the pooled analysis (InvalidInput for unusable data); a stratum's own
// failure is reported inside its JSON object, not as an error.
Result<nlohmann::ordered_json> EstimateReport(const std::vector<CaptureHistories>& strata,
                                              const EstimateRequest& request);

// Human-readable rendering of an EstimateReport.
std::string FormatReportTable(const nlohmann::ordered_json& report);

// An SVG picture of an EstimateReport: one row per stratum (and the total), with the
// documented count, the estimate and its interval on a common horizontal axis.
std::string RenderReportSvg(const nlohmann::ordered_json& report);

}  // namespace memoria::estimate
