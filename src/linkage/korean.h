// Korean personal names for record linkage: normalization, romanization, the surname table,
// a phonetic key that folds romanization variants, given-name similarity and family/given
// splitting. The method, rules and known limits are in docs/korean-names.md.
//
// All functions take UTF-8 (any script; invalid bytes are replaced by U+FFFD, never an error
// unless stated), are thread-safe, and never throw. The surname table is compiled into the
// binary (data/linkage/korean_surnames.csv) and parsed once on first use.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace memoria::linkage {

// ---------------------------------------------------------------------------------------------
// Normalization and romanization

// A comparison key for a name: NFC, trimmed, runs of whitespace collapsed to one ASCII space,
// case-folded, Latin diacritics stripped (ŏ ŭ ă é -> o u a e) and apostrophes removed
// (' ’ ‘ ʼ ` ´). Hangul is kept (NFC syllables). Hyphens are kept (they mark syllables).
// E.g. "  Kim   Yŏng-ch'ŏl " -> "kim yong-chol"; "김 영철" -> "김 영철".
std::string NormalizeName(std::string_view name);

// True if `s` contains at least one Hangul syllable (U+AC00..U+D7A3) or Hangul jamo.
bool ContainsHangul(std::string_view s);

// Revised Romanization of each Hangul syllable in `s`, syllable by syllable (no sound-change
// rules across syllables; final consonants in their final form: 박 -> bak, 철 -> cheol), in
// lowercase; syllables of one word joined without separator, other characters copied.
// E.g. "김영철" -> "gimyeongcheol", "영-철" -> "yeong-cheol".
// ICU's "Hangul-Latin" transliterator spells letter by letter instead (박 -> "bag"); that
// form is accepted everywhere as input (see docs/korean-names.md).
std::string RomanizeHangul(std::string_view s);

// ---------------------------------------------------------------------------------------------
// Surnames

// A canonical surname: its South Korean Hangul spelling (이 for 이/리, 유 for 유/류, ...). For a
// Hangul surname not in the table, the Hangul itself after the initial-sound rule (두음법칙).
using SurnameKey = std::string;

// The surnames `surname` can stand for, as canonical keys, most frequent first.
// - Hangul: one key (리 -> {이}; 남궁 -> {남궁}; unknown 뭐 -> {뭐}).
// - Latin (any of RR, MR, DPRK, ICU, common variant; case, diacritics, apostrophes, hyphens
//   and spaces ignored): every surname with that spelling (Song -> {송, 성}; Lee -> {이};
//   Ri -> {이}). A spelling not in the table is matched by its phonetic key against the
//   table's spellings; if that fails too, the result is empty.
// Empty or unparseable input gives an empty vector.
std::vector<SurnameKey> SurnameCandidates(std::string_view surname_any_script);

// True when `a` and `b` can be the same surname: their candidate sets intersect. If either
// has no candidates (an unknown Latin spelling), true when their normalized forms or phonetic
// keys are equal. Kim/김/Gim -> true; Lee/Rhee/Ri/Yi/이/리 -> true; Kim/Park -> false.
bool SurnamesCompatible(std::string_view a, std::string_view b);

// True when `s` (any script) is a surname in the table (exact spelling, no phonetic fallback).
bool IsKnownSurname(std::string_view s);

// ---------------------------------------------------------------------------------------------
// Phonetic key

// The phonetic keys of the syllables of a name (Hangul or romanized Korean, any system):
// each syllable becomes onset class + vowel class + final class, written in lowercase ASCII
// (e.g. 영 / yeong / young / yŏng / yong -> "yong"; 철 / cheol / chul / ch'ŏl / chol -> "col").
// Latin words are split on hyphens, spaces and apostrophes between syllables, and a word
// written solid ("Youngchul") is segmented into Korean syllables. Characters that are neither
// Hangul nor Latin letters are ignored. The rules are in docs/korean-names.md.
std::vector<std::string> PhoneticSyllables(std::string_view name);

// The syllable keys joined with '-' ("yong-col"); with `sort_syllables`, sorted first, so that
// swapped orders share the key (for blocking). Empty when the name has no syllables.
std::string PhoneticKey(std::string_view name, bool sort_syllables = false);

