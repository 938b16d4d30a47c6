#include "core/edtf.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace memoria {
namespace {

using ::testing::HasSubstr;

EdtfDate P(std::string_view text) {
  auto r = EdtfDate::Parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() ? *r : *EdtfDate::Parse("0001");
}

// "earliest..latest" as ISO days.
std::string Range(std::string_view text) {
  const EdtfDate d = P(text);
  return FormatIsoDay(d.earliest()) + ".." + FormatIsoDay(d.latest());
}

Status ParseError(std::string_view text) {
  auto r = EdtfDate::Parse(text);
  EXPECT_FALSE(r.ok()) << text << " parsed as " << (r.ok() ? r->ToString() : "");
  return r.ok() ? Status::Ok() : r.status();
}

TEST(FormatIsoDay, KnownDayNumbers) {
  EXPECT_EQ(FormatIsoDay(0), "1970-01-01");
  EXPECT_EQ(FormatIsoDay(-1), "1969-12-31");
  EXPECT_EQ(FormatIsoDay(9862), "1997-01-01");   // 27*365 + 7 leap days
  EXPECT_EQ(FormatIsoDay(10957), "2000-01-01");  // the well-known value
  EXPECT_EQ(FormatIsoDay(11016), "2000-02-29");
  EXPECT_EQ(FormatIsoDay(kEdtfUnboundedStart), "..");
  EXPECT_EQ(FormatIsoDay(kEdtfUnboundedEnd), "..");
}

TEST(EdtfDate, Level0Precisions) {
  EXPECT_EQ(Range("1997"), "1997-01-01..1997-12-31");
  EXPECT_EQ(Range("1997-03"), "1997-03-01..1997-03-31");
  EXPECT_EQ(Range("1997-03-14"), "1997-03-14..1997-03-14");
  EXPECT_EQ(P("1997-03-14").earliest(), 9862 + 31 + 28 + 13);
  EXPECT_EQ(P("1997").precision(), EdtfPrecision::kYear);
  EXPECT_EQ(P("1997-03").precision(), EdtfPrecision::kMonth);
  EXPECT_EQ(P("1997-03-14").precision(), EdtfPrecision::kDay);
  EXPECT_FALSE(P("1997").is_interval());
  EXPECT_FALSE(P("1997").approximate());
  EXPECT_FALSE(P("1997").uncertain());
  EXPECT_EQ(P("1997").start_bound(), EdtfBound::kDate);
  EXPECT_EQ(P("1997").end_bound(), EdtfBound::kDate);
}

TEST(EdtfDate, MonthLengthsAndLeapYears) {
  EXPECT_EQ(Range("1997-02"), "1997-02-01..1997-02-28");
  EXPECT_EQ(Range("1996-02"), "1996-02-01..1996-02-29");
  EXPECT_EQ(Range("2000-02"), "2000-02-01..2000-02-29");  // divisible by 400
  EXPECT_EQ(Range("1900-02"), "1900-02-01..1900-02-28");  // divisible by 100 only
  EXPECT_EQ(Range("1997-04"), "1997-04-01..1997-04-30");
  EXPECT_EQ(Range("1997-12"), "1997-12-01..1997-12-31");
  EXPECT_TRUE(EdtfDate::Parse("1996-02-29").ok());
  EXPECT_TRUE(EdtfDate::Parse("2000-02-29").ok());
  EXPECT_FALSE(EdtfDate::Parse("1900-02-29").ok());
  EXPECT_FALSE(EdtfDate::Parse("1997-02-29").ok());
  EXPECT_FALSE(EdtfDate::Parse("1997-04-31").ok());
  EXPECT_EQ(P("1997-12-31").latest() + 1, P("1998-01-01").earliest());
}

TEST(EdtfDate, Qualifiers) {
  const EdtfDate approx = P("1997~");
  EXPECT_TRUE(approx.approximate());
  EXPECT_FALSE(approx.uncertain());
  const EdtfDate unsure = P("1997?");
  EXPECT_FALSE(unsure.approximate());
  EXPECT_TRUE(unsure.uncertain());
  const EdtfDate both = P("1997%");
  EXPECT_TRUE(both.approximate());
  EXPECT_TRUE(both.uncertain());
  EXPECT_TRUE(P("1997-03?").uncertain());
  EXPECT_TRUE(P("1997-03-14~").approximate());
  // Qualifiers do not change the range.
  EXPECT_EQ(Range("1997-03?"), "1997-03-01..1997-03-31");
  EXPECT_EQ(Range("1997~"), Range("1997"));
  EXPECT_FALSE(P("1997~") == P("1997"));
}

TEST(EdtfDate, UnspecifiedDigits) {
  EXPECT_EQ(Range("199X"), "1990-01-01..1999-12-31");
  EXPECT_EQ(Range("19XX"), "1900-01-01..1999-12-31");
  EXPECT_EQ(Range("1997-XX"), "1997-01-01..1997-12-31");
  EXPECT_EQ(Range("1997-03-XX"), "1997-03-01..1997-03-31");
  EXPECT_EQ(Range("1996-02-XX"), "1996-02-01..1996-02-29");
  EXPECT_EQ(Range("1997-XX-XX"), "1997-01-01..1997-12-31");
  EXPECT_EQ(P("199X").precision(), EdtfPrecision::kDecade);
  EXPECT_EQ(P("19XX").precision(), EdtfPrecision::kCentury);
  EXPECT_EQ(P("1997-XX").precision(), EdtfPrecision::kYear);
  EXPECT_EQ(P("1997-03-XX").precision(), EdtfPrecision::kMonth);
  EXPECT_EQ(P("1997-XX-XX").precision(), EdtfPrecision::kYear);
  EXPECT_TRUE(P("199X?").uncertain());
}

TEST(EdtfDate, Seasons) {
  EXPECT_EQ(Range("1997-21"), "1997-03-01..1997-05-31");
  EXPECT_EQ(Range("1997-22"), "1997-06-01..1997-08-31");
  EXPECT_EQ(Range("1997-23"), "1997-09-01..1997-11-30");
  EXPECT_EQ(Range("1997-24"), "1997-01-01..1998-02-28");  // both readings of winter
  EXPECT_EQ(Range("1999-24"), "1999-01-01..2000-02-29");
  EXPECT_EQ(P("1997-21").precision(), EdtfPrecision::kSeason);
  EXPECT_TRUE(P("1997-23~").approximate());
}

TEST(EdtfDate, NegativeYears) {
  EXPECT_EQ(Range("-0044-03-15"), "-0044-03-15..-0044-03-15");
  EXPECT_EQ(Range("-0044"), "-0044-01-01..-0044-12-31");
  EXPECT_EQ(Range("-019X"), "-0199-01-01..-0190-12-31");
  EXPECT_EQ(Range("0000"), "0000-01-01..0000-12-31");
  EXPECT_EQ(Range("0000-02"), "0000-02-01..0000-02-29");  // year 0 is a leap year
  EXPECT_LT(P("-0001").latest(), P("0000").earliest());
}

TEST(EdtfDate, Intervals) {
  EXPECT_EQ(Range("1997/1999"), "1997-01-01..1999-12-31");
  EXPECT_EQ(Range("1997-03/1997-06-14"), "1997-03-01..1997-06-14");
  EXPECT_EQ(Range("1997-06/1997"), "1997-06-01..1997-12-31");  // overlapping ends are fine
  EXPECT_EQ(Range("1997/1997"), "1997-01-01..1997-12-31");
  EXPECT_EQ(Range("199X/2003"), "1990-01-01..2003-12-31");
  const EdtfDate d = P("1984?/2004-06~");
  EXPECT_TRUE(d.is_interval());
  EXPECT_TRUE(d.uncertain());
  EXPECT_TRUE(d.approximate());
  EXPECT_EQ(d.precision(), EdtfPrecision::kYear);  // the coarser end
  EXPECT_EQ(P("1997-03-01/1997-03-14").precision(), EdtfPrecision::kDay);
}

TEST(EdtfDate, OpenAndUnknownEnds) {
  const EdtfDate open_start = P("../1999");
  EXPECT_EQ(open_start.start_bound(), EdtfBound::kOpen);
  EXPECT_EQ(open_start.end_bound(), EdtfBound::kDate);
  EXPECT_EQ(open_start.earliest(), kEdtfUnboundedStart);
  EXPECT_EQ(FormatIsoDay(open_start.latest()), "1999-12-31");
  EXPECT_EQ(open_start.precision(), EdtfPrecision::kYear);

  const EdtfDate open_end = P("1997/..");
  EXPECT_EQ(open_end.end_bound(), EdtfBound::kOpen);
  EXPECT_EQ(FormatIsoDay(open_end.earliest()), "1997-01-01");
  EXPECT_EQ(open_end.latest(), kEdtfUnboundedEnd);

  const EdtfDate unknown_start = P("/1999");
  EXPECT_EQ(unknown_start.start_bound(), EdtfBound::kUnknown);
  EXPECT_EQ(unknown_start.earliest(), kEdtfUnboundedStart);

  const EdtfDate unknown_end = P("1997-03-14/");
  EXPECT_EQ(unknown_end.end_bound(), EdtfBound::kUnknown);
  EXPECT_EQ(unknown_end.latest(), kEdtfUnboundedEnd);
  EXPECT_EQ(unknown_end.precision(), EdtfPrecision::kDay);
  EXPECT_FALSE(P("1997/..") == P("1997/"));
}

TEST(EdtfDate, RoundTripsCanonicalText) {
  const std::vector<std::string> canonical = {
      "1997",
      "1997-03",
      "1997-03-14",
      "0000",
      "0997-01-01",
      "9999-12-31",
      "1997~",
      "1997?",
      "1997%",
      "1997-03?",
      "1997-03-14~",
      "1997-03-14%",
      "199X",
      "19XX",
      "1997-XX",
      "1997-03-XX",
      "1997-XX-XX",
      "199X~",
      "1997-21",
      "1997-22",
      "1997-23",
      "1997-24?",
      "-0044",
      "-0044-03-15",
      "-019X",
      "1997/1999",
      "1997-03/1997-06-14",
      "../1999",
      "1997/..",
      "/1999",
      "1997/",
      "1984?/2004-06~",
      "1984~/2004%",
      "199X/20XX",
      "1997-21/1997-23",
      "-0100/0100",
      "../1997-03-14?",
  };
  for (const std::string& text : canonical) {
    auto d = EdtfDate::Parse(text);
    ASSERT_TRUE(d.ok()) << text << ": " << d.status().ToString();
    EXPECT_EQ(d->ToString(), text);
    auto again = EdtfDate::Parse(d->ToString());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *d) << text;
    EXPECT_LE(d->earliest(), d->latest()) << text;
  }
}

