// Log-linear model search speed. Target (issue 5): all 6,893 hierarchical models for k = 5
// in under 1 s (Rcapture's closedpMS.t takes 62 s on the same machine).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "estimate/capture_histories.h"
#include "estimate/loglinear.h"

namespace memoria::estimate {
namespace {

CaptureHistories Congenital() {
  // Wittes et al. (1974) congenital anomaly data, 5 lists (shared/data/mse), in pattern order
  // (list 1 = least significant bit). Embedded so the benchmark runs without the data tree.
  const double by_binary_row[31] = {83, 97, 30, 4, 3, 2, 0, 37, 34, 37, 23, 1, 0, 3, 0, 27,
                                    36, 22, 5,  4, 5, 1, 3, 19, 18, 25, 8,  1, 2, 5, 2};
  // by_binary_row is in the file's order: list 1 is the most significant bit.
  CaptureHistories h{
      {"obstetric", "hospital", "DPH", "DMH", "school"}, std::vector<double>(32), ""};
  for (int row = 1; row < 32; ++row) {
    unsigned pattern = 0;
    for (int j = 0; j < 5; ++j) {
      if (row & (1 << (4 - j))) pattern |= 1u << j;
    }
    h.counts[pattern] = by_binary_row[row - 1];
  }
  return h;
}

void BM_AllHierarchicalModelsK5(benchmark::State& state) {
  const CaptureHistories h = Congenital();
  for (auto _ : state) {
    auto models = EnumerateHierarchicalModels(5, 4);
    double sum = 0;
    for (const LoglinearModel& m : *models) sum += FitLoglinear(h, m)->estimate;
    benchmark::DoNotOptimize(sum);
  }
  state.counters["models"] = 6893;
}
BENCHMARK(BM_AllHierarchicalModelsK5)->Unit(benchmark::kMillisecond);

void BM_EstimateLoglinearK5(benchmark::State& state) {
  const CaptureHistories h = Congenital();
  for (auto _ : state) {
    auto est = EstimateLoglinear(h);
    benchmark::DoNotOptimize(est->interval.upper);
  }
}
BENCHMARK(BM_EstimateLoglinearK5)->Unit(benchmark::kMillisecond);

void BM_EnumerateK5(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(EnumerateHierarchicalModels(5, 4)->size());
}
BENCHMARK(BM_EnumerateK5)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace memoria::estimate
