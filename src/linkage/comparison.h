// Comparison vectors: for a pair of records, the level each comparison falls into.
//
// A Comparator prepares every compared value once per record (normalised text decoded to code
// points, dates as day ranges, Korean names parsed), so comparing a pair allocates nothing.
// Level numbering per comparison: 0 = null (a value is missing: weight 0), 1..L = the levels
// of the settings in order, L+1 = "else" (none held).
//
// Thread-safety: after Build, Compare and the accessors are const and safe to call from many
// threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "linkage/records.h"
#include "linkage/settings.h"

namespace memoria::linkage {

// Text normalisation used by comparisons and blocking keys (trim always; kLower: NFKC
// case-fold with white space collapsed; kAlnum: kLower then letters and digits only).
std::string NormalizeText(std::string_view s, Normalize mode);

// Days since 1970-01-01 for a proleptic Gregorian date (month 1-12, day 1-31).
std::int32_t DaysFromCivil(int year, int month, int day);
// Year of a day count.
int YearOfDay(std::int32_t days);

// A date as a day range, parsed from a column value in one of the settings' date formats
// (edtf, yyyymmdd; ymd takes three values). Missing or unparseable -> valid == false.
struct DayRange {
  bool valid = false;
  std::int32_t earliest = 0;
  std::int32_t latest = 0;
};
DayRange ParseDayRange(std::string_view text, std::string_view format);
DayRange ParseYmd(std::string_view year, std::string_view month, std::string_view day);

// Family and given name of a record from korean_name columns [full] or [full, family, given]:
// the family/given columns when either is filled, else ParseKoreanName(full) (empty parts when
// it cannot be parsed).
struct NameParts {
  std::string family;
  std::string given;
};
NameParts ExtractKoreanName(std::string_view full, std::string_view family, std::string_view given);

class Comparator {
 public:
  // Prepares the comparisons of `settings` over `table` (which must outlive the comparator).
  // Errors: InvalidInput when a comparison's column is not in the table.
  static Result<std::unique_ptr<Comparator>> Build(const Settings& settings,
                                                   const RecordTable& table);
  ~Comparator();

  std::size_t num_comparisons() const;
  // Number of levels of comparison k, null and else included.
  int num_levels(std::size_t k) const;
  const std::string& name(std::size_t k) const;
  std::string level_label(std::size_t k, int level) const;

  // Writes the level of every comparison for records a and b into levels[0..num_comparisons).
  void Compare(std::uint32_t a, std::uint32_t b, std::uint8_t* levels) const;

  // Term-frequency adjustment: whether comparison k adjusts `level`, and the relative frequency
  // of the value(s) involved for the pair (a, b) (the larger of the two records').
  bool TfApplies(std::size_t k, int level) const;
  double TfFrequency(std::size_t k, std::uint32_t a, std::uint32_t b) const;

 private:
  struct Impl;
  explicit Comparator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace memoria::linkage
