#include "estimate/report.h"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>

namespace memoria::estimate {
namespace {

using json = nlohmann::ordered_json;

std::string Fixed(double v, int decimals = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// What a per-table analysis leaves behind for combining strata.
struct Analysis {
  json j;
  double estimate = 0;
  double std_error = 0;                    // log-linear, latent class
  bool upper_bounded = true;               // log-linear, latent class: the profile interval's
  std::vector<double> draws;               // LCMCR
  std::optional<GridPosterior> posterior;  // dga
};

json Interval(double level, double lower, double upper, const char* kind) {
  return json{{"level", level}, {"lower", lower}, {"upper", upper}, {"kind", kind}};
}

json PosteriorJson(const PosteriorSummary& s) {
  return json{{"level", s.level}, {"lower", s.lower}, {"upper", s.upper}, {"kind", "credible"}};
}

// The fields shared by the maximum likelihood methods: N̂, its standard error and the profile
// likelihood interval, with a warning in words when the interval has no upper bound
// (`unbounded_because` says why, for the method).
Analysis ProfileAnalysis(const CaptureHistories& h, double estimate, double std_error,
                         const ProfileInterval& interval, const std::string& unbounded_because) {
  Analysis a;
  a.estimate = estimate;
  a.std_error = std_error;
  a.upper_bounded = interval.upper_bounded;
  json& j = a.j;
  j["observed"] = h.Observed();
  j["estimate"] = estimate;
  j["std_error"] = std_error;
  j["interval"] = Interval(interval.level, interval.lower, interval.upper, "profile likelihood");
  j["interval"]["maximum"] = interval.estimate;
  j["interval"]["lower_at_observed"] = interval.lower_at_observed;
  j["interval"]["upper_bounded"] = interval.upper_bounded;
  if (!interval.upper_bounded) {
    j["warnings"] = {"the data do not bound N from above (" + unbounded_because +
                     "): only the lower bound " + Fixed(interval.lower, 0) + " is informative"};
  }
  return a;
}

Result<Analysis> AnalyseLoglinear(const CaptureHistories& h, const EstimateRequest& r) {
  MEMORIA_ASSIGN_OR_RETURN(LoglinearEstimate est, EstimateLoglinear(h, r.loglinear));
  const LoglinearFit& best = est.fits[est.selected];
  Analysis a = ProfileAnalysis(h, best.estimate, best.std_error, est.interval,
                               "the profile likelihood is still within the interval's cut at "
                               "3 N̂; lists that overlap little give such estimates");
  json& j = a.j;
  j["model"] = best.model;
  const bool bic = r.loglinear.criterion == Criterion::kBic;
  j["criterion"] = bic ? "bic" : "aic";
  j["spread"] = {{"window", est.spread.window},
                 {"models", est.spread.models},
                 {"min_estimate", est.spread.min_estimate},
                 {"max_estimate", est.spread.max_estimate}};
  j["models_fitted"] = est.fits.size();
  j["models_unusable"] = est.unusable;
  json models = json::array();
  for (std::size_t i = 0; i < est.fits.size() && i < r.max_models_listed; ++i) {
    const LoglinearFit& f = est.fits[i];
    json m = {{"model", f.model},
              {"estimate", f.estimate},
              {"std_error", f.std_error},
              {"deviance", f.deviance},
              {"df", f.df},
              {"parameters", f.parameters},
              {"aic", f.aic},
              {"bic", f.bic},
              {"info_fit", f.info_fit}};
    if (!f.warnings.empty()) m["warnings"] = f.warnings;
    models.push_back(std::move(m));
  }
  j["models"] = std::move(models);
  return a;
}

Result<Analysis> AnalyseLatentClass(const CaptureHistories& h, const EstimateRequest& r) {
  LatentClassOptions o = r.latent_class;
  o.level = r.level;
  o.criterion = r.loglinear.criterion;
  MEMORIA_ASSIGN_OR_RETURN(LatentClassEstimate est, EstimateLatentClass(h, o));
  const LatentClassFit& best = est.fits[est.selected];
  Analysis a = ProfileAnalysis(h, best.estimate, est.std_error, est.interval,
                               "the likelihood stays high as more people are put in a class the "
                               "lists rarely document, so N̂ itself is poorly determined");
  json& j = a.j;
  j["model"] = "latent class K=" + std::to_string(best.classes);
  j["criterion"] = o.criterion == Criterion::kBic ? "bic" : "aic";
  // Local independence fails when lists depend on each other directly (one refers people to
  // another); the deviance shows it.
  if (best.df > 0) {
    const double p = boost::math::cdf(
        boost::math::complement(boost::math::chi_squared(best.df), std::max(0.0, best.deviance)));
    if (p < 0.001) {
      j["warnings"].push_back("the model does not fit the data (deviance " +
                              Fixed(best.deviance, 1) + " on " + std::to_string(best.df) +
                              " df, p < 0.001): lists may depend on each other directly, which no "
                              "number of latent classes captures; compare the log-linear models");
    }
  }
  json models = json::array();
  for (const LatentClassFit& f : est.fits) {
    json classes = json::array();
    for (int k = 0; k < f.classes; ++k) {
      const auto first = f.capture.begin() + static_cast<std::ptrdiff_t>(k) * h.k();
      classes.push_back(
          {{"weight", f.weights[k]}, {"capture", std::vector<double>(first, first + h.k())}});
    }
    json m = {{"model", "latent class K=" + std::to_string(f.classes)},
              {"classes", f.classes},
              {"estimate", f.estimate},
              {"deviance", f.deviance},
              {"df", f.df},
              {"parameters", f.parameters},
              {"aic", f.aic},
              {"bic", f.bic},
              {"converged", f.converged},
              {"class_parameters", std::move(classes)}};
    if (!f.warnings.empty()) m["warnings"] = f.warnings;
    models.push_back(std::move(m));
  }
  j["models"] = std::move(models);
  return a;
}

Result<Analysis> AnalyseLcmcr(const CaptureHistories& h, const LcmcrOptions& options,
                              double level) {
  MEMORIA_ASSIGN_OR_RETURN(LcmcrResult res, EstimateLcmcr(h, options));
  MEMORIA_ASSIGN_OR_RETURN(res.summary, SummarizeDraws(res.draws_N, level));
  Analysis a;
  a.estimate = res.summary.median;
  json& j = a.j;
  j["observed"] = h.Observed();
  j["estimate"] = res.summary.median;
  j["mean"] = res.summary.mean;
  j["interval"] = PosteriorJson(res.summary);
  j["model"] = "LCMCR K=" + std::to_string(options.K);
  j["models"] = json::array();
  const LcmcrDiagnostics& d = res.diagnostics;
  j["sampler"] = {{"seed", options.seed},
                  {"burnin", options.burnin},
                  {"samples", options.samples},
                  {"thin", options.thin},
                  {"K", options.K},
                  {"a_alpha", options.a_alpha},
                  {"b_alpha", options.b_alpha},
                  {"min_effective_samples", options.min_effective_samples}};
  j["diagnostics"] = {{"sweeps", d.sweeps},
                      {"thin", d.thin},
                      {"extended", d.extended},
                      {"effective_sample_size", d.effective_sample_size},
                      {"autocorrelation_lag1", d.autocorrelation_lag1},
                      {"trace_mean_first", d.trace_mean_first},
                      {"trace_mean_last", d.trace_mean_last},
                      {"trace_z", d.trace_z},
                      {"n0_truncations", d.n0_truncations},
                      {"mean_occupied_classes", d.mean_occupied_classes},
                      {"alpha_mean", d.alpha_mean}};
  a.draws = std::move(res.draws_N);
  return a;
}

Result<Analysis> AnalyseDga(const CaptureHistories& h, const EstimateRequest& r) {
  MEMORIA_ASSIGN_OR_RETURN(DgaResult res, EstimateDga(h, r.dga));
  Analysis a;
  a.estimate = res.summary.median;
  json& j = a.j;
  j["observed"] = h.Observed();
  j["estimate"] = res.summary.median;
  j["mean"] = res.summary.mean;
  j["interval"] = PosteriorJson(res.summary);
  j["model"] = res.models.empty() ? "" : res.models.front().cliques;
  j["delta"] = res.delta;
  j["tail_mass"] = res.tail_mass;
  json models = json::array();
  for (std::size_t i = 0; i < res.models.size() && i < r.max_models_listed; ++i) {
    const DgaModel& m = res.models[i];
    models.push_back({{"model", m.cliques},
                      {"index", m.index},
                      {"posterior", m.posterior},
                      {"expected_N", m.expected_N}});
  }
  j["models"] = std::move(models);
  a.posterior = std::move(res.posterior_N);
  return a;
}

Result<Analysis> Analyse(const CaptureHistories& h, const EstimateRequest& request,
                         std::uint64_t seed) {
  EstimateRequest r = request;
  r.loglinear.level = r.level;
  r.dga.level = r.level;
  switch (r.method) {
    case Method::kLoglinear:
      return AnalyseLoglinear(h, r);
    case Method::kLatentClass:
      return AnalyseLatentClass(h, r);
    case Method::kLcmcr: {
      LcmcrOptions o = r.lcmcr;
      o.seed = seed;
      return AnalyseLcmcr(h, o, r.level);
    }
    case Method::kDga:
      return AnalyseDga(h, r);
  }
  return Status::Internal("unknown method");
}

// Combines the strata into a total.
Result<json> CombineStrata(const std::vector<Analysis>& parts, const EstimateRequest& r,
                           double observed) {
  json j;
  j["observed"] = observed;
  switch (r.method) {
    case Method::kLoglinear:
    case Method::kLatentClass: {
      double sum = 0, var = 0, upper_sum = 0;
      bool bounded = true;
      for (const Analysis& a : parts) {
        sum += a.estimate;
        var += a.std_error * a.std_error;
        upper_sum += a.j["interval"]["upper"].get<double>();
        bounded = bounded && a.upper_bounded;
      }
      const double level = r.level;
      const double z = boost::math::quantile(boost::math::normal(), (1 + level) / 2);
      const double se = std::sqrt(var);
      j["estimate"] = sum;
      j["std_error"] = se;
      // A stratum whose data do not bound N from above leaves the total unbounded too: its
      // curvature-based standard error would understate the uncertainty.
      j["interval"] =
          Interval(level, std::max(observed, sum - z * se), bounded ? sum + z * se : upper_sum,
                   "normal approximation from the strata's standard errors");
      if (!bounded) j["interval"]["upper_bounded"] = false;
      j["method"] = r.method == Method::kLoglinear
                        ? "sum of the strata's selected log-linear models"
                        : "sum of the strata's selected latent class models";
      break;
    }
    case Method::kLcmcr: {
      std::vector<std::vector<double>> draws;
      for (const Analysis& a : parts) draws.push_back(a.draws);
      MEMORIA_ASSIGN_OR_RETURN(std::vector<double> total, SumStrataDraws(draws));
      MEMORIA_ASSIGN_OR_RETURN(PosteriorSummary s, SummarizeDraws(total, r.level));
      j["estimate"] = s.median;
      j["mean"] = s.mean;
      j["interval"] = PosteriorJson(s);
      j["method"] = "sum of the strata's posterior draws";
      break;
    }
    case Method::kDga: {
      GridPosterior acc = *parts.front().posterior;
      for (std::size_t i = 1; i < parts.size(); ++i) {
        MEMORIA_ASSIGN_OR_RETURN(acc, ConvolvePosteriors(acc, *parts[i].posterior));
      }
      MEMORIA_ASSIGN_OR_RETURN(PosteriorSummary s, acc.Summarize(r.level));
      j["estimate"] = s.median;
      j["mean"] = s.mean;
      j["interval"] = PosteriorJson(s);
      j["method"] = "convolution of the strata's posteriors";
      break;
    }
  }
  return j;
}

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A round step for about `ticks` axis ticks up to `max`.
double NiceStep(double max, int ticks) {
  const double raw = max / ticks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * mag >= raw) return m * mag;
  }
  return 10 * mag;
}

}  // namespace

