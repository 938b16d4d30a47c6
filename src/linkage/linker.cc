#include "linkage/linker.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>

#include "core/csv.h"
#include "linkage/blocking.h"

namespace memoria::linkage {
namespace {

std::uint64_t PairKey(std::uint32_t a, std::uint32_t b) {
  if (a > b) std::swap(a, b);
  return std::uint64_t{a} << 32 | b;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::string FormatProbability(double p) { return fmt::format("{:.6f}", p); }

void WritePairRows(std::ostream& out, const RecordTable& table, const LinkRun& run,
                   const std::vector<std::size_t>& which) {
  const Comparator& cmp = *run.comparator;
  const std::size_t K = cmp.num_comparisons();
  std::vector<std::string> row = {"record_a", "record_b", "probability", "match_weight",
                                  "decision"};
  for (std::size_t k = 0; k < K; ++k) {
    row.push_back(cmp.name(k) + "_level");
    row.push_back(cmp.name(k) + "_weight");
  }
  WriteCsvRow(out, row);
  for (std::size_t i : which) {
    const ScoredPair& p = run.pairs[i];
    row.clear();
    row.push_back(table.ids[p.a]);
    row.push_back(table.ids[p.b]);
    row.push_back(FormatProbability(p.probability));
    row.push_back(fmt::format("{:.3f}", p.weight));
    row.push_back(p.decided == ScoredPair::Decided::kAccepted   ? "accept"
                  : p.decided == ScoredPair::Decided::kRejected ? "reject"
                                                                : "");
    for (std::size_t k = 0; k < K; ++k) {
      row.push_back(cmp.level_label(k, run.pair_levels[i * K + k]));
      row.push_back(fmt::format("{:.3f}", run.pair_weights[i * K + k]));
    }
    WriteCsvRow(out, row);
  }
}

// cluster.split_below: within each component of the links (3 to kMaxSplitComponent records),
// record pairs that score below the probability are added to `cannot` (the guard then removes
// the weakest links until they are apart), unless a reviewer accepted the pair.
constexpr std::size_t kMaxSplitComponent = 1000;

void AddSplitPairs(const Settings& settings, const LinkRun& run, std::size_t n,
                   const std::vector<Link>& links,
                   const std::unordered_map<std::uint64_t, bool>& decided,
                   std::vector<std::pair<std::uint32_t, std::uint32_t>>& cannot) {
  UnionFind uf(n);
  for (const auto& l : links) uf.Union(l.a, l.b);
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> comps;
  for (const auto& l : links) comps.try_emplace(uf.Find(l.a));
  for (std::uint32_t r = 0; r < n; ++r) {
    auto it = comps.find(uf.Find(r));
    if (it != comps.end()) it->second.push_back(r);
  }
  const Comparator& cmp = *run.comparator;
  std::vector<std::uint8_t> lv(cmp.num_comparisons());
  std::vector<std::vector<std::uint32_t>> sorted;
  for (auto& [root, members] : comps) {
    if (members.size() >= 3 && members.size() <= kMaxSplitComponent) sorted.push_back(members);
  }
  std::sort(sorted.begin(), sorted.end());  // deterministic order of the added pairs
  for (const auto& m : sorted) {
    for (std::size_t i = 0; i < m.size(); ++i) {
      for (std::size_t j = i + 1; j < m.size(); ++j) {
        auto d = decided.find(PairKey(m[i], m[j]));
        if (d != decided.end()) continue;  // a reviewer's decision is already in force
        cmp.Compare(m[i], m[j], lv.data());
        double w = MatchWeight(settings, run.model, cmp, m[i], m[j], lv.data(), nullptr);
        if (WeightToProbability(w) < settings.cluster.split_below) cannot.emplace_back(m[i], m[j]);
      }
    }
  }
}

}  // namespace

Result<std::vector<Decision>> ReadDecisions(std::istream& in, const std::string& name) {
  CsvReader reader(in, name);
  auto col = [&](const char* c) -> Result<std::size_t> {
    auto i = reader.Column(c);
    if (!i) {
      Status s = Status::InvalidInput(std::string("missing column '") + c + "'");
      s.At(name, 1, c);
      return s;
    }
    return *i;
  };
  MEMORIA_ASSIGN_OR_RETURN(std::size_t dc, col("decision"));
  MEMORIA_ASSIGN_OR_RETURN(std::size_t ac, col("record_a"));
  MEMORIA_ASSIGN_OR_RETURN(std::size_t bc, col("record_b"));
  std::vector<Decision> out;
  std::vector<std::string> f;
  for (;;) {
    MEMORIA_ASSIGN_OR_RETURN(bool more, reader.Next(f));
    if (!more) break;
    std::string d = Lower(Trimmed(f[dc]));
    if (d.empty()) continue;  // an undecided row of a review queue
    Decision dec;
    if (d == "accept" || d == "accepted" || d == "match" || d == "yes") {
      dec.accept = true;
    } else if (d == "reject" || d == "rejected" || d == "non-match" || d == "no") {
      dec.accept = false;
    } else {
      return reader.Error("decision must be accept or reject, not '" + f[dc] + "'", "decision");
    }
    dec.record_a = Trimmed(f[ac]);
    dec.record_b = Trimmed(f[bc]);
    if (dec.record_a.empty() || dec.record_b.empty()) {
      return reader.Error("empty record id", dec.record_a.empty() ? "record_a" : "record_b");
    }
    out.push_back(std::move(dec));
  }
  return out;
}

Result<std::vector<Decision>> LoadDecisions(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open decisions file " + path);
  return ReadDecisions(in, path);
}

Result<std::vector<LabelledPair>> LoadLabels(const std::string& path, const RecordTable& table) {
  MEMORIA_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(path));
  auto pick = [&](std::initializer_list<const char*> names) -> std::optional<std::size_t> {
    for (const char* n : names) {
      if (auto c = reader->Column(n)) return c;
    }
    return std::nullopt;
  };
  auto ac = pick({"record_a", "unique_id_l"});
  auto bc = pick({"record_b", "unique_id_r"});
  auto mc = pick({"match", "clerical_match_score"});
  if (!ac || !bc || !mc) {
    Status s = Status::InvalidInput(
        "a labels file needs columns record_a, record_b, match (or unique_id_l, unique_id_r, "
        "clerical_match_score)");
    s.At(path, 1);
    return s;
  }
  std::unordered_map<std::string_view, std::uint32_t> index;
  for (std::uint32_t i = 0; i < table.size(); ++i) index.emplace(table.ids[i], i);
  std::vector<LabelledPair> out;
  std::vector<std::string> f;
  for (;;) {
    MEMORIA_ASSIGN_OR_RETURN(bool more, reader->Next(f));
    if (!more) break;
    auto a = index.find(Trimmed(f[*ac]));
    auto b = index.find(Trimmed(f[*bc]));
    if (a == index.end() || b == index.end()) {
      return reader->Error("unknown record id", a == index.end() ? "record_a" : "record_b");
    }
    std::string m = Lower(Trimmed(f[*mc]));
    LabelledPair p{a->second, b->second, false};
    if (m == "1" || m == "true" || m == "yes") {
      p.match = true;
    } else if (m == "0" || m == "false" || m == "no") {
      p.match = false;
    } else {
      char* end = nullptr;
      double v = std::strtod(m.c_str(), &end);
      if (m.empty() || end != m.c_str() + m.size()) {
        return reader->Error("match must be 0/1, true/false or a score in [0, 1]", "match");
      }
      p.match = v >= 0.5;
    }
    out.push_back(p);
  }
  return out;
}

Result<std::vector<std::string>> LoadTruth(const std::string& path, const RecordTable& table) {
  MEMORIA_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(path));
  if (reader->header().size() < 2) {
    Status s = Status::InvalidInput("a truth file needs two columns: record id, entity id");
    s.At(path, 1);
    return s;
  }
  std::unordered_map<std::string_view, std::uint32_t> index;
  for (std::uint32_t i = 0; i < table.size(); ++i) index.emplace(table.ids[i], i);
  std::vector<std::string> truth(table.size());
  std::vector<bool> seen(table.size(), false);
  std::vector<std::string> f;
  for (;;) {
    MEMORIA_ASSIGN_OR_RETURN(bool more, reader->Next(f));
    if (!more) break;
    auto it = index.find(Trimmed(f[0]));
    if (it == index.end())
      return reader->Error("unknown record id '" + f[0] + "'", reader->header()[0]);
    truth[it->second] = Trimmed(f[1]);
    seen[it->second] = true;
  }
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (!seen[i]) truth[i] = "\x01" + table.ids[i];  // an entity of its own
  }
  return truth;
}

