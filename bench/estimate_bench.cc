// Log-linear model search speed. Target (issue 5): all 6,893 hierarchical models for k = 5
// in under 1 s (Rcapture's closedpMS.t takes 62 s on the same machine). Also the latent class
// models' full estimate (every identifiable K, selection, profile interval).
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "estimate/capture_histories.h"
#include "estimate/latent_class.h"
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

// EstimateLatentClass on the congenital anomaly data: K = 1..4 (10 starts each), BIC
// selection, profile interval of the selected model.
void BM_EstimateLatentClassK5(benchmark::State& state) {
  const CaptureHistories h = Congenital();
  for (auto _ : state) {
    auto est = EstimateLatentClass(h);
    benchmark::DoNotOptimize(est->interval.upper);
  }
}
BENCHMARK(BM_EstimateLatentClassK5)->Unit(benchmark::kMillisecond);

// Two classes on a simulated 10-list table of 100,000 people (about 1,000 occupied patterns).
void BM_LatentClassTwoClassesK10(benchmark::State& state) {
  const int k = 10;
  CaptureHistories h{{}, std::vector<double>(std::size_t{1} << k, 0.0), ""};
  for (int j = 0; j < k; ++j) h.lists.push_back("L" + std::to_string(j + 1));
  for (unsigned x = 1; x < (1u << k); ++x) {
    double p = 0;
    for (const auto& [w, base] : {std::pair{0.4, 0.35}, std::pair{0.6, 0.08}}) {
      double q = w;
      for (int j = 0; j < k; ++j) {
        const double l = base + 0.01 * j;
        q *= (x >> j & 1u) ? l : 1 - l;
      }
      p += q;
    }
    h.counts[x] = std::round(100000 * p);
  }
  LatentClassOptions o;
  o.classes = 2;
  for (auto _ : state) {
    auto est = EstimateLatentClass(h, o);
    benchmark::DoNotOptimize(est->interval.upper);
  }
}
BENCHMARK(BM_LatentClassTwoClassesK10)->Unit(benchmark::kMillisecond);

void BM_EnumerateK5(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(EnumerateHierarchicalModels(5, 4)->size());
}
BENCHMARK(BM_EnumerateK5)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace memoria::estimate