Result<Method> ParseMethod(std::string_view name) {
  if (name == "loglinear") return Method::kLoglinear;
  if (name == "latentclass") return Method::kLatentClass;
  if (name == "lcmcr") return Method::kLcmcr;
  if (name == "dga") return Method::kDga;
  return Status::InvalidInput("unknown method '" + std::string(name) +
                              "' (expected loglinear, latentclass, lcmcr or dga)");
}

const char* MethodName(Method method) {
  switch (method) {
    case Method::kLoglinear:
      return "loglinear";
    case Method::kLatentClass:
      return "latentclass";
    case Method::kLcmcr:
      return "lcmcr";
    case Method::kDga:
      return "dga";
  }
  return "?";
}

Result<json> EstimateReport(const std::vector<CaptureHistories>& strata,
                            const EstimateRequest& request) {
  MEMORIA_ASSIGN_OR_RETURN(CaptureHistories total, TotalOf(strata));
  MEMORIA_ASSIGN_OR_RETURN(Analysis pooled, Analyse(total, request, request.lcmcr.seed));
  json out;
  out["lists"] = total.lists;
  out["observed"] = total.Observed();
  out["method"] = MethodName(request.method);
  for (auto& [key, value] : pooled.j.items()) out[key] = value;
  out["strata"] = json::array();
  const bool stratified = strata.size() > 1 || !strata.front().stratum.empty();
  if (!stratified) return out;

  std::vector<Analysis> parts;
  bool all_ok = true;
  std::string failed;
  for (std::size_t i = 0; i < strata.size(); ++i) {
    std::vector<std::string> dropped;
    const CaptureHistories s = WithoutEmptyLists(strata[i], &dropped);
    auto a = Analyse(s, request, request.lcmcr.seed + 1 + i);
    json sj;
    sj["stratum"] = s.stratum;
    if (!dropped.empty()) {
      sj["lists"] = s.lists;
      sj["lists_without_records"] = dropped;  // left out of this stratum's analysis
    }
    if (a.ok()) {
      sj.update(a->j);
      parts.push_back(std::move(*a));
    } else {
      sj["observed"] = s.Observed();
      sj["error"] = a.status().message();
      if (all_ok) failed = s.stratum;
      all_ok = false;
    }
    out["strata"].push_back(std::move(sj));
  }
  if (all_ok) {
    auto combined = CombineStrata(parts, request, total.Observed());
    if (combined.ok()) {
      out["strata_total"] = std::move(*combined);
    } else {
      out["strata_total"] = {{"error", combined.status().message()}};
    }
  } else {
    out["strata_total"] = {
        {"error",
         "stratum '" + failed + "' could not be estimated, so the strata cannot be added up"}};
  }
  return out;
}

