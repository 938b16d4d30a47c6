#include "linkage/comparison.h"

#include <fmt/format.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <unordered_map>

#include "core/edtf.h"
#include "linkage/korean.h"
#include "linkage/string_metrics.h"

namespace memoria::linkage {
namespace {

std::uint64_t Hash(std::string_view s) {
  std::uint64_t h = std::hash<std::string_view>{}(s);
  return h == 0 ? 1 : h;  // 0 marks "missing"
}

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

// A run of code points per record, stored flat.
struct Strings {
  std::vector<std::uint64_t> hash;  // 0 = missing
  std::vector<std::uint32_t> offset;
  std::u32string chars;

  void Add(std::string_view normalized) {
    if (offset.empty()) offset.push_back(0);
    hash.push_back(normalized.empty() ? 0 : Hash(normalized));
    std::u32string cp = DecodeUtf8(normalized);
    chars += cp;
    offset.push_back(static_cast<std::uint32_t>(chars.size()));
  }
  std::u32string_view View(std::uint32_t r) const {
    return std::u32string_view(chars).substr(offset[r], offset[r + 1] - offset[r]);
  }
};

struct KoreanFeatures {
  std::vector<std::uint64_t> full_hash;    // normalised family|given; 0 = missing
  std::vector<std::uint32_t> surname_off;  // surname candidate ids, flat
  std::vector<std::uint32_t> surname_ids;
  std::vector<std::uint64_t> given_hash;  // phonetic key of the given name; 0 = missing
  std::vector<GivenNameKey> given;
  std::vector<std::uint8_t> has_family;
  std::vector<std::uint8_t> has_given;
};

struct Prepared {
  Comparison spec;
  int num_levels = 0;
  bool needs_family = false;         // korean: null when the family name is missing
  bool needs_given = false;          // korean: null when the given name is missing
  Strings s;                         // kString (columns[0])
  std::vector<std::uint64_t> hash2;  // kString swapped level: hash of columns[1]
  std::vector<DayRange> dates;       // kDate
  std::vector<std::uint64_t> date_hash;
  std::vector<double> num;  // kNumeric
  std::vector<std::uint8_t> num_ok;
  KoreanFeatures kn;
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

  Status Prepare(const Comparison& c, Prepared& p);
  void ComputeTf(Prepared& p, const std::vector<std::uint64_t>& keys);
  int Level(const Prepared& p, std::uint32_t a, std::uint32_t b) const;
};

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
      for (std::size_t r = 0; r < n; ++r) p.s.Add(NormalizeText((*cols[0])[r], c.normalize));
      if (cols.size() > 1) {
        for (std::size_t r = 0; r < n; ++r) {
          std::string v = NormalizeText((*cols[1])[r], c.normalize);
          p.hash2.push_back(v.empty() ? 0 : Hash(v));
        }
      }
      ComputeTf(p, p.s.hash);
      break;
    }
    case ValueKind::kDate: {
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
        p.dates.push_back(d);
        p.date_hash.push_back(d.valid ? Hash(text) : 0);
      }
      ComputeTf(p, p.date_hash);
      break;
    }
    case ValueKind::kNumeric: {
      std::vector<std::uint64_t> keys;
      for (std::size_t r = 0; r < n; ++r) {
        const std::string& v = (*cols[0])[r];
        double x = 0;
        auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
        bool ok = !v.empty() && ec == std::errc() && ptr == v.data() + v.size();
        p.num.push_back(ok ? x : 0);
        p.num_ok.push_back(ok ? 1 : 0);
        keys.push_back(ok ? Hash(v) : 0);
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
      auto& k = p.kn;
      k.surname_off.push_back(0);
      std::vector<std::uint64_t> tf_keys;
      for (std::size_t r = 0; r < n; ++r) {
        NameParts parts = ExtractKoreanName((*cols[0])[r], cols.size() == 3 ? (*cols[1])[r] : "",
                                            cols.size() == 3 ? (*cols[2])[r] : "");
        const std::string& family = parts.family;
        const std::string& given = parts.given;
        std::string nf = NormalizeName(family), ng = NormalizeName(given);
        k.has_family.push_back(!nf.empty());
        k.has_given.push_back(!ng.empty());
        k.full_hash.push_back(nf.empty() && ng.empty() ? 0 : Hash(nf + "|" + ng));
        std::vector<SurnameKey> cands =
            nf.empty() ? std::vector<SurnameKey>{} : SurnameCandidates(family);
        if (cands.empty() && !nf.empty()) cands.push_back("?" + PhoneticKey(nf));
        std::uint64_t first_key = 0;
        for (const auto& s : cands) {
          auto [it, ins] =
              surname_ids.emplace(s, static_cast<std::uint32_t>(surname_ids.size() + 1));
          k.surname_ids.push_back(it->second);
          if (first_key == 0) first_key = it->second;
        }
        std::sort(k.surname_ids.begin() + k.surname_off.back(), k.surname_ids.end());
        k.surname_off.push_back(static_cast<std::uint32_t>(k.surname_ids.size()));
        tf_keys.push_back(first_key);
        std::string pk = ng.empty() ? std::string() : PhoneticKey(given);
        k.given_hash.push_back(pk.empty() ? 0 : Hash(pk));
        k.given.push_back(ng.empty() ? GivenNameKey{} : PrepareGivenName(given));
      }
      // Term frequency on the surname (the most frequent candidate).
      ComputeTf(p, tf_keys);
      break;
    }
  }
  return Status::Ok();
}

