#include "linkage/comparison.h"

#include <fmt/format.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <functional>
#include <memory>
#include <unordered_map>

#include "core/edtf.h"
#include "linkage/korean.h"
#include "linkage/string_metrics.h"

namespace memoria::linkage {
namespace {

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// Parses an integer field; false if empty or not a number.
bool ParseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

// Interns values: equal strings get equal ids (1-based; 0 = missing).
class Interner {
 public:
  std::uint32_t Id(std::string_view v) {
    if (v.empty()) return 0;
    auto [it, ins] = ids_.emplace(std::string(v), static_cast<std::uint32_t>(ids_.size() + 1));
    if (ins) order_.push_back(&it->first);
    return it->second;
  }
  std::size_t size() const { return ids_.size(); }
  // The value of id (1-based).
  const std::string& Value(std::uint32_t id) const { return *order_[id - 1]; }

 private:
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::vector<const std::string*> order_;
};

// A string column: a value id per record, the distinct values decoded to code points once.
struct Strings {
  std::vector<std::uint32_t> id;   // per record; 0 = missing
  std::vector<std::uint32_t> id2;  // swapped level: id of columns[1] (same dictionary)
  std::vector<std::uint32_t> offset{0};
  std::u32string chars;
  std::vector<std::uint32_t> count;  // records holding each value id (column 0), index id - 1