std::string FormatReportTable(const json& r) {
  std::ostringstream o;
  std::string lists;
  int number = 0;
  for (const auto& l : r["lists"]) {
    lists += (lists.empty() ? "" : ", ") + std::to_string(++number) + " = " + l.get<std::string>();
  }
  o << "method:    " << r["method"].get<std::string>() << "\n";
  o << "lists:     " << lists << "\n";
  o << "observed:  " << Fixed(r["observed"].get<double>(), 0) << "\n";
  const json& iv = r["interval"];
  o << "estimate:  " << Fixed(r["estimate"].get<double>()) << "   "
    << Fixed(iv["level"].get<double>() * 100, 0) << "% interval ["
    << Fixed(iv["lower"].get<double>()) << ", " << Fixed(iv["upper"].get<double>()) << "] ("
    << iv["kind"].get<std::string>() << ")";
  if (iv.contains("upper_bounded") && !iv["upper_bounded"].get<bool>())
    o << " upper bound not reached";
  o << "\n";
  if (r.contains("mean")) o << "mean:      " << Fixed(r["mean"].get<double>()) << "\n";
  if (r.contains("warnings")) {
    for (const auto& w : r["warnings"]) o << "warning:   " << w.get<std::string>() << "\n";
  }
  o << "model:     " << r["model"].get<std::string>() << "\n";
  if (r.contains("spread")) {
    const json& s = r["spread"];
    o << "spread:    " << s["models"].get<std::size_t>() << " models within "
      << Fixed(s["window"].get<double>(), 1) << " " << r["criterion"].get<std::string>()
      << " units of the best give N from " << Fixed(s["min_estimate"].get<double>()) << " to "
      << Fixed(s["max_estimate"].get<double>()) << "\n";
    o << "fitted:    " << r["models_fitted"].get<std::size_t>() << " models ("
      << r["models_unusable"].get<std::size_t>()
      << " with boundary, rank or convergence problems, excluded)\n";
  }
  if (r.contains("diagnostics")) {
    const json& d = r["diagnostics"];
    o << "sampler:   ESS " << Fixed(d["effective_sample_size"].get<double>(), 0) << ", trace z "
      << Fixed(d["trace_z"].get<double>(), 2) << ", n0 truncations "
      << d["n0_truncations"].get<std::int64_t>() << "\n";
  }
  if (!r["models"].empty()) {
    o << "\nmodels:\n";
    const bool ll = r["method"] == "loglinear";
    const bool lc = r["method"] == "latentclass";
    char line[256];
    if (ll) {
      std::snprintf(line, sizeof line, "  %-24s %12s %10s %10s %4s %10s %10s %s\n", "model", "N",
                    "SE", "deviance", "df", "AIC", "BIC", "info");
    } else if (lc) {
      std::snprintf(line, sizeof line, "  %-24s %12s %10s %4s %10s %10s %s\n", "model", "N",
                    "deviance", "df", "AIC", "BIC", "converged");
    } else {
      std::snprintf(line, sizeof line, "  %-24s %12s %12s\n", "model", "posterior", "E[N|model]");
    }
    o << line;
    for (const auto& m : r["models"]) {
      if (ll) {
        std::snprintf(line, sizeof line, "  %-24s %12.1f %10.1f %10.3f %4d %10.3f %10.3f %d\n",
                      m["model"].get<std::string>().c_str(), m["estimate"].get<double>(),
                      m["std_error"].get<double>(), m["deviance"].get<double>(), m["df"].get<int>(),
                      m["aic"].get<double>(), m["bic"].get<double>(), m["info_fit"].get<int>());
      } else if (lc) {
        std::snprintf(line, sizeof line, "  %-24s %12.1f %10.3f %4d %10.3f %10.3f %s\n",
                      m["model"].get<std::string>().c_str(), m["estimate"].get<double>(),
                      m["deviance"].get<double>(), m["df"].get<int>(), m["aic"].get<double>(),
                      m["bic"].get<double>(), m["converged"].get<bool>() ? "yes" : "no");
      } else {
        std::snprintf(line, sizeof line, "  %-24s %12.4f %12.1f\n",
                      m["model"].get<std::string>().c_str(), m["posterior"].get<double>(),
                      m["expected_N"].get<double>());
      }
      o << line;
    }
  }
  if (!r["strata"].empty()) {
    o << "\nstrata:\n";
    char line[256];
    std::snprintf(line, sizeof line, "  %-20s %10s %12s %12s %12s  %s\n", "stratum", "observed",
                  "estimate", "lower", "upper", "model");
    o << line;
    auto row = [&](const std::string& label, const json& s) {
      if (s.contains("error")) {
        o << "  " << label << ": " << s["error"].get<std::string>() << "\n";
        return;
      }
      const bool unbounded = !s["interval"].value("upper_bounded", true);
      std::snprintf(line, sizeof line, "  %-20s %10.0f %12.1f %12.1f %12.1f%s %s\n", label.c_str(),
                    s["observed"].get<double>(), s["estimate"].get<double>(),
                    s["interval"]["lower"].get<double>(), s["interval"]["upper"].get<double>(),
                    unbounded ? "+" : " ",
                    s.contains("model") ? s["model"].get<std::string>().c_str() : "");
      o << line;
    };
    for (const auto& s : r["strata"]) row(s["stratum"].get<std::string>(), s);
    if (r.contains("strata_total")) row("(sum of strata)", r["strata_total"]);
    o << "  (an upper bound marked + was not reached: the data do not bound N from above)\n";
  }
  return o.str();
}

