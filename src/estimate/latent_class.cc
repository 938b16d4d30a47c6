#include "estimate/latent_class.h"

#include <algorithm>
#include <bit>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/tools/minima.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace memoria::estimate {
namespace {

// Capture probabilities are kept inside [kEps, 1 − kEps] so that every log is finite; an
// estimate at the clamp is reported as a boundary estimate.
constexpr double kEps = 1e-10;
// How far EM goes: SQUAREM cycles (3 EM steps each) and the change of the log-likelihood
// over a cycle below which it stops (absolute). Fits and the final profile points use kFine,
// far below what moves an estimate or an interval (the cut is χ²₁(0.95)/2 = 1.92); the scans
// that only look for where the profile is high use kCoarse. Redundant classes drift along flat
// directions for ever, so parameter changes are not waited for.
struct Precision {
  int max_cycles;
  double tolerance;
};
constexpr Precision kFine{20000, 1e-9};
constexpr Precision kCoarse{300, 1e-5};

// The observed table: occupied patterns and their counts.
struct Table {
  int J = 0;
  std::vector<unsigned> pattern;
  std::vector<double> freq;
  double n = 0;
  double log_factorials = 0;  // Σ log f_x!
};

Table MakeTable(const CaptureHistories& h) {
  Table t;
  t.J = h.k();
  for (std::size_t x = 1; x < h.counts.size(); ++x) {
    if (h.counts[x] > 0) {
      t.pattern.push_back(static_cast<unsigned>(x));
      t.freq.push_back(h.counts[x]);
      t.n += h.counts[x];
      t.log_factorials += std::lgamma(h.counts[x] + 1);
    }
  }
  return t;
}

// Parameters as one vector (for SQUAREM): π_0..π_{K−1}, then λ at K + k·J + j.
struct Model {
  int J, K;
  std::size_t size() const { return static_cast<std::size_t>(K) * (J + 1); }
};

// What the unobserved cell holds in an EM step: a fixed N − n (profile likelihood at N), or
// its expectation n·P_0/(1 − P_0) under the current parameters (conditional likelihood).
struct Missing {
  bool conditional = true;
  double count = 0;  // N − n when !conditional
};

// One EM step from theta into next; returns the objective at theta:
//   conditional: Σ f_x log P_x − n log(1 − P_0)  (the conditional log-likelihood)
//   fixed N:     Σ f_x log P_x + (N − n) log P_0  (the multinomial log-likelihood without the
//                terms that depend on N alone)
// Scratch of EmStep, kept across the steps of a run (the EM loop allocates nothing).
struct EmWork {
  std::vector<double> c, a, l;
};

double EmStep(const Table& t, const Model& m, const Missing& missing,
              const std::vector<double>& theta, std::vector<double>& next, EmWork& work) {
  const int J = m.J, K = m.K;
  const double* pi = theta.data();
  const double* lam = theta.data() + K;
  std::vector<double>& c = work.c;
  std::vector<double>& a = work.a;
  std::vector<double>& l = work.l;
  c.assign(K, 0.0);
  a.assign(static_cast<std::size_t>(K) * J, 0.0);
  l.resize(K);
  double objective = 0;
  for (std::size_t i = 0; i < t.pattern.size(); ++i) {
    const unsigned x = t.pattern[i];
    double p = 0;
    for (int k = 0; k < K; ++k) {
      double v = pi[k];
      for (int j = 0; j < J; ++j) v *= (x >> j & 1u) ? lam[k * J + j] : 1 - lam[k * J + j];
      l[k] = v;
      p += v;
    }
    objective += t.freq[i] * std::log(p);
    const double scale = t.freq[i] / p;
    for (int k = 0; k < K; ++k) {
      const double r = l[k] * scale;
      c[k] += r;
      for (unsigned bits = x; bits; bits &= bits - 1) a[k * J + std::countr_zero(bits)] += r;
    }
  }
  double p0 = 0;
  for (int k = 0; k < K; ++k) {
    double v = pi[k];
    for (int j = 0; j < J; ++j) v *= 1 - lam[k * J + j];
    l[k] = v;
    p0 += v;
  }
  p0 = std::min(p0, 1 - 1e-15);
  double f0;
  if (missing.conditional) {
    f0 = t.n * p0 / (1 - p0);
    objective -= t.n * std::log1p(-p0);
  } else {
    f0 = missing.count;
    if (f0 > 0) objective += f0 * std::log(p0);
  }
  if (f0 > 0) {
    for (int k = 0; k < K; ++k) c[k] += f0 * l[k] / p0;
  }
  const double total = t.n + f0;
  next.resize(theta.size());
  for (int k = 0; k < K; ++k) {
    next[k] = c[k] / total;
    for (int j = 0; j < J; ++j) {
      next[K + k * J + j] =
          c[k] > 0 ? std::clamp(a[k * J + j] / c[k], kEps, 1 - kEps) : lam[k * J + j];
    }
  }
  return objective;
}

// Keeps an extrapolated parameter vector valid: weights >= 0 summing to 1, λ in [ε, 1 − ε].
void Project(const Model& m, std::vector<double>& theta) {
  double s = 0;
  for (int k = 0; k < m.K; ++k) {
    theta[k] = std::max(theta[k], 0.0);
    s += theta[k];
  }
  for (int k = 0; k < m.K; ++k) theta[k] = s > 0 ? theta[k] / s : 1.0 / m.K;
  for (std::size_t i = m.K; i < theta.size(); ++i) theta[i] = std::clamp(theta[i], kEps, 1 - kEps);
}

struct EmRun {
  std::vector<double> theta;
  double objective = -std::numeric_limits<double>::infinity();
  int iterations = 0;  // EM steps
  bool converged = false;
};

// EM to convergence from `start`, accelerated by SQUAREM (scheme S3 with the step length
// bounded by −1, which is plain EM's double step, and a monotonicity safeguard).
EmRun RunEm(const Table& t, const Model& m, const Missing& missing, std::vector<double> start,
            Precision precision = kFine) {
  EmRun run;
  std::vector<double> t1, t2, t3, extra(start.size());
  EmWork work;
  double previous = -std::numeric_limits<double>::infinity();
  for (int outer = 0; outer < precision.max_cycles; ++outer) {
    const double f0 = EmStep(t, m, missing, start, t1, work);
    EmStep(t, m, missing, t1, t2, work);
    run.iterations += 2;
    double rr = 0, vv = 0;
    for (std::size_t i = 0; i < start.size(); ++i) {
      const double r = t1[i] - start[i];
      const double v = t2[i] - 2 * t1[i] + start[i];
      rr += r * r;
      vv += v * v;
    }
    double alpha = vv > 0 ? -std::sqrt(rr / vv) : -1.0;
    alpha = std::min(alpha, -1.0);
    for (std::size_t i = 0; i < start.size(); ++i) {
      const double r = t1[i] - start[i];
      const double v = t2[i] - 2 * t1[i] + start[i];
      extra[i] = start[i] - 2 * alpha * r + alpha * alpha * v;
    }
    Project(m, extra);
    double fx = EmStep(t, m, missing, extra, t3, work);
    ++run.iterations;
    if (!(fx >= f0) || !std::isfinite(fx)) {  // extrapolation overshot: take plain EM steps
      fx = EmStep(t, m, missing, t2, t3, work);
      ++run.iterations;
    }
    start.swap(t3);
    run.objective = fx;
    if (std::abs(fx - previous) <= precision.tolerance) {
      run.converged = true;
      break;
    }
    previous = fx;
  }
  run.objective = EmStep(t, m, missing, start, t1, work);  // objective at the returned parameters
  run.theta = std::move(start);
  return run;
}

double MarginalShare(const Table& t, int j) {
  double on = 0;
  for (std::size_t i = 0; i < t.pattern.size(); ++i) {
    if (t.pattern[i] >> j & 1u) on += t.freq[i];
  }
  return on / t.n;
}

// Start s of K classes: s = 0 spreads λ around each list's observed share (the first class
// captured most); later starts draw π from a flat Dirichlet and λ uniformly on (0.02, 0.98).
std::vector<double> StartingValues(const Table& t, const Model& m, int s, std::uint64_t seed) {
  std::vector<double> theta(m.size());
  if (s == 0) {
    for (int k = 0; k < m.K; ++k) {
      theta[k] = 1.0 / m.K;
      const double factor = m.K == 1 ? 1.0 : 1.5 - static_cast<double>(k) / (m.K - 1);
      for (int j = 0; j < m.J; ++j) {
        theta[m.K + k * m.J + j] = std::clamp(MarginalShare(t, j) * factor, 0.02, 0.98);
      }
    }
    return theta;
  }
  std::mt19937_64 rng(seed * 1000003u + static_cast<std::uint64_t>(m.K) * 1009u +
                      static_cast<std::uint64_t>(s));
  std::uniform_real_distribution<double> u(0.0, 1.0);
  double sum = 0;
  for (int k = 0; k < m.K; ++k) {
    theta[k] = -std::log(1 - u(rng));
    sum += theta[k];
  }
  for (int k = 0; k < m.K; ++k) theta[k] /= sum;
  for (std::size_t i = m.K; i < theta.size(); ++i) theta[i] = 0.02 + 0.96 * u(rng);
  return theta;
}

double CellProbability(const Model& m, const std::vector<double>& theta, unsigned x) {
  double p = 0;
  for (int k = 0; k < m.K; ++k) {
    double v = theta[k];
    for (int j = 0; j < m.J; ++j) {
      const double l = theta[m.K + k * m.J + j];
      v *= (x >> j & 1u) ? l : 1 - l;
    }
    p += v;
  }
  return p;
}

Status CheckInput(const CaptureHistories& h, int classes) {
  MEMORIA_RETURN_IF_ERROR(Validate(h, 3));
  if (!(h.Observed() > 0)) return Status::InvalidInput("no individual is observed");
  const int max = MaxIdentifiableClasses(h.k());
  if (classes < 1 || classes > max) {
    return Status::InvalidInput("a latent class model of " + std::to_string(h.k()) +
                                " lists is identifiable with 1 to " + std::to_string(max) +
                                " classes, not " + std::to_string(classes))
        .AtField("classes");
  }
  return Status::Ok();
}

// The profile log-likelihood of N: the multinomial log-likelihood maximised over π and λ
// with N − n people in the unobserved cell (EM warm-started from the nearest N evaluated).
class Profile {
 public:
  Profile(const Table& t, const Model& m, std::vector<double> theta, Precision precision = kFine)
      : t_(t), m_(m), theta_(std::move(theta)), precision_(precision) {}