Result<LinkRun> RunLinkage(const Settings& settings, const RecordTable& table,
                           const LinkOptions& options) {
  LinkRun run;
  const int threads = options.threads > 0
                          ? options.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  run.threads = threads;
  auto stage = [&](std::string_view s) {
    if (options.progress) options.progress(s);
  };
  run.threshold = options.threshold.value_or(settings.thresholds.match);
  if (!(run.threshold >= 0 && run.threshold <= 1)) {
    return Status::InvalidInput("the threshold must lie in [0, 1]");
  }

  // Decisions by pair.
  std::unordered_map<std::string_view, std::uint32_t> index;
  for (std::uint32_t i = 0; i < table.size(); ++i) index.emplace(table.ids[i], i);
  std::unordered_map<std::uint64_t, bool> decided;
  for (std::size_t i = 0; i < options.decisions.size(); ++i) {
    const Decision& d = options.decisions[i];
    auto a = index.find(d.record_a);
    auto b = index.find(d.record_b);
    if (a == index.end() || b == index.end()) {
      Status s = Status::InvalidInput(fmt::format("decision {} names unknown record id '{}'", i + 1,
                                                  a == index.end() ? d.record_a : d.record_b));
      s.At("decisions", 0, a == index.end() ? "record_a" : "record_b");
      return s;
    }
    if (a->second == b->second) {
      return Status::InvalidInput(
          fmt::format("decision {} pairs record '{}' with itself", i + 1, d.record_a));
    }
    decided[PairKey(a->second, b->second)] = d.accept;  // a later decision wins
  }

  MEMORIA_ASSIGN_OR_RETURN(run.comparator, Comparator::Build(settings, table));
  MEMORIA_ASSIGN_OR_RETURN(auto blocker, Blocker::Build(settings, table));
  run.warnings = blocker->warnings();
  const Comparator& cmp = *run.comparator;
  const std::size_t K = cmp.num_comparisons();

  stage("train");
  MEMORIA_ASSIGN_OR_RETURN(run.model,
                           TrainModel(settings, table, cmp, *blocker, options.labels, threads));
  run.warnings.insert(run.warnings.end(), run.model.warnings.begin(), run.model.warnings.end());

  // Weights per level, precomputed; term-frequency levels are adjusted per pair.
  std::vector<std::vector<double>> level_weight(K);
  std::vector<std::vector<bool>> tf_level(K);
  for (std::size_t k = 0; k < K; ++k) {
    const auto& p = run.model.params[k];
    level_weight[k].assign(cmp.num_levels(k), 0.0);
    tf_level[k].assign(cmp.num_levels(k), false);
    for (int l = 1; l < cmp.num_levels(k); ++l) {
      level_weight[k][l] = std::log2(p.m[l] / p.u[l]);
      tf_level[k][l] = cmp.TfApplies(k, l);
    }
  }
  const double prior_weight = std::log2(run.model.prior / (1 - run.model.prior));
  const double keep_min =
      std::min({settings.thresholds.pairs_min, settings.thresholds.review_low, run.threshold});

  stage("score");
  struct Local {
    std::vector<ScoredPair> pairs;
    std::vector<std::uint8_t> levels;
    std::vector<float> weights;
    std::int64_t count = 0;
    std::vector<std::uint8_t> lv;
    std::vector<double> wk;
  };
  std::vector<Local> local(threads);
  for (auto& l : local) {
    l.lv.resize(K);
    l.wk.resize(K);
  }
  auto started = std::chrono::steady_clock::now();
  run.pairs_per_rule.assign(blocker->num_rules(), 0);
  for (std::size_t r = 0; r < blocker->num_rules(); ++r) {
    std::int64_t before = 0;
    for (const auto& l : local) before += l.count;
    blocker->ForEachPair(r, true, threads, [&](int t, std::uint32_t a, std::uint32_t b) {
      Local& L = local[t];
      ++L.count;
      cmp.Compare(a, b, L.lv.data());
      double w = prior_weight;
      for (std::size_t k = 0; k < K; ++k) {
        int l = L.lv[k];
        double wk = level_weight[k][l];
        if (tf_level[k][l]) {
          const auto& c = settings.comparisons[k];
          double tf = std::max(cmp.TfFrequency(k, a, b), c.tf_min);
          wk += c.tf_weight * std::log2(run.model.params[k].u[l] / tf);
        }
        L.wk[k] = wk;
        w += wk;
      }
      double p = WeightToProbability(w);
      ScoredPair sp{a, b, w, p, ScoredPair::Decided::kNone};
      if (!decided.empty()) {
        auto it = decided.find(PairKey(a, b));
        if (it != decided.end()) {
          sp.decided = it->second ? ScoredPair::Decided::kAccepted : ScoredPair::Decided::kRejected;
        }
      }
      if (p >= keep_min || sp.decided != ScoredPair::Decided::kNone) {
        L.pairs.push_back(sp);
        L.levels.insert(L.levels.end(), L.lv.begin(), L.lv.end());
        for (std::size_t k = 0; k < K; ++k) L.weights.push_back(static_cast<float>(L.wk[k]));
      }
    });
    std::int64_t after = 0;
    for (const auto& l : local) after += l.count;
    run.pairs_per_rule[r] = after - before;
  }
  run.score_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  // Decided pairs that blocking did not produce are scored too, so the reviewer sees them.
  {
    std::unordered_map<std::uint64_t, bool> missing = decided;
    for (const auto& l : local) {
      for (const auto& p : l.pairs) missing.erase(PairKey(p.a, p.b));
    }
    Local& L = local[0];
    for (const auto& [key, accept] : missing) {
      auto a = static_cast<std::uint32_t>(key >> 32), b = static_cast<std::uint32_t>(key);
      cmp.Compare(a, b, L.lv.data());
      double w = MatchWeight(settings, run.model, cmp, a, b, L.lv.data(), L.wk.data());
      L.pairs.push_back({a, b, w, WeightToProbability(w),
                         accept ? ScoredPair::Decided::kAccepted : ScoredPair::Decided::kRejected});
      L.levels.insert(L.levels.end(), L.lv.begin(), L.lv.end());
      for (std::size_t k = 0; k < K; ++k) L.weights.push_back(static_cast<float>(L.wk[k]));
    }
  }
  // Merge in (a, b) order.
  std::vector<std::pair<std::size_t, std::size_t>> refs;  // (thread, index)
  for (std::size_t t = 0; t < local.size(); ++t) {
    run.candidate_pairs += local[t].count;
    for (std::size_t i = 0; i < local[t].pairs.size(); ++i) refs.emplace_back(t, i);
  }
  std::sort(refs.begin(), refs.end(), [&](const auto& x, const auto& y) {
    const auto& p = local[x.first].pairs[x.second];
    const auto& q = local[y.first].pairs[y.second];
    return p.a != q.a ? p.a < q.a : p.b < q.b;
  });
  run.pairs.reserve(refs.size());
  for (const auto& [t, i] : refs) {
    run.pairs.push_back(local[t].pairs[i]);
    run.pair_levels.insert(run.pair_levels.end(), local[t].levels.begin() + i * K,
                           local[t].levels.begin() + (i + 1) * K);
    run.pair_weights.insert(run.pair_weights.end(), local[t].weights.begin() + i * K,
                            local[t].weights.begin() + (i + 1) * K);
  }
  local.clear();

  stage("cluster");
  std::vector<Link> links;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> cannot;
  for (const auto& p : run.pairs) {
    if (p.decided == ScoredPair::Decided::kRejected) {
      cannot.emplace_back(p.a, p.b);
    } else if (p.decided == ScoredPair::Decided::kAccepted) {
      links.push_back({p.a, p.b, 1.0, true});
    } else if (p.probability >= run.threshold) {
      links.push_back({p.a, p.b, p.probability, false});
    }
  }
  run.linked_pairs = static_cast<std::int64_t>(links.size());
  if (settings.cluster.split_below > 0) {
    AddSplitPairs(settings, run, table.size(), links, decided, cannot);
  }
  run.cluster =
      ClusterRecords(table.size(), std::move(links), cannot, settings.cluster, &run.cluster_stats);
  for (auto c : run.cluster) run.num_clusters = std::max(run.num_clusters, c + 1);
  return run;
}

