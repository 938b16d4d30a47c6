// The simulator's JSON Lines output imports cleanly, with the real importer, into a fresh store.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "io/interchange.h"
#include "io/reference_data.h"
#include "sim/simulate.h"

namespace memoria::sim {
namespace {

namespace fs = std::filesystem;

TEST(SimulatorImport, EverySourceFileImportsIntoAFreshStore) {
  fs::path dir = fs::temp_directory_path() / ("memoria-sim-import-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto scenario = DefaultScenario();
  ASSERT_TRUE(scenario.ok());
  auto sim = Simulator::Create(std::move(scenario).value(), 12);
  ASSERT_TRUE(sim.ok());
  auto summary = sim->Write((dir / "out").string(), 400);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();

  auto store = io::InitSqliteStore((dir / "demo.db").string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::int64_t created = 0;
  for (const auto& s : sim->scenario().sources) {
    std::string file = (dir / "out" / (s.id + ".jsonl")).string();
    auto r = io::ImportJsonLinesFile(**store, file, {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->created, r->lines);
    created += r->created;
    // Importing the same file again changes nothing.
    auto again = io::ImportJsonLinesFile(**store, file, {});
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(again->unchanged, again->lines);
  }
  EXPECT_EQ(created, summary->lines);
  auto stats = (*store)->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->entities.at("record"), summary->records);
  EXPECT_EQ(stats->entities.at("person"), summary->records);
  EXPECT_EQ(stats->entities.at("source"), 4);
  store->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace memoria::sim
