#include "core/edtf.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

namespace memoria {
namespace {

namespace chr = std::chrono;

std::int32_t DaysOf(int y, unsigned m, unsigned d) {
  const chr::sys_days sd{chr::year_month_day{chr::year{y}, chr::month{m}, chr::day{d}}};
  return static_cast<std::int32_t>(sd.time_since_epoch().count());
}

unsigned LastDayOfMonth(int y, unsigned m) {
  return static_cast<unsigned>(
      chr::year_month_day_last{chr::year{y}, chr::month_day_last{chr::month{m}}}.day());
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsQualifier(char c) { return c == '~' || c == '?' || c == '%'; }

// A character as it should appear in a message: printable ASCII quoted, anything else as a
// byte value (inputs are bytes; a multi-byte character is reported by its first byte).
std::string Describe(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7f) return std::string("'") + c + "'";
  if (c == ' ') return "a space";
  char buf[16];
  std::snprintf(buf, sizeof buf, "byte 0x%02X", u);
  return buf;
}

std::string Pos(std::size_t position) { return " at position " + std::to_string(position); }

std::string TwoDigits(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02u", v % 100);
  return buf;
}

std::string YearText(bool negative, int year_abs) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%s%04d", negative ? "-" : "", year_abs);
  return buf;
}

}  // namespace