// ---------------------------------------------------------------------------------------------
// Given names

// A given name prepared once for repeated comparison (cheap to copy, no ICU at compare time).
struct GivenNameKey {
  struct Syllable {
    std::uint8_t onset = 0;
    std::uint8_t vowel = 0;
    std::uint8_t coda = 0;
    friend bool operator==(const Syllable&, const Syllable&) = default;
  };
  std::vector<Syllable> syllables;
  bool segmented = false;  // some word was written solid and split by guesswork
  // Other plausible cuts of solid words (Geungwang: geung-wang first, geun-gwang here).
  std::vector<std::vector<Syllable>> recuts;
};

GivenNameKey PrepareGivenName(std::string_view given_name);

// Similarity of two given names in [0, 1], syllable by syllable on the phonetic key:
// 1 when the syllable keys are equal in order (Yeong-cheol / Young Chul / 영철); slightly less
// (0.95) when equal in swapped order (Chol-yong); partial credit per syllable for a shared
// onset/vowel/final; syllables inserted or deleted cost a whole syllable. Mixed scripts,
// hyphens and spaces do not matter. 0 when either name has no syllables.
// Rough scale: >= 0.95 same name; 0.5..0.8 one syllable of two differs (영철 / 영희 ~ 0.5).
double GivenNameSimilarity(const GivenNameKey& a, const GivenNameKey& b);
double GivenNameSimilarity(std::string_view a, std::string_view b);

// ---------------------------------------------------------------------------------------------
// Full names

struct ParsedName {
  std::string family;         // as written (NFC, trimmed), e.g. "KIM"; empty if none could be found
  std::string given;          // the rest, as written, e.g. "Yeong-cheol"
  bool family_first = true;   // the family name came first in `full`
  bool family_known = false;  // the family name is in the surname table
};

// Splits a full name in any script and order into family and given name.
// - Hangul written solid: the first syllable is the family name, or the first two when they
//   form a two-syllable surname in the table (남궁민 -> 남궁 + 민) and a given name remains.
// - Tokens (Latin, or Hangul with spaces): "Kim, Yong Chol" (comma: family before it);
//   otherwise an all-uppercase first or last token is the family name ("Yeong-cheol KIM");
//   otherwise whichever of the first and last token is a known surname (both known: the more
//   frequent one; a tie: the first); otherwise the first token (Korean order).
// Errors: InvalidInput when the name is empty or only whitespace/punctuation.
// A single token gives family only for a known surname, else given only.
Result<ParsedName> ParseKoreanName(std::string_view full);

// Every plausible split of `full`, the likeliest (ParseKoreanName's) first: also the other end
// when both the first and the last token are known surnames ("Jong Min Yun": 정 or 윤), and
// the one-syllable surname of solid Hangul that starts with a two-syllable one (선우진: 선우 +
// 진, or 선 + 우진). At most two readings. Errors as ParseKoreanName.
Result<std::vector<ParsedName>> KoreanNameReadings(std::string_view full);

// A full name prepared once per record for CompareFullNames: its readings with their surname
// candidates and given-name keys. No readings when the name has no letters.
struct PreparedName {
  struct Reading {
    ParsedName parsed;
    std::vector<SurnameKey> surnames;  // SurnameCandidates(parsed.family)
    std::string family_key;            // NormalizeName(parsed.family), for unknown surnames
    std::string family_phonetic;       // phonetic key of parsed.family, for unknown surnames
    GivenNameKey given;
  };
  std::vector<Reading> readings;
};

PreparedName PrepareFullName(std::string_view full);

// How two full names agree under their best pair of readings: compatible surnames first, then
// the highest given-name similarity, where each non-first reading used multiplies the given-name
// similarity by 0.97. No readings on either side: incompatible, 0.
struct FullNameComparison {
  bool surnames_compatible = false;
  double given_similarity = 0.0;
  std::size_t reading_a = 0;  // indices into PreparedName::readings
  std::size_t reading_b = 0;
};

FullNameComparison CompareFullNames(const PreparedName& a, const PreparedName& b);

}  // namespace memoria::linkage
