// LCMCR Gibbs sweeps per second for k = 4, 5 and 10 lists at 10^3 to 10^6 observed
// individuals (issue 5). The LCMCR package runs 27,000–83,000 sweeps/s on small data here.
//
// Data: a two-class heterogeneous population (capture probabilities 0.15–0.5 by list and
// class) simulated once per size with a fixed seed and aggregated into capture patterns, as
// the sampler works on patterns. Each benchmark iteration is one run of EstimateLcmcr with
// `kSweeps` sweeps after no warm-up; the rate counter `sweeps/s` uses CPU time.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "estimate/lcmcr.h"

namespace {

using memoria::estimate::CaptureHistories;

constexpr std::int64_t kSweeps = 2000;

CaptureHistories Simulate(int k, std::int64_t observed, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  CaptureHistories h;
  for (int j = 0; j < k; ++j) h.lists.push_back("list" + std::to_string(j + 1));
  h.counts.assign(std::size_t{1} << k, 0.0);
  std::int64_t seen = 0;
  while (seen < observed) {
    const int cls = u(rng) < 0.3 ? 0 : 1;
    unsigned pattern = 0;
    for (int j = 0; j < k; ++j) {
      const double p = cls == 0 ? 0.5 - 0.02 * j : 0.15 + 0.01 * j;
      if (u(rng) < p) pattern |= 1u << j;
    }
    if (pattern == 0) continue;
    h.counts[pattern] += 1;
    ++seen;
  }
  return h;
}

void BM_LcmcrSweeps(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const std::int64_t n = state.range(1);
  const CaptureHistories data = Simulate(k, n, 1234);
  memoria::estimate::LcmcrOptions o;
  o.warmup = 0;
  o.burnin = kSweeps - 1;
  o.samples = 1;
  o.thin = 1;
  std::int64_t sweeps = 0;
  std::int64_t occupied = 0;
  for (std::size_t w = 1; w < data.counts.size(); ++w) occupied += data.counts[w] > 0;
  for (auto _ : state) {
    auto r = memoria::estimate::EstimateLcmcr(data, o);
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(r->draws_N.data());
    sweeps += r->diagnostics.sweeps;
    ++o.seed;
  }
  state.counters["sweeps/s"] =
      benchmark::Counter(static_cast<double>(sweeps), benchmark::Counter::kIsRate);
  state.counters["patterns"] = static_cast<double>(occupied);
}

BENCHMARK(BM_LcmcrSweeps)
    ->ArgsProduct({{4, 5, 10}, {1000, 10000, 100000, 1000000}})
    ->ArgNames({"k", "n"})
    ->Unit(benchmark::kMillisecond);

}  // namespace
