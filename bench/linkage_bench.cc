// Linkage scoring throughput: candidate pairs compared and weighted per second on one core,
// on FEBRL dataset 3 with the shipped settings (the model is trained once, outside the loop).
// End-to-end figures (wall time, peak RSS, F1 per dataset) come from bench/linkage_bench.sh.
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <memory>

#include "linkage/blocking.h"
#include "linkage/comparison.h"
#include "linkage/model.h"
#include "linkage/records.h"
#include "linkage/settings.h"

namespace memoria::linkage {
namespace {

struct Fixture {
  Settings settings;
  RecordTable table;
  std::unique_ptr<Comparator> cmp;
  std::unique_ptr<Blocker> blocker;
  Model model;
  bool ok = false;
};

Fixture& Get() {
  static Fixture f = [] {
    Fixture f;
    // The shipped settings, found from this file's place in the source tree.
    auto root = std::filesystem::path(__FILE__).parent_path().parent_path();
    auto s = LoadSettings((root / "linkage/settings/febrl_dedupe.json").string());
    if (!s.ok()) return f;
    f.settings = *s;
    auto t = LoadRecords({std::string(MEMORIA_SHARED_DATA) + "/linkage/febrl3.csv"}, f.settings);
    if (!t.ok()) return f;
    f.table = std::move(t).value();
    auto c = Comparator::Build(f.settings, f.table);
    auto b = Blocker::Build(f.settings, f.table);
    if (!c.ok() || !b.ok()) return f;
    f.cmp = std::move(c).value();
    f.blocker = std::move(b).value();
    auto m = TrainModel(f.settings, f.table, *f.cmp, *f.blocker, {}, 1);
    if (!m.ok()) return f;
    f.model = std::move(m).value();
    f.ok = true;
    return f;
  }();
  return f;
}

void BM_ScoreCandidatePairs(benchmark::State& state) {
  Fixture& f = Get();
  if (!f.ok) {
    state.SkipWithError("febrl3 or its settings not found");
    return;
  }
  const std::size_t K = f.cmp->num_comparisons();
  std::vector<std::uint8_t> lv(K);
  std::int64_t pairs = 0;
  double sink = 0;
  for (auto _ : state) {
    for (std::size_t r = 0; r < f.blocker->num_rules(); ++r) {
      f.blocker->ForEachPair(r, true, 1, [&](int, std::uint32_t a, std::uint32_t b) {
        f.cmp->Compare(a, b, lv.data());
        sink += MatchWeight(f.settings, f.model, *f.cmp, a, b, lv.data(), nullptr);
        ++pairs;
      });
    }
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(pairs);
}
BENCHMARK(BM_ScoreCandidatePairs)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace memoria::linkage
