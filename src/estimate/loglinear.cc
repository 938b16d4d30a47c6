#include "estimate/loglinear.h"

#include <algorithm>
#include <bit>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/tools/minima.hpp>
#include <boost/math/tools/roots.hpp>
#include <cfloat>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>

namespace memoria::estimate {
namespace {

constexpr int kMaxIterations = 25;        // R's glm.control() default
constexpr double kEpsilon = 1e-8;         // R's glm.control() default
constexpr double kRankTolerance = 1e-11;  // R's glm.fit: min(1e-7, epsilon / 1000)
constexpr double kHugeCoefficient = 30;   // |β̂| beyond this means the MLE is at infinity

double Deviance(const Eigen::VectorXd& y, const Eigen::VectorXd& mu) {
  double d = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    double r = -(y[i] - mu[i]);
    if (y[i] > 0) r += y[i] * std::log(y[i] / mu[i]);
    d += 2 * r;
  }
  return d;
}

// One IRLS fit, step for step as R's glm.fit for the Poisson family with log link.
struct Irls {
  Eigen::VectorXd beta;
  Eigen::VectorXd mu;
  Eigen::MatrixXd cov;  // (XᵀWX)⁻¹ with the weights of the last iteration (as summary.glm)
  double deviance = 0;
  int iterations = 0;
  int rank = 0;
  bool converged = false;
  bool finite = true;
};

Irls FitIrls(const Eigen::VectorXd& y, const Eigen::MatrixXd& x) {
  Irls out;
  const Eigen::Index p = x.cols();
  Eigen::VectorXd mu = (y.array() + 0.1).matrix();
  Eigen::VectorXd eta = mu.array().log().matrix();
  double devold = Deviance(y, mu);
  Eigen::MatrixXd a(x.rows(), p);
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr;
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(p);
  for (int iter = 1; iter <= kMaxIterations; ++iter) {
    out.iterations = iter;
    Eigen::VectorXd w = mu.array().sqrt().matrix();
    Eigen::VectorXd z = (eta.array() + (y - mu).array() / mu.array()).matrix();
    a = w.asDiagonal() * x;
    qr.setThreshold(kRankTolerance);
    qr.compute(a);
    beta = qr.solve((w.array() * z.array()).matrix());
    eta = x * beta;
    mu = eta.array().exp().matrix();
    const double dev = Deviance(y, mu);
    if (!std::isfinite(dev) || !beta.allFinite()) {
      out.finite = false;
      out.deviance = dev;
      break;
    }
    out.deviance = dev;
    if (std::abs(dev - devold) / (std::abs(dev) + 0.1) < kEpsilon) {
      out.converged = true;
      break;
    }
    devold = dev;
  }
  out.rank = static_cast<int>(qr.rank());
  out.beta = beta;
  out.mu = mu;
  if (out.finite) {
    const Eigen::MatrixXd info = a.transpose() * a;
    if (out.rank == p) {
      out.cov = info.ldlt().solve(Eigen::MatrixXd::Identity(p, p));
    } else {
      out.cov = info.completeOrthogonalDecomposition().pseudoInverse();
    }
  }
  return out;
}

// Fit with Rcapture's treatment of Chao's η parameters: while one is negative, drop the first
// negative one and refit. Returns the fit and the kept design columns (intercept = column 0).
struct ChaoFit {
  Irls fit;
  std::vector<int> columns;
};

ChaoFit FitWithChao(const Eigen::VectorXd& y, const Eigen::MatrixXd& x_full, int chao_first) {
  std::vector<int> columns(x_full.cols());
  for (int c = 0; c < x_full.cols(); ++c) columns[c] = c;
  while (true) {
    Eigen::MatrixXd x(x_full.rows(), static_cast<Eigen::Index>(columns.size()));
    for (std::size_t c = 0; c < columns.size(); ++c) x.col(c) = x_full.col(columns[c]);
    Irls fit = FitIrls(y, x);
    if (chao_first < 0 || !fit.finite) return {std::move(fit), columns};
    int drop = -1;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (columns[c] >= chao_first + 1 && fit.beta[c] < 0) {
        drop = static_cast<int>(c);
        break;
      }
    }
    if (drop < 0) return {std::move(fit), columns};
    columns.erase(columns.begin() + drop);
  }
}

