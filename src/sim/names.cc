#include "sim/names.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "core/csv.h"
#include "core/embedded_data.h"

namespace memoria::sim {
namespace {

// Reads an embedded CSV with exactly `columns`, calling `row` for each record.
template <typename RowFn>
Status ReadTable(const char* path, const std::vector<std::string>& columns, RowFn row) {
  std::string file = std::string("data/") + path;
  auto text = EmbeddedFile(path);
  if (!text) return Status::NotFound(file + " is not embedded in this build");
  std::istringstream in{std::string(*text)};
  CsvReader reader(in, file);
  std::vector<std::string> fields;
  bool first = true;
  while (true) {
    MEMORIA_ASSIGN_OR_RETURN(bool more, reader.Next(fields));
    if (first && reader.header() != columns) {
      return Status::InvalidInput("unexpected header").AtFile(file, 1);
    }
    first = false;
    if (!more) break;
    MEMORIA_RETURN_IF_ERROR(row(reader, fields));
  }
  return Status::Ok();
}

bool IsVoicedEnd(const std::string& s) {
  if (s.empty()) return false;
  // Ends in a vowel (ASCII, or the UTF-8 tail of ŏ/ŭ) or in n, m, ng, l.
  unsigned char c = static_cast<unsigned char>(s.back());
  if (c >= 0x80) return true;
  char l = static_cast<char>(std::tolower(c));
  return l == 'a' || l == 'e' || l == 'i' || l == 'o' || l == 'u' || l == 'n' || l == 'm' ||
         l == 'g' || l == 'l';
}

// MR voices an unaspirated k, t, p, ch at the start of a non-initial syllable after a voiced
// sound: 영철 Yŏngch'ŏl but 대중 Taejung, 성국 Sŏngguk.
std::string VoiceMr(std::string syl) {
  auto aspirated = [&](std::size_t n) { return syl.size() > n && syl[n] == '\''; };
  if (syl.rfind("Ch", 0) == 0 && !aspirated(2)) return "J" + syl.substr(2);
  if (syl.size() >= 1 && !aspirated(1)) {
    if (syl[0] == 'K') return "G" + syl.substr(1);
    if (syl[0] == 'T') return "D" + syl.substr(1);
    if (syl[0] == 'P') return "B" + syl.substr(1);
  }
  return syl;
}

std::string StripMrDiacritics(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\'') continue;
    // ŏ U+014F (C5 8F), Ŏ U+014E (C5 8E), ŭ U+016D (C5 AD), Ŭ U+016C (C5 AC)
    if (c == 0xC5 && i + 1 < s.size()) {
      unsigned char d = static_cast<unsigned char>(s[i + 1]);
      if (d == 0x8F || d == 0xAD) {
        out += d == 0x8F ? 'o' : 'u';
        ++i;
        continue;
      }
      if (d == 0x8E || d == 0xAC) {
        out += d == 0x8E ? 'O' : 'U';
        ++i;
        continue;
      }
    }
    out += static_cast<char>(c);
  }
  return out;
}

// Lower-cases the first letter of a romanized syllable (ASCII or Ŏ/Ŭ).
std::string LowerFirst(std::string s) {
  if (s.empty()) return s;
  unsigned char c = static_cast<unsigned char>(s[0]);
  if (c < 0x80) {
    s[0] = static_cast<char>(std::tolower(c));
  } else if (c == 0xC5 && s.size() > 1 &&
             (static_cast<unsigned char>(s[1]) == 0x8E ||
              static_cast<unsigned char>(s[1]) == 0xAC)) {
    s[1] = static_cast<char>(static_cast<unsigned char>(s[1]) + 1);
  }
  return s;
}

// UTF-8 of a code point in the Hangul syllables block (3 bytes).
std::string EncodeHangul(char32_t cp) {
  std::string s(3, '\0');
  s[0] = static_cast<char>(0xE0 | (cp >> 12));
  s[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  s[2] = static_cast<char>(0x80 | (cp & 0x3F));
  return s;
}

}  // namespace

