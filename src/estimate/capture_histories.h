// Capture histories: the input of every multiple systems estimation method.
//
// For k lists, a capture pattern is a bitmask over the lists (bit j set = seen on list j).
// `counts[pattern]` is the number of distinct individuals with exactly that pattern; the
// vector has 2^k entries and counts[0] (never seen) is always 0 — that cell is what we estimate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace memoria::estimate {

struct CaptureHistories {
  std::vector<std::string> lists;  // list names, bit j = lists[j]; 1 <= k <= 15
  std::vector<double> counts;      // size 2^k, indexed by pattern; counts[0] == 0
  std::string stratum;             // stratum label ("" = the whole population)

  int k() const { return static_cast<int>(lists.size()); }
  // Number of distinct individuals observed (sum of counts).
  double Observed() const {
    double n = 0;
    for (double c : counts) n += c;
    return n;
  }
};

// Largest number of lists accepted (2^15 cells).
inline constexpr int kMaxLists = 15;

// Reads capture histories from a CSV file with a header row.
//
// Columns:
//   * `count` (or `freq`, Rcapture's name), optional: a non-negative integer, the number of
//     individuals with the row's pattern. Without it every row is one individual.
//   * the columns named in `strata_columns`: their values label the stratum of the row. With
//     several stratum columns the label is the values joined with " | ".
//   * every other column is a list, with cells 0 or 1.
// Rows with the same pattern (and stratum) are added up, so both individual-level files (one
// row per linked person) and aggregated files are accepted. The file is streamed: memory
// grows with the number of strata × 2^k cells, not with the number of rows.
//
// Returns one CaptureHistories per stratum, sorted by label (one entry with label "" when
// `strata_columns` is empty). Use TotalOf() for the whole population.
//
// Errors (InvalidInput with file:line:field): a cell that is not 0 or 1, a count that is not
// a non-negative integer, a row with no list marked 1 and a non-zero count (the unobserved cell
// cannot be observed), a stratum column that is not in the header, duplicate or empty column
// names, fewer than `min_lists` or more than kMaxLists list columns, no data rows.
// NotFound / IoError when the file cannot be read.
Result<std::vector<CaptureHistories>> ReadCaptureHistoriesCsv(
    const std::string& path, const std::vector<std::string>& strata_columns = {},
    int min_lists = 3);

// The whole population: cell-wise sum over strata that share the same lists (label "").
// InvalidInput if `strata` is empty or the strata have different lists.
Result<CaptureHistories> TotalOf(const std::vector<CaptureHistories>& strata);

// Checks a CaptureHistories built in code: 2^k counts, counts[0] == 0, finite non-negative
// counts, at least `min_lists` lists. InvalidInput otherwise.
Status Validate(const CaptureHistories& histories, int min_lists = 3);

}  // namespace memoria::estimate