Eigen::MatrixXd WithIntercept(const Eigen::MatrixXd& design) {
  Eigen::MatrixXd x(design.rows(), design.cols() + 1);
  x.col(0).setOnes();
  x.rightCols(design.cols()) = design;
  return x;
}

Eigen::VectorXd ObservedCells(const CaptureHistories& h) {
  Eigen::VectorXd y(static_cast<Eigen::Index>(h.counts.size() - 1));
  for (std::size_t i = 1; i < h.counts.size(); ++i) y[i - 1] = h.counts[i];
  return y;
}

std::string TermName(int k, std::uint32_t term) {
  std::string s;
  for (int j = 0; j < k; ++j) {
    if (term & (1u << j)) {
      if (k > 9 && !s.empty()) s += ':';
      s += std::to_string(j + 1);
    }
  }
  return s;
}

// Rcapture's bracket name: maximal interaction terms (largest first), then main effects that
// no interaction covers.
std::string HierarchicalName(int k, const std::vector<std::uint32_t>& terms) {
  std::vector<std::uint32_t> generators;
  for (std::uint32_t t : terms) {
    bool maximal = true;
    for (std::uint32_t u : terms) {
      if (u != t && (u & t) == t) maximal = false;
    }
    if (maximal) generators.push_back(t);
  }
  std::sort(generators.begin(), generators.end(), [k](std::uint32_t a, std::uint32_t b) {
    int pa = std::popcount(a), pb = std::popcount(b);
    if (pa != pb) return pa > pb;
    return TermName(k, a) < TermName(k, b);
  });
  std::string name = "[";
  for (std::size_t i = 0; i < generators.size(); ++i) {
    if (i > 0) name += ',';
    name += TermName(k, generators[i]);
  }
  return name + "]";
}

LoglinearModel BuildHierarchical(int k, std::vector<std::uint32_t> terms) {
  std::sort(terms.begin(), terms.end(), [](std::uint32_t a, std::uint32_t b) {
    int pa = std::popcount(a), pb = std::popcount(b);
    return pa != pb ? pa < pb : a < b;
  });
  LoglinearModel m;
  m.name = HierarchicalName(k, terms);
  const int cells = (1 << k) - 1;
  m.design.resize(cells, static_cast<Eigen::Index>(terms.size()));
  for (int r = 0; r < cells; ++r) {
    const std::uint32_t pattern = static_cast<std::uint32_t>(r + 1);
    for (std::size_t c = 0; c < terms.size(); ++c) {
      m.design(r, static_cast<Eigen::Index>(c)) = (pattern & terms[c]) == terms[c] ? 1.0 : 0.0;
    }
  }
  m.terms = std::move(terms);
  return m;
}

// Adds every subset (of size >= 1) of each generator.
std::vector<std::uint32_t> Closure(int k, const std::vector<std::uint32_t>& generators) {
  std::vector<char> in(std::size_t{1} << k, 0);
  for (int j = 0; j < k; ++j) in[1u << j] = 1;
  for (std::uint32_t g : generators) {
    for (std::uint32_t s = g; s; s = (s - 1) & g) in[s] = 1;
  }
  std::vector<std::uint32_t> terms;
  for (std::uint32_t t = 1; t < in.size(); ++t) {
    if (in[t]) terms.push_back(t);
  }
  return terms;
}

double LogLikelihood(const Eigen::VectorXd& y, const Eigen::VectorXd& mu) {
  double l = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    l += -mu[i] - std::lgamma(y[i] + 1);
    if (y[i] > 0) l += y[i] * std::log(mu[i]);
  }
  return l;
}