void WriteClusters(std::ostream& out, const RecordTable& table, const LinkRun& run) {
  WriteCsvRow(out, {"record_id", "cluster_id"});
  for (std::size_t i = 0; i < table.size(); ++i) {
    WriteCsvRow(out, {table.ids[i], fmt::format("c{}", run.cluster[i])});
  }
}

void WriteModelJson(std::ostream& out, const Settings& settings, const LinkRun& run) {
  using nlohmann::json;
  const Comparator& cmp = *run.comparator;
  json j;
  j["prior"] = run.model.prior;
  j["total_pairs"] = run.model.total_pairs;
  j["u_pairs_sampled"] = run.model.u_pairs_sampled;
  j["candidate_pairs"] = run.candidate_pairs;
  j["threshold"] = run.threshold;
  j["comparisons"] = json::array();
  for (std::size_t k = 0; k < cmp.num_comparisons(); ++k) {
    json c;
    c["name"] = cmp.name(k);
    c["term_frequency"] = settings.comparisons[k].term_frequency;
    c["levels"] = json::array();
    for (int l = 1; l < cmp.num_levels(k); ++l) {
      double m = run.model.params[k].m[l], u = run.model.params[k].u[l];
      c["levels"].push_back(
          {{"level", cmp.level_label(k, l)}, {"m", m}, {"u", u}, {"weight", std::log2(m / u)}});
    }
    j["comparisons"].push_back(c);
  }
  j["em_sessions"] = json::array();
  for (const auto& s : run.model.sessions) {
    j["em_sessions"].push_back({{"rule", s.rule},
                                {"pairs", s.pairs},
                                {"pairs_used", s.pairs_used},
                                {"iterations", s.iterations},
                                {"match_share", s.match_share},
                                {"estimated", s.estimated}});
  }
  out << j.dump(2) << "\n";
}