TEST(EdtfDate, OverlapsAndDistance) {
  EXPECT_TRUE(P("1997").Overlaps(P("1997-03-14")));
  EXPECT_TRUE(P("1997-03-14").Overlaps(P("1997")));
  EXPECT_TRUE(P("199X").Overlaps(P("1995/2003")));
  EXPECT_FALSE(P("1997-03-14").Overlaps(P("1997-03-16")));
  EXPECT_EQ(P("1997-03-14").DistanceDays(P("1997-03-16")), 2);
  EXPECT_EQ(P("1997-03-16").DistanceDays(P("1997-03-14")), 2);
  EXPECT_EQ(P("1997-03-14").DistanceDays(P("1997-03-15")), 1);
  EXPECT_EQ(P("1997").DistanceDays(P("1997-06")), 0);
  EXPECT_EQ(P("1997").DistanceDays(P("1999")), 366);  // 1997-12-31 -> 1999-01-01
  EXPECT_EQ(P("1997-24").DistanceDays(P("1998-02-15")), 0);
  EXPECT_EQ(P("1997-24").DistanceDays(P("1998-03-01")), 1);
  // Unbounded ends overlap everything on their side, with no overflow.
  EXPECT_TRUE(P("../1999").Overlaps(P("-9999")));
  EXPECT_TRUE(P("1997/").Overlaps(P("9999-12-31")));
  EXPECT_EQ(P("../1000").DistanceDays(P("1997/..")), P("1997").earliest() - P("1000").latest());
  EXPECT_FALSE(P("../1999").Overlaps(P("2000")));
  EXPECT_EQ(P("-9999-01-01").DistanceDays(P("9999-12-31")),
            static_cast<std::int64_t>(P("9999-12-31").earliest()) - P("-9999-01-01").latest());
}