void Comparator::Impl::ComputeTf(Prepared& p, const std::vector<std::uint64_t>& keys) {
  if (!p.spec.term_frequency) return;
  std::unordered_map<std::uint64_t, std::uint32_t> counts;
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

}  // namespace

int Comparator::Impl::Level(const Prepared& p, std::uint32_t a, std::uint32_t b) const {
  const Comparison& c = p.spec;
  const int n = static_cast<int>(c.levels.size());
  switch (c.kind) {
    case ValueKind::kString: {
      std::uint64_t ha = p.s.hash[a], hb = p.s.hash[b];
      if (ha == 0 || hb == 0) return 0;
      std::u32string_view va = p.s.View(a), vb = p.s.View(b);
      double jw = -1, jaro = -1;
      for (int i = 0; i < n; ++i) {
        const auto& l = c.levels[i];
        bool hit = false;
        switch (l.type) {
          case Level::Type::kExact:
            hit = ha == hb && va == vb;
            break;
          case Level::Type::kJaroWinkler:
            if (jw < 0) jw = JaroWinkler(va, vb);
            hit = jw >= l.threshold;
            break;
          case Level::Type::kJaro:
            if (jaro < 0) jaro = Jaro(va, vb);
            hit = jaro >= l.threshold;
            break;
          case Level::Type::kLevenshtein:
            hit = Levenshtein(va, vb, static_cast<int>(l.max)) <= static_cast<int>(l.max);
            break;
          case Level::Type::kDamerau:
            hit = DamerauOsa(va, vb, static_cast<int>(l.max)) <= static_cast<int>(l.max);
            break;
          case Level::Type::kSwapped:
            hit = p.hash2[a] != 0 && p.hash2[b] != 0 && ha == p.hash2[b] && hb == p.hash2[a];
            break;
          default:
            break;
        }
        if (hit) return i + 1;
      }
      return n + 1;
    }
    case ValueKind::kDate: {
      const DayRange& da = p.dates[a];
      const DayRange& db = p.dates[b];
      if (!da.valid || !db.valid) return 0;
      for (int i = 0; i < n; ++i) {
        const auto& l = c.levels[i];
        bool hit = false;
        switch (l.type) {
          case Level::Type::kExact:
            hit = p.date_hash[a] == p.date_hash[b];
            break;
          case Level::Type::kDateWithinDays: {
            std::int64_t gap = std::max<std::int64_t>(
                0, std::max<std::int64_t>(std::int64_t{da.earliest} - db.latest,
                                          std::int64_t{db.earliest} - da.latest));
            hit = static_cast<double>(gap) <= l.max;
            break;
          }
          case Level::Type::kDateSameMonth:
            hit = MonthIndexOfDay(da.earliest) <= MonthIndexOfDay(db.latest) &&
                  MonthIndexOfDay(db.earliest) <= MonthIndexOfDay(da.latest);
            break;
          case Level::Type::kDateYearsWithin: {
            int gap = std::max(0, std::max(YearOfDay(da.earliest) - YearOfDay(db.latest),
                                           YearOfDay(db.earliest) - YearOfDay(da.latest)));
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
      const auto& k = p.kn;
      if (k.full_hash[a] == 0 || k.full_hash[b] == 0) return 0;
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
            hit = k.full_hash[a] == k.full_hash[b];
            break;
          case Level::Type::kSurnameMatch:
            hit = surname();
            break;
          case Level::Type::kGivenPhonetic:
            hit = giv && k.given_hash[a] != 0 && k.given_hash[a] == k.given_hash[b];
            break;
          case Level::Type::kGivenSimilarity:
          case Level::Type::kNameSimilarity:
            if (!giv) break;
            if (l.type == Level::Type::kNameSimilarity && !surname()) break;
            if (gs < 0) gs = GivenNameSimilarity(k.given[a], k.given[b]);
            hit = gs >= l.threshold;
            break;
          default:
            break;
        }
        if (hit) return i + 1;
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