void Flag(LoglinearFit& f, int code, std::string warning) {
  if (f.info_fit == kFitOk) f.info_fit = code;
  f.warnings.push_back(std::move(warning));
}

}  // namespace

Result<LoglinearModel> HierarchicalModel(int k, const std::vector<std::uint32_t>& generators) {
  if (k < 2 || k > kMaxLists) return Status::InvalidInput("k out of range");
  const std::uint32_t full = (1u << k) - 1;
  for (std::uint32_t g : generators) {
    if (g == 0 || (g & ~full) != 0) {
      return Status::InvalidInput("term refers to a list beyond the " + std::to_string(k) +
                                  " lists");
    }
    if (g == full) {
      return Status::InvalidInput("the " + std::to_string(k) +
                                  "-way interaction is not identifiable (it involves the "
                                  "unobserved cell)");
    }
  }
  return BuildHierarchical(k, Closure(k, generators));
}

Result<LoglinearModel> ParseHierarchicalModel(int k, std::string_view name) {
  if (k > 9) return Status::InvalidInput("bracket model names need k <= 9 lists");
  if (name.size() < 2 || name.front() != '[' || name.back() != ']') {
    return Status::InvalidInput("model must look like [12,3]: got '" + std::string(name) + "'");
  }
  std::vector<std::uint32_t> generators;
  std::uint32_t term = 0;
  for (std::size_t i = 1; i + 1 < name.size(); ++i) {
    const char c = name[i];
    if (c == ',' || c == ' ') {
      if (c == ',') {
        if (term == 0) return Status::InvalidInput("empty term in '" + std::string(name) + "'");
        generators.push_back(term);
        term = 0;
      }
    } else if (c >= '1' && c <= '9' && c - '0' <= k) {
      term |= 1u << (c - '1');
    } else {
      return Status::InvalidInput("bad character '" + std::string(1, c) + "' in model '" +
                                  std::string(name) + "' (lists are 1.." + std::to_string(k) + ")");
    }
  }
  if (term == 0) return Status::InvalidInput("empty term in '" + std::string(name) + "'");
  generators.push_back(term);
  return HierarchicalModel(k, generators);
}

Result<std::vector<LoglinearModel>> EnumerateHierarchicalModels(int k, int max_order,
                                                                std::size_t limit) {
  if (k < 2 || k > kMaxLists) return Status::InvalidInput("k out of range");
  if (max_order < 1 || max_order > k - 1) {
    return Status::InvalidInput("max_order must be between 1 and k - 1 = " + std::to_string(k - 1));
  }
  // Candidate interaction terms, by increasing order: a term may be included only when all
  // its sub-terms one order lower are, which keeps every model hierarchical.
  std::vector<std::uint32_t> candidates;
  for (std::uint32_t t = 1; t < (1u << k); ++t) {
    int o = std::popcount(t);
    if (o >= 2 && o <= max_order) candidates.push_back(t);
  }
  std::stable_sort(candidates.begin(), candidates.end(), [](std::uint32_t a, std::uint32_t b) {
    return std::popcount(a) < std::popcount(b);
  });
  std::vector<char> in(std::size_t{1} << k, 0);
  for (int j = 0; j < k; ++j) in[1u << j] = 1;
  std::vector<std::vector<std::uint32_t>> sets;
  bool too_many = false;
  std::function<void(std::size_t)> recurse = [&](std::size_t i) {
    if (too_many) return;
    if (i == candidates.size()) {
      if (sets.size() >= limit) {
        too_many = true;
        return;
      }
      std::vector<std::uint32_t> terms;
      for (std::uint32_t t = 1; t < in.size(); ++t) {
        if (in[t]) terms.push_back(t);
      }
      sets.push_back(std::move(terms));
      return;
    }
    const std::uint32_t t = candidates[i];
    recurse(i + 1);  // without t
    bool allowed = true;
    for (int j = 0; j < k && allowed; ++j) {
      if (t & (1u << j)) allowed = in[t & ~(1u << j)] != 0;
    }
    if (allowed) {
      in[t] = 1;
      recurse(i + 1);
      in[t] = 0;
    }
  };
  recurse(0);
  if (too_many) {
    return Status::InvalidInput("more than " + std::to_string(limit) +
                                " hierarchical models for k = " + std::to_string(k) +
                                " with interactions up to order " + std::to_string(max_order) +
                                "; lower the maximum order or use a Bayesian method");
  }
  std::vector<LoglinearModel> models;
  models.reserve(sets.size());
  for (auto& terms : sets) models.push_back(BuildHierarchical(k, std::move(terms)));
  return models;
}

