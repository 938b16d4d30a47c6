#include "linkage/model.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "core/random.h"

namespace memoria::linkage {
namespace {

constexpr double kFloor = 1e-9;

// A comparison vector packed 4 bits per comparison (at most 16 comparisons of 15 levels).
std::uint64_t Pack(const std::uint8_t* levels, std::size_t k) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < k; ++i) v |= static_cast<std::uint64_t>(levels[i]) << (4 * i);
  return v;
}
int Unpack(std::uint64_t v, std::size_t i) { return static_cast<int>((v >> (4 * i)) & 0xF); }

std::int64_t TotalPairs(const Settings& s, const RecordTable& t) {
  const auto n = static_cast<std::int64_t>(t.size());
  if (s.link_type != LinkType::kLink) return n * (n - 1) / 2;
  std::vector<std::int64_t> per(t.source_names.size());
  for (auto src : t.source) ++per[src];
  std::int64_t same = 0;
  for (auto c : per) same += c * (c - 1) / 2;
  return n * (n - 1) / 2 - same;
}

// Level counts per comparison.
using Counts = std::vector<std::vector<double>>;

Counts ZeroCounts(const Comparator& cmp) {
  Counts c(cmp.num_comparisons());
  for (std::size_t k = 0; k < c.size(); ++k) c[k].assign(cmp.num_levels(k), 0.0);
  return c;
}

