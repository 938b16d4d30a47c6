// Coverage of 95% intervals on simulated multiple-systems data with a known total.
//
//   estimate_coverage [--datasets N=200] [--first D=0] [--seed S=1]
//                     [--scenarios independent,interaction,heterogeneous,latent3,...]
//                     [--N people=2000] [--lcmcr] [--latent-class] [--no-loglinear] [--K K]
//                     [--burnin B] [--samples S] [--thin T]
//   estimate_coverage --summarize < rows.csv
//
// Every run prints one CSV row per dataset and method (scenario, dataset number, method,
// estimate, interval, whether it covers the truth, and for LCMCR the effective sample size
// and the n₀ truncations), flushed as it goes, so a long run can be split over processes
// (--first/--datasets select datasets D .. D+N−1 of the same stream) and summarised later.
// `--summarize` reads such rows and prints, per scenario and method: runs, coverage, failures,
// mean interval width, median relative error (signed) and median absolute relative error,
// mean estimate.
//
// Scenarios, N = 2,000 people (or --N); k = 4 lists:
//   independent    lists independent, capture probabilities 0.30 0.25 0.20 0.35;
//   interaction    lists 1 and 2 positively dependent (log odds ratio 1.0), others independent;
//   heterogeneous  two latent classes (30% with capture probability 0.45 on every list, 70%
//                  with 0.12), independent given the class — a violation of every log-linear
//                  model without heterogeneity terms, and a latent class model LCMCR
//                  specifies (K = 2 <= 10);
//   latent3        three latent classes (25%, 35%, 40%) with list- and class-specific capture
//                  probabilities (0.55 0.45 0.50 0.40 / 0.30 0.20 0.35 0.25 / 0.15 0.25 0.10
//                  0.20), independent given the class: also a model LCMCR specifies.
// k = 5 lists (finite latent class models, lists independent given the class):
//   heterogeneous5 as heterogeneous, with a fifth list of the same probabilities (0.45, 0.12);
//   latent3_5      as latent3, with a fifth list 0.45 / 0.30 / 0.15;
//   latent2_5      two classes with list-specific probabilities: 40% with 0.60 0.45 0.50 0.35
//                  0.55, 60% with 0.20 0.30 0.10 0.25 0.15 (79% of people on some list).
// Log-linear methods: the independence model [1,2,3,4] (or [1,...,5]); the generating log-linear
// model when there is one ([12,3,4] for "interaction"); the BIC-selected hierarchical model;
// Rcapture's Mth Darroch heterogeneity model (profile-likelihood intervals). With --lcmcr, LCMCR (K
// = 10 unless --K is given, the library's default chain lengths unless --burnin/--samples/--thin
// are given, seed = dataset number + 1; posterior median and equal-tailed 95% credible
// interval). With --latent-class, latent class models by maximum likelihood (profile-likelihood
// intervals; an interval with no upper bound is [lower, ∞) and counted as such): with the
// generating number of classes when the lists can identify it (the correctly specified model),
// and with K selected by BIC.
// Reproducible: a given seed gives the same datasets with the same standard library.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "estimate/capture_histories.h"
#include "estimate/latent_class.h"
#include "estimate/lcmcr.h"
#include "estimate/loglinear.h"

