// `memoria demo`: the whole system on synthetic data, in one command and a folder of its own.
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "cli/command.h"
#include "io/interchange.h"
#include "io/reference_data.h"
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