// u from random pairs: deterministic for a seed whatever the thread count (fixed chunks).
Counts EstimateU(const Settings& s, const RecordTable& t, const Comparator& cmp, int threads,
                 std::int64_t& sampled) {
  const std::size_t n = t.size();
  const std::int64_t total = TotalPairs(s, t);
  const bool link_only = s.link_type == LinkType::kLink;
  const std::size_t K = cmp.num_comparisons();
  Counts counts = ZeroCounts(cmp);
  std::mutex mu;
  if (total <= s.training.u_pairs) {
    sampled = total;
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
      Counts local = ZeroCounts(cmp);
      std::vector<std::uint8_t> lv(K);
      for (;;) {
        std::size_t a = next.fetch_add(1);
        if (a >= n) break;
        for (std::size_t b = a + 1; b < n; ++b) {
          if (link_only && t.source[a] == t.source[b]) continue;
          cmp.Compare(static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b), lv.data());
          for (std::size_t k = 0; k < K; ++k) local[k][lv[k]] += 1;
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      for (std::size_t k = 0; k < K; ++k) {
        for (std::size_t l = 0; l < local[k].size(); ++l) counts[k][l] += local[k][l];
      }
    };
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
  } else {
    sampled = s.training.u_pairs;
    constexpr int kChunks = 8;
    std::atomic<int> next{0};
    auto worker = [&] {
      Counts local = ZeroCounts(cmp);
      std::vector<std::uint8_t> lv(K);
      for (;;) {
        int chunk = next.fetch_add(1);
        if (chunk >= kChunks) break;
        SplitMix64 rng(
            SplitMix64Hash(s.training.seed * kChunks + static_cast<std::uint64_t>(chunk)));
        auto pick = [&rng, n] { return static_cast<std::size_t>(UniformBelow(rng, n)); };
        std::int64_t want =
            s.training.u_pairs / kChunks + (chunk < s.training.u_pairs % kChunks ? 1 : 0);
        for (std::int64_t i = 0; i < want;) {
          std::size_t a = pick(), b = pick();
          if (a == b || (link_only && t.source[a] == t.source[b])) continue;
          cmp.Compare(static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b), lv.data());
          for (std::size_t k = 0; k < K; ++k) local[k][lv[k]] += 1;
          ++i;
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      for (std::size_t k = 0; k < K; ++k) {
        for (std::size_t l = 0; l < local[k].size(); ++l) counts[k][l] += local[k][l];
      }
    };
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
  }
  return counts;
}

// Turns level counts into probabilities over the non-null levels, with half a pseudo-count
// for levels never seen (so a level unseen among non-matches is rare, not impossible).
std::vector<double> Normalise(const std::vector<double>& c) {
  std::vector<double> p(c.size(), 0.0);
  double total = 0;
  for (std::size_t l = 1; l < c.size(); ++l) total += c[l];
  const double pseudo = 0.5;
  double denom = total + pseudo * static_cast<double>(c.size() - 1);
  for (std::size_t l = 1; l < c.size(); ++l) {
    p[l] = c[l] > 0 ? c[l] / (total > 0 ? total : 1.0) : pseudo / denom;
    p[l] = std::max(p[l], kFloor);
  }
  return p;
}

std::vector<double> DefaultM(const Comparison& c, int num_levels) {
  std::vector<double> m(num_levels, 0.0);
  if (!c.m_start.empty()) {
    for (int l = 1; l < num_levels; ++l) m[l] = c.m_start[l - 1];
  } else {
    // Most mass on the best level, decreasing by a factor of 4 per level, a little on "else".
    double w = 1;
    for (int l = 1; l < num_levels - 1; ++l) {
      m[l] = w;
      w /= 4;
    }
    m[num_levels - 1] = 0.05;
  }
  double total = 0;
  for (int l = 1; l < num_levels; ++l) total += m[l];
  for (int l = 1; l < num_levels; ++l) m[l] /= total;
  return m;
}

std::set<std::string> RuleColumns(const BlockingRule& r) {
  std::set<std::string> out;
  for (const auto& p : r.parts) out.insert(p.columns.begin(), p.columns.end());
  return out;
}

struct PatternKey {
  std::uint64_t levels;
  std::uint32_t agree;  // bit q: the pair agrees on rule q's key
  bool operator==(const PatternKey&) const = default;
};
struct PatternHash {
  std::size_t operator()(const PatternKey& k) const {
    return SplitMix64Hash(k.levels ^ (std::uint64_t{k.agree} << 40));
  }
};

struct SessionResult {
  EmSession report;
  std::vector<bool> estimated;  // per comparison
  std::vector<std::vector<double>> m;
  std::vector<double> recall;  // per rule: share of matches agreeing on its key (-1: n/a)
};

SessionResult RunSession(const Settings& s, const Comparator& cmp, const Blocker& blocker,
                         std::size_t rule, const Model& model, bool fix_m, int threads) {
  const std::size_t K = cmp.num_comparisons();
  const std::size_t R = blocker.num_rules();
  SessionResult out;
  out.report.rule = blocker.rule_name(rule);
  std::set<std::string> cols = RuleColumns(s.blocking_rules[rule]);
  out.estimated.assign(K, false);
  for (std::size_t k = 0; k < K; ++k) {
    bool uses = false;
    for (const auto& c : s.comparisons[k].columns) uses = uses || cols.contains(c);
    out.estimated[k] = !uses;
  }
  // Count, then sample deterministically when the rule's blocks hold too many pairs.
  std::vector<std::int64_t> count(static_cast<std::size_t>(threads), 0);
  blocker.ForEachPair(rule, false, threads,
                      [&](int t, std::uint32_t, std::uint32_t) { ++count[t]; });
  std::int64_t pairs = 0;
  for (auto c : count) pairs += c;
  out.report.pairs = pairs;
  std::uint64_t keep_below = ~std::uint64_t{0};
  if (s.training.em_max_pairs > 0 && pairs > s.training.em_max_pairs) {
    keep_below = static_cast<std::uint64_t>(static_cast<long double>(~std::uint64_t{0}) *
                                            s.training.em_max_pairs / pairs);
  }
  std::vector<std::unordered_map<PatternKey, double, PatternHash>> local(threads);
  std::vector<std::vector<std::uint8_t>> lv(threads, std::vector<std::uint8_t>(K));
  std::vector<std::int64_t> used(threads, 0);
  blocker.ForEachPair(rule, false, threads, [&](int t, std::uint32_t a, std::uint32_t b) {
    if (keep_below != ~std::uint64_t{0} &&
        SplitMix64Hash((std::uint64_t{a} << 32 | b) ^ s.training.seed) > keep_below) {
      return;
    }
    cmp.Compare(a, b, lv[t].data());
    for (std::size_t k = 0; k < K; ++k) {
      if (!out.estimated[k]) lv[t][k] = 0;
    }
    std::uint32_t agree = 0;
    for (std::size_t q = 0; q < R; ++q) {
      if (q != rule && blocker.Agrees(q, a, b)) agree |= 1u << q;
    }
    local[t][PatternKey{Pack(lv[t].data(), K), agree}] += 1;
    ++used[t];
  });
  std::unordered_map<PatternKey, double, PatternHash> patterns;
  for (auto& l : local) {
    for (auto& [k, c] : l) patterns[k] += c;
  }
  for (auto u : used) out.report.pairs_used += u;
  std::vector<std::pair<PatternKey, double>> pv(patterns.begin(), patterns.end());
  // Deterministic order (the hash map's order is not).
  std::sort(pv.begin(), pv.end(), [](const auto& x, const auto& y) {
    return x.first.levels != y.first.levels ? x.first.levels < y.first.levels
                                            : x.first.agree < y.first.agree;
  });

  out.m.resize(K);
  for (std::size_t k = 0; k < K; ++k) out.m[k] = model.params[k].m;
  double lambda = 0.1;
  std::vector<double> post(pv.size());
  int it = 0;
  for (; it < s.training.max_iterations; ++it) {
    // E step.
    double sum_w = 0, total = 0;
    for (std::size_t i = 0; i < pv.size(); ++i) {
      double lm = std::log(lambda), lu = std::log1p(-lambda);
      for (std::size_t k = 0; k < K; ++k) {
        int l = Unpack(pv[i].first.levels, k);
        if (l == 0 || !out.estimated[k]) continue;
        lm += std::log(out.m[k][l]);
        lu += std::log(model.params[k].u[l]);
      }
      double p = 1.0 / (1.0 + std::exp(lu - lm));
      post[i] = p;
      sum_w += p * pv[i].second;
      total += pv[i].second;
    }
    // M step.
    double new_lambda = std::clamp(total > 0 ? sum_w / total : 0.5, 1e-9, 1 - 1e-9);
    double change = std::fabs(new_lambda - lambda);
    lambda = new_lambda;
    if (!fix_m) {
      Counts c = ZeroCounts(cmp);
      for (std::size_t i = 0; i < pv.size(); ++i) {
        for (std::size_t k = 0; k < K; ++k) {
          int l = Unpack(pv[i].first.levels, k);
          if (l != 0 && out.estimated[k]) c[k][l] += post[i] * pv[i].second;
        }
      }
      for (std::size_t k = 0; k < K; ++k) {
        if (!out.estimated[k]) continue;
        double tot = 0;
        for (std::size_t l = 1; l < c[k].size(); ++l) tot += c[k][l];
        if (tot <= 0) continue;  // never observed non-null: keep the previous m
        for (std::size_t l = 1; l < c[k].size(); ++l) {
          double v = std::max(c[k][l] / tot, kFloor);
          change = std::max(change, std::fabs(v - out.m[k][l]));
          out.m[k][l] = v;
        }
      }
    }
    if (change < s.training.tolerance) {
      ++it;
      break;
    }
  }
  out.report.iterations = it;
  out.report.match_share = lambda;
  for (std::size_t k = 0; k < K; ++k) {
    if (out.estimated[k]) out.report.estimated.push_back(s.comparisons[k].name);
  }
  // Recall of the other rules among this session's matches.
  out.recall.assign(R, -1);
  double matched = 0;
  std::vector<double> agree(R, 0);
  for (std::size_t i = 0; i < pv.size(); ++i) {
    double w = post[i] * pv[i].second;
    matched += w;
    for (std::size_t q = 0; q < R; ++q) {
      if (pv[i].first.agree & (1u << q)) agree[q] += w;
    }
  }
  if (matched > 0) {
    for (std::size_t q = 0; q < R; ++q) {
      if (q != rule) out.recall[q] = agree[q] / matched;
    }
  }
  return out;
}

}  // namespace