TEST(EdtfDate, RejectsOutOfRangeParts) {
  EXPECT_THAT(ParseError("1997-13").message(),
              HasSubstr("month 13 out of range 01-12 (21-24 for seasons) at position 6"));
  EXPECT_THAT(ParseError("1997-00").message(), HasSubstr("month 00 out of range"));
  EXPECT_THAT(ParseError("1997-25").message(), HasSubstr("month 25 out of range"));
  EXPECT_THAT(ParseError("1997-02-31").message(),
              HasSubstr("day 31 does not exist in 1997-02 at position 9"));
  EXPECT_THAT(ParseError("1997-02-29").message(), HasSubstr("day 29 does not exist in 1997-02"));
  EXPECT_THAT(ParseError("1997-03-00").message(), HasSubstr("day 00 out of range 01-31"));
  EXPECT_THAT(ParseError("1997-03-32").message(), HasSubstr("day 32 out of range 01-31"));
  EXPECT_EQ(ParseError("1997-13").code(), ErrorCode::kInvalidInput);
}

TEST(EdtfDate, RejectsIntervalsThatRunBackwards) {
  const Status s = ParseError("1999/1997");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_THAT(s.message(), HasSubstr("interval start 1999 is after end 1997"));
  EXPECT_THAT(ParseError("1997-03-15/1997-03-14").message(),
              HasSubstr("interval start 1997-03-15 is after end 1997-03-14"));
  EXPECT_THAT(ParseError("../..").message(), HasSubstr("at least one date end"));
  EXPECT_THAT(ParseError("/").message(), HasSubstr("at least one date end"));
  EXPECT_THAT(ParseError("1997/1998/1999").message(), HasSubstr("at position 10"));
  EXPECT_THAT(ParseError("..").message(), HasSubstr("only allowed in an interval"));
  // Errors in the end of an interval count positions in the whole text.
  EXPECT_THAT(ParseError("1997/1998-13").message(), HasSubstr("month 13 out of range"));
  EXPECT_THAT(ParseError("1997/1998-13").message(), HasSubstr("at position 11"));
}