std::vector<LoglinearModel> HeterogeneityModels(int k) {
  const int cells = (1 << k) - 1;
  auto count = [](int r) {
    return static_cast<double>(std::popcount(static_cast<unsigned>(r + 1)));
  };
  // Columns of the heterogeneity part, as functions of the number of captures c.
  auto chao = [k, cells, &count](Eigen::MatrixXd& m, int first) {
    for (int j = 3; j <= k; ++j) {
      for (int r = 0; r < cells; ++r) m(r, first + j - 3) = std::max(count(r) - j + 1, 0.0);
    }
  };
  struct Het {
    const char* name;
    std::function<double(double)> f;  // null: Chao
  };
  const std::vector<Het> hets = {
      {"Chao (LB)", nullptr},
      {"Poisson2", [](double c) { return std::pow(2.0, c) - 1; }},
      {"Darroch", [](double c) { return c * c / 2; }},
      {"Gamma3.5", [](double c) { return -std::log(3.5 + c) + std::log(3.5); }},
  };
  std::vector<LoglinearModel> out;
  LoglinearModel m0;
  m0.name = "M0";
  m0.design.resize(cells, 1);
  for (int r = 0; r < cells; ++r) m0.design(r, 0) = count(r);
  out.push_back(m0);
  LoglinearModel mt;
  mt.name = "Mt";
  mt.design.resize(cells, k);
  for (int r = 0; r < cells; ++r) {
    for (int j = 0; j < k; ++j) mt.design(r, j) = ((r + 1) >> j) & 1;
  }
  out.push_back(mt);
  for (int pass = 0; pass < 2; ++pass) {
    const LoglinearModel& base = pass == 0 ? m0 : mt;
    for (const Het& h : hets) {
      LoglinearModel m;
      m.name = std::string(pass == 0 ? "Mh " : "Mth ") + h.name;
      const int first = static_cast<int>(base.design.cols());
      const int extra = h.f ? 1 : k - 2;
      m.design.resize(cells, first + extra);
      m.design.leftCols(first) = base.design;
      if (h.f) {
        for (int r = 0; r < cells; ++r) m.design(r, first) = h.f(count(r));
      } else {
        chao(m.design, first);
        m.chao_first_column = first;
      }
      out.push_back(std::move(m));
    }
  }
  // Behavioural models: occasions before the first capture, captures after the first.
  LoglinearModel mb;
  mb.name = "Mb";
  mb.abundance = AbundanceFormula::kMb;
  mb.design.resize(cells, 2);
  LoglinearModel mbh;
  mbh.name = "Mbh";
  mbh.abundance = AbundanceFormula::kMbh;
  mbh.design.resize(cells, 3);
  for (int r = 0; r < cells; ++r) {
    const unsigned pattern = static_cast<unsigned>(r + 1);
    const double before = std::countr_zero(pattern);
    const double after = count(r) - 1;
    mb.design(r, 0) = before;
    mb.design(r, 1) = after;
    mbh.design(r, 0) = 1.0 - (pattern & 1u);
    mbh.design(r, 1) = before;
    mbh.design(r, 2) = after;
  }
  out.push_back(std::move(mb));
  out.push_back(std::move(mbh));
  return out;
}

