// `memoria simulate`: a synthetic documentation scenario with its ground truth.
#include <chrono>
#include <cstdio>
#include <optional>

#include "cli/command.h"
#include "sim/scenario.h"
#include "sim/simulate.h"

namespace memoria::cli {
namespace {

struct SimulateArgs {
  std::string out;
  std::uint64_t seed = 1;
  std::optional<std::int64_t> persons;
  std::string scenario;
};

int RunSimulate(const SimulateArgs& args) {
  Result<sim::Scenario> scenario =
      args.scenario.empty() ? sim::DefaultScenario() : sim::LoadScenarioFile(args.scenario);
  if (!scenario.ok()) return ReportError(scenario.status());
  std::int64_t persons = args.persons.value_or(scenario->persons);
  if (persons < 0) {
    return ReportError(Status::InvalidInput("must not be negative").AtField("--persons"));
  }
  auto simulator = sim::Simulator::Create(std::move(scenario).value(), args.seed);
  if (!simulator.ok()) return ReportError(simulator.status());
  auto start = std::chrono::steady_clock::now();
  auto summary = simulator->Write(args.out, persons);
  if (!summary.ok()) return ReportError(summary.status());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("simulated %lld persons (seed %llu): %lld documented, %lld reports in %.1f s\n",
              static_cast<long long>(summary->persons), static_cast<unsigned long long>(args.seed),
              static_cast<long long>(summary->documented), static_cast<long long>(summary->records),
              seconds);
  for (const auto& s : summary->sources) {
    std::printf("  %-20s %8lld reports of %8lld persons\n", s.id.c_str(),
                static_cast<long long>(s.records), static_cast<long long>(s.persons));
  }
  std::printf("wrote to %s:", args.out.c_str());
  for (const auto& f : summary->files) std::printf(" %s", f.c_str());
  std::printf("\n");
  return 0;
}

MEMORIA_COMMAND(700, [](CLI::App& app, Context& ctx) {
  auto args = std::make_shared<SimulateArgs>();
  auto* sub = app.add_subcommand(
      "simulate",
      "Generate a synthetic documentation scenario with ground truth (docs/simulation.md)");
  sub->add_option("--out", args->out, "Output directory (created if missing)")->required();
  sub->add_option("--seed", args->seed, "Random seed: the same seed gives identical files")
      ->default_val(1);
  sub->add_option("--persons", args->persons,
                  "Size of the true population (default: the scenario's)");
  sub->add_option("--scenario", args->scenario,
                  "Scenario JSON file (default: the shipped data/scenarios/default.json)");
  sub->callback([args, &ctx] { ctx.exit_code = RunSimulate(*args); });
});

}  // namespace
}  // namespace memoria::cli