  void AddValues(const Interner& dict) {
    for (std::uint32_t v = static_cast<std::uint32_t>(offset.size()); v <= dict.size(); ++v) {
      chars += DecodeUtf8(dict.Value(v));
      offset.push_back(static_cast<std::uint32_t>(chars.size()));
    }
  }
  // Code points of value id (1-based).
  std::u32string_view View(std::uint32_t v) const {
    return std::u32string_view(chars).substr(offset[v - 1], offset[v] - offset[v - 1]);
  }
};

// A date per record with everything the levels need, so no calendar arithmetic per pair.
struct DateRec {
  std::int32_t earliest = 0;
  std::int32_t latest = 0;
  std::int32_t month_lo = 0;  // month index (year * 12 + month - 1) of earliest / latest
  std::int32_t month_hi = 0;
  std::int32_t year_lo = 0;
  std::int32_t year_hi = 0;
  std::uint32_t id = 0;  // interned text; 0 = missing or unparseable
};

struct KoreanFeatures {
  std::vector<std::uint32_t> full_id;      // normalised family|given; 0 = missing
  std::vector<std::uint32_t> surname_off;  // surname candidate ids, flat
  std::vector<std::uint32_t> surname_ids;
  std::vector<std::uint32_t> given_pid;  // phonetic key of the given name; 0 = missing
  std::vector<std::uint32_t> given_id;   // index+1 into `givens`; 0 = missing
  std::vector<GivenNameKey> givens;      // distinct prepared given names
  std::vector<std::uint8_t> has_family;
  std::vector<std::uint8_t> has_given;
  std::vector<std::uint32_t> tf_key;  // the most frequent surname candidate's id; 0 = none
};

// Lazily filled level per pair of distinct values (level + 1; 0 = not yet computed), for
// string comparisons whose columns have few distinct values (codes, places): each value pair
// is compared once, then looked up. Levels are a pure function of the two values, so the
// result is the same whichever thread fills an entry.
constexpr std::size_t kMaxCachedValues = 2048;

struct Prepared {
  Comparison spec;
  int num_levels = 0;
  bool needs_family = false;  // korean: null when the family name is missing
  bool needs_given = false;   // korean: null when the given name is missing
  Strings s;                  // kString
  std::uint32_t cache_dim = 0;
  std::unique_ptr<std::atomic<std::uint8_t>[]> cache;
  std::vector<DateRec> dates;  // kDate
  std::vector<double> num;     // kNumeric
  std::vector<std::uint8_t> num_ok;
  std::shared_ptr<const KoreanFeatures> kn;
  // kAgreement: per column, a value id per record (0 = missing), interned per column.
  std::vector<std::vector<std::uint32_t>> multi;
  // Term frequencies: relative frequency per record of its value (0 when missing).
  std::vector<float> tf;
};

}  // namespace

std::string NormalizeText(std::string_view s, Normalize mode) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (mode == Normalize::kNone || s.empty()) return std::string(s);
  std::string folded;
  if (IsAscii(s)) {
    folded.resize(s.size());
    std::transform(s.begin(), s.end(), folded.begin(), [](unsigned char c) {
      return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
  } else {
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(err);
    if (U_FAILURE(err)) return std::string(s);
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
    icu::UnicodeString n = nfkc_cf->normalize(u, err);
    if (U_FAILURE(err)) return std::string(s);
    n.toUTF8String(folded);
  }
  if (mode == Normalize::kLower) return CollapseSpaces(folded);
  // kAlnum: keep ASCII letters/digits and every non-ASCII code point (letters of other scripts).
  std::string out;
  for (unsigned char c : folded) {
    if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

// Howard Hinnant's days_from_civil.
std::int32_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

int YearOfDay(std::int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return y + (m <= 2);
}

namespace {

int MonthIndexOfDay(std::int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return (y + (m <= 2)) * 12 + static_cast<int>(m) - 1;
}

bool ValidDay(int y, int m, int d) {
  if (m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int dim = kDays[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) dim = 29;
  return d <= dim;
}

}  // namespace

DayRange ParseYmd(std::string_view ys, std::string_view ms, std::string_view ds) {
  DayRange r;
  int y = 0, m = 0, d = 0;
  if (!ParseInt(ys, y) || y < -9999 || y > 9999) return r;
  bool has_m = ParseInt(ms, m) && m >= 1 && m <= 12;
  bool has_d = has_m && ParseInt(ds, d) && ValidDay(y, m, d);
  r.valid = true;
  if (has_d) {
    r.earliest = r.latest = DaysFromCivil(y, m, d);
  } else if (has_m) {
    r.earliest = DaysFromCivil(y, m, 1);
    r.latest = (m == 12 ? DaysFromCivil(y + 1, 1, 1) : DaysFromCivil(y, m + 1, 1)) - 1;
  } else {
    r.earliest = DaysFromCivil(y, 1, 1);
    r.latest = DaysFromCivil(y + 1, 1, 1) - 1;
  }
  return r;
}

DayRange ParseDayRange(std::string_view text, std::string_view format) {
  DayRange r;
  if (text.empty()) return r;
  if (format == "yyyymmdd") {
    if (text.size() != 8) return r;
    int y = 0, m = 0, d = 0;
    if (!ParseInt(text.substr(0, 4), y) || !ParseInt(text.substr(4, 2), m) ||
        !ParseInt(text.substr(6, 2), d) || !ValidDay(y, m, d)) {
      return r;
    }
    r.valid = true;
    r.earliest = r.latest = DaysFromCivil(y, m, d);
    return r;
  }
  auto parsed = EdtfDate::Parse(text);
  if (!parsed.ok()) return r;
  // Open-ended intervals carry no usable range for comparison.
  if (parsed->earliest() == kEdtfUnboundedStart || parsed->latest() == kEdtfUnboundedEnd) {
    return r;
  }
  r.valid = true;
  r.earliest = parsed->earliest();
  r.latest = parsed->latest();
  return r;
}

NameParts ExtractKoreanName(std::string_view full, std::string_view family,
                            std::string_view given) {
  NameParts out;
  if (!family.empty() || !given.empty()) {
    out.family = std::string(family);
    out.given = std::string(given);
    return out;
  }
  if (full.empty()) return out;
  auto parsed = ParseKoreanName(full);
  if (parsed.ok()) {
    out.family = parsed->family;
    out.given = parsed->given;
  }
  return out;
}

struct Comparator::Impl {
  const RecordTable* table = nullptr;
  std::vector<Prepared> comps;
  std::unordered_map<std::string, std::uint32_t> surname_ids;
  // Korean name features per column list, shared by the comparisons that read the same columns.
  std::vector<std::pair<std::vector<std::string>, std::shared_ptr<const KoreanFeatures>>> korean;
  std::uint64_t generation = 0;  // identifies this comparator in per-thread caches

  Status Prepare(const Comparison& c, Prepared& p);
  std::shared_ptr<const KoreanFeatures> Korean(
      const std::vector<std::string>& names,
      const std::vector<const std::vector<std::string>*>& cols);
  void ComputeTf(Prepared& p, const std::vector<std::uint32_t>& keys);
  int StringLevel(const Prepared& p, std::uint32_t va, std::uint32_t vb) const;
  double GivenSimilarity(const KoreanFeatures& k, std::uint32_t ga, std::uint32_t gb) const;
  int Level(const Prepared& p, std::uint32_t a, std::uint32_t b) const;
};

std::shared_ptr<const KoreanFeatures> Comparator::Impl::Korean(
    const std::vector<std::string>& names,
    const std::vector<const std::vector<std::string>*>& cols) {
  for (const auto& [n, f] : korean) {
    if (n == names) return f;
  }
  const std::size_t n = table->size();
  auto k = std::make_shared<KoreanFeatures>();
  k->surname_off.reserve(n + 1);
  k->surname_off.push_back(0);
  Interner full_ids, phonetic_ids, given_ids;
  // Records with the same name columns share their features (names repeat a lot).
  std::unordered_map<std::string, std::uint32_t> seen;  // column values -> first record
  std::string key;
  for (std::size_t r = 0; r < n; ++r) {
    std::string_view full = (*cols[0])[r];
    std::string_view fam = cols.size() == 3 ? std::string_view((*cols[1])[r]) : "";
    std::string_view giv = cols.size() == 3 ? std::string_view((*cols[2])[r]) : "";
    key.assign(full).append("\x1f").append(fam).append("\x1f").append(giv);
    auto [it, ins] = seen.emplace(key, static_cast<std::uint32_t>(r));
    if (!ins) {
      const std::uint32_t q = it->second;
      k->has_family.push_back(k->has_family[q]);
      k->has_given.push_back(k->has_given[q]);
      k->full_id.push_back(k->full_id[q]);
      k->surname_ids.insert(k->surname_ids.end(), k->surname_ids.begin() + k->surname_off[q],
                            k->surname_ids.begin() + k->surname_off[q + 1]);
      k->surname_off.push_back(static_cast<std::uint32_t>(k->surname_ids.size()));
      k->tf_key.push_back(k->tf_key[q]);
      k->given_pid.push_back(k->given_pid[q]);
      k->given_id.push_back(k->given_id[q]);
      continue;
    }
    NameParts parts = ExtractKoreanName(full, fam, giv);
    const std::string& family = parts.family;
    const std::string& given = parts.given;
    std::string nf = NormalizeName(family), ng = NormalizeName(given);
    k->has_family.push_back(!nf.empty());
    k->has_given.push_back(!ng.empty());
    k->full_id.push_back(nf.empty() && ng.empty() ? 0 : full_ids.Id(nf + "|" + ng));
    std::vector<SurnameKey> cands =
        nf.empty() ? std::vector<SurnameKey>{} : SurnameCandidates(family);
    if (cands.empty() && !nf.empty()) cands.push_back("?" + PhoneticKey(nf));
    std::uint32_t first_key = 0;
    for (const auto& s : cands) {
      auto [sit, sins] = surname_ids.emplace(s, static_cast<std::uint32_t>(surname_ids.size() + 1));
      k->surname_ids.push_back(sit->second);
      if (first_key == 0) first_key = sit->second;
    }
    std::sort(k->surname_ids.begin() + k->surname_off.back(), k->surname_ids.end());
    k->surname_off.push_back(static_cast<std::uint32_t>(k->surname_ids.size()));
    k->tf_key.push_back(first_key);
    k->given_pid.push_back(ng.empty() ? 0 : phonetic_ids.Id(PhoneticKey(given)));
    std::uint32_t gid = 0;
    if (!ng.empty()) {
      GivenNameKey g = PrepareGivenName(given);
      // Equal prepared keys share an id (their similarity to anything is the same).
      std::string sig;
      auto put = [&](const std::vector<GivenNameKey::Syllable>& v) {
        for (const auto& s : v) {
          sig.push_back(static_cast<char>(s.onset));
          sig.push_back(static_cast<char>(s.vowel));
          sig.push_back(static_cast<char>(s.coda));
        }
        sig.push_back('\xff');
      };
      put(g.syllables);
      sig.push_back(g.segmented ? '1' : '0');
      for (const auto& rc : g.recuts) put(rc);
      const std::size_t before = given_ids.size();
      gid = given_ids.Id(sig);
      if (given_ids.size() > before) k->givens.push_back(std::move(g));
    }
    k->given_id.push_back(gid);
  }
  korean.emplace_back(names, k);
  return k;
}

Status Comparator::Impl::Prepare(const Comparison& c, Prepared& p) {
  p.spec = c;
  p.num_levels = static_cast<int>(c.levels.size()) + 2;
  const std::size_t n = table->size();
  std::vector<const std::vector<std::string>*> cols;
  for (const auto& name : c.columns) {
    int idx = table->Column(name);
    if (idx < 0) {
      Status s = Status::InvalidInput("column '" + name + "' is not in the input");
      s.At("settings", 0, "comparisons." + c.name);
      return s;
    }
    cols.push_back(&table->columns[idx]);
  }
  switch (c.kind) {
    case ValueKind::kString: {
      Interner dict;
      std::unordered_map<std::string_view, std::uint32_t> raw;  // raw value -> id
      auto intern = [&](const std::string& v) {
        auto it = raw.find(v);
        if (it != raw.end()) return it->second;
        std::uint32_t id = dict.Id(NormalizeText(v, c.normalize));
        raw.emplace(v, id);
        return id;
      };
      p.s.id.reserve(n);
      for (std::size_t r = 0; r < n; ++r) p.s.id.push_back(intern((*cols[0])[r]));
      bool swapped = false;
      for (const auto& l : c.levels) swapped = swapped || l.type == Level::Type::kSwapped;
      if (cols.size() > 1) {
        raw.clear();
        p.s.id2.reserve(n);
        for (std::size_t r = 0; r < n; ++r) p.s.id2.push_back(intern((*cols[1])[r]));
      }
      p.s.AddValues(dict);
      p.s.count.assign(dict.size(), 0);
      for (std::uint32_t v : p.s.id) {
        if (v != 0) ++p.s.count[v - 1];
      }
      if (!swapped && dict.size() <= kMaxCachedValues) {
        p.cache_dim = static_cast<std::uint32_t>(dict.size());
        p.cache.reset(new std::atomic<std::uint8_t>[std::size_t{p.cache_dim} * p.cache_dim]());
      }
      ComputeTf(p, p.s.id);
      break;
    }
    case ValueKind::kDate: {
      Interner dict;
      std::vector<std::uint32_t> keys;
      p.dates.reserve(n);
      for (std::size_t r = 0; r < n; ++r) {
        DayRange d;
        std::string text;
        if (c.date_format == "ymd") {
          d = ParseYmd((*cols[0])[r], (*cols[1])[r], (*cols[2])[r]);
          text = (*cols[0])[r] + "-" + (*cols[1])[r] + "-" + (*cols[2])[r];
        } else {
          d = ParseDayRange((*cols[0])[r], c.date_format);
          text = (*cols[0])[r];
        }
        DateRec rec;
        if (d.valid) {
          rec.earliest = d.earliest;
          rec.latest = d.latest;
          rec.month_lo = MonthIndexOfDay(d.earliest);
          rec.month_hi = MonthIndexOfDay(d.latest);
          rec.year_lo = YearOfDay(d.earliest);
          rec.year_hi = YearOfDay(d.latest);
          rec.id = dict.Id(text.empty() ? std::string("\x1f") : text);
        }
        p.dates.push_back(rec);
        keys.push_back(rec.id);
      }
      ComputeTf(p, keys);
      break;
    }
    case ValueKind::kNumeric: {
      Interner dict;
      std::vector<std::uint32_t> keys;
      for (std::size_t r = 0; r < n; ++r) {
        const std::string& v = (*cols[0])[r];
        double x = 0;
        auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
        bool ok = !v.empty() && ec == std::errc() && ptr == v.data() + v.size();
        p.num.push_back(ok ? x : 0);
        p.num_ok.push_back(ok ? 1 : 0);
        keys.push_back(ok ? dict.Id(v) : 0);
      }
      ComputeTf(p, keys);
      break;
    }
    case ValueKind::kKoreanName: {
      bool only_family = true, only_given = true;
      for (const auto& l : c.levels) {
        bool fam = l.type == Level::Type::kSurnameMatch;
        bool giv = l.type == Level::Type::kGivenPhonetic || l.type == Level::Type::kGivenSimilarity;
        only_family = only_family && fam;
        only_given = only_given && giv;
      }
      p.needs_family = only_family;
      p.needs_given = only_given;
      p.kn = Korean(c.columns, cols);
      // Term frequency on the surname (the most frequent candidate).
      ComputeTf(p, p.kn->tf_key);
      break;
    }
    case ValueKind::kAgreement: {
      p.multi.resize(cols.size());
      for (std::size_t k = 0; k < cols.size(); ++k) {
        Interner dict;
        std::unordered_map<std::string_view, std::uint32_t> raw;
        p.multi[k].reserve(n);
        for (std::size_t r = 0; r < n; ++r) {
          const std::string& v = (*cols[k])[r];
          auto it = raw.find(v);
          std::uint32_t id = 0;
          if (it != raw.end()) {
            id = it->second;
          } else {
            id = dict.Id(NormalizeText(v, c.normalize));
            raw.emplace(v, id);
          }
          p.multi[k].push_back(id);
        }
      }
      break;
    }
  }
  return Status::Ok();
}

void Comparator::Impl::ComputeTf(Prepared& p, const std::vector<std::uint32_t>& keys) {
  if (!p.spec.term_frequency) return;
  std::unordered_map<std::uint32_t, std::uint32_t> counts;
  std::size_t nonnull = 0;
  for (auto k : keys) {
    if (k != 0) {
      ++counts[k];
      ++nonnull;
    }
  }
  p.tf.resize(keys.size());
  for (std::size_t r = 0; r < keys.size(); ++r) {
    p.tf[r] = keys[r] == 0 ? 0.0f
                           : static_cast<float>(static_cast<double>(counts[keys[r]]) /
                                                static_cast<double>(nonnull));
  }
}

namespace {

bool Intersects(const std::uint32_t* a, const std::uint32_t* ae, const std::uint32_t* b,
                const std::uint32_t* be) {
  while (a != ae && b != be) {
    if (*a == *b) return true;
    if (*a < *b) {
      ++a;
    } else {
      ++b;
    }
  }
  return false;
}

// An upper bound of JaroWinkler(a, b) (default options) that costs a few comparisons: Jaro is
// at most (1 + 1 + min/max) / 3 (every code point of the shorter string matched, no
// transposition), and the Winkler boost increases with Jaro, with the common prefix (at most
// 4 code points) known exactly. A small margin keeps the bound above the computed value.
double JaroWinklerUpperBound(std::u32string_view a, std::u32string_view b) {
  const std::size_t n = a.size(), m = b.size();
  if (n == 0 || m == 0) return n == m ? 1.0 : 0.0;
  const double shorter = static_cast<double>(std::min(n, m));
  const double longer = static_cast<double>(std::max(n, m));
  const double j = (1.0 + 1.0 + shorter / longer) / 3.0;
  const JaroWinklerOptions o;
  const std::size_t limit = std::min({n, m, static_cast<std::size_t>(o.max_prefix)});
  std::size_t l = 0;
  while (l < limit && a[l] == b[l]) ++l;
  const double jw =
      j > o.boost_threshold ? j + static_cast<double>(l) * o.prefix_scale * (1 - j) : j;
  return std::min(jw, 1.0) + 1e-9;
}

// Similarities of prepared given names, cached per thread: (comparator, id a, id b) -> value.
struct GivenCache {
  static constexpr std::size_t kSize = 1 << 15;
  std::uint64_t generation = 0;
  std::vector<std::uint64_t> keys;
  std::vector<double> values;
};

std::atomic<std::uint64_t> next_generation{1};

}  // namespace

int Comparator::Impl::StringLevel(const Prepared& p, std::uint32_t va, std::uint32_t vb) const {
  const Comparison& c = p.spec;
  const int n = static_cast<int>(c.levels.size());
  std::u32string_view sa = p.s.View(va), sb = p.s.View(vb);
  double jw = -1, jaro = -1, jw_bound = -1;
  for (int i = 0; i < n; ++i) {
    const auto& l = c.levels[i];
    bool hit = false;
    // The rarer value's occurrences (a value only in columns[1] counts 0).
    if (l.rarer_max_count > 0 &&
        std::min(p.s.count[va - 1], p.s.count[vb - 1]) > l.rarer_max_count) {
      continue;
    }
    switch (l.type) {
      case Level::Type::kExact:
        hit = va == vb;
        break;
      case Level::Type::kJaroWinkler:
        if (jw < 0) {
          if (jw_bound < 0) jw_bound = JaroWinklerUpperBound(sa, sb);
          if (jw_bound < l.threshold) break;  // cannot reach this level
          jw = JaroWinkler(sa, sb);
        }
        hit = jw >= l.threshold;
        break;
      case Level::Type::kJaro:
        if (jaro < 0) jaro = Jaro(sa, sb);
        hit = jaro >= l.threshold;
        break;
      case Level::Type::kLevenshtein: {
        const int k = static_cast<int>(l.max);
        const std::size_t d = sa.size() > sb.size() ? sa.size() - sb.size() : sb.size() - sa.size();
        hit = d <= static_cast<std::size_t>(std::max(k, 0)) && Levenshtein(sa, sb, k) <= k;
        break;
      }
      case Level::Type::kDamerau: {
        const int k = static_cast<int>(l.max);
        const std::size_t d = sa.size() > sb.size() ? sa.size() - sb.size() : sb.size() - sa.size();
        hit = d <= static_cast<std::size_t>(std::max(k, 0)) && DamerauOsa(sa, sb, k) <= k;
        break;
      }
      default:
        break;
    }
    if (hit) return i + 1;
  }
  return n + 1;
}

double Comparator::Impl::GivenSimilarity(const KoreanFeatures& k, std::uint32_t ga,
                                         std::uint32_t gb) const {
  if (ga == gb) return GivenNameSimilarity(k.givens[ga - 1], k.givens[gb - 1]);
  thread_local GivenCache cache;
  if (cache.generation != generation) {
    cache.generation = generation;
    cache.keys.assign(GivenCache::kSize, 0);
    cache.values.assign(GivenCache::kSize, 0.0);
  }
  const std::uint64_t key = std::uint64_t{ga} << 32 | gb;  // never 0: ids are >= 1
  const std::size_t slot = static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 49);
  if (cache.keys[slot] == key) return cache.values[slot];
  const double s = GivenNameSimilarity(k.givens[ga - 1], k.givens[gb - 1]);
  cache.keys[slot] = key;
  cache.values[slot] = s;
  return s;
}

int Comparator::Impl::Level(const Prepared& p, std::uint32_t a, std::uint32_t b) const {
  const Comparison& c = p.spec;
  const int n = static_cast<int>(c.levels.size());
  switch (c.kind) {
    case ValueKind::kString: {
      const std::uint32_t va = p.s.id[a], vb = p.s.id[b];
      if (va == 0 || vb == 0) return 0;
      if (p.cache) {
        std::atomic<std::uint8_t>& e = p.cache[std::size_t{va - 1} * p.cache_dim + (vb - 1)];
        std::uint8_t v = e.load(std::memory_order_relaxed);
        if (v != 0) return v - 1;
        const int level = StringLevel(p, va, vb);
        e.store(static_cast<std::uint8_t>(level + 1), std::memory_order_relaxed);
        return level;
      }
      // Swapped is the one level that looks at the second column, so it is checked here.
      for (int i = 0; i < n; ++i) {
        const auto& l = c.levels[i];
        if (l.type == Level::Type::kSwapped) {
          if (p.s.id2[a] != 0 && p.s.id2[b] != 0 && va == p.s.id2[b] && vb == p.s.id2[a]) {
            // Only if no earlier level holds.
            const int earlier = StringLevel(p, va, vb);
            return std::min(earlier, i + 1);
          }
        }
      }
      return StringLevel(p, va, vb);
    }
    case ValueKind::kDate: {
      const DateRec& da = p.dates[a];
      const DateRec& db = p.dates[b];
      if (da.id == 0 || db.id == 0) return 0;
      for (int i = 0; i < n; ++i) {
        const auto& l = c.levels[i];
        bool hit = false;
        switch (l.type) {
          case Level::Type::kExact:
            hit = da.id == db.id;
            break;
          case Level::Type::kDateWithinDays: {
            std::int64_t gap = std::max<std::int64_t>(
                0, std::max<std::int64_t>(std::int64_t{da.earliest} - db.latest,
                                          std::int64_t{db.earliest} - da.latest));
            hit = static_cast<double>(gap) <= l.max;
            break;
          }
          case Level::Type::kDateSameMonth:
            hit = da.month_lo <= db.month_hi && db.month_lo <= da.month_hi;
            break;
          case Level::Type::kDateYearsWithin: {
            int gap = std::max(0, std::max(da.year_lo - db.year_hi, db.year_lo - da.year_hi));
            hit = gap <= l.max;
            break;
          }
          default:
            break;
        }
        if (hit) return i + 1;
      }
      return n + 1;
    }
    case ValueKind::kNumeric: {
      if (!p.num_ok[a] || !p.num_ok[b]) return 0;
      double d = std::fabs(p.num[a] - p.num[b]);
      for (int i = 0; i < n; ++i) {
        const auto& l = c.levels[i];
        if ((l.type == Level::Type::kExact && d == 0) ||
            (l.type == Level::Type::kNumericWithin && d <= l.max)) {
          return i + 1;
        }
      }
      return n + 1;
    }
    case ValueKind::kKoreanName: {
      const auto& k = *p.kn;
      if (k.full_id[a] == 0 || k.full_id[b] == 0) return 0;
      bool fam = k.has_family[a] && k.has_family[b];
      bool giv = k.has_given[a] && k.has_given[b];
      if (p.needs_family && !fam) return 0;
      if (p.needs_given && !giv) return 0;
      auto surname = [&] {
        return fam && Intersects(k.surname_ids.data() + k.surname_off[a],
                                 k.surname_ids.data() + k.surname_off[a + 1],
                                 k.surname_ids.data() + k.surname_off[b],
                                 k.surname_ids.data() + k.surname_off[b + 1]);
      };
      double gs = -1;
      for (int i = 0; i < n; ++i) {
        const auto& l = c.levels[i];
        bool hit = false;
        switch (l.type) {
          case Level::Type::kExact:
            hit = k.full_id[a] == k.full_id[b];
            break;
          case Level::Type::kSurnameMatch:
            hit = surname();
            break;
          case Level::Type::kGivenPhonetic:
            hit = giv && k.given_pid[a] != 0 && k.given_pid[a] == k.given_pid[b];
            break;
          case Level::Type::kGivenSimilarity:
          case Level::Type::kNameSimilarity:
            if (!giv) break;
            if (l.type == Level::Type::kNameSimilarity && !surname()) break;
            if (gs < 0) gs = GivenSimilarity(k, k.given_id[a], k.given_id[b]);
            hit = gs >= l.threshold;
            break;
          default:
            break;
        }
        if (hit) return i + 1;
      }
      return n + 1;
    }
    case ValueKind::kAgreement: {
      int present = 0, differ = 0;
      for (const auto& ids : p.multi) {
        const std::uint32_t va = ids[a], vb = ids[b];
        if (va == 0 || vb == 0) continue;
        ++present;
        differ += va != vb;
      }
      if (present == 0) return 0;
      for (int i = 0; i < n; ++i) {
        const auto& l = c.levels[i];
        if ((l.type == Level::Type::kExact && differ == 0) ||
            (l.type == Level::Type::kDifferAtMost && differ <= l.max)) {
          return i + 1;
        }
      }
      return n + 1;
    }
  }
  return n + 1;
}
Comparator::Comparator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Comparator::~Comparator() = default;

Result<std::unique_ptr<Comparator>> Comparator::Build(const Settings& settings,
                                                      const RecordTable& table) {
  auto impl = std::make_unique<Impl>();
  impl->table = &table;
  impl->generation = next_generation.fetch_add(1);
  impl->comps.resize(settings.comparisons.size());
  for (std::size_t k = 0; k < settings.comparisons.size(); ++k) {
    MEMORIA_RETURN_IF_ERROR(impl->Prepare(settings.comparisons[k], impl->comps[k]));
  }
  return std::unique_ptr<Comparator>(new Comparator(std::move(impl)));
}

std::size_t Comparator::num_comparisons() const { return impl_->comps.size(); }
int Comparator::num_levels(std::size_t k) const { return impl_->comps[k].num_levels; }
const std::string& Comparator::name(std::size_t k) const { return impl_->comps[k].spec.name; }

std::string Comparator::level_label(std::size_t k, int level) const {
  const auto& c = impl_->comps[k].spec;
  if (level == 0) return "null";
  if (level > static_cast<int>(c.levels.size())) return "else";
  return LevelLabel(c.levels[level - 1]);
}

void Comparator::Compare(std::uint32_t a, std::uint32_t b, std::uint8_t* levels) const {
  for (std::size_t k = 0; k < impl_->comps.size(); ++k) {
    levels[k] = static_cast<std::uint8_t>(impl_->Level(impl_->comps[k], a, b));
  }
}

bool Comparator::TfApplies(std::size_t k, int level) const {
  const auto& p = impl_->comps[k];
  if (!p.spec.term_frequency || level <= 0 || level > static_cast<int>(p.spec.levels.size())) {
    return false;
  }
  auto t = p.spec.levels[level - 1].type;
  // A Korean name's frequencies are its surname's: only the surname level is adjusted.
  if (p.spec.kind == ValueKind::kKoreanName) return t == Level::Type::kSurnameMatch;
  return t == Level::Type::kExact;
}

double Comparator::TfFrequency(std::size_t k, std::uint32_t a, std::uint32_t b) const {
  const auto& p = impl_->comps[k];
  if (p.tf.empty()) return 0;
  return std::max(p.tf[a], p.tf[b]);
}

}  // namespace memoria::linkage