Result<NameBook> NameBook::LoadEmbedded() {
  NameBook book;
  MEMORIA_RETURN_IF_ERROR(ReadTable(
      "sim/surnames.csv", {"hangul_south", "hangul_north", "rr", "mr", "dprk", "english", "weight"},
      [&](const CsvReader& r, const std::vector<std::string>& f) -> Status {
        Entry e{f[0], f[1], f[2], f[3], f[4], f[5], 'u', 0};
        char* end = nullptr;
        e.weight = std::strtod(f[6].c_str(), &end);
        if (f[6].empty() || *end != '\0' || !(e.weight > 0)) {
          return r.Error("expected a positive number", "weight");
        }
        for (std::size_t k = 0; k < 6; ++k) {
          if (f[k].empty()) return r.Error("empty", r.header()[k]);
        }
        book.surnames_.push_back(std::move(e));
        return Status::Ok();
      }));
  MEMORIA_RETURN_IF_ERROR(
      ReadTable("sim/given_syllables.csv",
                {"hangul_south", "hangul_north", "sex", "rr", "mr", "dprk", "english"},
                [&](const CsvReader& r, const std::vector<std::string>& f) -> Status {
                  if (f[2] != "m" && f[2] != "f" && f[2] != "u")
                    return r.Error("expected m, f or u", "sex");
                  for (std::size_t k = 0; k < 7; ++k) {
                    if (f[k].empty()) return r.Error("empty", r.header()[k]);
                  }
                  book.syllables_.push_back({f[0], f[1], f[3], f[4], f[5], f[6], f[2][0], 1});
                  return Status::Ok();
                }));
  if (book.surnames_.empty() || book.syllables_.empty()) {
    return Status::InvalidInput("the name tables are empty");
  }
  for (const Entry& e : book.surnames_) book.surname_cumulative_.push_back(e.weight);
  CumulativeInPlace(book.surname_cumulative_);
  for (std::size_t i = 0; i < book.syllables_.size(); ++i) {
    auto idx = static_cast<std::uint16_t>(i);
    char s = book.syllables_[i].sex;
    if (s != 'f') book.male_.push_back(idx);
    if (s != 'm') book.female_.push_back(idx);
    book.all_.push_back(idx);
  }
  if (book.male_.empty() || book.female_.empty()) {
    return Status::InvalidInput("data/sim/given_syllables.csv needs syllables for both sexes");
  }
  return book;
}

const NameBook& NameBook::Default() {
  static const NameBook* book = [] {
    auto loaded = LoadEmbedded();
    if (!loaded.ok()) {
      std::fprintf(stderr, "memoria: embedded name tables: %s\n",
                   loaded.status().ToString().c_str());
      std::abort();
    }
    return new NameBook(std::move(loaded).value());
  }();
  return *book;
}

double NameBook::SurnameProbability(std::size_t i) const {
  return surnames_[i].weight / surname_cumulative_.back();
}

TrueName NameBook::Draw(Rng& rng, const std::string& sex) const {
  TrueName n;
  n.surname = static_cast<std::uint16_t>(rng.Categorical(surname_cumulative_));
  const auto& pool = sex == "male" ? male_ : sex == "female" ? female_ : all_;
  n.given_count = rng.Bernoulli(0.05) ? 1 : 2;
  for (int k = 0; k < n.given_count; ++k) {
    n.given[k] = pool[static_cast<std::size_t>(rng.UniformInt(0, pool.size() - 1))];
  }
  // A name does not repeat its syllable (영영): redraw the second once, then take a neighbour.
  if (n.given_count == 2 && n.given[1] == n.given[0]) {
    n.given[1] = pool[static_cast<std::size_t>(rng.UniformInt(0, pool.size() - 1))];
    if (n.given[1] == n.given[0]) {
      auto it = std::find(pool.begin(), pool.end(), n.given[0]);
      n.given[1] = *(it + 1 == pool.end() ? pool.begin() : it + 1);
    }
  }
  return n;
}

std::string NameBook::Romanize(const Entry& e, Romanization r) const {
  switch (r) {
    case Romanization::kRR:
      return e.rr;
    case Romanization::kMR:
      return e.mr;
    case Romanization::kMRPlain:
      return StripMrDiacritics(e.mr);
    case Romanization::kDPRK:
      return e.dprk;
    case Romanization::kEnglish:
      return e.english;
  }
  return e.rr;
}

std::string NameBook::Hangul(const TrueName& name) const {
  std::string s = surnames_[name.surname].hangul_south;
  for (int k = 0; k < name.given_count; ++k) s += syllables_[name.given[k]].hangul_south;
  return s;
}

