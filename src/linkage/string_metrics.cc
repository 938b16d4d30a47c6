#include "linkage/string_metrics.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace memoria::linkage {
namespace {

constexpr std::size_t kInline = 64;  // strings up to this many code points use stack buffers
constexpr char32_t kReplacement = 0xFFFD;

// Decodes one code point starting at s[i]; advances i. Invalid sequences (bad lead byte,
// truncated, overlong, surrogate, > U+10FFFF) decode to U+FFFD and consume one byte.
char32_t DecodeOne(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  } else {
    ++i;
    return kReplacement;
  }
  if (i + len > s.size()) {
    ++i;
    return kReplacement;
  }
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return kReplacement;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kReplacement;
  }
  i += len;
  return cp;
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// A scratch vector per thread and slot, grown once and reused, for strings too long for the
// stack buffers.
template <typename T, int kSlot>
std::vector<T>& Scratch(std::size_t n) {
  thread_local std::vector<T> v;
  if (v.size() < n) v.resize(n);
  return v;
}

// Code points of a UTF-8 string: on the stack when short, else in per-thread scratch.
template <int kSlot>
class Decoded {
 public:
  explicit Decoded(std::string_view s) {
    char32_t* out = inline_;
    if (s.size() > kInline) {  // bytes >= code points, so this is enough room
      out = Scratch<char32_t, kSlot>(s.size()).data();
    }
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size();) out[n++] = DecodeOne(s, i);
    view_ = std::u32string_view(out, n);
  }
  std::u32string_view view() const { return view_; }

 private:
  char32_t inline_[kInline];
  std::u32string_view view_;
};

// Calls f(a, b) with both strings as spans of one code-unit type: bytes when both are ASCII,
// otherwise decoded code points.
template <typename F>
auto WithCodePoints(std::string_view a, std::string_view b, F&& f) {
  if (IsAscii(a) && IsAscii(b)) return f(a, b);
  Decoded<0> da(a);
  Decoded<1> db(b);
  return f(da.view(), db.view());
}

// ---- Jaro --------------------------------------------------------------------------------

template <typename S>
double JaroImpl(S a, S b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  if (n == 0 && m == 0) return 1.0;
  if (n == 0 || m == 0) return 0.0;
  const std::size_t longer = std::max(n, m);
  const std::size_t window = longer / 2 > 0 ? longer / 2 - 1 : 0;

  // unsigned char, not bool: std::vector<bool> has no data().
  unsigned char a_inline[kInline];
  unsigned char b_inline[kInline];
  unsigned char* a_matched = n <= kInline ? a_inline : Scratch<unsigned char, 2>(n).data();
  unsigned char* b_matched = m <= kInline ? b_inline : Scratch<unsigned char, 3>(m).data();
  std::fill(a_matched, a_matched + n, 0);
  std::fill(b_matched, b_matched + m, 0);

  std::size_t matches = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t lo = i > window ? i - window : 0;
    const std::size_t hi = std::min(m, i + window + 1);
    for (std::size_t j = lo; j < hi; ++j) {
      if (!b_matched[j] && a[i] == b[j]) {
        a_matched[i] = b_matched[j] = 1;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;

  std::size_t half_transpositions = 0;
  std::size_t k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!a_matched[i]) continue;
    while (!b_matched[k]) ++k;
    if (a[i] != b[k]) ++half_transpositions;
    ++k;
  }
  const double mt = static_cast<double>(matches);
  const double t = static_cast<double>(half_transpositions / 2);
  return (mt / static_cast<double>(n) + mt / static_cast<double>(m) + (mt - t) / mt) / 3.0;
}

template <typename S>
double JaroWinklerImpl(S a, S b, const JaroWinklerOptions& o) {
  const double j = JaroImpl(a, b);
  if (!(j > o.boost_threshold)) return j;
  const std::size_t cap = o.max_prefix > 0 ? static_cast<std::size_t>(o.max_prefix) : 0;
  const std::size_t limit = std::min({a.size(), b.size(), cap});
  std::size_t l = 0;
  while (l < limit && a[l] == b[l]) ++l;
  const double jw = j + static_cast<double>(l) * o.prefix_scale * (1.0 - j);
  return std::min(jw, 1.0);
}

// ---- Edit distances ----------------------------------------------------------------------

// Removes the common prefix and suffix, which never change an edit distance.
template <typename S>
void StripCommon(S& a, S& b) {
  std::size_t p = 0;
  while (p < a.size() && p < b.size() && a[p] == b[p]) ++p;
  a.remove_prefix(p);
  b.remove_prefix(p);
  std::size_t s = 0;
  while (s < a.size() && s < b.size() && a[a.size() - 1 - s] == b[b.size() - 1 - s]) ++s;
  a.remove_suffix(s);
  b.remove_suffix(s);
}