Result<LoglinearFit> FitLoglinear(const CaptureHistories& h, const LoglinearModel& model) {
  MEMORIA_RETURN_IF_ERROR(Validate(h, 2));
  const int k = h.k();
  if (model.design.rows() != (1 << k) - 1) {
    return Status::InvalidInput("model '" + model.name + "' has a design for " +
                                std::to_string(model.design.rows()) + " cells, the data have " +
                                std::to_string((1 << k) - 1));
  }
  const Eigen::VectorXd y = ObservedCells(h);
  const double n = y.sum();
  if (n <= 0) return Status::InvalidInput("no one observed");
  const Eigen::MatrixXd x_full = WithIntercept(model.design);
  ChaoFit cf = FitWithChao(y, x_full, model.chao_first_column);
  const Irls& fit = cf.fit;

  LoglinearFit f;
  f.model = model.name;
  f.iterations = fit.iterations;
  f.coefficients.assign(fit.beta.data(), fit.beta.data() + fit.beta.size());
  if (!fit.finite) {
    // Keep every number finite: report the failure instead.
    f.info_fit = kFitNotConverged;
    f.warnings.push_back("IRLS diverged (deviance or coefficients not finite)");
    f.deviance = f.aic = f.bic = std::numeric_limits<double>::max();
    f.estimate = n;
    f.parameters = static_cast<int>(cf.columns.size());
    f.df = static_cast<int>(y.size()) - f.parameters;
    return f;
  }
  f.parameters = fit.rank;
  f.df = static_cast<int>(y.size()) - fit.rank;
  f.deviance = fit.deviance;
  f.aic = -2 * LogLikelihood(y, fit.mu) + 2 * fit.rank;
  f.bic = f.aic + (std::log(n) - 2) * fit.rank;

  if (!fit.converged) {
    Flag(f, kFitNotConverged,
         "IRLS did not converge in " + std::to_string(kMaxIterations) + " iterations");
  }
  if (fit.rank < fit.beta.size()) {
    Flag(f, kFitRankDeficient,
         "design is rank deficient (rank " + std::to_string(fit.rank) + " of " +
             std::to_string(fit.beta.size()) + "): some parameters are not identifiable");
  }
  // Terms with a zero sufficient statistic: their MLE is −∞.
  for (std::size_t c = 0; c < model.terms.size(); ++c) {
    double s = 0;
    for (Eigen::Index r = 0; r < y.size(); ++r)
      s += y[r] * model.design(r, static_cast<Eigen::Index>(c));
    if (s == 0) {
      std::string lists;
      for (int j = 0; j < k; ++j) {
        if (model.terms[c] & (1u << j)) lists += (lists.empty() ? "" : ", ") + h.lists[j];
      }
      Flag(f, kFitBoundary, "no one is on all of (" + lists + "): the MLE of that term is at −∞");
    }
  }
  if ((fit.mu.array() < 10 * DBL_EPSILON).any()) {
    Flag(f, kFitBoundary, "fitted rates numerically 0 occurred");
  }
  for (Eigen::Index c = 1; c < fit.beta.size(); ++c) {
    if (std::abs(fit.beta[c]) > kHugeCoefficient) {
      Flag(f, kFitBoundary, "a coefficient is beyond ±30: the MLE is on the boundary");
      break;
    }
  }

  const Eigen::VectorXd& b = fit.beta;
  double estimate = 0;
  double variance = 0;
  const double t = k;
  switch (model.abundance) {
    case AbundanceFormula::kStandard: {
      const double mu0 = std::exp(b[0]);
      estimate = n + mu0;
      variance = mu0 + mu0 * mu0 * fit.cov(0, 0);
      break;
    }
    case AbundanceFormula::kMb: {
      const double e1 = std::exp(b[1]), e2 = std::exp(b[2]);
      const double den = 1 + e2 - e1;
      estimate = std::exp(b[0]) * std::pow(1 + e2, t) / den;
      Eigen::Vector3d v(1, e1 / den, t * e2 / (1 + e2) - e2 / den);
      v *= estimate;
      variance = v.dot(fit.cov * v) - estimate;
      break;
    }
    case AbundanceFormula::kMbh: {
      const double e4 = std::exp(b[3]), e23 = std::exp(b[1] + b[2]), e3 = std::exp(b[2]);
      const double den = 1 + e4 - e3;
      const double scale = std::exp(b[0]) * std::pow(1 + e4, t - 1);
      estimate = scale * (1 + e23 / den);
      Eigen::Vector4d v(1 + e23 / den, e23 / den,
                        e23 / den + std::exp(b[1] + 2 * b[2]) / (den * den),
                        (t - 1) * e4 / (1 + e4) - std::exp(b[1] + b[2] + b[3]) / (den * den));
      v *= scale;
      variance = v.dot(fit.cov * v) - estimate;
      break;
    }
  }
  if (!std::isfinite(estimate) || estimate > 1e15) {
    Flag(f, kFitBoundary, "the estimate of N is not finite: the model does not identify N");
    estimate = std::numeric_limits<double>::max();
  }
  if (!std::isfinite(variance) || variance < 0) {
    Flag(f, kFitBoundary, "the standard error of N is undefined for this fit");
    variance = 0;
  }
  f.estimate = estimate;
  f.missing = estimate - n;
  f.std_error = std::sqrt(variance);
  return f;
}