TEST(EdtfDate, RejectsMalformedTextWithPosition) {
  EXPECT_THAT(ParseError("").message(), HasSubstr("empty date"));
  EXPECT_THAT(ParseError("1997x").message(), HasSubstr("unexpected character 'x' at position 5"));
  EXPECT_THAT(ParseError("1997-03-1x").message(), HasSubstr("'x' at position 10"));
  EXPECT_THAT(ParseError("199x").message(), HasSubstr("'x' at position 4"));
  EXPECT_THAT(ParseError("199x").message(), HasSubstr("written 'X'"));
  EXPECT_THAT(ParseError("199?").message(), HasSubstr("year must have four digits"));
  EXPECT_THAT(ParseError("97").message(), HasSubstr("four digits"));
  EXPECT_THAT(ParseError("19970314").message(), HasSubstr("more than four digits"));
  EXPECT_THAT(ParseError("1997-3").message(), HasSubstr("date ends early at position 7"));
  EXPECT_THAT(ParseError("1997-").message(), HasSubstr("date ends early at position 6"));
  EXPECT_THAT(ParseError("1997-03-").message(), HasSubstr("expected a two-digit day"));
  EXPECT_THAT(ParseError(" 1997").message(), HasSubstr("a space at position 1"));
  EXPECT_THAT(ParseError("1997 ").message(), HasSubstr("a space at position 5"));
  EXPECT_THAT(ParseError("1997\xe2\x80\x93").message(), HasSubstr("byte 0xE2 at position 5"));
  EXPECT_THAT(ParseError("abc").message(), HasSubstr("'a' at position 1"));
  EXPECT_THAT(ParseError("[1997]").message(), HasSubstr("'[' at position 1"));
}

TEST(EdtfDate, RejectsUnsupportedFeaturesSayingSo) {
  EXPECT_THAT(ParseError("1997-03-14T10:00:00").message(),
              HasSubstr("times of day are not supported at position 11"));
  EXPECT_THAT(ParseError("Y170000002").message(), HasSubstr("Y-prefixed years"));
  EXPECT_THAT(ParseError("19X5").message(), HasSubstr("may only be followed by 'X'"));
  EXPECT_THAT(ParseError("1XXX").message(), HasSubstr("last one or two year digits"));
  EXPECT_THAT(ParseError("XXXX").message(), HasSubstr("last one or two year digits"));
  EXPECT_THAT(ParseError("199X-03").message(), HasSubstr("cannot have a month"));
  EXPECT_THAT(ParseError("1997-XX-14").message(), HasSubstr("EDTF level 2"));
  EXPECT_THAT(
      ParseError("1997-0X").message(),
      HasSubstr("'X' at position 7: expected a digit (an unspecified month is written XX)"));
  EXPECT_THAT(ParseError("1997-03-1X").message(), HasSubstr("unspecified day is written XX"));
  EXPECT_THAT(ParseError("1997-X3").message(), HasSubstr("'X' at position 6"));
  EXPECT_THAT(ParseError("1997-21-05").message(), HasSubstr("season cannot have a day"));
  EXPECT_THAT(ParseError("1997?-03").message(), HasSubstr("qualifier must come at the end"));
  EXPECT_THAT(ParseError("1997~?").message(), HasSubstr("at most one qualifier"));
  EXPECT_THAT(ParseError("-0000").message(), HasSubstr("-0000 does not exist"));
  EXPECT_THAT(ParseError("--1997").message(), HasSubstr("expected a four-digit year"));
}

TEST(EdtfDate, EveryErrorIsInvalidInput) {
  for (const char* bad : {"", "1997-13", "1999/1997", "1997x", "Y17000", "19X5", "../..",
                          "1997-03-14T10:00", "1997-02-30", "x/1997", "1997/x"}) {
    auto r = EdtfDate::Parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput) << bad;
    EXPECT_FALSE(r.status().message().empty());
  }
}

}  // namespace
}  // namespace memoria