  double operator()(double N) {
    const EmRun run = RunEm(t_, m_, Missing{false, N - t_.n}, theta_, precision_);
    theta_ = run.theta;
    converged_ = converged_ && run.converged;
    return std::lgamma(N + 1) - std::lgamma(N - t_.n + 1) - t_.log_factorials + run.objective;
  }
  const std::vector<double>& theta() const { return theta_; }
  void set_theta(std::vector<double> theta) { theta_ = std::move(theta); }
  bool converged() const { return converged_; }

 private:
  const Table& t_;
  Model m_;
  std::vector<double> theta_;
  Precision precision_;
  bool converged_ = true;
};

// Parameters of a fit back into the vector form.
std::vector<double> ThetaOf(const LatentClassFit& f) {
  std::vector<double> theta(f.weights);
  theta.insert(theta.end(), f.capture.begin(), f.capture.end());
  return theta;
}

// A point of the profile log-likelihood with the parameters that attain it.
struct ProfilePoint {
  double N = 0;
  double l = 0;
  std::vector<double> theta;
};

// The profile log-likelihood (to coarse precision) on a grid from n to `cap`, walking out
// from `from` in steps that grow by half each time (each point warm-started from its
// neighbour), in increasing N. A walk stops once the profile lies `margin` below the best point
// seen, or at n / `cap`. The profile can be flat far to the right (weak identification), and
// its maximum can lie far from where the conditional EM settled (a start caught on a
// boundary), so the walk up goes the whole way unless the likelihood falls off for good.
std::vector<ProfilePoint> ScanProfile(const Table& t, const Model& m,
                                      const std::vector<double>& theta, double from, double cap,
                                      double margin) {
  const double n = t.n;
  from = std::clamp(from, n, cap);
  Profile profile(t, m, theta, kCoarse);
  std::vector<ProfilePoint> points;
  const double l0 = profile(from);
  const std::vector<double> theta_from = profile.theta();
  points.push_back({from, l0, theta_from});
  double best = l0;
  // Where the profile ends up at the cap: if that is not far below, the walk up must not
  // stop in a dip on the way.
  Profile far(t, m, theta, kCoarse);
  const double l_cap = far(cap);
  for (int direction : {-1, +1}) {
    profile.set_theta(theta_from);
    double N = from;
    double step = std::max(1.0, 0.05 * from);
    std::vector<ProfilePoint> walk;
    while (direction < 0 ? N > n : N < cap) {
      N = direction < 0 ? std::max(n, N - step) : std::min(cap, N + step);
      double l = profile(N);
      // The fixed-N likelihood can have several maxima: the branch followed from `from`, and
      // one that moves the extra people into a class no list documents (always available,
      // flat in N). EM from the starting parameters finds the latter; keep the better one.
      Profile jump(t, m, theta, kCoarse);
      const double lj = jump(N);
      if (lj > l) {
        l = lj;
        profile.set_theta(jump.theta());
      }
      walk.push_back({N, l, profile.theta()});
      best = std::max(best, l);
      if (l < best - margin && (direction < 0 || l_cap < best - margin)) break;
      step *= 1.5;
    }
    if (direction < 0) {
      points.insert(points.begin(), walk.rbegin(), walk.rend());
    } else {
      points.insert(points.end(), walk.begin(), walk.end());
    }
  }
  return points;
}

double CapOf(double estimate, double n, const LatentClassOptions& o) {
  return std::max(estimate, n) * std::max(1.0, o.upper_cap_factor);
}

struct ProfileResult {
  ProfileInterval interval;
  double std_error = 0;
  bool converged = true;
};

Result<ProfileResult> ComputeProfile(const CaptureHistories& h, const LatentClassFit& fit,
                                     const LatentClassOptions& o) {
  MEMORIA_RETURN_IF_ERROR(CheckInput(h, fit.classes));
  if (!(o.level > 0 && o.level < 1)) {
    return Status::InvalidInput("level must be in (0, 1)").AtField("level");
  }
  if (fit.weights.size() != static_cast<std::size_t>(fit.classes) ||
      fit.capture.size() != static_cast<std::size_t>(fit.classes) * h.k()) {
    return Status::InvalidInput("the fit does not belong to these histories").AtField("fit");
  }
  const Table t = MakeTable(h);
  const Model m{t.J, fit.classes};
  const double n = t.n;
  const double cut = 0.5 * boost::math::quantile(boost::math::chi_squared(1.0), o.level);
  const double cap = CapOf(fit.estimate, n, o);
  ProfileResult out;
  out.interval.level = o.level;
  std::vector<ProfilePoint> grid = ScanProfile(t, m, ThetaOf(fit), fit.estimate, cap, cut + 5);
  // Every grid point to full precision, from where the scan left it.
  bool converged = true;
  for (ProfilePoint& p : grid) {
    Profile fine(t, m, p.theta);
    p.l = fine(p.N);
    p.theta = fine.theta();
    converged = converged && fine.converged();
  }
  std::size_t top = 0;
  for (std::size_t i = 1; i < grid.size(); ++i) {
    if (grid[i].l > grid[top].l) top = i;
  }

  // The maximum: Brent's method between the grid's neighbours of its best point.
  Profile profile(t, m, grid[top].theta);
  const double lo = top > 0 ? grid[top - 1].N : grid[top].N;
  const double hi = top + 1 < grid.size() ? grid[top + 1].N : grid[top].N;
  double n_max = grid[top].N, l_max = grid[top].l;
  if (hi > lo) {
    std::uintmax_t iterations = 200;
    const auto best = boost::math::tools::brent_find_minima(
        [&](double N) {
          profile.set_theta(grid[top].theta);
          return -profile(N);
        },
        lo, hi, 40, iterations);
    if (-best.second > l_max) {
      n_max = best.first;
      l_max = -best.second;
    }
  }
  out.interval.estimate = n_max;

  // Standard error from the curvature of the profile at its maximum.
  {
    const double step = std::max(1.0, 0.01 * (n_max - n + 1));
    const double lo_n = std::max(n, n_max - step);
    profile.set_theta(grid[top].theta);
    const double f_lo = profile(lo_n);
    const double f_mid = profile(lo_n + step);
    const double f_hi = profile(lo_n + 2 * step);
    const double second = (f_lo - 2 * f_mid + f_hi) / (step * step);
    out.std_error = second < 0 ? 1 / std::sqrt(-second) : std::numeric_limits<double>::infinity();
  }

  // The crossing ℓ(N) = ℓmax − cut between grid points a (above the cut) and b (below).
  // If EM lands on another branch at an end point so that the sign does not change, the
  // outer point is returned: the interval errs on the wide side.
  const auto crossing = [&](const ProfilePoint& a, const ProfilePoint& b) {
    const auto f = [&](double N) { return profile(N) - (l_max - cut); };
    profile.set_theta(a.theta);
    const double fa = f(a.N);
    const double fb = f(b.N);
    if (!(fa >= 0 && fb < 0)) return b.N;
    profile.set_theta(a.theta);
    std::uintmax_t it = 100;
    const auto r = boost::math::tools::toms748_solve(
        f, std::min(a.N, b.N), std::max(a.N, b.N), a.N < b.N ? fa : fb, a.N < b.N ? fb : fa,
        boost::math::tools::eps_tolerance<double>(30), it);
    return 0.5 * (r.first + r.second);
  };
  out.interval.lower = n;
  out.interval.lower_at_observed = true;
  for (std::size_t i = top; i-- > 0;) {
    if (grid[i].l < l_max - cut) {
      out.interval.lower = crossing(grid[i + 1], grid[i]);
      out.interval.lower_at_observed = false;
      break;
    }
  }
  out.interval.upper = cap;
  out.interval.upper_bounded = false;
  for (std::size_t i = top + 1; i < grid.size(); ++i) {
    if (grid[i].l < l_max - cut) {
      out.interval.upper = crossing(grid[i - 1], grid[i]);
      out.interval.upper_bounded = true;
      break;
    }
  }
  out.converged = converged && profile.converged();
  return out;
}

}  // namespace

