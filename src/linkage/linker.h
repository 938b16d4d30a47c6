// The linkage pipeline: block -> compare -> train (u, EM) -> score -> cluster -> review, on an
// in-memory RecordTable, plus the CSV formats it reads and writes.
//
// Reviewer decisions come in as a plain list of (record_a, record_b, accept); whoever stores
// them (a CSV file today, the store's change log later) passes them to every run, and they win
// over scores: an accepted pair is always linked (and never cut by the chaining guard), a
// rejected pair is never linked and its two records are kept in different clusters.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "linkage/cluster.h"
#include "linkage/comparison.h"
#include "linkage/model.h"
#include "linkage/records.h"
#include "linkage/settings.h"

namespace memoria::linkage {

struct Decision {
  std::string record_a;
  std::string record_b;
  bool accept = false;
};

// Decisions CSV: header with columns decision (accept|reject), record_a, record_b; other
// columns are ignored (so an edited review queue can be fed back). Errors name file:line.
Result<std::vector<Decision>> ReadDecisions(std::istream& in, const std::string& name);
Result<std::vector<Decision>> LoadDecisions(const std::string& path);

// Labelled pairs CSV for training m: columns record_a, record_b, match (1/0, true/false), or
// Splink's unique_id_l, unique_id_r, clerical_match_score (>= 0.5 = match). Ids must be in
// the table.
Result<std::vector<LabelledPair>> LoadLabels(const std::string& path, const RecordTable& table);

// Ground truth CSV for evaluation: a header, then record id in the first column and entity id
// in the second. Returns the entity per table row; a record absent from the file is an entity
// of its own. Errors: fewer than two columns, an id not in the table.
Result<std::vector<std::string>> LoadTruth(const std::string& path, const RecordTable& table);

struct LinkOptions {
  std::optional<double> threshold;  // overrides settings.thresholds.match
  int threads = 1;                  // 0 = one per hardware thread
  std::vector<Decision> decisions;
  std::vector<LabelledPair> labels;  // when non-empty, m comes from these
  // Called with a stage name ("u", "em", "score", "cluster") as each stage starts.
  std::function<void(std::string_view stage)> progress;
};

struct ScoredPair {
  std::uint32_t a = 0;  // record indices, a < b
  std::uint32_t b = 0;
  double weight = 0;
  double probability = 0;
  enum class Decided : std::uint8_t { kNone, kAccepted, kRejected } decided = Decided::kNone;
};

struct LinkRun {
  Model model;
  std::unique_ptr<Comparator> comparator;
  double threshold = 0;
  // Scored pairs kept for output (probability >= min(pairs_min, review_low, threshold), or
  // decided), sorted by (a, b); per pair num_comparisons levels and weights.
  std::vector<ScoredPair> pairs;
  std::vector<std::uint8_t> pair_levels;
  std::vector<float> pair_weights;
  std::vector<std::uint32_t> cluster;  // cluster id per record
  std::uint32_t num_clusters = 0;
  std::int64_t candidate_pairs = 0;
  std::vector<std::int64_t> pairs_per_rule;  // new pairs each rule contributed
  std::int64_t linked_pairs = 0;
  ClusterStats cluster_stats;
  std::vector<std::string> warnings;
  double score_seconds = 0;  // wall time of the scoring pass (comparisons + weights)
  int threads = 1;           // worker threads used
};

// Runs the pipeline. Errors: InvalidInput for settings that do not fit the table, a decision
// naming an unknown record id, a decision pairing a record with itself.
Result<LinkRun> RunLinkage(const Settings& settings, const RecordTable& table,
                           const LinkOptions& options);

// record_id,cluster_id (cluster ids are "c<n>", n dense from 0 in order of first record).
void WriteClusters(std::ostream& out, const RecordTable& table, const LinkRun& run);

// record_a,record_b,probability,match_weight,decision,then <comparison>_level and
// <comparison>_weight for every comparison. WritePairs writes every kept pair with
// probability >= min_probability (or decided); WriteReviewQueue the undecided pairs with
// review_low <= probability < review_high, strongest first, with an empty decision column
// for the reviewer to fill in (accept / reject).
// The trained model as JSON: prior, per comparison and level m, u and weight, the EM sessions.
void WriteModelJson(std::ostream& out, const Settings& settings, const LinkRun& run);

// Indices into run.pairs of the undecided pairs with review_low <= probability < review_high,
// strongest first: the review queue.
std::vector<std::size_t> ReviewQueue(const LinkRun& run, double review_low, double review_high);

void WritePairs(std::ostream& out, const RecordTable& table, const LinkRun& run,
                double min_probability);
void WriteReviewQueue(std::ostream& out, const RecordTable& table, const LinkRun& run,
                      double review_low, double review_high);

}  // namespace memoria::linkage
