// `memoria demo`: the whole system on synthetic data, in one command and a folder of its own.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <type_traits>

#include "cli/command.h"
#include "core/edtf.h"
#include "estimate/capture_histories.h"
#include "estimate/loglinear.h"
#include "io/interchange.h"
#include "io/reference_data.h"
#include "linkage/evaluate.h"
#include "linkage/linker.h"
#include "linkage/records.h"
#include "linkage/settings.h"
#include "sim/scenario.h"
#include "sim/simulate.h"
#include "store/store.h"

namespace memoria::cli {
namespace {

namespace fs = std::filesystem;

struct DemoArgs {
  std::string dir = "memoria-demo";
  std::uint64_t seed = 1;
  std::optional<std::int64_t> persons;
};

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The demo's strata: the period of a report's event date (the victim's first act).
std::string PeriodOf(std::string_view edtf) {
  if (edtf.empty()) return "";
  auto date = EdtfDate::Parse(edtf);
  if (!date.ok() || date->earliest() == kEdtfUnboundedStart) return "";
  int year = std::stoi(FormatIsoDay(date->earliest()).substr(0, 4));
  if (year < 1990) return "until 1989";
  if (year < 2000) return "1990-1999";
  if (year < 2010) return "2000-2009";
  return "2010 and later";
}

// Capture histories per period and in total, from one person label per record (a linkage
// cluster or the true person) and the records' sources.
template <typename Label>
Result<estimate::LinkedHistories> HistoriesOf(const std::vector<Label>& label,
                                              const linkage::RecordTable& table,
                                              const std::vector<std::string>& lists) {
  estimate::CaptureHistoryBuilder builder(/*stratified=*/true);
  const int date_column = table.Column("event_date");
  for (std::size_t i = 0; i < table.size(); ++i) {
    std::string period = date_column < 0 ? "" : PeriodOf(table.columns[date_column][i]);
    std::string person;
    if constexpr (std::is_same_v<Label, std::string>) {
      person = label[i];
    } else {
      person = std::to_string(label[i]);
    }
    MEMORIA_RETURN_IF_ERROR(builder.Add(person, table.source_names[table.source[i]], period));
  }
  return builder.Build(lists);
}

void PrintEstimate(const std::string& what, const estimate::CaptureHistories& h,
                   std::int64_t truth) {
  std::vector<std::string> dropped;
  auto est = estimate::EstimateLoglinear(estimate::WithoutEmptyLists(h, &dropped));
  if (!est.ok()) {
    const std::string& why = est.status().message();
    std::printf(
        "     %-16s %9.0f   no estimate: %s%s\n", what.c_str(), h.Observed(),
        why.substr(0, why.find(';')).c_str(),
        dropped.empty()
            ? ""
            : fmt::format(" ({} documented nobody here)", fmt::join(dropped, ", ")).c_str());
    return;
  }
  const auto& fit = est->fits[est->selected];
  std::string interval = fmt::format("[{:.0f}, {:.0f}{}]", est->interval.lower, est->interval.upper,
                                     est->interval.upper_bounded ? "" : "+");
  std::printf("     %-16s %9.0f %9.0f  %-16s %7lld   %s\n", what.c_str(), h.Observed(),
              fit.estimate, interval.c_str(), static_cast<long long>(truth), fit.model.c_str());
}

int RunDemo(const DemoArgs& args) {
  auto start = std::chrono::steady_clock::now();
  fs::path dir(args.dir);
  fs::path data = dir / "simulated";
  fs::path db = dir / "memoria.db";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return ReportError(Status::IoError("cannot create: " + ec.message()).AtFile(args.dir, 0));

  // 1. Simulate the default scenario.
  Result<sim::Scenario> scenario = sim::DefaultScenario();
  if (!scenario.ok()) return ReportError(scenario.status());
  std::int64_t persons = args.persons.value_or(scenario->persons);
  if (persons < 0) {
    return ReportError(Status::InvalidInput("must not be negative").AtField("--persons"));
  }
  auto simulator = sim::Simulator::Create(std::move(scenario).value(), args.seed);
  if (!simulator.ok()) return ReportError(simulator.status());
  auto simulated = simulator->Write(data.string(), persons);
  if (!simulated.ok()) return ReportError(simulated.status());
  std::printf(
      "1. simulated %lld victims (seed %llu); %lld were documented, in %lld reports by "
      "%zu organizations\n",
      static_cast<long long>(simulated->persons), static_cast<unsigned long long>(args.seed),
      static_cast<long long>(simulated->documented), static_cast<long long>(simulated->records),
      simulated->sources.size());
  for (const auto& s : simulated->sources) {
    std::printf("     %-16s %6lld reports of %6lld victims\n", s.id.c_str(),
                static_cast<long long>(s.records), static_cast<long long>(s.persons));
  }

  // 2. A fresh store: the demo owns its folder, so an earlier demo store is replaced.
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    fs::remove(db.string() + suffix, ec);
  }
  io::ImportSummary reference;
  auto store = io::InitSqliteStore(db.string(), &reference);
  if (!store.ok()) return ReportError(store.status());
  std::int64_t imported = 0;
  for (const auto& s : simulator->scenario().sources) {
    std::string file = (data / (s.id + ".jsonl")).string();
    io::ImportOptions options;
    options.actor = "demo";
    auto r = io::ImportJsonLinesFile(**store, file, options);
    if (!r.ok()) return ReportError(r.status());
    imported += r->created;
  }
  auto stats = (*store)->Stats();
  if (!stats.ok()) return ReportError(stats.status());
  std::printf(
      "2. created the store %s, loaded the gazetteer (%lld places) and imported %lld "
      "entities from %zu files\n",
      db.string().c_str(), static_cast<long long>(reference.created),
      static_cast<long long>(imported), simulated->sources.size());
  std::printf("     change log: %lld entries, head %s\n",
              static_cast<long long>(stats->log_entries), stats->head_hash.substr(0, 16).c_str());
  for (const auto& [type, n] : stats->entities) {
    if (n == 0) continue;
    std::printf("     %-12s %8lld\n", type.c_str(), static_cast<long long>(n));
  }

  // 3. Link the reports (the default profile) and score the links against the truth.
  auto linkage_start = std::chrono::steady_clock::now();
  const linkage::Settings& settings = linkage::DefaultSettings();
  auto table = linkage::LoadRecords({(data / "reports.csv").string()}, settings);
  if (!table.ok()) return ReportError(table.status());
  auto truth = linkage::LoadTruth((data / "truth.csv").string(), *table);
  if (!truth.ok()) return ReportError(truth.status());
  linkage::LinkOptions link_options;
  link_options.threads = 2;
  auto run = linkage::RunLinkage(settings, *table, link_options);
  if (!run.ok()) return ReportError(run.status());
  linkage::PairwiseMetrics m = linkage::EvaluatePairwise(run->cluster, *truth);
  std::printf("3. linked %zu reports into %u persons (truly %lld) in %.1f s\n", table->size(),
              run->num_clusters, static_cast<long long>(simulated->documented),
              Since(linkage_start));
  std::printf(
      "     pairwise precision %.3f  recall %.3f  F1 %.3f  (%lld of %lld true pairs "
      "found, %lld predicted)\n",
      m.precision, m.recall, m.f1, static_cast<long long>(m.correct_pairs),
      static_cast<long long>(m.true_pairs), static_cast<long long>(m.predicted_pairs));

  // 4. Estimate the total from the linked lists, and from the true lists for comparison, in
  //    all and per period. The true count per period is the simulation's own.
  std::vector<std::string> lists;
  for (const auto& src : simulator->scenario().sources) lists.push_back(src.id);
  auto linked = HistoriesOf(run->cluster, *table, lists);
  if (!linked.ok()) return ReportError(linked.status());
  auto exact = HistoriesOf(*truth, *table, lists);
  if (!exact.ok()) return ReportError(exact.status());
  std::map<std::string, std::int64_t> true_per_period;
  for (std::int64_t i = 0; i < simulated->persons; ++i) {
    sim::TruePerson p = simulator->Person(i);
    true_per_period[PeriodOf(fmt::format("{:04d}", p.acts.front().date.year))] += 1;
  }
  std::printf(
      "4. how many victims in all? (log-linear models, BIC, 95%% profile interval; a person's\n"
      "   period is that of the first act their reports give)\n");
  std::printf("     %-16s %9s %9s  %-16s %7s   %s\n", "", "documented", "estimated", "interval",
              "true", "model");
  auto print_all = [&](const char* title, const estimate::LinkedHistories& h) {
    std::printf("   %s\n", title);
    auto total = estimate::TotalOf(h.strata);
    if (total.ok()) PrintEstimate("all periods", *total, simulated->persons);
    for (const char* period :
         {"until 1989", "1990-1999", "2000-2009", "2010 and later", "(unknown)"}) {
      for (const auto& s : h.strata) {
        if (s.stratum != period) continue;
        if (s.stratum == estimate::kUnknownStratum) {
          std::printf("     %-16s %9.0f   not estimated: their reports give no date\n",
                      s.stratum.c_str(), s.Observed());
          continue;
        }
        auto t = true_per_period.find(s.stratum);
        PrintEstimate(s.stratum, s, t == true_per_period.end() ? 0 : t->second);
      }
    }
  };
  print_all("from the linked lists:", *linked);
  print_all("from the true lists (what perfect linkage would give):", *exact);
  std::printf(
      "   %lld linked persons' reports disagree on the period, %lld give no date. The estimates\n"
      "   per period need not add up to the estimate for all periods: each is a separate model,\n"
      "   and capture that differs between people within a period biases each of them.\n",
      static_cast<long long>(linked->conflicting_strata),
      static_cast<long long>(linked->unknown_stratum));

  std::printf("\noutputs in %s:\n", dir.string().c_str());
  std::printf("  memoria.db                  the store (try: memoria stats --db %s)\n",
              db.string().c_str());
  std::printf(
      "  simulated/<source>.jsonl    what each organization recorded (interchange "
      "format)\n");
  std::printf("  simulated/reports.csv       every report, flat, for linkage\n");
  std::printf("  simulated/truth.csv         the true person behind each report\n");
  std::printf("  simulated/histories.csv     true capture histories, for estimation\n");
  std::printf("  simulated/strata.csv        true counts per year x violation x province\n");
  std::printf("done in %.1f s\n", Since(start));
  return 0;
}

MEMORIA_COMMAND(710, [](CLI::App& app, Context& ctx) {
  auto args = std::make_shared<DemoArgs>();
  auto* sub = app.add_subcommand(
      "demo", "Run the whole system on a synthetic scenario, in a folder of its own");
  sub->add_option("--dir", args->dir, "Working folder (created; its demo files are replaced)")
      ->default_val("memoria-demo");
  sub->add_option("--seed", args->seed, "Random seed of the simulation")->default_val(1);
  sub->add_option("--persons", args->persons,
                  "Size of the simulated population (default: the default scenario's)");
  sub->callback([args, &ctx] { ctx.exit_code = RunDemo(*args); });
});

}  // namespace
}  // namespace memoria::cli