WrittenName NameBook::Render(const TrueName& name, const NameStyle& style) const {
  WrittenName w;
  const Entry& sur = surnames_[name.surname];
  if (!style.latin) {
    w.script = "Hang";
    w.family = style.north_spelling ? sur.hangul_north : sur.hangul_south;
    for (int k = 0; k < name.given_count; ++k) {
      const Entry& syl = syllables_[name.given[k]];
      w.given += style.north_spelling ? syl.hangul_north : syl.hangul_south;
    }
    w.full = w.family + w.given;
    return w;
  }
  w.script = "Latn";
  switch (style.romanization) {
    case Romanization::kRR:
      w.system = "RR";
      break;
    case Romanization::kMR:
    case Romanization::kMRPlain:
      w.system = "MR";
      break;
    case Romanization::kDPRK:
      w.system = "DPRK";
      break;
    case Romanization::kEnglish:
      w.system = "other";
      break;
  }
  w.family = Romanize(sur, style.romanization);
  // The DPRK writes each given-name syllable as a word: Kim Jong Il, Ri Sol Ju.
  char sep = style.romanization == Romanization::kDPRK ? ' ' : style.separator;
  std::string prev;
  for (int k = 0; k < name.given_count; ++k) {
    const Entry& syl = syllables_[name.given[k]];
    // The North spells some syllables with an initial r (련, 룡): the DPRK table has it.
    bool mr =
        style.romanization == Romanization::kMR || style.romanization == Romanization::kMRPlain;
    // Voicing needs MR's apostrophes (ch' is aspirated), so it comes before they are dropped.
    std::string r = Romanize(syl, mr ? Romanization::kMR : style.romanization);
    if (k > 0 && mr && IsVoicedEnd(prev)) r = VoiceMr(r);
    prev = r;
    if (style.romanization == Romanization::kMRPlain) r = StripMrDiacritics(r);
    if (k > 0) {
      if (sep == ' ') {
        w.given += ' ';
      } else {
        if (sep == '-') w.given += '-';
        r = LowerFirst(r);
      }
    }
    w.given += r;
  }
  w.full = style.family_first ? w.family + " " + w.given : w.given + " " + w.family;
  return w;
}

std::string Typo(const std::string& text, Rng& rng) {
  if (text.empty()) return text;
  unsigned char lead = static_cast<unsigned char>(text[0]);
  if (lead == 0xEA || lead == 0xEB || lead == 0xEC || lead == 0xED) {
    // Hangul syllables U+AC00..U+D7A3 are 3 bytes each: (L * 21 + V) * 28 + T.
    std::size_t n = text.size() / 3;
    std::size_t i = static_cast<std::size_t>(rng.UniformInt(0, static_cast<std::int64_t>(n) - 1));
    const auto* b = reinterpret_cast<const unsigned char*>(text.data() + 3 * i);
    char32_t cp = ((b[0] & 0x0F) << 12) | ((b[1] & 0x3F) << 6) | (b[2] & 0x3F);
    if (cp < 0xAC00 || cp > 0xD7A3) return text;
    char32_t s = cp - 0xAC00;
    char32_t l = s / (21 * 28), v = (s / 28) % 21, t = s % 28;
    v = rng.Bernoulli(0.5) ? (v + 1) % 21 : (v + 20) % 21;
    std::string out = text;
    out.replace(3 * i, 3, EncodeHangul(0xAC00 + (l * 21 + v) * 28 + t));
    return out;
  }
  std::vector<std::size_t> letters;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (std::isalpha(static_cast<unsigned char>(text[i])) &&
        static_cast<unsigned char>(text[i]) < 0x80) {
      letters.push_back(i);
    }
  }
  if (letters.size() < 2) return text;
  std::size_t pos = letters[static_cast<std::size_t>(
      rng.UniformInt(1, static_cast<std::int64_t>(letters.size()) - 1))];  // keep the initial
  std::string out = text;
  switch (rng.UniformInt(0, 2)) {
    case 0:
      out.erase(pos, 1);
      break;
    case 1:
      out.insert(pos, 1, out[pos]);
      break;
    default:
      if (pos + 1 < out.size() && std::isalpha(static_cast<unsigned char>(out[pos + 1])) &&
          static_cast<unsigned char>(out[pos + 1]) < 0x80 && out[pos] != out[pos + 1]) {
        std::swap(out[pos], out[pos + 1]);
      } else {
        out.erase(pos, 1);
      }
  }
  return out;
}

}  // namespace memoria::sim