void WritePairs(std::ostream& out, const RecordTable& table, const LinkRun& run,
                double min_probability) {
  std::vector<std::size_t> which;
  for (std::size_t i = 0; i < run.pairs.size(); ++i) {
    if (run.pairs[i].probability >= min_probability ||
        run.pairs[i].decided != ScoredPair::Decided::kNone) {
      which.push_back(i);
    }
  }
  WritePairRows(out, table, run, which);
}

std::vector<std::size_t> ReviewQueue(const LinkRun& run, double review_low, double review_high) {
  std::vector<std::size_t> which;
  for (std::size_t i = 0; i < run.pairs.size(); ++i) {
    const auto& p = run.pairs[i];
    if (p.decided == ScoredPair::Decided::kNone && p.probability >= review_low &&
        p.probability < review_high) {
      which.push_back(i);
    }
  }
  std::stable_sort(which.begin(), which.end(), [&](std::size_t x, std::size_t y) {
    return run.pairs[x].probability > run.pairs[y].probability;
  });
  return which;
}

void WriteReviewQueue(std::ostream& out, const RecordTable& table, const LinkRun& run,
                      double review_low, double review_high) {
  WritePairRows(out, table, run, ReviewQueue(run, review_low, review_high));
}

}  // namespace memoria::linkage