int MaxIdentifiableClasses(int k) {
  if (k < 1) return 0;
  // Counting: K(k + 1) parameters (N included) against 2^k − 1 observed cells, one df left.
  const double cells = std::ldexp(1.0, k) - 1;
  int by_count = static_cast<int>((cells - 1) / (k + 1));
  // Allman, Matias & Rhodes (2009): K classes of k binary lists are generically identifiable
  // when k >= 2⌈log2 K⌉ + 1.
  int by_allman = 1;
  while (2 * static_cast<int>(std::bit_width(static_cast<unsigned>(by_allman))) + 1 <= k) {
    by_allman *= 2;
  }
  // by_allman is now the largest power of two K' with 2·log2(K') + 1 <= k; every K up to it
  // has ⌈log2 K⌉ <= log2 K'.
  return std::max(1, std::min(by_count, by_allman));
}

Result<LatentClassFit> FitLatentClass(const CaptureHistories& h, int classes,
                                      const LatentClassOptions& o) {
  MEMORIA_RETURN_IF_ERROR(CheckInput(h, classes));
  if (o.starts < 1) return Status::InvalidInput("starts must be >= 1").AtField("starts");
  const Table t = MakeTable(h);
  const Model m{t.J, classes};
  EmRun best;
  // Every start to coarse precision, then the best of them to full precision.
  const int starts = classes == 1 ? 1 : o.starts;
  for (int s = 0; s < starts; ++s) {
    EmRun run = RunEm(t, m, Missing{}, StartingValues(t, m, s, o.seed), kCoarse);
    if (run.objective > best.objective + 1e-9) best = std::move(run);
  }
  {
    const int coarse_iterations = best.iterations;
    best = RunEm(t, m, Missing{}, best.theta);
    best.iterations += coarse_iterations;
  }
  // A start caught on a boundary (a capture probability at 0, which EM cannot leave) can look
  // converged while the likelihood is higher at another N. Scan the profile likelihood and
  // restart from its best point until the fit is the maximum along it.
  for (int round = 0; round < 4; ++round) {
    const double p0 = CellProbability(m, best.theta, 0);
    const double estimate = t.n / (1 - p0);
    const auto grid = ScanProfile(t, m, best.theta, estimate, CapOf(estimate, t.n, o), 5);
    const auto top = std::max_element(grid.begin(), grid.end(),
                                      [](const auto& a, const auto& b) { return a.l < b.l; });
    const auto at = std::find_if(grid.begin(), grid.end(),
                                 [&](const ProfilePoint& p) { return p.N == estimate; });
    if (at == grid.end() || top->l <= at->l + 1e-3) break;  // the scan's precision
    EmRun run = RunEm(t, m, Missing{}, top->theta);
    if (!(run.objective > best.objective + 1e-7)) break;
    best = std::move(run);
  }
  // Classes by decreasing weight.
  std::vector<int> order(classes);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return best.theta[a] > best.theta[b]; });
  LatentClassFit f;
  f.classes = classes;
  for (int k : order) {
    f.weights.push_back(best.theta[k]);
    for (int j = 0; j < t.J; ++j) f.capture.push_back(best.theta[classes + k * t.J + j]);
  }
  const std::vector<double> theta = ThetaOf(f);
  const double p0 = CellProbability(m, theta, 0);
  f.estimate = t.n / (1 - p0);
  f.missing = f.estimate - t.n;
  f.parameters = classes * (t.J + 1);
  f.df = static_cast<int>(std::ldexp(1.0, t.J)) - 1 - f.parameters;
  f.log_likelihood = best.objective;
  f.iterations = best.iterations;
  f.converged = best.converged;
  // Poisson log-linear conventions (Rcapture): μ_x = N̂ P_x over all observed cells.
  double deviance = 0, minus2loglik = 0;
  std::size_t i = 0;
  for (unsigned x = 1; x < (1u << t.J); ++x) {
    const double mu = f.estimate * CellProbability(m, theta, x);
    const double y = i < t.pattern.size() && t.pattern[i] == x ? t.freq[i++] : 0.0;
    if (y > 0) deviance += 2 * y * std::log(y / mu);
    deviance -= 2 * (y - mu);
    minus2loglik += -2 * (y * std::log(mu) - mu - std::lgamma(y + 1));
  }
  f.deviance = std::max(0.0, deviance);
  f.aic = minus2loglik + 2 * f.parameters;
  f.bic = f.aic + (std::log(t.n) - 2) * f.parameters;
  if (!f.converged) {
    f.warnings.push_back("EM did not converge in " + std::to_string(f.iterations) +
                         " iterations; the estimate may not be the maximum");
  }
  for (int k = 0; k < classes; ++k) {
    if (f.weights[k] < 1e-8) {
      f.warnings.push_back("class " + std::to_string(k + 1) +
                           " is empty: the model reduces to fewer classes");
    }
    for (int j = 0; j < t.J; ++j) {
      const double l = f.capture[k * t.J + j];
      if (f.weights[k] >= 1e-8 && (l <= 1e-6 || l >= 1 - 1e-6)) {
        f.warnings.push_back("class " + std::to_string(k + 1) + " has capture probability " +
                             (l <= 1e-6 ? "0" : "1") + " on list " + h.lists[j] +
                             " (boundary estimate)");
      }
    }
  }
  return f;
}

