#include "linkage/korean.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "core/csv.h"
#include "core/embedded_data.h"
#include "linkage/string_metrics.h"

namespace memoria::linkage {
namespace {

// ---- Unicode helpers ---------------------------------------------------------------------

constexpr char32_t kHangulFirst = 0xAC00;
constexpr char32_t kHangulLast = 0xD7A3;

bool IsHangulSyllable(char32_t c) { return c >= kHangulFirst && c <= kHangulLast; }

bool IsHangulAny(char32_t c) {
  return IsHangulSyllable(c) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F) ||
         (c >= 0xA960 && c <= 0xA97F) || (c >= 0xD7B0 && c <= 0xD7FF);
}

// Apostrophes and their look-alikes, dropped from comparison keys.
bool IsApostrophe(char32_t c) {
  switch (c) {
    case U'\'':
    case U'`':
    case 0x00B4:  // ´
    case 0x02B9:  // ʹ
    case 0x02BB:  // ʻ
    case 0x02BC:  // ʼ
    case 0x02BD:  // ʽ
    case 0x2018:  // ‘
    case 0x2019:  // ’
    case 0x201B:  // ‛
    case 0x2032:  // ′
      return true;
    default:
      return false;
  }
}

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// NFC code points of UTF-8 `s` (ICU replaces invalid bytes by U+FFFD).
std::u32string NfcCodePoints(std::string_view s) {
  // ASCII is already NFC: skip ICU.
  if (std::all_of(s.begin(), s.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return std::u32string(s.begin(), s.end());
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  icu::UnicodeString normalized = U_SUCCESS(status) ? nfc->normalize(text, status) : text;
  if (U_FAILURE(status)) normalized = text;
  std::u32string out;
  out.reserve(static_cast<std::size_t>(normalized.length()));
  for (int32_t i = 0; i < normalized.length();) {
    const UChar32 c = normalized.char32At(i);
    out.push_back(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
  return out;
}

// Appends the comparison form of one non-Hangul code point: canonical decomposition without
// combining marks (ŏ -> o), case-folded.
void AppendFolded(std::u32string& out, char32_t c) {
  if (c < 0x80) {  // ASCII: no decomposition; fold A-Z only
    out.push_back(c >= U'A' && c <= U'Z' ? c + (U'a' - U'A') : c);
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString decomposition;
  if (U_SUCCESS(status) && nfd->getDecomposition(static_cast<UChar32>(c), decomposition)) {
    for (int32_t i = 0; i < decomposition.length();) {
      const UChar32 d = decomposition.char32At(i);
      i += U16_LENGTH(d);
      if (u_charType(d) == U_NON_SPACING_MARK) continue;
      out.push_back(static_cast<char32_t>(u_foldCase(d, U_FOLD_CASE_DEFAULT)));
    }
    return;
  }
  if (u_charType(static_cast<UChar32>(c)) == U_NON_SPACING_MARK) return;
  out.push_back(static_cast<char32_t>(u_foldCase(static_cast<UChar32>(c), U_FOLD_CASE_DEFAULT)));
}

bool IsSpace(char32_t c) { return u_isUWhiteSpace(static_cast<UChar32>(c)); }

// NFC, trimmed, whitespace runs collapsed to one space; with `fold`, also case-folded with
// diacritics and apostrophes removed (Hangul untouched).
std::u32string Clean(std::string_view s, bool fold) {
  const std::u32string nfc = NfcCodePoints(s);
  std::u32string out;
  out.reserve(nfc.size());
  bool pending_space = false;
  for (char32_t c : nfc) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (fold && IsApostrophe(c)) continue;
    if (pending_space) {
      out.push_back(U' ');
      pending_space = false;
    }
    if (fold && !IsHangulAny(c)) {
      AppendFolded(out, c);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string ToUtf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) AppendUtf8(out, c);
  return out;
}

// ---- Hangul jamo ---------------------------------------------------------------------------

struct Jamo {
  int initial;  // 0..18
  int medial;   // 0..20
  int final;    // 0..27
};

Jamo Decompose(char32_t syllable) {
  const int index = static_cast<int>(syllable - kHangulFirst);
  return {index / (21 * 28), (index % (21 * 28)) / 28, index % 28};
}

char32_t Compose(const Jamo& j) {
  return kHangulFirst + static_cast<char32_t>((j.initial * 21 + j.medial) * 28 + j.final);
}

// Revised Romanization, per jamo (finals in their final, pre-sound-change form).
constexpr std::array<std::string_view, 19> kRrInitial = {"g",  "kk", "n", "d",  "tt", "r", "m",
                                                         "b",  "pp", "s", "ss", "",   "j", "jj",
                                                         "ch", "k",  "t", "p",  "h"};
constexpr std::array<std::string_view, 21> kRrMedial = {"a",  "ae", "ya", "yae", "eo", "e",  "yeo",
                                                        "ye", "o",  "wa", "wae", "oe", "yo", "u",
                                                        "wo", "we", "wi", "yu",  "eu", "ui", "i"};
constexpr std::array<std::string_view, 28> kRrFinal = {
    "",  "k", "k", "k", "n", "n", "n", "t",  "l", "k", "m", "l", "l", "l",
    "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"};

// Jamo indices used by the initial-sound rule.
constexpr int kInitialNieun = 2;   // ㄴ
constexpr int kInitialRieul = 5;   // ㄹ
constexpr int kInitialIeung = 11;  // ㅇ

// Medials before which word-initial ㄹ/ㄴ is dropped (ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ ㅣ) or ㄹ becomes ㄴ.
bool IsIotizedMedial(int medial) {
  switch (medial) {
    case 2:   // ㅑ
    case 3:   // ㅒ
    case 6:   // ㅕ
    case 7:   // ㅖ
    case 12:  // ㅛ
    case 17:  // ㅠ
    case 20:  // ㅣ
      return true;
    default:
      return false;
  }
}

// The South Korean initial-sound rule (두음법칙) on a word-initial syllable: 리 -> 이, 류 -> 유,
// 녀 -> 여, 로 -> 노, 라 -> 나.
char32_t ApplyInitialSoundRule(char32_t syllable) {
  if (!IsHangulSyllable(syllable)) return syllable;
  Jamo j = Decompose(syllable);
  if (j.initial == kInitialRieul || j.initial == kInitialNieun) {
    if (IsIotizedMedial(j.medial)) {
      j.initial = kInitialIeung;
    } else if (j.initial == kInitialRieul) {
      j.initial = kInitialNieun;
    }
  }
  return Compose(j);
}

// ---- Phonetic classes ----------------------------------------------------------------------

enum Onset : std::uint8_t { kONone, kOK, kOT, kOP, kOC, kOS, kOH, kOM, kON };
enum Vowel : std::uint8_t { kVNone, kVA, kVE, kVI, kVO, kVYa, kVYe, kVYo, kVWa, kVWe, kVWi, kVWo };
enum Coda : std::uint8_t { kCNone, kCK, kCN, kCNg, kCL, kCM, kCP, kCT };

constexpr std::array<std::string_view, 9> kOnsetName = {"", "k", "t", "p", "c", "s", "h", "m", "n"};
constexpr std::array<std::string_view, 12> kVowelName = {"",   "a",  "e",  "i",  "o",  "ya",
                                                         "ye", "yo", "wa", "we", "wi", "wo"};
constexpr std::array<std::string_view, 8> kCodaName = {"", "k", "n", "ng", "l", "m", "p", "t"};

// Hangul jamo -> classes.
constexpr std::array<std::uint8_t, 19> kInitialClass = {kOK, kOK, kON, kOT, kOT,    kON, kOM,
                                                        kOP, kOP, kOS, kOS, kONone, kOC, kOC,
                                                        kOC, kOK, kOT, kOP, kOH};
constexpr std::array<std::uint8_t, 21> kMedialClass = {kVA,  kVE,  kVYa, kVYe, kVO,  kVE,  kVYo,
                                                       kVYe, kVO,  kVWa, kVWe, kVWe, kVYo, kVO,
                                                       kVWo, kVWe, kVWi, kVYo, kVO,  kVI,  kVI};
constexpr std::array<std::uint8_t, 28> kFinalClass = {
    kCNone, kCK, kCK, kCK, kCN, kCN, kCN, kCT,  kCL, kCK, kCM, kCL, kCL, kCL,
    kCP,    kCL, kCM, kCP, kCP, kCT, kCT, kCNg, kCT, kCT, kCK, kCT, kCP, kCT};

using Syllable = GivenNameKey::Syllable;

bool IsIotizedClass(std::uint8_t vowel) {
  return vowel == kVI || vowel == kVYa || vowel == kVYe || vowel == kVYo;
}

// r/l/n before i/y are dropped (리 이 니 and Ri Lee Ni meet); everywhere, not only
// word-initially, because names are split into words inconsistently.
Syllable Finish(Syllable s) {
  if (s.onset == kON && IsIotizedClass(s.vowel)) s.onset = kONone;
  return s;
}

Syllable HangulSyllableKey(char32_t c) {
  const Jamo j = Decompose(c);
  return Finish({kInitialClass[j.initial], kMedialClass[j.medial], kFinalClass[j.final]});
}

// Latin spellings of each part of a syllable, any romanization system (lowercase ASCII).
struct Pattern {
  std::string_view text;
  std::uint8_t cls;
};

constexpr Pattern kOnsetPatterns[] = {
    {"tch", kOC}, {"ch", kOC}, {"ts", kOC}, {"tz", kOC}, {"jh", kOC}, {"jj", kOC}, {"j", kOC},
    {"z", kOC},   {"kk", kOK}, {"kh", kOK}, {"gh", kOK}, {"k", kOK},  {"g", kOK},  {"c", kOK},
    {"q", kOK},   {"tt", kOT}, {"th", kOT}, {"dd", kOT}, {"t", kOT},  {"d", kOT},  {"pp", kOP},
    {"ph", kOP},  {"bb", kOP}, {"p", kOP},  {"b", kOP},  {"f", kOP},  {"v", kOP},  {"ss", kOS},
    {"sh", kOS},  {"s", kOS},  {"x", kOS},  {"h", kOH},  {"m", kOM},  {"nh", kON}, {"n", kON},
    {"rh", kON},  {"r", kON},  {"lh", kON}, {"l", kON},
};

// No vowel ends in y (oy, ay, ey): in solid writing that y is the next syllable's glide
// (Hoyong is ho-yong); the surname spellings Choy and Chey are in the table.
constexpr Pattern kVowelPatterns[] = {
    {"yeo", kVYo}, {"yeu", kVYo}, {"you", kVYo}, {"yoo", kVYo}, {"yo", kVYo}, {"yu", kVYo},
    {"yae", kVYe}, {"ye", kVYe},  {"ya", kVYa},  {"yi", kVI},   {"y", kVI},   {"wae", kVWe},
    {"weo", kVWo}, {"woo", kVO},  {"wu", kVO},   {"wa", kVWa},  {"we", kVWe}, {"wi", kVWi},
    {"wo", kVWo},  {"eui", kVI},  {"ui", kVI},   {"oe", kVWe},  {"oi", kVWe}, {"eo", kVO},
    {"eu", kVO},   {"ou", kVO},   {"oo", kVO},   {"o", kVO},    {"u", kVO},   {"ae", kVE},
    {"ai", kVE},   {"e", kVE},    {"a", kVA},    {"ee", kVI},   {"ie", kVI},  {"i", kVI},
};

constexpr Pattern kCodaPatterns[] = {
    {"ng", kCNg}, {"n", kCN}, {"m", kCM}, {"rk", kCK}, {"ck", kCK}, {"kk", kCK},
    {"gg", kCK},  {"k", kCK}, {"g", kCK}, {"ll", kCL}, {"l", kCL},  {"r", kCL},
    {"pp", kCP},  {"p", kCP}, {"b", kCP}, {"tt", kCT}, {"t", kCT},  {"d", kCT},
};

bool IsLatinVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' || c == 'w';
}

// One way to read a syllable at a position of a Latin word.
struct Reading {
  std::size_t end;
  Syllable syllable;
};

// Every reading of one syllable starting at word[pos]: onset? vowel [silent h] coda?.
void SyllableReadings(std::string_view word, std::size_t pos, std::vector<Reading>& out) {
  out.clear();
  auto matches = [&](std::size_t at, std::string_view text) {
    return word.substr(at, text.size()) == text;
  };
  std::array<Pattern, 2> no_onset = {Pattern{"", kONone}, Pattern{"", kONone}};
  for (int use_onset = 0; use_onset < 2; ++use_onset) {
    const Pattern* onsets = use_onset ? kOnsetPatterns : no_onset.data();
    const std::size_t onset_count = use_onset ? std::size(kOnsetPatterns) : 1;
    for (std::size_t o = 0; o < onset_count; ++o) {
      const Pattern& onset = onsets[o];
      if (!matches(pos, onset.text)) continue;
      const std::size_t vpos = pos + onset.text.size();
      for (const Pattern& vowel : kVowelPatterns) {
        if (!matches(vpos, vowel.text)) continue;
        std::size_t cpos = vpos + vowel.text.size();
        // ui, eui, oi close their syllable (Hui, Choi): read before a coda they would swallow
        // two syllables (Suil is su-il, Hoil is ho-il).
        const bool closed = vowel.text == "ui" || vowel.text == "eui" || vowel.text == "oi";
        if (closed) {
          if (cpos == word.size() ||
              std::string_view("aeiou").find(word[cpos]) == std::string_view::npos) {
            out.push_back({cpos, Finish({onset.cls, vowel.cls, kCNone})});
          }
          continue;
        }
        // An h after the vowel and before a consonant or the end is silent (Ahn, Oh, Kahng).
        std::size_t positions[2] = {cpos, cpos};
        int position_count = 1;
        if (cpos < word.size() && word[cpos] == 'h' &&
            (cpos + 1 == word.size() || !IsLatinVowel(word[cpos + 1]))) {
          positions[position_count++] = cpos + 1;
        }
        for (int p = 0; p < position_count; ++p) {
          const std::size_t c0 = positions[p];
          out.push_back({c0, Finish({onset.cls, vowel.cls, kCNone})});
          for (const Pattern& coda : kCodaPatterns) {
            if (matches(c0, coda.text)) {
              out.push_back({c0 + coda.text.size(), Finish({onset.cls, vowel.cls, coda.cls})});
            }
          }
        }
      }
    }
  }
}

// Segments a lowercase ASCII word into syllables. Among the readings with the fewest skipped
// (unreadable) letters, then the fewest syllables, then the fewest "stop coda before a vowel"
// boundaries (k p t m before a vowel: jae-gun, not jaeg-un), the one with the longest first
// syllables wins (min-yeong, not mi-nyeong). Appends to `out`; returns the number of syllables
// appended.
std::size_t SegmentLatinWord(std::string_view word, std::vector<Syllable>& out) {
  const std::size_t n = word.size();
  if (n == 0) return 0;
  struct Best {
    int skips = std::numeric_limits<int>::max();
    int count = 0;
    int penalty = 0;
    std::size_t next = 0;
    bool skip = false;
    Syllable syllable;
  };
  std::vector<Best> best(n + 1);
  best[n] = {0, 0, 0, n, false, {}};
  std::vector<Reading> readings;
  for (std::size_t i = n; i-- > 0;) {
    Best& b = best[i];
    SyllableReadings(word, i, readings);
    // Longest first, so that ties keep the longest syllable.
    std::stable_sort(readings.begin(), readings.end(),
                     [](const Reading& x, const Reading& y) { return x.end > y.end; });
    for (const Reading& r : readings) {
      const Best& rest = best[r.end];
      if (rest.skips == std::numeric_limits<int>::max()) continue;
      int penalty = rest.penalty;
      const bool stop_coda = r.syllable.coda != kCNone && r.syllable.coda != kCN &&
                             r.syllable.coda != kCNg && r.syllable.coda != kCL;
      if (r.end < n && !rest.skip && stop_coda && rest.syllable.onset == kONone) ++penalty;
      const auto candidate = std::make_tuple(rest.skips, rest.count + 1, penalty);
      if (b.skips == std::numeric_limits<int>::max() ||
          candidate < std::make_tuple(b.skips, b.count, b.penalty)) {
        b = {rest.skips, rest.count + 1, penalty, r.end, false, r.syllable};
      }
    }
    // Skipping a letter that no reading covers.
    const Best& rest = best[i + 1];
    const auto skip = std::make_tuple(rest.skips + 1, rest.count, rest.penalty);
    if (b.skips == std::numeric_limits<int>::max() ||
        skip < std::make_tuple(b.skips, b.count, b.penalty)) {
      b = {rest.skips + 1, rest.count, rest.penalty, i + 1, true, rest.syllable};
    }
  }
  std::size_t appended = 0;
  for (std::size_t i = 0; i < n;) {
    if (!best[i].skip) {
      out.push_back(best[i].syllable);
      ++appended;
    }
    i = best[i].next;
  }
  return appended;
}

// Syllable keys of a name in any script; `segmented` is set when a Latin word gave more than
// one syllable.
// `solid_boundaries`, if given, receives the indices i such that syllables i and i + 1 were cut
// from one solid Latin word (a guess that may be wrong).
std::vector<Syllable> NameSyllables(std::string_view name, bool* segmented,
                                    std::vector<std::size_t>* solid_boundaries = nullptr) {
  const std::u32string nfc = NfcCodePoints(name);
  std::vector<Syllable> out;
  std::string word;
  bool any_segmented = false;
  auto flush = [&] {
    if (!word.empty()) {
      const std::size_t before = out.size();
      const std::size_t added = SegmentLatinWord(word, out);
      if (added > 1) {
        any_segmented = true;
        if (solid_boundaries != nullptr) {
          for (std::size_t i = before; i + 1 < before + added; ++i) solid_boundaries->push_back(i);
        }
      }
      word.clear();
    }
  };
  std::u32string folded;
  for (char32_t c : nfc) {
    if (IsHangulSyllable(c)) {
      flush();
      out.push_back(HangulSyllableKey(c));
      continue;
    }
    if (IsApostrophe(c)) {
      // After k/t/p/h (ch', k', t', p', th') it marks aspiration; otherwise it separates
      // syllables (MR Yŏn'gil).
      const char last = word.empty() ? '\0' : word.back();
      if (!(last == 'k' || last == 't' || last == 'p' || last == 'h')) flush();
      continue;
    }
    folded.clear();
    AppendFolded(folded, c);
    bool letter = !folded.empty();
    for (char32_t f : folded) letter = letter && f >= U'a' && f <= U'z';
    if (!letter) {
      flush();  // space, hyphen, digit, punctuation, other scripts
      continue;
    }
    for (char32_t f : folded) word += static_cast<char>(f);
  }
  flush();
  if (segmented != nullptr) *segmented = any_segmented;
  return out;
}

std::string SyllableText(const Syllable& s) {
  std::string out;
  out += kOnsetName[s.onset];
  out += kVowelName[s.vowel];
  out += kCodaName[s.coda];
  return out;
}

// ---- Surname table -------------------------------------------------------------------------

struct SurnameTable {
  struct Entry {
    std::string south;
    std::string north;
  };
  std::vector<Entry> entries;  // in table order = frequency order
  std::unordered_map<std::string, int> by_hangul;
  std::unordered_map<std::string, std::vector<int>> by_latin;     // folded spelling
  std::unordered_map<std::string, std::vector<int>> by_phonetic;  // phonetic key of spellings
};

// A Latin spelling's lookup form: folded, only a-z kept (no spaces, hyphens, apostrophes).
std::string LatinLookupKey(std::string_view s) {
  std::string out;
  for (char32_t c : Clean(s, /*fold=*/true)) {
    if (c >= U'a' && c <= U'z') out += static_cast<char>(c);
  }
  return out;
}

std::string PhoneticLookupKey(std::string_view s) {
  std::string out;
  for (const Syllable& syl : NameSyllables(s, nullptr)) out += SyllableText(syl);
  return out;
}

void AddUnique(std::vector<int>& v, int x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

std::vector<std::string_view> SplitSemicolons(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = std::min(s.find(';', start), s.size());
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

SurnameTable LoadSurnameTable() {
  SurnameTable table;
  const std::optional<std::string_view> data = EmbeddedFile("linkage/korean_surnames.csv");
  if (!data) return table;  // the build embeds it; korean_test checks that the table loads
  std::istringstream in{std::string(*data)};
  CsvReader reader(in, "linkage/korean_surnames.csv");
  const char* latin_columns[] = {"rr",
                                 "mr",
                                 "dprk_official",
                                 "icu_hangul_latin_south",
                                 "icu_hangul_latin_north",
                                 "common_variants"};
  const auto south_col = reader.Column("hangul_south");
  const auto north_col = reader.Column("hangul_north");
  if (!south_col || !north_col) return table;
  std::vector<std::string> fields;
  while (true) {
    Result<bool> more = reader.Next(fields);
    if (!more.ok() || !*more) break;
    const int index = static_cast<int>(table.entries.size());
    const std::string south = ToUtf8(Clean(fields[*south_col], false));
    const std::string north = ToUtf8(Clean(fields[*north_col], false));
    table.entries.push_back({south, north});
    table.by_hangul.emplace(south, index);
    table.by_hangul.emplace(north, index);
    std::vector<std::string_view> spellings;
    for (const char* column : latin_columns) {
      const auto col = reader.Column(column);
      if (!col) continue;
      for (std::string_view spelling : SplitSemicolons(fields[*col])) spellings.push_back(spelling);
    }
    for (std::string_view spelling : spellings) {
      const std::string key = LatinLookupKey(spelling);
      if (!key.empty()) AddUnique(table.by_latin[key], index);
    }
    // The phonetic fallback keys the Hangul only: ad-hoc English spellings would add false
    // keys (Joe for 조 reads as 최's "cwe").
    for (const std::string& hangul : {south, north}) {
      const std::string phonetic = PhoneticLookupKey(hangul);
      if (!phonetic.empty()) AddUnique(table.by_phonetic[phonetic], index);
    }
  }
  return table;
}

const SurnameTable& Surnames() {
  static const SurnameTable table = LoadSurnameTable();
  return table;
}

// The Hangul syllables of `s`, or empty if it has none.
std::u32string HangulOnly(std::u32string_view s) {
  std::u32string out;
  for (char32_t c : s) {
    if (IsHangulSyllable(c)) out.push_back(c);
  }
  return out;
}

// Table index of an exact spelling, or -1 / empty.
std::vector<int> ExactSurnameIndices(std::u32string_view cleaned) {
  const SurnameTable& table = Surnames();
  const std::u32string hangul = HangulOnly(cleaned);
  if (!hangul.empty()) {
    auto it = table.by_hangul.find(ToUtf8(hangul));
    if (it != table.by_hangul.end()) return {it->second};
    return {};
  }
  std::string key;
  for (char32_t c : cleaned) {
    if (c >= U'a' && c <= U'z') key += static_cast<char>(c);
  }
  auto it = table.by_latin.find(key);
  if (it != table.by_latin.end()) return it->second;
  return {};
}

// Frequency rank of a surname token (0 = most frequent), or max for unknown.
int SurnameRank(std::string_view token) {
  const std::vector<int> indices = ExactSurnameIndices(Clean(token, true));
  if (indices.empty()) return std::numeric_limits<int>::max();
  return *std::min_element(indices.begin(), indices.end());
}

// ---- Given-name similarity ---------------------------------------------------------------

double SyllableSimilarity(const Syllable& a, const Syllable& b) {
  if (a == b) return 1.0;
  // Partial credit only when two of the three parts agree (a slip in one letter: 철/칠);
  // one shared part (민/희 share only the vowel class) is chance.
  const double shared =
      0.4 * (a.onset == b.onset) + 0.4 * (a.vowel == b.vowel) + 0.2 * (a.coda == b.coda);
  return shared >= 0.6 - 1e-9 ? shared : 0.0;
}

// Global alignment of syllable sequences: substitution costs 1 - similarity, insertion or
// deletion 1; returns 1 - cost / max(|a|, |b|). `reversed` aligns a with b read backwards.
// Stack rows for names of up to kInlineSyllables syllables (all real given names).
constexpr std::size_t kInlineSyllables = 15;

double AlignedSimilarity(const std::vector<Syllable>& a, const std::vector<Syllable>& b,
                         bool reversed) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::array<double, kInlineSyllables + 1> row_a;
  std::array<double, kInlineSyllables + 1> row_b;
  std::vector<double> heap;
  double* prev = row_a.data();
  double* cur = row_b.data();
  if (m > kInlineSyllables) {
    heap.resize(2 * (m + 1));
    prev = heap.data();
    cur = heap.data() + (m + 1);
  }
  for (std::size_t j = 0; j <= m; ++j) prev[j] = static_cast<double>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<double>(i);
    for (std::size_t j = 1; j <= m; ++j) {
      const Syllable& bj = reversed ? b[m - j] : b[j - 1];
      const double sub = prev[j - 1] + (1.0 - SyllableSimilarity(a[i - 1], bj));
      cur[j] = std::min({prev[j] + 1.0, cur[j - 1] + 1.0, sub});
    }
    std::swap(prev, cur);
  }
  return 1.0 - prev[m] / static_cast<double>(std::max(n, m));
}

// The other reading of the cut between syllables i and i + 1 of a solid word, if there is one:
// ng|vowel <-> n|g (geung-wang / geun-gwang), and a consonant moving across the cut
// (han-a / ha-na, pok-un / po-kun, nam-yong / na-myong, sil-wol / si-lwol).
std::optional<std::pair<Syllable, Syllable>> RecutAt(const std::vector<Syllable>& v,
                                                     std::size_t i) {
  Syllable left = v[i];
  Syllable right = v[i + 1];
  if (left.coda == kCNg && right.onset == kONone) {
    left.coda = kCN;
    right.onset = kOK;
  } else if (left.coda == kCN && right.onset == kOK) {
    left.coda = kCNg;
    right.onset = kONone;
  } else if (left.coda != kCNone && right.onset == kONone) {
    switch (left.coda) {
      case kCK:
        right.onset = kOK;
        break;
      case kCN:
        right.onset = kON;
        break;
      case kCL:
        right.onset = kON;
        break;
      case kCM:
        right.onset = kOM;
        break;
      case kCP:
        right.onset = kOP;
        break;
      case kCT:
        right.onset = kOT;
        break;
      default:
        return std::nullopt;
    }
    left.coda = kCNone;
  } else if (left.coda == kCNone && right.onset != kONone) {
    switch (right.onset) {
      case kOK:
        left.coda = kCK;
        break;
      case kON:
        left.coda = kCN;
        break;
      case kOM:
        left.coda = kCM;
        break;
      case kOP:
        left.coda = kCP;
        break;
      case kOT:
        left.coda = kCT;
        break;
      default:
        return std::nullopt;
    }
    right.onset = kONone;
  } else {
    return std::nullopt;
  }
  return std::make_pair(Finish(left), Finish(right));
}

constexpr std::size_t kMaxRecutBoundaries = 3;

constexpr double kSwappedFactor = 0.95;
constexpr double kResegmentedScore = 0.95;
constexpr double kAlternativeReadingFactor = 0.97;

}  // namespace

// ---- Public API ------------------------------------------------------------------------------

std::string NormalizeName(std::string_view name) { return ToUtf8(Clean(name, /*fold=*/true)); }

bool ContainsHangul(std::string_view s) {
  // Every Hangul range is in the three-byte UTF-8 block: test each well-formed 3-byte sequence.
  auto byte = [&s](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    if (byte(i) < 0xE0 || byte(i) >= 0xF0) continue;
    if ((byte(i + 1) & 0xC0) != 0x80 || (byte(i + 2) & 0xC0) != 0x80) continue;
    const char32_t c = (static_cast<char32_t>(byte(i) & 0x0F) << 12) |
                       (static_cast<char32_t>(byte(i + 1) & 0x3F) << 6) |
                       static_cast<char32_t>(byte(i + 2) & 0x3F);
    if (IsHangulAny(c)) return true;
  }
  return false;
}

std::string RomanizeHangul(std::string_view s) {
  std::string out;
  for (char32_t c : NfcCodePoints(s)) {
    if (!IsHangulSyllable(c)) {
      AppendUtf8(out, c);
      continue;
    }
    const Jamo j = Decompose(c);
    out += kRrInitial[j.initial];
    out += kRrMedial[j.medial];
    out += kRrFinal[j.final];
  }
  return out;
}

std::vector<SurnameKey> SurnameCandidates(std::string_view surname_any_script) {
  const SurnameTable& table = Surnames();
  const std::u32string cleaned = Clean(surname_any_script, /*fold=*/true);
  std::vector<int> indices = ExactSurnameIndices(cleaned);
  const std::u32string hangul = HangulOnly(cleaned);
  if (indices.empty() && !hangul.empty()) {
    // Not in the table: the Hangul itself, in its South Korean (initial-sound rule) form.
    std::u32string key = hangul;
    key[0] = ApplyInitialSoundRule(key[0]);
    return {ToUtf8(key)};
  }
  if (indices.empty()) {
    auto it = table.by_phonetic.find(PhoneticLookupKey(ToUtf8(cleaned)));
    if (it != table.by_phonetic.end()) indices = it->second;
  }
  std::sort(indices.begin(), indices.end());
  std::vector<SurnameKey> out;
  out.reserve(indices.size());
  for (int i : indices) out.push_back(table.entries[static_cast<std::size_t>(i)].south);
  return out;
}

bool SurnamesCompatible(std::string_view a, std::string_view b) {
  const std::vector<SurnameKey> ca = SurnameCandidates(a);
  const std::vector<SurnameKey> cb = SurnameCandidates(b);
  if (!ca.empty() && !cb.empty()) {
    for (const SurnameKey& x : ca) {
      if (std::find(cb.begin(), cb.end(), x) != cb.end()) return true;
    }
    return false;
  }
  const std::string na = NormalizeName(a);
  const std::string nb = NormalizeName(b);
  if (na.empty() || nb.empty()) return false;
  if (na == nb) return true;
  const std::string pa = PhoneticLookupKey(a);
  return !pa.empty() && pa == PhoneticLookupKey(b);
}

bool IsKnownSurname(std::string_view s) {
  return !ExactSurnameIndices(Clean(s, /*fold=*/true)).empty();
}

std::vector<std::string> PhoneticSyllables(std::string_view name) {
  std::vector<std::string> out;
  for (const Syllable& s : NameSyllables(name, nullptr)) out.push_back(SyllableText(s));
  return out;
}

std::string PhoneticKey(std::string_view name, bool sort_syllables) {
  std::vector<std::string> syllables = PhoneticSyllables(name);
  if (sort_syllables) std::sort(syllables.begin(), syllables.end());
  std::string out;
  for (std::size_t i = 0; i < syllables.size(); ++i) {
    if (i > 0) out += '-';
    out += syllables[i];
  }
  return out;
}

GivenNameKey PrepareGivenName(std::string_view given_name) {
  GivenNameKey key;
  std::vector<std::size_t> boundaries;
  key.syllables = NameSyllables(given_name, &key.segmented, &boundaries);
  // Each cut inside a solid word that could have gone one letter the other way becomes a
  // re-cut alternative: ng|vowel <-> n|g (Geungwang: geung-wang or geun-gwang) and n|vowel <->
  // |n (Hana: han-a or ha-na). Combinations of up to kMaxRecutBoundaries such cuts.
  std::vector<std::size_t> flippable;
  for (std::size_t i : boundaries) {
    if (RecutAt(key.syllables, i)) flippable.push_back(i);
  }
  if (flippable.size() > kMaxRecutBoundaries) flippable.resize(kMaxRecutBoundaries);
  for (std::size_t mask = 1; mask < (std::size_t{1} << flippable.size()); ++mask) {
    std::vector<Syllable> alternative = key.syllables;
    for (std::size_t bit = 0; bit < flippable.size(); ++bit) {
      if (mask & (std::size_t{1} << bit)) {
        if (auto flipped = RecutAt(alternative, flippable[bit])) {
          alternative[flippable[bit]] = flipped->first;
          alternative[flippable[bit] + 1] = flipped->second;
        }
      }
    }
    if (alternative != key.syllables) key.recuts.push_back(std::move(alternative));
  }
  return key;
}

double GivenNameSimilarity(const GivenNameKey& a, const GivenNameKey& b) {
  if (a.syllables.empty() || b.syllables.empty()) return 0.0;
  if (a.syllables == b.syllables) return 1.0;
  double score = AlignedSimilarity(a.syllables, b.syllables, /*reversed=*/false);
  if (b.syllables.size() > 1) {
    score = std::max(
        score, kSwappedFactor * AlignedSimilarity(a.syllables, b.syllables, /*reversed=*/true));
  }
  // A solid Latin word may have been cut in the wrong place: the other cuts score a little
  // less than the first choice.
  if (!a.recuts.empty() || !b.recuts.empty()) {
    auto best = [&](const std::vector<Syllable>& x, const std::vector<Syllable>& y) {
      if (x == y) return 1.0;
      double s = AlignedSimilarity(x, y, false);
      if (y.size() > 1) s = std::max(s, kSwappedFactor * AlignedSimilarity(x, y, true));
      return s;
    };
    for (const auto& x : a.recuts)
      score = std::max(score, kResegmentedScore * best(x, b.syllables));
    for (const auto& y : b.recuts)
      score = std::max(score, kResegmentedScore * best(a.syllables, y));
    for (const auto& x : a.recuts) {
      for (const auto& y : b.recuts) score = std::max(score, kResegmentedScore * best(x, y));
    }
  }
  return std::clamp(score, 0.0, 1.0);
}

double GivenNameSimilarity(std::string_view a, std::string_view b) {
  return GivenNameSimilarity(PrepareGivenName(a), PrepareGivenName(b));
}

Result<std::vector<ParsedName>> KoreanNameReadings(std::string_view full) {
  const std::u32string cleaned = Clean(full, /*fold=*/false);
  bool has_letter = false;
  for (char32_t c : cleaned) {
    if (u_isalpha(static_cast<UChar32>(c)) || IsHangulSyllable(c)) has_letter = true;
  }
  if (!has_letter) return Status::InvalidInput("name has no letters");

  std::vector<ParsedName> readings;
  auto add = [&](std::u32string family, std::u32string given, bool family_first) {
    auto trim = [](std::u32string s) {
      while (!s.empty() && (s.back() == U' ' || s.back() == U',')) s.pop_back();
      std::size_t start = 0;
      while (start < s.size() && (s[start] == U' ' || s[start] == U',')) ++start;
      return s.substr(start);
    };
    ParsedName parsed;
    parsed.family = ToUtf8(trim(std::move(family)));
    parsed.given = ToUtf8(trim(std::move(given)));
    parsed.family_first = family_first;
    parsed.family_known = !parsed.family.empty() && IsKnownSurname(parsed.family);
    readings.push_back(std::move(parsed));
  };

  // "Family, Given".
  if (const std::size_t comma = cleaned.find(U','); comma != std::u32string::npos) {
    add(cleaned.substr(0, comma), cleaned.substr(comma + 1), true);
    return readings;
  }

  std::vector<std::u32string> tokens;
  for (std::size_t start = 0; start < cleaned.size();) {
    std::size_t end = cleaned.find(U' ', start);
    if (end == std::u32string::npos) end = cleaned.size();
    tokens.push_back(cleaned.substr(start, end - start));
    start = end + 1;
  }

  if (tokens.size() == 1) {
    const std::u32string& t = tokens[0];
    const bool all_hangul = std::all_of(t.begin(), t.end(), IsHangulSyllable);
    if (all_hangul && t.size() >= 2) {
      // Two-syllable surname only if a given name remains (남궁민, not 남궁 alone); the
      // one-syllable reading (선 + 우진 for 선우진) is the alternative.
      if (t.size() >= 3 && IsKnownSurname(ToUtf8(t.substr(0, 2)))) {
        add(t.substr(0, 2), t.substr(2), true);
      }
      add(t.substr(0, 1), t.substr(1), true);
    } else if (IsKnownSurname(ToUtf8(t))) {
      add(t, U"", true);
    } else {
      add(U"", t, true);
    }
    return readings;
  }

  auto is_upper_token = [](const std::u32string& t) {
    int cased = 0;
    for (char32_t c : t) {
      if (u_islower(static_cast<UChar32>(c))) return false;
      if (u_isupper(static_cast<UChar32>(c))) ++cased;
    }
    return cased >= 2;
  };
  auto has_hyphen = [](const std::u32string& t) { return t.find(U'-') != std::u32string::npos; };

  const std::u32string& first = tokens.front();
  const std::u32string& last = tokens.back();
  bool family_is_first = true;
  const bool all_upper = std::all_of(tokens.begin(), tokens.end(), is_upper_token);
  const bool first_upper = !all_upper && is_upper_token(first);
  const bool last_upper = !all_upper && is_upper_token(last);
  const int first_rank = SurnameRank(ToUtf8(first));
  const int last_rank = SurnameRank(ToUtf8(last));
  constexpr int kUnknown = std::numeric_limits<int>::max();
  if (first_upper != last_upper) {
    family_is_first = first_upper;
  } else if ((first_rank == kUnknown) != (last_rank == kUnknown)) {
    family_is_first = first_rank != kUnknown;
  } else if (has_hyphen(first) != has_hyphen(last)) {
    family_is_first = !has_hyphen(first);
  } else if (first_rank != kUnknown) {
    family_is_first = first_rank <= last_rank;
  }

  auto add_split = [&](bool at_first) {
    std::u32string given;
    const std::size_t skip = at_first ? 0 : tokens.size() - 1;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (i == skip) continue;
      if (!given.empty()) given += U' ';
      given += tokens[i];
    }
    add(at_first ? first : last, given, at_first);
  };
  add_split(family_is_first);
  // The other end, when it too is a known surname (Jong Min Yun: 정 or 윤).
  if ((family_is_first ? last_rank : first_rank) != kUnknown) add_split(!family_is_first);
  return readings;
}

Result<ParsedName> ParseKoreanName(std::string_view full) {
  MEMORIA_ASSIGN_OR_RETURN(std::vector<ParsedName> readings, KoreanNameReadings(full));
  return std::move(readings.front());
}

PreparedName PrepareFullName(std::string_view full) {
  PreparedName prepared;
  Result<std::vector<ParsedName>> readings = KoreanNameReadings(full);
  if (!readings.ok()) return prepared;
  for (ParsedName& parsed : *readings) {
    PreparedName::Reading r;
    r.surnames = SurnameCandidates(parsed.family);
    r.family_key = NormalizeName(parsed.family);
    r.family_phonetic = PhoneticLookupKey(parsed.family);
    r.given = PrepareGivenName(parsed.given);
    r.parsed = std::move(parsed);
    prepared.readings.push_back(std::move(r));
  }
  return prepared;
}

namespace {

bool ReadingSurnamesCompatible(const PreparedName::Reading& a, const PreparedName::Reading& b) {
  if (!a.surnames.empty() && !b.surnames.empty()) {
    for (const SurnameKey& x : a.surnames) {
      if (std::find(b.surnames.begin(), b.surnames.end(), x) != b.surnames.end()) return true;
    }
    return false;
  }
  if (a.family_key.empty() || b.family_key.empty()) return false;
  return a.family_key == b.family_key ||
         (!a.family_phonetic.empty() && a.family_phonetic == b.family_phonetic);
}

}  // namespace

FullNameComparison CompareFullNames(const PreparedName& a, const PreparedName& b) {
  FullNameComparison best;
  bool first = true;
  for (std::size_t i = 0; i < a.readings.size(); ++i) {
    for (std::size_t j = 0; j < b.readings.size(); ++j) {
      FullNameComparison c;
      c.surnames_compatible = ReadingSurnamesCompatible(a.readings[i], b.readings[j]);
      c.given_similarity = GivenNameSimilarity(a.readings[i].given, b.readings[j].given);
      // A less likely reading must agree a little better to win.
      if (i > 0) c.given_similarity *= kAlternativeReadingFactor;
      if (j > 0) c.given_similarity *= kAlternativeReadingFactor;
      c.reading_a = i;
      c.reading_b = j;
      // Compatible surnames first, then the given names; ties keep the likelier readings.
      if (first || std::make_pair(c.surnames_compatible, c.given_similarity) >
                       std::make_pair(best.surnames_compatible, best.given_similarity)) {
        best = c;
        first = false;
      }
    }
  }
  return best;
}

}  // namespace memoria::linkage
