// EdtfDate: a date as human-rights documentation knows it, in the Extended Date/Time Format
// (EDTF, ISO 8601-2:2019 levels 0 and 1; https://www.loc.gov/standards/datetime/).
//
// Accepted forms (Y year, M month, D day, all digits):
//   YYYY  YYYY-MM  YYYY-MM-DD              a calendar date at year, month or day precision
//   YYYY-21 .. YYYY-24                     a season: spring, summer, autumn, winter (level 1)
//   <date>~  <date>?  <date>%              approximate, uncertain, both (level 1)
//   YYYX YYXX  YYYY-XX  YYYY-MM-XX  YYYY-XX-XX
//                                          unspecified digits (level 1: only these shapes)
//   -YYYY...                               a negative (astronomical) year, -9999..-0001
//   <start>/<end>                          an interval; an end is a date as above, ".." (open:
//                                          no bound) or empty (unknown: a bound nobody knows),
//                                          e.g. 1997/1999, 1997-03/1997-06-14, ../1999, 1997/,
//                                          1984?/2004-06~; at least one end must be a date.
// Not supported, rejected with a message saying so: times of day (1997-03-14T10:00),
// Y-prefixed years beyond four digits (Y170000002), exponents and significant digits, and
// every level-2 feature (qualifiers inside a date, X in other positions, sets, lists).
//
// Day ranges. earliest() and latest() are the first and last civil (proleptic Gregorian) day
// the date can denote, counted as days since 1970-01-01 (negative before). 1997 ->
// 1997-01-01..1997-12-31, 199X -> 1990-01-01..1999-12-31, 1997-02 -> 1997-02-01..1997-02-28.
// Seasons are northern-hemisphere meteorological seasons: spring Mar-May, summer Jun-Aug,
// autumn Sep-Nov; winter of YYYY (YYYY-24) covers both readings in use, Jan-Feb of YYYY and
// Dec YYYY-Feb YYYY+1, so it spans YYYY-01-01..(YYYY+1)-02-28/29. Qualifiers (~ ? %) do not
// widen the range; consumers that want slack read approximate()/uncertain(). An interval spans
// from its start's earliest day to its end's latest day; an open or unknown end is unbounded:
// earliest() == kEdtfUnboundedStart or latest() == kEdtfUnboundedEnd.
//
// Errors: Parse returns Status::InvalidInput naming the position (1-based character count) and
// the reason, e.g. "month 13 out of range 01-12 (21-24 for seasons) at position 6".
// Values are immutable, cheap to copy and safe to share between threads.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "core/status.h"

namespace memoria {

// Sentinels for an unbounded (open "..", or unknown "") interval end.
inline constexpr std::int32_t kEdtfUnboundedStart = std::numeric_limits<std::int32_t>::min();
inline constexpr std::int32_t kEdtfUnboundedEnd = std::numeric_limits<std::int32_t>::max();

// How finely a date is known, finest first. Unspecified components count as unknown:
// 1997-XX-XX has year precision.
enum class EdtfPrecision : std::uint8_t { kDay, kMonth, kSeason, kYear, kDecade, kCentury };

// What an interval end is. A single (non-interval) date has kDate at both ends.
enum class EdtfBound : std::uint8_t { kDate, kOpen, kUnknown };

class EdtfDate {
 public:
  // Parses EDTF text (see the file comment). No whitespace is allowed anywhere.
  static Result<EdtfDate> Parse(std::string_view text);

  // Canonical EDTF text; for every accepted input it is the input itself, so
  // Parse(d.ToString()) == d.
  std::string ToString() const;

  // First and last day the date can denote, in days since 1970-01-01 (see the file comment);
  // earliest() <= latest() always.
  std::int32_t earliest() const { return start_.earliest; }
  std::int32_t latest() const { return end_.latest; }

  // For a single date, how finely it is known; for an interval, the coarser of its dated ends.
  EdtfPrecision precision() const;
  // True when the date, or any end of an interval, carries '~' / '?' ('%' sets both).
  bool approximate() const;
  bool uncertain() const;
  bool is_interval() const { return interval_; }
  EdtfBound start_bound() const { return start_.bound; }
  EdtfBound end_bound() const { return end_.bound; }

  // Whether the day ranges [earliest, latest] of the two dates share at least one day.
  bool Overlaps(const EdtfDate& other) const;
  // 0 when the ranges overlap, else the number of days from the end of the earlier range to
  // the start of the later one (1997-03-14 vs 1997-03-16 -> 2). Always >= 0.
  std::int64_t DistanceDays(const EdtfDate& other) const;

  friend bool operator==(const EdtfDate&, const EdtfDate&) = default;

 private:
  // One calendar expression (or an open/unknown interval end).
  struct Point {
    EdtfBound bound = EdtfBound::kDate;
    bool negative = false;              // year written with a leading '-'
    std::int16_t year_digits = 0;       // the four year digits read as a number, X read as 0
    std::uint8_t year_unspecified = 0;  // trailing X digits in the year: 0, 1 or 2
    std::uint8_t month = 0;             // 0 absent, 1-12 month, 21-24 season
    bool month_unspecified = false;     // "XX"
    std::uint8_t day = 0;               // 0 absent, else 1-31
    bool day_unspecified = false;       // "XX"
    bool approximate = false;
    bool uncertain = false;
    std::int32_t earliest = 0;
    std::int32_t latest = 0;
    friend bool operator==(const Point&, const Point&) = default;
  };
  static Result<Point> ParsePoint(std::string_view text, std::size_t offset);
  static std::string PointToString(const Point& p);
  static EdtfPrecision PointPrecision(const Point& p);

  EdtfDate() = default;

  bool interval_ = false;
  Point start_;  // for a single date start_ == end_
  Point end_;
};

// "YYYY-MM-DD" for a day count since 1970-01-01 (years before 0 as "-YYYY-MM-DD"); the
// unbounded sentinels format as "..". Defined for every day an EdtfDate yields (years
// -9999..10000); other values outside years -32767..32767 give an unspecified string.
std::string FormatIsoDay(std::int32_t days_since_epoch);

}  // namespace memoria
