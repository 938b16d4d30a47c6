// Blocking diagnostics against ground truth: for each blocking rule, the candidate pairs it adds
// (pairs an earlier rule already produced are not counted again), the true pairs among them,
// the cumulative pair recall of blocking, and the largest block.
//
//   linkage_blocking SETTINGS.json|default RECORDS.csv TRUTH.csv [THREADS]
//
// Used to design blocking rules whose cost grows near-linearly with the number of records
// (bench/linkage_scale.sh runs it on the simulated scenarios).
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <vector>

#include "linkage/blocking.h"
#include "linkage/linker.h"
#include "linkage/records.h"
#include "linkage/settings.h"

namespace memoria::linkage {
namespace {

int Run(int argc, char** argv) {
  if (argc < 4) {
    fmt::print(stderr, "usage: {} SETTINGS.json|default RECORDS.csv TRUTH.csv [THREADS]\n",
               argv[0]);
    return 2;
  }
  Settings settings;
  if (std::string(argv[1]) == "default") {
    settings = DefaultSettings();
  } else {
    auto s = LoadSettings(argv[1]);
    if (!s.ok()) {
      fmt::print(stderr, "{}\n", s.status().ToString());
      return 2;
    }
    settings = *s;
  }
  const int threads = argc > 4 ? std::max(1, std::atoi(argv[4])) : 2;
  auto table = LoadRecords({argv[2]}, settings);
  if (!table.ok()) {
    fmt::print(stderr, "{}\n", table.status().ToString());
    return 2;
  }
  auto truth = LoadTruth(argv[3], *table);
  if (!truth.ok()) {
    fmt::print(stderr, "{}\n", truth.status().ToString());
    return 2;
  }
  // Dense entity ids and the number of true pairs.
  std::unordered_map<std::string, std::uint32_t> entity_ids;
  std::vector<std::uint32_t> entity(table->size());
  std::vector<std::int64_t> entity_size;
  for (std::size_t i = 0; i < table->size(); ++i) {
    auto [it, ins] = entity_ids.emplace((*truth)[i], static_cast<std::uint32_t>(entity_ids.size()));
    if (ins) entity_size.push_back(0);
    entity[i] = it->second;
    ++entity_size[it->second];
  }
  std::int64_t true_pairs = 0;
  for (auto s : entity_size) true_pairs += s * (s - 1) / 2;

  auto blocker = Blocker::Build(settings, *table);
  if (!blocker.ok()) {
    fmt::print(stderr, "{}\n", blocker.status().ToString());
    return 2;
  }
  fmt::print("records: {}, true pairs: {}\n\n", table->size(), true_pairs);
  fmt::print("| rule | new pairs | new true pairs | cumulative recall |\n|---|---:|---:|---:|\n");
  std::int64_t found = 0, total = 0;
  for (std::size_t r = 0; r < (*blocker)->num_rules(); ++r) {
    std::vector<std::int64_t> pairs(threads, 0), hits(threads, 0);
    (*blocker)->ForEachPair(r, true, threads, [&](int t, std::uint32_t a, std::uint32_t b) {
      ++pairs[t];
      if (entity[a] == entity[b]) ++hits[t];
    });
    std::int64_t p = 0, h = 0;
    for (int t = 0; t < threads; ++t) {
      p += pairs[t];
      h += hits[t];
    }
    found += h;
    total += p;
    fmt::print("| {} | {} | {} | {:.4f} |\n", (*blocker)->rule_name(r), p, h,
               true_pairs > 0 ? static_cast<double>(found) / static_cast<double>(true_pairs) : 1.0);
  }
  fmt::print("| all | {} | {} | {:.4f} |\n", total, found,
             true_pairs > 0 ? static_cast<double>(found) / static_cast<double>(true_pairs) : 1.0);
  for (const auto& w : (*blocker)->warnings()) fmt::print("warning: {}\n", w);
  return 0;
}

}  // namespace
}  // namespace memoria::linkage

int main(int argc, char** argv) { return memoria::linkage::Run(argc, argv); }