namespace memoria::estimate {
namespace {

double g_true_n = 2000;  // N of every dataset (--N)

// A scenario's cell probabilities over 2^k capture patterns (bit j = list j + 1; pattern 0 is
// the unobserved cell).
struct Model {
  int k = 0;
  std::vector<double> probs;
  int classes = 0;  // latent classes of the generating model (0: not a latent class model)
};

// Draws a multinomial(N, probs) table by sequential binomials; cell 0 (unobserved) is dropped.
CaptureHistories DrawTable(const Model& m, std::mt19937_64& rng) {
  const int cells = 1 << m.k;
  CaptureHistories h{{}, std::vector<double>(cells, 0.0), ""};
  for (int j = 0; j < m.k; ++j) h.lists.push_back("L" + std::to_string(j + 1));
  int remaining = static_cast<int>(g_true_n);
  double mass = 1;
  for (int c = 0; c < cells && remaining > 0; ++c) {
    const double p = c == cells - 1 ? 1.0 : std::min(1.0, m.probs[c] / mass);
    std::binomial_distribution<int> b(remaining, std::max(0.0, p));
    const int x = b(rng);
    if (c != 0) h.counts[c] = x;
    remaining -= x;
    mass -= m.probs[c];
  }
  return h;
}

Model Independent(const std::vector<double>& p) {
  Model m{static_cast<int>(p.size()), std::vector<double>(std::size_t{1} << p.size(), 0.0), 0};
  for (std::size_t c = 0; c < m.probs.size(); ++c) {
    double q = 1;
    for (int j = 0; j < m.k; ++j) q *= (c >> j) & 1 ? p[j] : 1 - p[j];
    m.probs[c] = q;
  }
  return m;
}

// A finite mixture of independent-list classes: Σ_c weight_c · Independent(p_c).
Model LatentClasses(const std::vector<std::pair<double, std::vector<double>>>& classes) {
  Model m;
  for (const auto& [weight, p] : classes) {
    const Model q = Independent(p);
    if (m.probs.empty()) m = Model{q.k, std::vector<double>(q.probs.size(), 0.0), 0};
    ++m.classes;
    for (std::size_t c = 0; c < q.probs.size(); ++c) m.probs[c] += weight * q.probs[c];
  }
  return m;
}

bool Scenario(const std::string& name, Model& model) {
  if (name == "independent") {
    model = Independent({0.30, 0.25, 0.20, 0.35});
  } else if (name == "interaction") {
    // log μ = main effects + 1.0 · x1 x2, renormalised.
    model = Independent({0.30, 0.25, 0.20, 0.35});
    double total = 0;
    for (std::size_t c = 0; c < model.probs.size(); ++c) {
      if ((c & 3) == 3) model.probs[c] *= std::exp(1.0);
      total += model.probs[c];
    }
    for (double& p : model.probs) p /= total;
  } else if (name == "heterogeneous") {
    model = LatentClasses({{0.3, {0.45, 0.45, 0.45, 0.45}}, {0.7, {0.12, 0.12, 0.12, 0.12}}});
  } else if (name == "latent3") {
    model = LatentClasses({{0.25, {0.55, 0.45, 0.50, 0.40}},
                           {0.35, {0.30, 0.20, 0.35, 0.25}},
                           {0.40, {0.15, 0.25, 0.10, 0.20}}});
  } else if (name == "heterogeneous5") {
    model = LatentClasses(
        {{0.3, {0.45, 0.45, 0.45, 0.45, 0.45}}, {0.7, {0.12, 0.12, 0.12, 0.12, 0.12}}});
  } else if (name == "latent3_5") {
    model = LatentClasses({{0.25, {0.55, 0.45, 0.50, 0.40, 0.45}},
                           {0.35, {0.30, 0.20, 0.35, 0.25, 0.30}},
                           {0.40, {0.15, 0.25, 0.10, 0.20, 0.15}}});
  } else if (name == "latent2_5") {
    model = LatentClasses(
        {{0.4, {0.60, 0.45, 0.50, 0.35, 0.55}}, {0.6, {0.20, 0.30, 0.10, 0.25, 0.15}}});
  } else {
    return false;
  }
  return true;
}

// One CSV row: scenario,dataset,method,ok,estimate,lower,upper,covered,ess,n0_truncations,
// true_N,unbounded. An unbounded interval (the profile likelihood still above the cut at its
// search cap, for any method) is [lower, ∞): it covers whenever lower <= N; `upper` is the cap.
void Row(const std::string& scenario, int dataset, const std::string& method, bool ok,
         double estimate, double lower, double upper, double ess = -1, double truncations = -1,
         bool unbounded = false) {
  const bool covered = ok && lower <= g_true_n && (unbounded || g_true_n <= upper);
  std::printf("%s,%d,%s,%d,%.3f,%.3f,%.3f,%d,%.1f,%.0f,%.0f,%d\n", scenario.c_str(), dataset,
              method.c_str(), ok ? 1 : 0, estimate, lower, upper, covered ? 1 : 0, ess, truncations,
              g_true_n, unbounded ? 1 : 0);
  std::fflush(stdout);
}

void LatentClassRow(const std::string& scenario, int dataset, const std::string& method,
                    const Result<LatentClassEstimate>& e) {
  if (!e.ok()) {
    Row(scenario, dataset, method, false, 0, 0, 0);
    return;
  }
  Row(scenario, dataset, method, true, e->fits[e->selected].estimate, e->interval.lower,
      e->interval.upper, -1, -1, !e->interval.upper_bounded);
}

void LoglinearRow(const std::string& scenario, int dataset, const std::string& method,
                  const Result<ProfileInterval>& ci, const Result<LoglinearFit>& fit) {
  const bool ok = ci.ok() && fit.ok();
  Row(scenario, dataset, method, ok, ok ? fit->estimate : 0, ok ? ci->lower : 0, ok ? ci->upper : 0,
      -1, -1, ok && !ci->upper_bounded);
}

double Median(std::vector<double> x) {
  if (x.empty()) return 0;
  std::sort(x.begin(), x.end());
  const std::size_t n = x.size();
  return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

// Reads rows (as printed by Row) from stdin and prints one summary line per scenario/method.
int Summarize() {
  struct Acc {
    int runs = 0, covered = 0, failed = 0, unbounded = 0;
    double width = 0, estimate = 0;
    std::vector<double> rel;
  };
  std::map<std::pair<std::string, std::string>, Acc> acc;
  std::vector<std::pair<std::string, std::string>> order;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty() || line.rfind("scenario,", 0) == 0) continue;
    std::stringstream ss(line);
    std::vector<std::string> f;
    std::string field;
    while (std::getline(ss, field, ',')) f.push_back(field);
    if (f.size() < 8) continue;
    const auto key = std::make_pair(f[0], f[2]);
    if (!acc.count(key)) order.push_back(key);
    Acc& a = acc[key];
    ++a.runs;
    if (f[3] != "1") {
      ++a.failed;
      continue;
    }
    const double est = std::stod(f[4]), lo = std::stod(f[5]), hi = std::stod(f[6]);
    a.covered += f[7] == "1";
    if (f.size() > 11 && f[11] == "1") {
      ++a.unbounded;
    } else {
      a.width += hi - lo;
    }
    a.estimate += est;
    const double truth = f.size() > 10 ? std::stod(f[10]) : 2000.0;
    a.rel.push_back((est - truth) / truth);
  }
  std::printf(
      "scenario,method,runs,covered,coverage,failed,unbounded,mean_width_bounded,"
      "median_rel_error,median_abs_rel_error,mean_estimate\n");
  for (const auto& key : order) {
    const Acc& a = acc[key];
    const int ok = a.runs - a.failed;
    std::vector<double> abs_rel;
    for (double r : a.rel) abs_rel.push_back(std::fabs(r));
    const int bounded = ok - a.unbounded;
    std::printf("%s,%s,%d,%d,%.3f,%d,%d,%.1f,%.4f,%.4f,%.1f\n", key.first.c_str(),
                key.second.c_str(), a.runs, a.covered,
                a.runs ? static_cast<double>(a.covered) / a.runs : 0.0, a.failed, a.unbounded,
                bounded ? a.width / bounded : 0.0, Median(a.rel), Median(abs_rel),
                ok ? a.estimate / ok : 0.0);
  }
  return 0;
}

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace
}  // namespace memoria::estimate