std::string RenderReportSvg(const json& r) {
  struct Row {
    std::string label;
    double observed = 0, estimate = 0, lower = 0, upper = 0;
    bool ok = true;
    bool unbounded = false;  // the interval has no upper bound: drawn to the right edge
  };
  std::vector<Row> rows;
  auto add = [&rows](const std::string& label, const json& s) {
    Row row{label};
    row.observed = s.value("observed", 0.0);
    if (s.contains("error") || !s.contains("estimate")) {
      row.ok = false;
    } else {
      row.estimate = s["estimate"].get<double>();
      row.lower = s["interval"]["lower"].get<double>();
      row.upper = s["interval"]["upper"].get<double>();
      row.unbounded = !s["interval"].value("upper_bounded", true);
    }
    rows.push_back(row);
  };
  for (const auto& s : r["strata"]) add(s["stratum"].get<std::string>(), s);
  if (r.contains("strata_total")) add("sum of strata", r["strata_total"]);
  add(r["strata"].empty() ? "all" : "all (pooled)", r);

  double xmax = 1;
  for (const Row& row : rows) {
    // An interval with no upper bound does not set the scale (its N̂ can be absurdly large):
    // it is drawn from its lower bound to the right edge.
    xmax = std::max({xmax, row.observed, row.unbounded ? row.lower * 1.5 : row.upper});
  }
  const double step = NiceStep(xmax, 5);
  xmax = std::ceil(xmax / step) * step;
  const int label_w = 170, plot_w = 520, row_h = 34, top = 56, right = 30;
  const int width = label_w + plot_w + right;
  const int height = top + row_h * static_cast<int>(rows.size()) + 70;
  auto x = [&](double v) { return label_w + plot_w * v / xmax; };
  const double level = r["interval"]["level"].get<double>();

  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
    << "\" viewBox=\"0 0 " << width << " " << height
    << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  o << "<title>Documented and estimated totals</title>\n";
  o << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  o << "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Documented and estimated "
       "totals ("
    << XmlEscape(r["method"].get<std::string>()) << ", " << Fixed(level * 100, 0)
    << "% intervals)</text>\n";
  o << "<text x=\"10\" y=\"40\" fill=\"#555\">Grey bar: documented (on at least one list). "
       "Dot and line: estimate and interval.</text>\n";
  for (double t = 0; t <= xmax + step / 2; t += step) {
    const double xt = x(t);
    o << "<line x1=\"" << Fixed(xt) << "\" y1=\"" << top - 6 << "\" x2=\"" << Fixed(xt)
      << "\" y2=\"" << top + row_h * static_cast<int>(rows.size()) << "\" stroke=\"#ddd\"/>\n";
    o << "<text x=\"" << Fixed(xt) << "\" y=\"" << top + row_h * static_cast<int>(rows.size()) + 16
      << "\" text-anchor=\"middle\" fill=\"#555\">" << Fixed(t, 0) << "</text>\n";
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    const int yc = top + row_h * static_cast<int>(i) + row_h / 2;
    o << "<g>\n<text x=\"" << label_w - 8 << "\" y=\"" << yc + 4 << "\" text-anchor=\"end\">"
      << XmlEscape(row.label) << "</text>\n";
    o << "<rect x=\"" << label_w << "\" y=\"" << yc - 7 << "\" width=\""
      << Fixed(x(row.observed) - label_w) << "\" height=\"14\" fill=\"#c8c8c8\"><title>documented "
      << Fixed(row.observed, 0) << "</title></rect>\n";
    if (row.ok) {
      const double upper = row.unbounded ? xmax : row.upper;
      o << "<line x1=\"" << Fixed(x(row.lower)) << "\" y1=\"" << yc << "\" x2=\"" << Fixed(x(upper))
        << "\" y2=\"" << yc << "\" stroke=\"#1f4e9c\" stroke-width=\"2\""
        << (row.unbounded ? " stroke-dasharray=\"4 3\"" : "") << "/>\n";
      if (row.unbounded) {
        o << "<text x=\"" << Fixed(x(xmax) - 4) << "\" y=\"" << yc - 9
          << "\" text-anchor=\"end\" fill=\"#1f4e9c\">no upper bound</text>\n";
      }
      for (double v : row.unbounded ? std::vector<double>{row.lower}
                                    : std::vector<double>{row.lower, row.upper}) {
        o << "<line x1=\"" << Fixed(x(v)) << "\" y1=\"" << yc - 6 << "\" x2=\"" << Fixed(x(v))
          << "\" y2=\"" << yc + 6 << "\" stroke=\"#1f4e9c\" stroke-width=\"2\"/>\n";
      }
      o << "<circle cx=\"" << Fixed(x(std::min(row.estimate, xmax))) << "\" cy=\"" << yc
        << "\" r=\"4.5\" fill=\"" << (row.estimate > xmax ? "none\" stroke=\"#1f4e9c" : "#1f4e9c")
        << "\"><title>estimate " << Fixed(row.estimate, 0) << " [" << Fixed(row.lower, 0) << ", "
        << (row.unbounded ? "no upper bound" : Fixed(row.upper, 0)) << "], documented "
        << Fixed(row.observed, 0) << "</title></circle>\n";
    } else {
      o << "<text x=\"" << Fixed(x(row.observed) + 6) << "\" y=\"" << yc + 4
        << "\" fill=\"#a00\">no estimate</text>\n";
    }
    o << "</g>\n";
  }
  o << "<text x=\"" << label_w + plot_w / 2 << "\" y=\"" << height - 20
    << "\" text-anchor=\"middle\" fill=\"#555\">number of people</text>\n";
  o << "</svg>\n";
  return o.str();
}

}  // namespace memoria::estimate