Result<EdtfDate::Point> EdtfDate::ParsePoint(std::string_view text, std::size_t offset) {
  // pos(k): the 1-based position in the whole input of text[k].
  auto pos = [offset](std::size_t k) { return offset + k + 1; };
  const std::size_t n = text.size();
  auto unexpected = [&](std::size_t k, std::string_view expected) {
    if (k >= n) {
      return Status::InvalidInput("date ends early" + Pos(pos(k)) + ": expected " +
                                  std::string(expected));
    }
    std::string msg = "unexpected character " + Describe(text[k]) + Pos(pos(k)) + ": expected " +
                      std::string(expected);
    if (text[k] == 'x') msg += " (unspecified digits are written 'X')";
    return Status::InvalidInput(std::move(msg));
  };

  Point p;
  std::size_t i = 0;
  if (i < n && text[i] == 'Y') {
    return Status::InvalidInput("Y-prefixed years (beyond four digits) are not supported" +
                                Pos(pos(i)));
  }
  if (i < n && text[i] == '-') {
    p.negative = true;
    ++i;
  }

  // Year: exactly four characters of [0-9X], X only as the last one or two.
  const std::size_t year_start = i;
  while (i < n && (IsDigit(text[i]) || text[i] == 'X')) ++i;
  const std::size_t year_len = i - year_start;
  if (year_len < 4) {
    if (year_len == 0) return unexpected(i, "a four-digit year");
    if (i < n && text[i] != '-' && !IsQualifier(text[i])) return unexpected(i, "a digit");
    return Status::InvalidInput("year must have four digits (e.g. 0997)" + Pos(pos(year_start)));
  }
  if (year_len > 4) {
    return Status::InvalidInput(
        "year has more than four digits" + Pos(pos(year_start)) +
        "; years beyond 9999 are not supported, and dates are written YYYY-MM-DD");
  }
  int year_abs = 0;
  for (std::size_t k = year_start; k < year_start + 4; ++k) {
    if (text[k] == 'X') {
      ++p.year_unspecified;
      year_abs *= 10;
    } else {
      if (p.year_unspecified > 0) {
        return Status::InvalidInput("unspecified digit 'X' may only be followed by 'X'" +
                                    Pos(pos(k)) + " (other positions are EDTF level 2)");
      }
      year_abs = year_abs * 10 + (text[k] - '0');
    }
  }
  if (p.year_unspecified > 2) {
    return Status::InvalidInput("only the last one or two year digits may be 'X' (e.g. 19XX)" +
                                Pos(pos(year_start)));
  }
  if (p.negative && year_abs == 0 && p.year_unspecified == 0) {
    return Status::InvalidInput("year -0000 does not exist; write 0000" + Pos(pos(0)));
  }
  p.year_digits = static_cast<std::int16_t>(year_abs);

  // Month or season.
  if (i < n && text[i] == '-') {
    ++i;
    const std::size_t m = i;
    if (p.year_unspecified > 0) {
      return Status::InvalidInput("a year with unspecified digits cannot have a month" +
                                  Pos(pos(m)) + " (EDTF level 2)");
    }
    if (m + 1 < n && text[m] == 'X' && text[m + 1] == 'X') {
      p.month_unspecified = true;
    } else if (m + 1 < n && IsDigit(text[m]) && IsDigit(text[m + 1])) {
      const unsigned v = static_cast<unsigned>((text[m] - '0') * 10 + (text[m + 1] - '0'));
      if (!((v >= 1 && v <= 12) || (v >= 21 && v <= 24))) {
        return Status::InvalidInput("month " + TwoDigits(v) +
                                    " out of range 01-12 (21-24 for seasons)" + Pos(pos(m)));
      }
      p.month = static_cast<std::uint8_t>(v);
    } else {
      const std::size_t bad = m < n && IsDigit(text[m]) ? m + 1 : m;
      if (bad < n && text[bad] == 'X') {
        return unexpected(bad, "a digit (an unspecified month is written XX)");
      }
      return unexpected(bad, "a two-digit month");
    }
    i = m + 2;

    // Day.
    if (i < n && text[i] == '-') {
      ++i;
      const std::size_t d = i;
      if (p.month > 12) {
        return Status::InvalidInput("a season cannot have a day" + Pos(pos(d)));
      }
      if (d + 1 < n && text[d] == 'X' && text[d + 1] == 'X') {
        p.day_unspecified = true;
      } else if (d + 1 < n && IsDigit(text[d]) && IsDigit(text[d + 1])) {
        const unsigned v = static_cast<unsigned>((text[d] - '0') * 10 + (text[d + 1] - '0'));
        if (p.month_unspecified) {
          return Status::InvalidInput("a known day in an unspecified month (YYYY-XX-DD)" +
                                      Pos(pos(d)) + " is EDTF level 2, not supported");
        }
        if (v < 1 || v > 31) {
          return Status::InvalidInput("day " + TwoDigits(v) + " out of range 01-31" + Pos(pos(d)));
        }
        const int y = p.negative ? -year_abs : year_abs;
        if (v > LastDayOfMonth(y, p.month)) {
          return Status::InvalidInput("day " + TwoDigits(v) + " does not exist in " +
                                      YearText(p.negative, year_abs) + "-" + TwoDigits(p.month) +
                                      Pos(pos(d)));
        }
        p.day = static_cast<std::uint8_t>(v);
      } else {
        const std::size_t bad = d < n && IsDigit(text[d]) ? d + 1 : d;
        if (bad < n && text[bad] == 'X') {
          return unexpected(bad, "a digit (an unspecified day is written XX)");
        }
        return unexpected(bad, "a two-digit day");
      }
      i = d + 2;
    }
  }

  // Qualifier, which at level 1 applies to the whole date and comes last.
  if (i < n && IsQualifier(text[i])) {
    p.approximate = text[i] == '~' || text[i] == '%';
    p.uncertain = text[i] == '?' || text[i] == '%';
    ++i;
  }
  if (i < n) {
    const char c = text[i];
    if (c == 'T' && p.day != 0) {
      return Status::InvalidInput("times of day are not supported" + Pos(pos(i)) +
                                  "; give the date only");
    }
    if (IsQualifier(c)) {
      return Status::InvalidInput("a date takes at most one qualifier (~ ? or %)" + Pos(pos(i)));
    }
    if (i > 0 && IsQualifier(text[i - 1]) && (c == '-' || IsDigit(c) || c == 'X')) {
      return Status::InvalidInput("a qualifier must come at the end of the date" + Pos(pos(i - 1)) +
                                  " (qualifying a part is EDTF level 2)");
    }
    return unexpected(i, "end of date");
  }

  // The day range.
  const int span = p.year_unspecified == 0 ? 1 : (p.year_unspecified == 1 ? 10 : 100);
  const int ymin = p.negative ? -(year_abs + span - 1) : year_abs;
  const int ymax = p.negative ? -year_abs : year_abs + span - 1;
  if (p.month == 0 || p.month_unspecified) {
    p.earliest = DaysOf(ymin, 1, 1);
    p.latest = DaysOf(ymax, 12, 31);
  } else if (p.month > 12) {
    const int y = ymin;  // seasons only occur with a fully specified year
    switch (p.month) {
      case 21:
        p.earliest = DaysOf(y, 3, 1);
        p.latest = DaysOf(y, 5, 31);
        break;
      case 22:
        p.earliest = DaysOf(y, 6, 1);
        p.latest = DaysOf(y, 8, 31);
        break;
      case 23:
        p.earliest = DaysOf(y, 9, 1);
        p.latest = DaysOf(y, 11, 30);
        break;
      default:  // 24, winter: Jan-Feb of y through Dec y - Feb y+1
        p.earliest = DaysOf(y, 1, 1);
        p.latest = DaysOf(y + 1, 2, LastDayOfMonth(y + 1, 2));
        break;
    }
  } else if (p.day == 0) {
    p.earliest = DaysOf(ymin, p.month, 1);
    p.latest = DaysOf(ymin, p.month, LastDayOfMonth(ymin, p.month));
  } else {
    p.earliest = p.latest = DaysOf(ymin, p.month, p.day);
  }
  return p;
}

