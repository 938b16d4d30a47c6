// splitmix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA
// 2014; the reference code at https://prng.di.unimi.it/splitmix64.c): the one definition of the
// seed sequence that every generator in memoria is seeded from, and of its output function,
// which the linkage uses as a 64-bit hash finaliser.
//
// Everything here is exact 64-bit integer arithmetic, so the same seed gives the same numbers
// on every machine and standard library. Not cryptographic.
#pragma once

#include <cstdint>

namespace memoria {

// The increment of the splitmix64 sequence: 2^64 / golden ratio, odd.
inline constexpr std::uint64_t kSplitMix64Gamma = 0x9e3779b97f4a7c15ULL;

// splitmix64's output function: a bijection of the 64-bit words in which every input bit
// affects every output bit.
constexpr std::uint64_t Mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// One step of splitmix64: advances `state` by the gamma and returns the next output.
constexpr std::uint64_t SplitMix64Next(std::uint64_t& state) {
  state += kSplitMix64Gamma;
  return Mix64(state);
}

// The first output of splitmix64 seeded with `x`: a hash of one word.
constexpr std::uint64_t SplitMix64Hash(std::uint64_t x) { return Mix64(x + kSplitMix64Gamma); }

// The splitmix64 sequence as an object (e.g. to seed the words of a larger generator).
class SplitMix64 {
 public:
  explicit constexpr SplitMix64(std::uint64_t seed) : state_(seed) {}
  constexpr std::uint64_t operator()() { return SplitMix64Next(state_); }

 private:
  std::uint64_t state_;
};

// An integer uniform on [0, n), n > 0, from `next`, a callable returning uniform 64-bit words
// (SplitMix64, or any engine's step). Lemire's multiply-and-reject ("Fast random integer
// generation in an interval", ACM TOMACS 2019): exact, and the same on every machine, unlike
// std::uniform_int_distribution, whose algorithm each standard library chooses.
template <class Next>
std::uint64_t UniformBelow(Next& next, std::uint64_t n) {
  unsigned __int128 m = static_cast<unsigned __int128>(next()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    while (low < threshold) {
      m = static_cast<unsigned __int128>(next()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

}  // namespace memoria