namespace {

// Multinomial profile log-likelihood ℓ(N) of Rcapture's closedpCI.t.
class Profile {
 public:
  Profile(const CaptureHistories& h, const LoglinearModel& model)
      : n_(h.Observed()), chao_first_(model.chao_first_column) {
    const Eigen::Index cells = static_cast<Eigen::Index>(h.counts.size());
    y_.resize(cells);
    y_.head(cells - 1) = ObservedCells(h);
    x_ = Eigen::MatrixXd::Zero(cells, model.design.cols() + 1);
    x_.topRows(cells - 1) = WithIntercept(model.design);
    x_(cells - 1, 0) = 1;  // the unobserved cell: intercept only
  }

  double operator()(double big_n) {
    const double n0 = std::max(big_n - n_, 0.0);
    y_[y_.size() - 1] = n0;
    const double dev = FitWithChao(y_, x_, chao_first_).fit.deviance;
    double c;
    if (big_n > 100) {
      c = (n0 == 0 || n0 == 1) ? -big_n + 0.5 * std::log(2 * std::numbers::pi * big_n)
                               : n0 - big_n - 0.5 * std::log(n0 / big_n);
    } else {
      c = (n0 > 0 ? n0 * std::log(n0) : 0.0) + std::lgamma(big_n + 1) - big_n * std::log(big_n) -
          std::lgamma(n0 + 1);
    }
    return -(dev - 2 * c) / 2;
  }

  double n() const { return n_; }

 private:
  double n_;
  int chao_first_;
  Eigen::VectorXd y_;
  Eigen::MatrixXd x_;
};

}  // namespace