int main(int argc, char** argv) {
  using namespace memoria::estimate;
  int datasets = 200, first = 0;
  unsigned long long seed = 1;
  bool with_lcmcr = false, with_loglinear = true, with_latent_class = false;
  std::vector<std::string> scenarios = {"independent", "interaction", "heterogeneous", "latent3"};
  LcmcrOptions lcmcr;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--summarize") return Summarize();
    if (a == "--datasets") {
      datasets = std::atoi(next());
    } else if (a == "--first") {
      first = std::atoi(next());
    } else if (a == "--seed") {
      seed = std::strtoull(next(), nullptr, 10);
    } else if (a == "--scenarios") {
      scenarios = Split(next());
    } else if (a == "--lcmcr") {
      with_lcmcr = true;
    } else if (a == "--latent-class") {
      with_latent_class = true;
    } else if (a == "--no-loglinear") {
      with_loglinear = false;
    } else if (a == "--burnin") {
      lcmcr.burnin = std::atoll(next());
    } else if (a == "--samples") {
      lcmcr.samples = std::atoll(next());
    } else if (a == "--thin") {
      lcmcr.thin = std::atoll(next());
    } else if (a == "--N") {
      g_true_n = std::atof(next());
    } else if (a == "--K") {
      lcmcr.K = std::atoi(next());
    } else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  const std::string lcmcr_name =
      "lcmcr K=" + std::to_string(lcmcr.K) + " burnin " + std::to_string(lcmcr.burnin) +
      " samples " + std::to_string(lcmcr.samples) + " thin " + std::to_string(lcmcr.thin);
  std::printf(
      "scenario,dataset,method,ok,estimate,lower,upper,covered,ess,n0_truncations,true_N\n");
  for (const std::string& scenario : scenarios) {
    Model model;
    if (!Scenario(scenario, model)) {
      std::fprintf(stderr, "unknown scenario %s\n", scenario.c_str());
      return 2;
    }
    std::string all = "[";
    for (int j = 1; j <= model.k; ++j) all += (j > 1 ? "," : "") + std::to_string(j);
    all += "]";
    const LoglinearModel independence = *ParseHierarchicalModel(model.k, all);
    const LoglinearModel interaction = *ParseHierarchicalModel(4, "[12,3,4]");
    LoglinearModel darroch;
    for (LoglinearModel& m : HeterogeneityModels(model.k)) {
      if (m.name == "Mth Darroch") darroch = m;
    }
    std::string all_label = all;
    std::replace(all_label.begin(), all_label.end(), ',', ';');
    std::mt19937_64 rng(seed);
    for (int d = 0; d < first + datasets; ++d) {
      CaptureHistories h = DrawTable(model, rng);
      if (d < first) continue;
      if (with_loglinear) {
        LoglinearRow(scenario, d, "loglinear independence " + all_label,
                     ProfileLikelihoodInterval(h, independence), FitLoglinear(h, independence));
        if (scenario == "interaction") {
          LoglinearRow(scenario, d, "loglinear generating model [12;3;4]",
                       ProfileLikelihoodInterval(h, interaction), FitLoglinear(h, interaction));
        }
        auto est = EstimateLoglinear(h);
        const bool ok = est.ok();
        Row(scenario, d, "loglinear BIC-selected", ok, ok ? est->fits[est->selected].estimate : 0,
            ok ? est->interval.lower : 0, ok ? est->interval.upper : 0, -1, -1,
            ok && !est->interval.upper_bounded);
        LoglinearRow(scenario, d, "loglinear Mth Darroch", ProfileLikelihoodInterval(h, darroch),
                     FitLoglinear(h, darroch));
      }
      if (with_latent_class) {
        // The generating number of classes when it is identifiable with these lists (the
        // correctly specified model), and the BIC-selected K.
        if (model.classes > 0 && model.classes <= MaxIdentifiableClasses(model.k)) {
          LatentClassOptions o;
          o.classes = model.classes;
          LatentClassRow(scenario, d, "latent class K=" + std::to_string(model.classes),
                         EstimateLatentClass(h, o));
        }
        LatentClassRow(scenario, d, "latent class BIC-selected", EstimateLatentClass(h));
      }
      if (with_lcmcr) {
        LcmcrOptions o = lcmcr;
        o.seed = static_cast<std::uint64_t>(d + 1);
        auto l = EstimateLcmcr(h, o);
        if (!l.ok()) {
          Row(scenario, d, lcmcr_name, false, 0, 0, 0);
        } else {
          Row(scenario, d, lcmcr_name, true, l->summary.median, l->summary.lower, l->summary.upper,
              l->diagnostics.effective_sample_size,
              static_cast<double>(l->diagnostics.n0_truncations));
        }
      }
    }
  }
  return 0;
}
