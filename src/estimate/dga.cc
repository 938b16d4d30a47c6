#include "estimate/dga.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/csv.h"
#include "core/embedded_data.h"

namespace memoria::estimate {
namespace {

// A decomposable graph as dga stores it: cliques and (non-empty) separators, each a bitmask
// over the lists (bit j = list j+1).
struct Graph {
  int index = 0;
  std::vector<unsigned> cliques;
  std::vector<unsigned> separators;
  std::string label;  // "[12,3]"
};

Result<std::vector<Graph>> LoadGraphs(int k) {
  const std::string path = "mse/dga_graphs" + std::to_string(k) + ".csv";
  auto bytes = EmbeddedFile(path);
  if (!bytes) return Status::Internal("embedded graph list " + path + " is missing");
  std::istringstream in{std::string(*bytes)};
  CsvReader reader(in, path);
  auto col_model = reader.Column("model");
  auto col_type = reader.Column("type");
  auto col_members = reader.Column("members");
  if (!col_model || !col_type || !col_members) {
    return Status::Internal(path + ": expected columns model,type,members");
  }
  std::map<int, Graph> graphs;
  std::vector<std::string> fields;
  while (true) {
    MEMORIA_ASSIGN_OR_RETURN(bool more, reader.Next(fields));
    if (!more) break;
    int model = 0;
    try {
      model = std::stoi(fields[*col_model]);
    } catch (const std::exception&) {
      return Status::Internal(reader.Error("bad model index", "model").ToString());
    }
    unsigned mask = 0;
    std::string digits;
    std::istringstream members(fields[*col_members]);
    int member = 0;
    while (members >> member) {
      if (member < 1 || member > k) {
        return Status::Internal(reader.Error("list index out of range", "members").ToString());
      }
      mask |= 1u << (member - 1);
      digits += std::to_string(member);
    }
    if (mask == 0) return Status::Internal(reader.Error("empty member set", "members").ToString());
    Graph& g = graphs[model];
    g.index = model;
    const std::string& type = fields[*col_type];
    if (type == "clique") {
      g.cliques.push_back(mask);
      g.label += (g.label.empty() ? "[" : ",") + digits;
    } else if (type == "separator") {
      g.separators.push_back(mask);
    } else {
      return Status::Internal(reader.Error("unknown type '" + type + "'", "type").ToString());
    }
  }
  std::vector<Graph> out;
  out.reserve(graphs.size());
  int expected = 1;
  for (auto& [index, g] : graphs) {
    if (index != expected++ || g.cliques.empty()) {
      return Status::Internal(path + ": graph indices are not 1..m or a graph has no clique");
    }
    g.label += "]";
    out.push_back(std::move(g));
  }
  return out;
}

// Log weights of every (graph, n₀) on a grid, normalised; see EstimateDga.
struct GridComputation {
  std::vector<double> column;      // P(n₀ = grid[i])
  std::vector<double> row;         // P(G)
  std::vector<double> row_n_mean;  // E[N | G]
};

GridComputation Compute(const std::vector<double>& y, int k, double delta, double n,
                        const std::vector<Graph>& graphs, std::int64_t n0_min, std::int64_t n0_max,
                        const DgaOptions& options) {
  const unsigned cells = 1u << k;
  const std::size_t len = static_cast<std::size_t>(n0_max - n0_min + 1);
  // L_A(n₀) for every non-empty subset A: only the all-zero margin cell depends on n₀.
  std::vector<std::vector<double>> logml(cells);
  std::vector<double> margin(cells);
  for (unsigned a = 1; a < cells; ++a) {
    std::fill(margin.begin(), margin.end(), 0.0);
    for (unsigned w = 1; w < cells; ++w) margin[w & a] += y[w];
    const double alpha = delta * std::ldexp(1.0, k - std::popcount(a));
    const double lg_alpha = std::lgamma(alpha);
    double fixed = 0;
    for (unsigned s = a;; s = (s - 1) & a) {  // non-zero submasks of a
      if (s == 0) break;
      fixed += std::lgamma(margin[s] + alpha) - lg_alpha;
    }
    std::vector<double>& v = logml[a];
    v.resize(len);
    for (std::size_t i = 0; i < len; ++i) {
      const double n0 = static_cast<double>(n0_min) + static_cast<double>(i);
      v[i] = fixed + std::lgamma(margin[0] + n0 + alpha) - lg_alpha;
    }
  }
  // Terms common to all graphs: multinomial coefficient and prior on N.
  double lg_y = 0;
  for (unsigned w = 1; w < cells; ++w) lg_y += std::lgamma(y[w] + 1);
  const double total_alpha = delta * cells;
  std::vector<double> common(len), dterm(len), big_n(len);
  for (std::size_t i = 0; i < len; ++i) {
    const double n0 = static_cast<double>(n0_min) + static_cast<double>(i);
    const double N = n + n0;
    big_n[i] = N;
    dterm[i] = std::lgamma(total_alpha) - std::lgamma(N + total_alpha);
    double prior = 0;
    if (options.prior == DgaPriorN::kInverseN) {
      prior = -std::log(N);
    } else {
      const double a = options.prior_a, b = options.prior_b;
      prior = N * std::log(b) - (N + a) * std::log1p(b) + std::lgamma(N + a) - std::lgamma(N + 1) -
              std::lgamma(a);
    }
    common[i] = std::lgamma(N + 1) - lg_y - std::lgamma(n0 + 1) + prior;
  }
  auto row_of = [&](const Graph& g, std::size_t gi, std::vector<double>& out) {
    const double components =
        static_cast<double>(g.cliques.size()) - static_cast<double>(g.separators.size());
    const double model_prior =
        options.log_prior_models.empty() ? 0.0 : options.log_prior_models[gi];
    for (std::size_t i = 0; i < len; ++i) out[i] = common[i] + components * dterm[i] + model_prior;
    for (unsigned c : g.cliques)
      for (std::size_t i = 0; i < len; ++i) out[i] += logml[c][i];
    for (unsigned s : g.separators)
      for (std::size_t i = 0; i < len; ++i) out[i] -= logml[s][i];
  };
  // Pass 1: the maximum log weight; pass 2: exponentiate relative to it (log-sum-exp).
  std::vector<double> buf(len);
  double max_w = -std::numeric_limits<double>::infinity();
  for (std::size_t gi = 0; gi < graphs.size(); ++gi) {
    row_of(graphs[gi], gi, buf);
    for (double v : buf) max_w = std::max(max_w, v);
  }
  GridComputation out;
  out.column.assign(len, 0.0);
  out.row.assign(graphs.size(), 0.0);
  out.row_n_mean.assign(graphs.size(), 0.0);
  double total = 0;
  for (std::size_t gi = 0; gi < graphs.size(); ++gi) {
    row_of(graphs[gi], gi, buf);
    double row_sum = 0, row_n = 0;
    for (std::size_t i = 0; i < len; ++i) {
      const double w = std::exp(buf[i] - max_w);
      out.column[i] += w;
      row_sum += w;
      row_n += w * big_n[i];
    }
    out.row[gi] = row_sum;
    out.row_n_mean[gi] = row_sum > 0 ? row_n / row_sum : 0.0;
    total += row_sum;
  }
  for (double& c : out.column) c /= total;
  for (double& r : out.row) r /= total;
  return out;
}

}  // namespace

Result<PosteriorSummary> GridPosterior::Summarize(double level) const {
  if (prob.empty()) return Status::InvalidInput("empty posterior grid");
  if (!(level > 0 && level < 1)) return Status::InvalidInput("level must be in (0, 1)");
  PosteriorSummary s;
  s.level = level;
  double total = 0, mean = 0;
  for (std::size_t i = 0; i < prob.size(); ++i) {
    total += prob[i];
    mean += prob[i] * static_cast<double>(n_min + static_cast<std::int64_t>(i));
  }
  if (!(total > 0)) return Status::InvalidInput("posterior grid has no mass");
  s.mean = mean / total;
  auto quantile = [&](double q) {
    double cum = 0;
    for (std::size_t i = 0; i < prob.size(); ++i) {
      cum += prob[i] / total;
      if (cum >= q) return static_cast<double>(n_min + static_cast<std::int64_t>(i));
    }
    return static_cast<double>(n_min + static_cast<std::int64_t>(prob.size()) - 1);
  };
  s.median = quantile(0.5);
  s.lower = quantile((1 - level) / 2);
  s.upper = quantile((1 + level) / 2);
  return s;
}

Result<GridPosterior> ConvolvePosteriors(const GridPosterior& a, const GridPosterior& b) {
  if (a.prob.empty() || b.prob.empty()) return Status::InvalidInput("empty posterior grid");
  // Trim negligible tails (< 1e-15 each) so that the direct O(|a|·|b|) sum stays cheap.
  auto trim = [](const GridPosterior& g) {
    std::size_t lo = 0, hi = g.prob.size();
    while (lo + 1 < hi && g.prob[lo] < 1e-15) ++lo;
    while (hi - 1 > lo && g.prob[hi - 1] < 1e-15) --hi;
    return std::pair{lo, hi};
  };
  auto [alo, ahi] = trim(a);
  auto [blo, bhi] = trim(b);
  GridPosterior out;
  out.n_min = a.n_min + static_cast<std::int64_t>(alo) + b.n_min + static_cast<std::int64_t>(blo);
  out.prob.assign((ahi - alo) + (bhi - blo) - 1, 0.0);
  for (std::size_t i = alo; i < ahi; ++i) {
    const double pa = a.prob[i];
    if (pa == 0) continue;
    double* dst = out.prob.data() + (i - alo);
    for (std::size_t j = blo; j < bhi; ++j) dst[j - blo] += pa * b.prob[j];
  }
  return out;
}

Result<DgaResult> EstimateDga(const CaptureHistories& data, const DgaOptions& options) {
  const int k = data.k();
  if (k < 3 || k > 5) {
    return Status::InvalidInput("dga model averaging needs 3, 4 or 5 lists, got " +
                                std::to_string(k))
        .AtField("lists");
  }
  MEMORIA_RETURN_IF_ERROR(ValidateWholeCounts(data, 3));
  if (options.n0_min < 0) return Status::InvalidInput("n0_min must be >= 0").AtField("n0_min");
  if (options.n0_max >= 0 && options.n0_max < options.n0_min) {
    return Status::InvalidInput("n0_max must be >= n0_min").AtField("n0_max");
  }
  if (options.prior == DgaPriorN::kNegativeBinomial &&
      !(options.prior_a > 0 && options.prior_b > 0)) {
    return Status::InvalidInput("negative-binomial prior parameters must be positive")
        .AtField("prior");
  }
  if (!std::isfinite(options.delta)) {
    return Status::InvalidInput("delta must be finite").AtField("delta");
  }
  if (!(options.level > 0 && options.level < 1)) {
    return Status::InvalidInput("level must be in (0, 1)").AtField("level");
  }
  MEMORIA_ASSIGN_OR_RETURN(std::vector<Graph> graphs, LoadGraphs(k));
  if (!options.log_prior_models.empty() && options.log_prior_models.size() != graphs.size()) {
    return Status::InvalidInput("log_prior_models has " +
                                std::to_string(options.log_prior_models.size()) +
                                " entries; there are " + std::to_string(graphs.size()) +
                                " graphs for " + std::to_string(k) + " lists")
        .AtField("log_prior_models");
  }
  for (double w : options.log_prior_models) {
    if (std::isnan(w) || w == std::numeric_limits<double>::infinity()) {
      return Status::InvalidInput("log_prior_models must be finite or -inf")
          .AtField("log_prior_models");
    }
  }

  const double delta = options.delta > 0 ? options.delta : std::ldexp(1.0, -k);
  const double n = data.Observed();
  const bool auto_grid = options.n0_max < 0;
  std::int64_t n0_max =
      auto_grid ? options.n0_min + std::max<std::int64_t>(static_cast<std::int64_t>(2 * n), 1000)
                : options.n0_max;
  // Heavy tails (the saturated model with small δ) may never reach the tail target: stop
  // doubling at max(64n, 2^14) points and report the tail mass.
  const std::int64_t auto_limit =
      std::max<std::int64_t>(64 * static_cast<std::int64_t>(n), std::int64_t{1} << 14);
  GridComputation grid;
  double tail = 0;
  while (true) {
    grid = Compute(data.counts, k, delta, n, graphs, options.n0_min, n0_max, options);
    const std::size_t len = grid.column.size();
    const std::size_t tail_start = len - std::max<std::size_t>(len / 10, 1);
    tail = 0;
    for (std::size_t i = tail_start; i < len; ++i) tail += grid.column[i];
    if (!auto_grid || tail < 1e-10 || n0_max - options.n0_min >= auto_limit) break;
    n0_max = options.n0_min + 2 * (n0_max - options.n0_min);
  }

  DgaResult result;
  result.observed = n;
  result.delta = delta;
  result.tail_mass = tail;
  result.posterior_N.n_min = static_cast<std::int64_t>(n) + options.n0_min;
  result.posterior_N.prob = std::move(grid.column);
  MEMORIA_ASSIGN_OR_RETURN(result.summary, result.posterior_N.Summarize(options.level));
  result.models.reserve(graphs.size());
  for (std::size_t gi = 0; gi < graphs.size(); ++gi) {
    result.models.push_back(
        {graphs[gi].index, graphs[gi].label, grid.row[gi], grid.row_n_mean[gi]});
  }
  std::stable_sort(result.models.begin(), result.models.end(),
                   [](const DgaModel& x, const DgaModel& y) { return x.posterior > y.posterior; });
  return result;
}

}  // namespace memoria::estimate
