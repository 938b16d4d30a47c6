// Capture histories: the input of every multiple systems estimation method.
//
// For k lists, a capture pattern is a bitmask over the lists (bit j set = seen on list j).
// `counts[pattern]` is the number of distinct individuals with exactly that pattern; the
// vector has 2^k entries and counts[0] (never seen) is always 0 — that cell is what we estimate.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
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

// The largest count the samplers accept: exact in a double and far inside int64.
inline constexpr double kMaxWholeCount = 1e15;

// Validate, and what the Bayesian samplers also need: every count a whole number of at most
// kMaxWholeCount, and somebody observed. InvalidInput otherwise.
Status ValidateWholeCounts(const CaptureHistories& histories, int min_lists);

// The same histories without the lists that documented nobody: in a stratum where a list did
// not operate (say, a period before it existed) it carries no information, and keeping it
// makes every log-linear model non-identifiable. The names left out go to `dropped`.
CaptureHistories WithoutEmptyLists(const CaptureHistories& histories,
                                   std::vector<std::string>* dropped = nullptr);

// ---- Capture histories from linked records ------------------------------------------------
//
// Linkage decides which records describe the same person; each record was documented by one
// source (a list). A person's capture pattern is the set of the sources of their records.
//
// With strata, a person's stratum is the most frequent non-empty stratum value among their
// records (a tie goes to the value that sorts first); a person none of whose records carries
// a value is in stratum kUnknownStratum. Records of one person that disagree are counted in
// `LinkedHistories::conflicting_strata`: a high number means the stratum is not a property of
// the person as recorded, and per-stratum estimates should be read with care.

inline constexpr std::string_view kUnknownStratum = "(unknown)";

struct LinkedHistories {
  std::vector<CaptureHistories> strata;  // sorted by label; one with label "" when unstratified
  std::int64_t records = 0;
  std::int64_t persons = 0;
  std::int64_t conflicting_strata = 0;  // persons whose records name different strata
  std::int64_t unknown_stratum = 0;     // persons with no stratum value at all
};

class CaptureHistoryBuilder {
 public:
  explicit CaptureHistoryBuilder(bool stratified = false) : stratified_(stratified) {}

  // Adds one record of `person` documented by `source`. InvalidInput for an empty source or
  // person, or a (kMaxLists + 1)-th distinct source.
  Status Add(std::string_view person, std::string_view source, std::string_view stratum = {});

  // The histories over `lists` (every source must be one of them; a list with no record is
  // allowed) or, when `lists` is empty, over the sources seen, sorted by name. InvalidInput
  // for a source not in `lists`, fewer than `min_lists` lists, or no record.
  Result<LinkedHistories> Build(const std::vector<std::string>& lists = {},
                                int min_lists = 3) const;

 private:
  struct Person {
    std::uint32_t pattern = 0;  // bits over sources_, in order of first appearance
    std::vector<std::pair<std::uint32_t, std::uint32_t>> votes;  // (stratum index, records)
  };
  bool stratified_;
  std::int64_t records_ = 0;
  std::vector<std::string> sources_;
  std::vector<std::string> strata_;
  std::unordered_map<std::string, std::uint32_t> stratum_index_;
  std::unordered_map<std::string, Person> persons_;
};

// Where linked records are: the clusters file written by `memoria link --output` (a header,
// then the record id in the first column and the person (cluster) id in the second; the
// simulation's truth.csv has the same shape), and the record files that were linked.
struct LinkedCsvInput {
  std::string clusters;
  std::vector<std::string> records;
  std::string id_column = "record_id";
  // The source of each record. A records file without this column is one source, named after
  // the file (its name without directory and extension).
  std::string source_column = "source";
  std::vector<std::string> strata_columns;  // columns of the records files
  int min_lists = 3;
};

// Joins clusters and records (streaming the records; memory grows with the number of
// records, for the id -> cluster map). Errors (InvalidInput with file:line:field): a record id
// missing from the clusters file or given twice, an id in the clusters file that no records
// file has, an empty source, a missing id or stratum column; plus Build()'s errors.
Result<LinkedHistories> ReadLinkedHistoriesCsv(const LinkedCsvInput& input);

}  // namespace memoria::estimate