Result<EdtfDate> EdtfDate::Parse(std::string_view text) {
  if (text.empty()) return Status::InvalidInput("empty date");
  EdtfDate date;
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    if (text == "..") {
      return Status::InvalidInput(
          "'..' (an open end) is only allowed in an interval, e.g. ../1999");
    }
    MEMORIA_ASSIGN_OR_RETURN(date.start_, ParsePoint(text, 0));
    date.end_ = date.start_;
    return date;
  }
  if (const std::size_t again = text.find('/', slash + 1); again != std::string_view::npos) {
    return Status::InvalidInput("an interval has one '/', found another" + Pos(again + 1));
  }
  date.interval_ = true;
  auto parse_end = [](std::string_view part, std::size_t offset, bool is_start) -> Result<Point> {
    Point p;
    if (part.empty() || part == "..") {
      p.bound = part.empty() ? EdtfBound::kUnknown : EdtfBound::kOpen;
      p.earliest = p.latest = is_start ? kEdtfUnboundedStart : kEdtfUnboundedEnd;
      return p;
    }
    return ParsePoint(part, offset);
  };
  MEMORIA_ASSIGN_OR_RETURN(date.start_, parse_end(text.substr(0, slash), 0, true));
  MEMORIA_ASSIGN_OR_RETURN(date.end_, parse_end(text.substr(slash + 1), slash + 1, false));
  if (date.start_.bound != EdtfBound::kDate && date.end_.bound != EdtfBound::kDate) {
    return Status::InvalidInput("an interval needs at least one date end, e.g. 1997/.. or /1999");
  }
  if (date.start_.bound == EdtfBound::kDate && date.end_.bound == EdtfBound::kDate &&
      date.start_.earliest > date.end_.latest) {
    return Status::InvalidInput("interval start " + PointToString(date.start_) + " is after end " +
                                PointToString(date.end_));
  }
  return date;
}

std::string EdtfDate::PointToString(const Point& p) {
  switch (p.bound) {
    case EdtfBound::kOpen:
      return "..";
    case EdtfBound::kUnknown:
      return "";
    case EdtfBound::kDate:
      break;
  }
  std::string out = YearText(p.negative, p.year_digits);
  for (std::size_t k = 0; k < p.year_unspecified; ++k) out[out.size() - 1 - k] = 'X';
  if (p.month != 0 || p.month_unspecified) {
    out += p.month_unspecified ? std::string("-XX") : "-" + TwoDigits(p.month);
    if (p.day != 0 || p.day_unspecified) {
      out += p.day_unspecified ? std::string("-XX") : "-" + TwoDigits(p.day);
    }
  }
  if (p.approximate && p.uncertain) {
    out += '%';
  } else if (p.approximate) {
    out += '~';
  } else if (p.uncertain) {
    out += '?';
  }
  return out;
}

std::string EdtfDate::ToString() const {
  if (!interval_) return PointToString(start_);
  return PointToString(start_) + "/" + PointToString(end_);
}

EdtfPrecision EdtfDate::PointPrecision(const Point& p) {
  if (p.year_unspecified == 2) return EdtfPrecision::kCentury;
  if (p.year_unspecified == 1) return EdtfPrecision::kDecade;
  if (p.month == 0 || p.month_unspecified) return EdtfPrecision::kYear;
  if (p.month > 12) return EdtfPrecision::kSeason;
  if (p.day == 0 || p.day_unspecified) return EdtfPrecision::kMonth;
  return EdtfPrecision::kDay;
}

EdtfPrecision EdtfDate::precision() const {
  if (!interval_) return PointPrecision(start_);
  if (start_.bound != EdtfBound::kDate) return PointPrecision(end_);
  if (end_.bound != EdtfBound::kDate) return PointPrecision(start_);
  return std::max(PointPrecision(start_), PointPrecision(end_));
}

bool EdtfDate::approximate() const { return start_.approximate || end_.approximate; }
bool EdtfDate::uncertain() const { return start_.uncertain || end_.uncertain; }

bool EdtfDate::Overlaps(const EdtfDate& other) const {
  return earliest() <= other.latest() && other.earliest() <= latest();
}

std::int64_t EdtfDate::DistanceDays(const EdtfDate& other) const {
  if (Overlaps(other)) return 0;
  if (latest() < other.earliest()) {
    return static_cast<std::int64_t>(other.earliest()) - latest();
  }
  return static_cast<std::int64_t>(earliest()) - other.latest();
}

std::string FormatIsoDay(std::int32_t days_since_epoch) {
  if (days_since_epoch == kEdtfUnboundedStart || days_since_epoch == kEdtfUnboundedEnd) {
    return "..";
  }
  const chr::year_month_day ymd{chr::sys_days{chr::days{days_since_epoch}}};
  const int y = static_cast<int>(ymd.year());
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%04d-%02u-%02u", y < 0 ? "-" : "", y < 0 ? -y : y,
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace memoria