double WeightToProbability(double w) {
  if (w > 0) return 1.0 / (1.0 + std::exp2(-w));
  double e = std::exp2(w);
  return e / (1.0 + e);
}

Result<Model> TrainModel(const Settings& s, const RecordTable& t, const Comparator& cmp,
                         const Blocker& blocker, const std::vector<LabelledPair>& labels,
                         int threads) {
  if (t.size() < 2) return Status::InvalidInput("linkage needs at least two records");
  threads = std::max(1, threads);
  const std::size_t K = cmp.num_comparisons();
  Model model;
  model.total_pairs = TotalPairs(s, t);
  if (model.total_pairs <= 0) {
    return Status::InvalidInput("no record pairs: link_type 'link' needs two or more sources");
  }
  Counts u = EstimateU(s, t, cmp, threads, model.u_pairs_sampled);
  model.params.resize(K);
  for (std::size_t k = 0; k < K; ++k) {
    model.params[k].u = Normalise(u[k]);
    model.params[k].m = DefaultM(s.comparisons[k], cmp.num_levels(k));
  }
  const bool from_labels = !labels.empty();
  if (from_labels) {
    Counts c = ZeroCounts(cmp);
    std::vector<std::uint8_t> lv(K);
    std::size_t matches = 0;
    for (const auto& p : labels) {
      if (!p.match) continue;
      ++matches;
      cmp.Compare(p.a, p.b, lv.data());
      for (std::size_t k = 0; k < K; ++k) c[k][lv[k]] += 1;
    }
    if (matches == 0) return Status::InvalidInput("the labels hold no matching pair");
    for (std::size_t k = 0; k < K; ++k) model.params[k].m = Normalise(c[k]);
  }

  // EM sessions.
  std::vector<std::size_t> rules;
  for (std::size_t r = 0; r < blocker.num_rules(); ++r) {
    const auto& names = s.training.em_rules;
    if (names.empty() ||
        std::find(names.begin(), names.end(), blocker.rule_name(r)) != names.end()) {
      rules.push_back(r);
    }
  }
  std::vector<SessionResult> results;
  for (std::size_t r : rules) {
    results.push_back(RunSession(s, cmp, blocker, r, model, from_labels, threads));
    model.sessions.push_back(results.back().report);
  }
  if (!from_labels) {
    for (std::size_t k = 0; k < K; ++k) {
      std::vector<double> sum(cmp.num_levels(k), 0.0);
      int n = 0;
      bool possible = false;
      for (const auto& res : results) {
        possible = possible || res.estimated[k];
        if (!res.estimated[k] || res.report.pairs_used == 0) continue;
        for (std::size_t l = 1; l < sum.size(); ++l) sum[l] += res.m[k][l];
        ++n;
      }
      if (n == 0) {
        if (!s.comparisons[k].m_start.empty()) continue;
        if (possible) {
          model.warnings.push_back(fmt::format(
              "comparison '{}': the training rules that could estimate its m found no pairs; "
              "starting values kept",
              s.comparisons[k].name));
          continue;
        }
        Status st = Status::InvalidInput(fmt::format(
            "the m probabilities of comparison '{}' cannot be estimated: every training rule "
            "blocks on its columns; add a blocking rule on other columns to training.em_rules "
            "or give m_start",
            s.comparisons[k].name));
        st.At("settings", 0, "training.em_rules");
        return st;
      }
      for (std::size_t l = 1; l < sum.size(); ++l) {
        model.params[k].m[l] = std::max(sum[l] / n, kFloor);
      }
    }
  }
  if (s.training.prior) {
    model.prior = *s.training.prior;
  } else {
    // Matches in each session's blocks divided by that rule's recall, averaged over sessions.
    double total_matches = 0;
    int n = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (results[i].report.pairs_used == 0) continue;
      double recall_sum = 0;
      int recall_n = 0;
      for (std::size_t j = 0; j < results.size(); ++j) {
        double r = results[j].recall[rules[i]];
        if (j != i && r > 0) {
          recall_sum += r;
          ++recall_n;
        }
      }
      double recall = recall_n > 0 ? std::max(recall_sum / recall_n, 0.01) : 1.0;
      total_matches +=
          results[i].report.match_share * static_cast<double>(results[i].report.pairs) / recall;
      ++n;
    }
    double matches = n > 0 ? total_matches / n : 1.0;
    model.prior = std::clamp(matches / static_cast<double>(model.total_pairs), 1e-12, 0.5);
  }
  return model;
}

double MatchWeight(const Settings& s, const Model& model, const Comparator& cmp, std::uint32_t a,
                   std::uint32_t b, const std::uint8_t* levels, double* per_comparison) {
  double w = std::log2(model.prior / (1 - model.prior));
  for (std::size_t k = 0; k < model.params.size(); ++k) {
    int l = levels[k];
    double wk = 0;
    if (l != 0) {
      const auto& p = model.params[k];
      wk = std::log2(p.m[l] / p.u[l]);
      if (cmp.TfApplies(k, l)) {
        const auto& c = s.comparisons[k];
        double tf = std::max(cmp.TfFrequency(k, a, b), c.tf_min);
        wk += c.tf_weight * std::log2(p.u[l] / tf);
      }
    }
    if (per_comparison) per_comparison[k] = wk;
    w += wk;
  }
  return w;
}

}  // namespace memoria::linkage