Result<ProfileInterval> ProfileLikelihoodInterval(const CaptureHistories& h,
                                                  const LoglinearModel& model, double level) {
  if (!(level > 0 && level < 1)) return Status::InvalidInput("level must be in (0, 1)");
  if (model.abundance != AbundanceFormula::kStandard) {
    return Status::InvalidInput("profile intervals are not defined for model " + model.name);
  }
  MEMORIA_ASSIGN_OR_RETURN(LoglinearFit fit, FitLoglinear(h, model));
  Profile profile(h, model);
  const double n = profile.n();
  if (fit.estimate >= std::numeric_limits<double>::max()) {
    return Status::InvalidInput("model " + model.name + " does not identify N: no interval");
  }
  const double hi_search = 1.5 * fit.estimate;
  const double hi_limit = 3 * fit.estimate;
  // Maximise ℓ on [n, 1.5 N̂].
  auto neg = [&profile](double big_n) { return -profile(big_n); };
  std::uintmax_t iters = 200;
  auto [n_max, neg_l_max] = boost::math::tools::brent_find_minima(neg, n, hi_search, 40, iters);
  const double l_max = -neg_l_max;
  boost::math::chi_squared chi2(1);
  const double drop = boost::math::quantile(chi2, level) / 2;
  auto f = [&](double big_n) { return profile(big_n) - (l_max - drop); };

  ProfileInterval out;
  out.level = level;
  out.estimate = n_max;
  auto tol = [](double a, double b) {
    return std::abs(b - a) <= 1e-9 * std::max(1.0, std::abs(a));
  };
  if (f(n) >= 0) {
    out.lower = n;
    out.lower_at_observed = true;
  } else {
    std::uintmax_t it = 200;
    auto [a, b] = boost::math::tools::toms748_solve(f, n, n_max, tol, it);
    out.lower = (a + b) / 2;
  }
  if (f(hi_limit) >= 0) {
    out.upper = hi_limit;
    out.upper_bounded = false;
  } else {
    std::uintmax_t it = 200;
    auto [a, b] = boost::math::tools::toms748_solve(f, n_max, hi_limit, tol, it);
    out.upper = (a + b) / 2;
  }
  return out;
}

Result<LoglinearEstimate> EstimateLoglinear(const CaptureHistories& h,
                                            const LoglinearOptions& options) {
  MEMORIA_RETURN_IF_ERROR(Validate(h, 3));
  const int k = h.k();
  const int max_order = options.max_order < 0 ? (k <= 5 ? k - 1 : 2) : options.max_order;
  MEMORIA_ASSIGN_OR_RETURN(auto models,
                           EnumerateHierarchicalModels(k, max_order, options.model_limit));
  LoglinearEstimate est;
  std::vector<std::size_t> order(models.size());
  est.fits.reserve(models.size());
  for (std::size_t i = 0; i < models.size(); ++i) {
    MEMORIA_ASSIGN_OR_RETURN(LoglinearFit fit, FitLoglinear(h, models[i]));
    est.fits.push_back(std::move(fit));
    order[i] = i;
  }
  const Criterion c = options.criterion;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const LoglinearFit& fa = est.fits[a];
    const LoglinearFit& fb = est.fits[b];
    if (fa.usable() != fb.usable()) return fa.usable();
    return CriterionValue(fa, c) < CriterionValue(fb, c);
  });
  std::vector<LoglinearFit> sorted;
  sorted.reserve(order.size());
  for (std::size_t i : order) sorted.push_back(std::move(est.fits[i]));
  est.fits = std::move(sorted);
  for (const LoglinearFit& f : est.fits) est.unusable += f.usable() ? 0 : 1;
  if (est.fits.empty() || !est.fits.front().usable()) {
    return Status::InvalidInput(
        "no log-linear model could be fitted without boundary or convergence problems; the "
        "lists overlap too little for log-linear estimation");
  }
  est.selected = 0;
  est.selected_model = std::move(models[order[0]]);
  const double best = CriterionValue(est.fits[0], c);
  est.spread.window = options.spread_window;
  est.spread.min_estimate = est.spread.max_estimate = est.fits[0].estimate;
  for (const LoglinearFit& f : est.fits) {
    if (!f.usable() || CriterionValue(f, c) > best + options.spread_window) continue;
    ++est.spread.models;
    est.spread.min_estimate = std::min(est.spread.min_estimate, f.estimate);
    est.spread.max_estimate = std::max(est.spread.max_estimate, f.estimate);
  }
  MEMORIA_ASSIGN_OR_RETURN(est.interval,
                           ProfileLikelihoodInterval(h, est.selected_model, options.level));
  return est;
}

}  // namespace memoria::estimate
