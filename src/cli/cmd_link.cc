// `memoria link`: find the records that describe the same person, across and within lists: the
// rows of CSV files (--input), or the persons in the store (io/store_linkage.h), whose
// reviewers' decisions are kept in the store's change log (`memoria review`).
// Thin shell over src/linkage (linker.h): parse arguments, run, write the CSVs, print a summary.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "io/store_linkage.h"
#include "linkage/evaluate.h"
#include "linkage/linker.h"
#include "linkage/records.h"
#include "linkage/settings.h"
#include "store/sqlite_store.h"

namespace memoria::cli {
namespace {

struct LinkArgs {
  std::vector<std::string> inputs;
  std::string settings;
  std::string output;
  std::string pairs;
  std::string review;
  std::string decisions;
  std::string labels;
  std::string truth;
  std::string model;
  std::optional<double> threshold;
  int threads = 0;
  std::string role = "victim";  // store: the persons to link
};

Status WriteFile(const std::string& path, const std::function<void(std::ostream&)>& write) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IoError("cannot write " + path);
  write(out);
  out.flush();
  if (!out) return Status::IoError("error writing " + path);
  return Status::Ok();
}

int Run(const LinkArgs& args, const std::string& db_path) {
  using namespace memoria::linkage;
  using namespace memoria::io;
  auto loaded = LoadSettings(args.settings);  // "" = the default profile
  if (!loaded.ok()) return ReportError(loaded.status());
  const Settings settings = std::move(loaded).value();
  LinkOptions options;
  options.threshold = args.threshold;
  options.threads = args.threads;  // 0 = every core
  if (!args.decisions.empty()) {
    if (args.inputs.empty()) {
      return ReportError(Status::InvalidInput(
          "--decisions is for --input files; the store keeps its decisions (memoria review "
          "decide / import)"));
    }
    auto d = LoadDecisions(args.decisions);
    if (!d.ok()) return ReportError(d.status());
    options.decisions = std::move(d).value();
  }
  if (StderrIsTerminal()) {
    options.progress = [](std::string_view stage) {
      std::fprintf(stderr, "link: %.*s...\n", static_cast<int>(stage.size()), stage.data());
    };
  }
  // The records: the CSV files, or the store's persons with the decisions stored with them.
  std::optional<std::size_t> stored_decisions;
  RecordTable table;
  if (args.inputs.empty()) {
    auto store = store::OpenSqliteStore(db_path, {});
    if (!store.ok()) return ReportError(store.status());
    StoreRecordsOptions records;
    records.role = args.role;
    records.progress = options.progress;
    auto persons = LoadStorePersons(**store, settings, records);
    if (!persons.ok()) return ReportError(persons.status());
    table = std::move(persons->table);
    options.decisions = std::move(persons->decisions);
    stored_decisions = options.decisions.size();
  } else {
    auto t = LoadRecords(args.inputs, settings);
    if (!t.ok()) return ReportError(t.status());
    table = std::move(t).value();
  }
  if (!args.labels.empty()) {
    auto l = LoadLabels(args.labels, table);
    if (!l.ok()) return ReportError(l.status());
    options.labels = std::move(l).value();
  }
  std::vector<std::string> truth = table.truth;
  if (!args.truth.empty()) {
    auto t = LoadTruth(args.truth, table);
    if (!t.ok()) return ReportError(t.status());
    truth = std::move(t).value();
  }
  auto run = RunLinkage(settings, table, options);
  if (!run.ok()) return ReportError(run.status());
  for (const auto& w : run->warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());

  Status st = WriteFile(args.output, [&](std::ostream& o) { WriteClusters(o, table, *run); });
  if (!st.ok()) return ReportError(st);
  if (!args.pairs.empty()) {
    st = WriteFile(args.pairs, [&](std::ostream& o) {
      WritePairs(o, table, *run, settings.thresholds.pairs_min);
    });
    if (!st.ok()) return ReportError(st);
  }
  if (!args.model.empty()) {
    st = WriteFile(args.model, [&](std::ostream& o) { WriteModelJson(o, settings, *run); });
    if (!st.ok()) return ReportError(st);
  }
  if (!args.review.empty()) {
    st = WriteFile(args.review, [&](std::ostream& o) {
      WriteReviewQueue(o, table, *run, settings.thresholds.review_low,
                       settings.thresholds.review_high);
    });
    if (!st.ok()) return ReportError(st);
  }
  const std::size_t review =
      ReviewQueue(*run, settings.thresholds.review_low, settings.thresholds.review_high).size();
  std::printf("records: %zu\n", table.size());
  std::printf("candidate pairs: %lld\n", static_cast<long long>(run->candidate_pairs));
  std::printf("prior (two random records match): %.3g\n", run->model.prior);
  std::printf("scoring: %.3f s on %d thread(s)\n", run->score_seconds, run->threads);
  std::printf("linked pairs (p >= %.3f): %lld\n", run->threshold,
              static_cast<long long>(run->linked_pairs));
  std::printf("clusters: %u\n", run->num_clusters);
  std::printf("review queue: %zu\n", review);
  if (stored_decisions) std::printf("stored decisions applied: %zu\n", *stored_decisions);
  if (!truth.empty()) {
    PairwiseMetrics m = EvaluatePairwise(
        run->cluster, truth,
        settings.link_type == LinkType::kLink ? table.source : std::vector<std::uint32_t>{});
    std::printf("precision: %.4f\nrecall: %.4f\nf1: %.4f\n", m.precision, m.recall, m.f1);
    std::printf("true pairs: %lld, predicted pairs: %lld, correct pairs: %lld\n",
                static_cast<long long>(m.true_pairs), static_cast<long long>(m.predicted_pairs),
                static_cast<long long>(m.correct_pairs));
  }
  return 0;
}

MEMORIA_COMMAND(300, [](CLI::App& app, Context& ctx) {
  auto args = std::make_shared<LinkArgs>();
  auto* sub = app.add_subcommand(
      "link", "Link records of the same person within and across lists (Fellegi-Sunter)");
  sub->add_option("--input", args->inputs,
                  "Input CSV file(s); without --input, the persons in the store (--db) are linked")
      ->expected(1, -1);
  AddDbOption(*sub, ctx);
  sub->add_option("--role", args->role,
                  "Store: link the persons with this role (person_roles code; \"\" for all)")
      ->capture_default_str();
  sub->add_option("--settings", args->settings,
                  "Linkage settings JSON (default: memoria's person-report profile)");
  sub->add_option("--output", args->output, "Clusters CSV to write (record_id,cluster_id)")
      ->required();
  sub->add_option("--pairs", args->pairs, "Scored pairs CSV to write (weights per comparison)");
  sub->add_option("--review", args->review, "Review queue CSV to write");
  sub->add_option("--decisions", args->decisions,
                  "Reviewer decisions CSV (decision,record_a,record_b); they win over scores");
  sub->add_option("--labels", args->labels, "Labelled pairs CSV: m from these instead of EM");
  sub->add_option("--threshold", args->threshold, "Match probability threshold")
      ->check(CLI::Range(0.0, 1.0));
  sub->add_option("--truth", args->truth,
                  "Ground truth CSV (record_id,entity): print pairwise precision, recall, F1");
  sub->add_option("--model", args->model, "Trained model JSON to write (m, u, weights, EM)");
  sub->add_option("--threads", args->threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 256));
  sub->callback([args, &ctx] { ctx.exit_code = Run(*args, ctx.db_path); });
});

}  // namespace
}  // namespace memoria::cli
