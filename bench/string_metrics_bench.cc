// String metrics and Korean name keys (issue 4): pairs per second on realistic name pairs.
// The linkage engine needs >= 1,000,000 scored pairs per second per core, so each metric
// must stay well under a microsecond per pair. Items/s below = pairs (or names) per second.
//
//   string_metrics_bench --benchmark_filter=JaroWinkler
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "linkage/korean.h"
#include "linkage/string_metrics.h"

namespace memoria::linkage {
namespace {

// Name pairs as blocking produces them: mostly similar spellings, some unrelated.
const std::vector<std::pair<std::string, std::string>>& LatinPairs() {
  static const std::vector<std::pair<std::string, std::string>> pairs = {
      {"MARTHA", "MARHTA"},          {"DWAYNE", "DUANE"},
      {"DIXON", "DICKSONX"},         {"katherine", "catherine"},
      {"jonathan", "johnathan"},     {"kim yeong-cheol", "kim yong chol"},
      {"williams", "williamson"},    {"elizabeth", "elisabeth"},
      {"young-chul", "yeong-cheol"}, {"park jong-hui", "pak jong hui"},
      {"alexander", "aleksandr"},    {"smith", "smyth"},
      {"ri sol ju", "lee seol-ju"},  {"christopher", "kristopher"},
      {"margaret", "marguerite"},    {"choi min-su", "choe min su"},
  };
  return pairs;
}

const std::vector<std::pair<std::string, std::string>>& HangulPairs() {
  static const std::vector<std::pair<std::string, std::string>> pairs = {
      {"김영철", "김영칠"},   {"리설주", "이설주"}, {"박정희", "박정의"}, {"최은희", "최운희"},
      {"남궁민수", "남궁민"}, {"정일", "정일"},     {"김영철", "영철김"}, {"현송월", "현성월"},
  };
  return pairs;
}

template <typename F>
void RunPairs(benchmark::State& state,
              const std::vector<std::pair<std::string, std::string>>& pairs, F&& f) {
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& p = pairs[i];
    benchmark::DoNotOptimize(f(p.first, p.second));
    if (++i == pairs.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_JaroWinklerLatin(benchmark::State& state) {
  RunPairs(state, LatinPairs(),
           [](const std::string& a, const std::string& b) { return JaroWinkler(a, b); });
}
BENCHMARK(BM_JaroWinklerLatin);

void BM_JaroWinklerHangul(benchmark::State& state) {
  RunPairs(state, HangulPairs(),
           [](const std::string& a, const std::string& b) { return JaroWinkler(a, b); });
}
BENCHMARK(BM_JaroWinklerHangul);

void BM_JaroWinklerPredecoded(benchmark::State& state) {
  std::vector<std::pair<std::u32string, std::u32string>> decoded;
  for (const auto& [a, b] : HangulPairs()) decoded.emplace_back(DecodeUtf8(a), DecodeUtf8(b));
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(JaroWinkler(decoded[i].first, decoded[i].second));
    if (++i == decoded.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JaroWinklerPredecoded);

void BM_LevenshteinLatin(benchmark::State& state) {
  RunPairs(state, LatinPairs(),
           [](const std::string& a, const std::string& b) { return Levenshtein(a, b); });
}
BENCHMARK(BM_LevenshteinLatin);

void BM_LevenshteinCutOff2(benchmark::State& state) {
  RunPairs(state, LatinPairs(),
           [](const std::string& a, const std::string& b) { return Levenshtein(a, b, 2); });
}
BENCHMARK(BM_LevenshteinCutOff2);

void BM_DamerauOsaLatin(benchmark::State& state) {
  RunPairs(state, LatinPairs(),
           [](const std::string& a, const std::string& b) { return DamerauOsa(a, b); });
}
BENCHMARK(BM_DamerauOsaLatin);

void BM_DamerauOsaHangul(benchmark::State& state) {
  RunPairs(state, HangulPairs(),
           [](const std::string& a, const std::string& b) { return DamerauOsa(a, b, 2); });
}
BENCHMARK(BM_DamerauOsaHangul);

// Long strings (addresses, free text): the per-thread scratch path.
void BM_JaroWinklerLong(benchmark::State& state) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> letter('a', 'z');
  std::string a, b;
  for (int i = 0; i < state.range(0); ++i) a += static_cast<char>(letter(rng));
  b = a;
  for (std::size_t i = 0; i < b.size(); i += 7) b[i] = static_cast<char>(letter(rng));
  for (auto _ : state) benchmark::DoNotOptimize(JaroWinkler(a, b));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JaroWinklerLong)->Arg(32)->Arg(128);

// Given names: prepared once per record, compared per pair.
void BM_GivenNameSimilarityPrepared(benchmark::State& state) {
  const std::vector<std::string> names = {"영철",      "Yeong-cheol", "Young-chul", "Yong Chol",
                                          "Youngchul", "영희",        "Young-hee",  "Chol-yong",
                                          "Min-su",    "민서"};
  std::vector<GivenNameKey> keys;
  for (const auto& n : names) keys.push_back(PrepareGivenName(n));
  std::size_t i = 0, j = 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(GivenNameSimilarity(keys[i], keys[j]));
    if (++j == keys.size()) {
      j = 0;
      if (++i == keys.size()) i = 0;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GivenNameSimilarityPrepared);

// Per-record preparation (ICU normalization, segmentation): names per second.
void BM_PrepareGivenName(benchmark::State& state) {
  const std::vector<std::string> names = {"영철", "Yŏng-ch'ŏl", "Youngchul", "Kwang Su"};
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(PrepareGivenName(names[i]));
    if (++i == names.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PrepareGivenName);

void BM_NormalizeName(benchmark::State& state) {
  const std::vector<std::string> names = {"  Kim   Yŏng-ch'ŏl ", "김영철", "PARK Jong-hui"};
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizeName(names[i]));
    if (++i == names.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalizeName);

void BM_SurnameCandidates(benchmark::State& state) {
  const std::vector<std::string> names = {"Kim", "리", "Rhee", "Song", "Kimm"};
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(SurnameCandidates(names[i]));
    if (++i == names.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SurnameCandidates);

// Full names: prepared once per record (all readings), compared per pair.
void BM_CompareFullNamesPrepared(benchmark::State& state) {
  const std::vector<std::string> names = {"김영철",        "KIM Yeong-cheol", "Young-chul Kim",
                                          "Kim Yong Chol", "Jong Min Yun",    "Yun Chong-min",
                                          "박영희",        "Hong Ae Chun"};
  std::vector<PreparedName> prepared;
  for (const auto& n : names) prepared.push_back(PrepareFullName(n));
  std::size_t i = 0, j = 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(CompareFullNames(prepared[i], prepared[j]));
    if (++j == prepared.size()) {
      j = 0;
      if (++i == prepared.size()) i = 0;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CompareFullNamesPrepared);

void BM_PrepareFullName(benchmark::State& state) {
  const std::vector<std::string> names = {"김영철", "KIM Yeong-cheol", "Jong Min Yun"};
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(PrepareFullName(names[i]));
    if (++i == names.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PrepareFullName);

void BM_ParseKoreanName(benchmark::State& state) {
  const std::vector<std::string> names = {"김영철", "KIM Yeong-cheol", "Young-chul Kim",
                                          "Kim Yong Chol"};
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ParseKoreanName(names[i]));
    if (++i == names.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseKoreanName);

}  // namespace
}  // namespace memoria::linkage