// Row-by-row dynamic programme over b, with one (Levenshtein) or two (OSA) previous rows kept.
// Stops once every cell of a row exceeds k: later rows can only be larger (for OSA, a
// transposition reaches back two rows, but a row whose minimum is > k implies the row before
// it has minimum >= k, so a transposition from it also gives > k).
template <bool kTranspose, typename S>
int EditDistanceImpl(S a, S b, int max_distance) {
  const int k = std::max(max_distance, 0);
  StripCommon(a, b);
  if (a.size() < b.size()) std::swap(a, b);  // b is the shorter: rows are |b| + 1 long
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  if (m == 0) return n > static_cast<std::size_t>(k) ? k + 1 : static_cast<int>(n);
  if (n - m > static_cast<std::size_t>(k)) return k + 1;

  int inline_rows[3][kInline + 1];
  int* rows[3];
  if (m + 1 <= kInline + 1) {
    rows[0] = inline_rows[0];
    rows[1] = inline_rows[1];
    rows[2] = inline_rows[2];
  } else {
    int* base = Scratch<int, 4>(3 * (m + 1)).data();
    rows[0] = base;
    rows[1] = base + (m + 1);
    rows[2] = base + 2 * (m + 1);
  }
  int* prev2 = rows[0];  // row i-2 (OSA only)
  int* prev = rows[1];   // row i-1
  int* cur = rows[2];    // row i
  for (std::size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);

  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    int row_min = cur[0];
    const auto ai = a[i - 1];
    for (std::size_t j = 1; j <= m; ++j) {
      const int cost = ai == b[j - 1] ? 0 : 1;
      int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if constexpr (kTranspose) {
        if (i > 1 && j > 1 && ai == b[j - 2] && a[i - 2] == b[j - 1]) {
          v = std::min(v, prev2[j - 2] + 1);
        }
      }
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > k) return k + 1;
    int* old = prev2;
    prev2 = prev;
    prev = cur;
    cur = old;
  }
  const int d = prev[m];
  return d > k ? k + 1 : d;
}

}  // namespace

// ---- Public API --------------------------------------------------------------------------

double Jaro(std::string_view a, std::string_view b) {
  return WithCodePoints(a, b, [](auto x, auto y) { return JaroImpl(x, y); });
}

double Jaro(std::u32string_view a, std::u32string_view b) { return JaroImpl(a, b); }

double JaroWinkler(std::string_view a, std::string_view b, const JaroWinklerOptions& options) {
  return WithCodePoints(a, b, [&](auto x, auto y) { return JaroWinklerImpl(x, y, options); });
}

double JaroWinkler(std::u32string_view a, std::u32string_view b,
                   const JaroWinklerOptions& options) {
  return JaroWinklerImpl(a, b, options);
}

int Levenshtein(std::string_view a, std::string_view b, int max_distance) {
  return WithCodePoints(
      a, b, [&](auto x, auto y) { return EditDistanceImpl<false>(x, y, max_distance); });
}

int Levenshtein(std::u32string_view a, std::u32string_view b, int max_distance) {
  return EditDistanceImpl<false>(a, b, max_distance);
}

int DamerauOsa(std::string_view a, std::string_view b, int max_distance) {
  return WithCodePoints(a, b,
                        [&](auto x, auto y) { return EditDistanceImpl<true>(x, y, max_distance); });
}

int DamerauOsa(std::u32string_view a, std::u32string_view b, int max_distance) {
  return EditDistanceImpl<true>(a, b, max_distance);
}

double LevenshteinSimilarity(std::string_view a, std::string_view b) {
  return WithCodePoints(a, b, [](auto x, auto y) {
    const std::size_t longer = std::max(x.size(), y.size());
    if (longer == 0) return 1.0;
    const int d = EditDistanceImpl<false>(x, y, kNoMaxDistance);
    return 1.0 - static_cast<double>(d) / static_cast<double>(longer);
  });
}

std::size_t CodePointCount(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) DecodeOne(s, i);
  return n;
}

std::u32string DecodeUtf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) out.push_back(DecodeOne(s, i));
  return out;
}

std::string SortedTokens(std::string_view s, bool unique) {
  std::vector<std::string_view> tokens;
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    const std::size_t start = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    if (i > start) tokens.push_back(s.substr(start, i - start));
  }
  std::sort(tokens.begin(), tokens.end());
  if (unique) tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  std::string out;
  out.reserve(s.size());
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    if (t > 0) out.push_back(' ');
    out.append(tokens[t]);
  }
  return out;
}

}  // namespace memoria::linkage
