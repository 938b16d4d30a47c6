// String similarity and distance metrics for record linkage.
//
// Every function compares Unicode code points, not bytes: UTF-8 input is decoded first (an
// invalid byte decodes to U+FFFD and counts as one code point, so malformed input never fails
// and never reads out of bounds). Pure ASCII input takes a fast path. Overloads on
// std::u32string_view let a caller decode a column once and compare it many times.
//
// Cost: no heap allocation per call for strings of up to 64 code points (fixed buffers on the
// stack); longer strings use per-thread scratch buffers that grow once and are reused. All
// functions are thread-safe and never throw.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

namespace memoria::linkage {

// Jaro similarity in [0, 1] (Jaro 1989): matching characters within the window
// max(|a|, |b|) / 2 - 1, transpositions counted as half the out-of-order matches.
// Two empty strings score 1; an empty string against a non-empty one scores 0.
double Jaro(std::string_view a, std::string_view b);
double Jaro(std::u32string_view a, std::u32string_view b);

// Jaro–Winkler parameters; the defaults are Winkler's published ones.
struct JaroWinklerOptions {
  double prefix_scale = 0.1;     // p; must satisfy p * max_prefix <= 1
  int max_prefix = 4;            // l is capped at this many common leading code points
  double boost_threshold = 0.7;  // the prefix bonus applies only when Jaro > this
};

// Jaro–Winkler similarity in [0, 1]: jw = j + l * p * (1 - j) when j > boost_threshold,
// otherwise j. E.g. MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.840, DIXON/DICKSONX 0.813.
// Case-sensitive: normalize first (see korean.h NormalizeName) when case should not matter.
double JaroWinkler(std::string_view a, std::string_view b, const JaroWinklerOptions& options = {});
double JaroWinkler(std::u32string_view a, std::u32string_view b,
                   const JaroWinklerOptions& options = {});

// "No cut-off" for the distance functions below.
inline constexpr int kNoMaxDistance = std::numeric_limits<int>::max();

// Levenshtein distance (insertions, deletions, substitutions, each cost 1) in code points.
// With max_distance = k >= 0 the computation stops as soon as the distance is known to exceed
// k and returns k + 1; any result <= k is exact. A negative k is treated as 0.
int Levenshtein(std::string_view a, std::string_view b, int max_distance = kNoMaxDistance);
int Levenshtein(std::u32string_view a, std::u32string_view b, int max_distance = kNoMaxDistance);

// Damerau–Levenshtein distance in its "optimal string alignment" form: Levenshtein plus the
// transposition of two adjacent code points (cost 1), where no substring is edited twice
// (so OSA("CA", "ABC") = 3, not 2). Cut-off as for Levenshtein.
int DamerauOsa(std::string_view a, std::string_view b, int max_distance = kNoMaxDistance);
int DamerauOsa(std::u32string_view a, std::u32string_view b, int max_distance = kNoMaxDistance);

// 1 - Levenshtein(a, b) / max(|a|, |b|), in [0, 1]; two empty strings score 1.
double LevenshteinSimilarity(std::string_view a, std::string_view b);

// Number of code points in UTF-8 `s` (invalid bytes count one each, as above).
std::size_t CodePointCount(std::string_view s);

// Decodes UTF-8 to code points (invalid bytes become U+FFFD).
std::u32string DecodeUtf8(std::string_view s);

// The whitespace-separated tokens of `s` (ASCII whitespace), sorted bytewise and joined with a
// single space: "Yong Chol Kim" -> "Chol Kim Yong". With `unique`, repeated tokens are kept
// once (the "token set"). Compare the results with JaroWinkler for an order-free name score.
std::string SortedTokens(std::string_view s, bool unique = false);

}  // namespace memoria::linkage