Result<ProfileInterval> LatentClassProfileInterval(const CaptureHistories& h,
                                                   const LatentClassFit& fit,
                                                   const LatentClassOptions& o) {
  MEMORIA_ASSIGN_OR_RETURN(ProfileResult r, ComputeProfile(h, fit, o));
  return r.interval;
}

Result<LatentClassEstimate> EstimateLatentClass(const CaptureHistories& h,
                                                const LatentClassOptions& o) {
  MEMORIA_RETURN_IF_ERROR(Validate(h, 3));
  const int max = MaxIdentifiableClasses(h.k());
  if (o.classes < 0) return Status::InvalidInput("classes must be >= 0").AtField("classes");
  if (o.classes == 0 && o.max_classes < 1) {
    return Status::InvalidInput("max_classes must be >= 1").AtField("max_classes");
  }
  LatentClassEstimate e;
  const int first = o.classes == 0 ? 1 : o.classes;
  const int last = o.classes == 0 ? std::min(max, o.max_classes) : o.classes;
  for (int K = first; K <= last; ++K) {
    MEMORIA_ASSIGN_OR_RETURN(LatentClassFit f, FitLatentClass(h, K, o));
    e.fits.push_back(std::move(f));
  }
  // Best by the criterion among converged fits (any fit if none converged).
  const auto criterion = [&](const LatentClassFit& f) {
    return o.criterion == Criterion::kAic ? f.aic : f.bic;
  };
  for (std::size_t i = 1; i < e.fits.size(); ++i) {
    const auto& f = e.fits[i];
    const auto& b = e.fits[e.selected];
    if ((f.converged && !b.converged) ||
        (f.converged == b.converged && criterion(f) < criterion(b))) {
      e.selected = i;
    }
  }
  MEMORIA_ASSIGN_OR_RETURN(ProfileResult r, ComputeProfile(h, e.fits[e.selected], o));
  e.interval = r.interval;
  e.std_error = r.std_error;
  if (!r.converged) {
    e.fits[e.selected].warnings.push_back(
        "EM did not converge at some N of the profile likelihood; the interval is approximate");
  }
  return e;
}

}  // namespace memoria::estimate
