// `memoria estimate`: how many people were never documented (multiple systems estimation).
// Thin shell over src/estimate (report.h): read the capture histories, run the method, print
// JSON or a table, optionally draw an SVG.
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "estimate/capture_histories.h"
#include "estimate/report.h"

namespace memoria::cli {
namespace {

struct EstimateArgs {
  std::string input;
  std::string clusters;
  std::vector<std::string> records;
  std::string id_column = "record_id";
  std::string source_column = "source";
  std::string method = "loglinear";
  std::string criterion = "bic";
  std::optional<std::uint64_t> seed;
  std::optional<std::int64_t> burnin;
  std::optional<std::int64_t> samples;
  std::optional<std::int64_t> thin;
  std::optional<double> min_ess;
  std::optional<int> max_order;
  std::optional<double> delta;
  std::optional<int> classes;
  std::vector<std::string> strata;
  std::string format = "json";
  std::string plot;
  double level = 0.95;
};

int Run(const EstimateArgs& args) {
  using namespace memoria::estimate;
  auto method = ParseMethod(args.method);
  if (!method.ok()) return ReportError(Status(method.status()).AtField("--method"));
  EstimateRequest request;
  request.method = *method;
  request.level = args.level;
  request.loglinear.criterion = args.criterion == "aic" ? Criterion::kAic : Criterion::kBic;
  if (args.max_order) request.loglinear.max_order = *args.max_order;
  if (args.seed) request.lcmcr.seed = *args.seed;
  if (args.burnin) request.lcmcr.burnin = *args.burnin;
  if (args.samples) request.lcmcr.samples = *args.samples;
  if (args.thin) request.lcmcr.thin = *args.thin;
  if (args.min_ess) request.lcmcr.min_effective_samples = *args.min_ess;
  if (args.delta) request.dga.delta = *args.delta;
  if (args.classes) request.latent_class.classes = *args.classes;

  std::vector<CaptureHistories> strata;
  std::optional<LinkedHistories> linked;
  if (!args.clusters.empty()) {
    if (!args.input.empty() || args.records.empty()) {
      return ReportError(Status::InvalidInput(
          "give either INPUT (capture histories) or --clusters with --records (linked records)"));
    }
    LinkedCsvInput in;
    in.clusters = args.clusters;
    in.records = args.records;
    in.id_column = args.id_column;
    in.source_column = args.source_column;
    in.strata_columns = args.strata;
    auto h = ReadLinkedHistoriesCsv(in);
    if (!h.ok()) return ReportError(h.status());
    linked = std::move(h).value();
    strata = linked->strata;
    std::fprintf(stderr, "estimate: %lld records of %lld persons on %zu lists\n",
                 static_cast<long long>(linked->records), static_cast<long long>(linked->persons),
                 strata.front().lists.size());
    if (linked->conflicting_strata > 0 || linked->unknown_stratum > 0) {
      std::fprintf(stderr,
                   "estimate: %lld persons' records name different strata (the most frequent "
                   "was used); %lld have none (stratum %s)\n",
                   static_cast<long long>(linked->conflicting_strata),
                   static_cast<long long>(linked->unknown_stratum), kUnknownStratum.data());
    }
  } else {
    if (args.input.empty() || !args.records.empty()) {
      return ReportError(Status::InvalidInput(
          "give either INPUT (capture histories) or --clusters with --records (linked records)"));
    }
    auto h = ReadCaptureHistoriesCsv(args.input, args.strata, 3);
    if (!h.ok()) return ReportError(h.status());
    strata = std::move(h).value();
  }
  auto report = EstimateReport(strata, request);
  if (!report.ok()) {
    return ReportError(Status(report.status()).At(args.input.empty() ? args.clusters : args.input));
  }
  if (linked) {
    (*report)["linked"] = {{"records", linked->records},
                           {"persons", linked->persons},
                           {"conflicting_strata", linked->conflicting_strata},
                           {"unknown_stratum", linked->unknown_stratum}};
  }

  if (!args.plot.empty()) {
    std::ofstream out(args.plot, std::ios::binary | std::ios::trunc);
    out << RenderReportSvg(*report);
    out.flush();
    if (!out) return ReportError(Status::IoError("cannot write " + args.plot));
  }
  if (args.format == "table") {
    std::fputs(FormatReportTable(*report).c_str(), stdout);
  } else {
    std::printf("%s\n", report->dump(2).c_str());
  }
  return 0;
}

MEMORIA_COMMAND(400, [](CLI::App& app, Context& ctx) {
  auto args = std::make_shared<EstimateArgs>();
  auto* sub = app.add_subcommand(
      "estimate",
      "Estimate the total number of victims, documented or not, from the overlap of k >= 3 "
      "lists (multiple systems estimation)");
  sub->add_option("INPUT", args->input,
                  "CSV: one 0/1 column per list, an optional `count` (or `freq`) column, "
                  "optional stratum columns (or give --clusters and --records)");
  sub->add_option("--clusters", args->clusters,
                  "Linked records instead of INPUT: record_id,cluster_id CSV from `memoria link "
                  "--output` (or a truth file of the same shape)");
  sub->add_option("--records", args->records,
                  "With --clusters: the record CSV file(s) that were linked; each record's list "
                  "is its source column (or, without one, the file's name)")
      ->expected(1, -1);
  sub->add_option("--id-column", args->id_column, "With --records: the record id column")
      ->default_val("record_id");
  sub->add_option("--source-column", args->source_column, "With --records: the source column")
      ->default_val("source");
  sub->add_option("--method", args->method, "loglinear (default), latentclass, lcmcr or dga")
      ->check(CLI::IsMember({"loglinear", "latentclass", "lcmcr", "dga"}));
  sub->add_option("--criterion", args->criterion,
                  "Log-linear and latent class model selection: bic (default) or aic")
      ->check(CLI::IsMember({"aic", "bic"}));
  sub->add_option("--max-order", args->max_order,
                  "Log-linear: highest interaction order (default k-1 for k <= 5, else 2)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--classes", args->classes,
                  "latentclass: number of latent classes (default: every identifiable number up "
                  "to 4, selected by --criterion)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--seed", args->seed, "LCMCR: random seed (default 1)");
  sub->add_option("--burnin", args->burnin, "LCMCR: burn-in sweeps")->check(CLI::NonNegativeNumber);
  sub->add_option("--samples", args->samples, "LCMCR: posterior draws kept")
      ->check(CLI::PositiveNumber);
  sub->add_option("--thin", args->thin, "LCMCR: sweeps per kept draw")->check(CLI::PositiveNumber);
  sub->add_option("--min-ess", args->min_ess,
                  "LCMCR: extend the chain once (longer thinning) when the effective sample size "
                  "is below this (default 1500; 0 never)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--delta", args->delta, "dga: prior weight per cell (default 2^-k)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--level", args->level, "Interval level (default 0.95)")
      ->check(CLI::Range(0.5, 0.999));
  sub->add_option("--strata", args->strata,
                  "Stratum column(s) of INPUT or of the records: estimate per stratum and total")
      ->expected(1, -1);
  sub->add_option("--format", args->format, "json (default) or table")
      ->check(CLI::IsMember({"json", "table"}));
  sub->add_option("--plot", args->plot,
                  "Write an SVG of documented counts and estimates with intervals per stratum");
  sub->callback([args, &ctx] { ctx.exit_code = Run(*args); });
});

}  // namespace
}  // namespace memoria::cli
