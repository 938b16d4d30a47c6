// Linkage settings: what a JSON settings file (docs/linkage.md, "Settings reference") says,
// parsed and validated into plain structs. The engine never reads JSON itself.
//
// ParseSettings rejects unknown keys, unknown level types and out-of-range parameters with an
// InvalidInput status whose field names the offending key (e.g. "comparisons[2].levels[1].type").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace memoria::linkage {

// Which record pairs are candidates.
enum class LinkType {
  kDedupe,         // every pair of records
  kLink,           // only pairs whose sources differ (two or more lists, no within-list pairs)
  kLinkAndDedupe,  // every pair, within and across sources
};

// How a column's text is normalised before it is compared or used as a key.
enum class Normalize {
  kNone,   // as is (leading/trailing white space trimmed)
  kLower,  // NFKC case-folded (ICU), white space collapsed
  kAlnum,  // as kLower, then only letters and digits kept
};

// One part of a blocking key: a function of one column (or of a Korean name, see kind).
struct KeyPart {
  enum class Kind {
    kExact,          // the normalised value
    kFirst,          // its first `n` code points
    kLast,           // its last `n` code points
    kSoundex,        // American Soundex of the normalised value
    kYear,           // the year of a date column (see date_format)
    kSurnameKey,     // Korean surname candidates (multi-valued: one key per candidate)
    kGivenPhonetic,  // phonetic key of a Korean given name (romanization variants meet)
  };
  Kind kind = Kind::kExact;
  std::vector<std::string> columns;  // one column; kYear with date_format ymd takes three
  int n = 0;                         // for kFirst / kLast
  Normalize normalize = Normalize::kLower;
  std::string date_format = "edtf";  // for kYear: edtf | yyyymmdd | ymd
};

// A blocking rule: records whose key parts all agree (and are non-null) are compared.
struct BlockingRule {
  std::string name;
  std::vector<KeyPart> parts;
  // Blocks larger than this are skipped (with a warning in the run report); 0 = no limit.
  std::int64_t max_block_size = 0;
};

// One level of a comparison. Levels are tried in order; the first that holds wins. The null
// level (either value missing) and the final "else" level are implicit.
struct Level {
  enum class Type {
    kExact,            // equal normalised values (dates: equal text)
    kJaroWinkler,      // Jaro–Winkler similarity >= threshold
    kJaro,             // Jaro similarity >= threshold
    kLevenshtein,      // edit distance <= max
    kDamerau,          // optimal-string-alignment distance <= max
    kSwapped,          // columns[0] of one record equals columns[1] of the other, both ways
    kDateWithinDays,   // date ranges at most `max` days apart (overlap = 0 days)
    kDateSameMonth,    // the ranges share a calendar month
    kDateYearsWithin,  // the ranges' years differ by at most `max` years
    kNumericWithin,    // |a - b| <= max
    kSurnameMatch,     // Korean: surname candidate sets intersect
    kGivenPhonetic,    // Korean: given-name phonetic keys equal
    kGivenSimilarity,  // Korean: syllable-wise given-name similarity >= threshold
    kNameSimilarity,   // Korean: surname sets intersect and given-name similarity >= threshold
    kDifferAtMost,     // agreement: at most `max` of the columns present in both records differ
  };
  Type type = Type::kExact;
  double threshold = 0;  // similarity levels
  double max = 0;        // distance levels (edits, days, years, numeric difference)
  // String similarity levels (jaro_winkler, jaro, levenshtein, damerau_levenshtein): when > 0,
  // the level holds only if the rarer of the two values occurs at most this many times in the
  // input. A typo makes a rare value; two common values a few edits apart (Andrea / Andreas,
  // Schmidt / Schmitt) are usually different names, and fall to a later level.
  std::int64_t rarer_max_count = 0;
  std::string label;  // shown in pairs/review output; derived from type when empty
};

// What kind of value a comparison looks at.
enum class ValueKind {
  kString,      // text (normalised per `normalize`)
  kDate,        // a date: EDTF text, YYYYMMDD, or three columns year, month, day
  kNumeric,     // a number
  kKoreanName,  // a person's name: columns full_name [, family_name, given_name]
  // Several columns at once (2-16): the number of columns, among those present in both
  // records, whose normalised values differ. Models the dependence between fields that
  // conditional independence misses (e.g. a duplicate differs in one field, rarely in two).
  kAgreement,
};

struct Comparison {
  std::string name;
  ValueKind kind = ValueKind::kString;
  std::vector<std::string> columns;
  Normalize normalize = Normalize::kLower;
  std::string date_format = "edtf";  // edtf | yyyymmdd | ymd
  std::vector<Level> levels;
  // Term-frequency adjustment of the exact level: the Bayes factor of an exact agreement on
  // value v becomes m / tf(v)^w * u^(w-1) (w = tf_weight), i.e. a common value says less.
  bool term_frequency = false;
  double tf_weight = 1.0;
  double tf_min = 1e-6;
  // Optional starting m probabilities, one per listed level plus the final "else" level.
  std::vector<double> m_start;
};

struct TrainingSettings {
  std::int64_t u_pairs = 2'000'000;  // random pairs sampled to estimate u (all if fewer exist)
  std::uint64_t seed = 42;
  std::vector<std::string> em_rules;  // blocking rules used as EM sessions; empty = all rules
  int max_iterations = 100;
  double tolerance = 1e-6;
  // Probability that two random records match; estimated when absent.
  std::optional<double> prior;
  // Caps the pairs of one EM session (sampled deterministically when larger); 0 = no cap.
  std::int64_t em_max_pairs = 20'000'000;
};

struct Thresholds {
  double match = 0.9;        // pairs with probability >= match are linked
  double review_low = 0.5;   // review queue: review_low <= p < review_high
  double review_high = 0.9;  //
  double pairs_min = 0.5;    // scored pairs at or above this are written to --pairs
};

// Guard against chaining: a connected component is split (its weakest non-accepted links
// removed, repeatedly) while it is larger than max_size, or has at least 3 records and a
// share of linked pairs below min_density, or holds two records a reviewer rejected.
struct ClusterSettings {
  std::int64_t max_size = 0;  // 0 = no size limit
  double min_density = 0.0;   // 0 = no density rule
  // Records of one component (3 to 1,000 records) whose own pair scores a probability below
  // this are kept apart as if a reviewer had rejected the pair (0 = off).
  double split_below = 0.0;
};

// How ground truth is read from the input, for evaluation (optional).
struct TruthSettings {
  std::string column;    // a column holding the entity id
  std::string id_regex;  // or: the first capture group of this regex on the record id
};

struct Settings {
  LinkType link_type = LinkType::kDedupe;
  std::string id_column = "record_id";
  std::string source_column;  // optional; default: the input file's position
  std::vector<std::string> null_values = {""};
  std::vector<BlockingRule> blocking_rules;
  std::vector<Comparison> comparisons;
  TrainingSettings training;
  Thresholds thresholds;
  ClusterSettings cluster;
  TruthSettings truth;
};

// Parses settings from JSON text. `file` names the source in errors.
Result<Settings> ParseSettings(std::string_view json_text, const std::string& file = "settings");

// Reads and parses a settings file (NotFound if it cannot be opened); an empty path gives the
// default profile (DefaultSettings()).
Result<Settings> LoadSettings(const std::string& path);

// The default profile for memoria's person reports (linkage/settings/memoria_default.json,
// compiled in): columns record_id, source, full_name, family_name, given_name, sex,
// birth_date, birth_place, event_date, event_place.
const Settings& DefaultSettings();
std::string_view DefaultSettingsJson();

// Label of a level for output, e.g. "jaro_winkler>=0.92".
std::string LevelLabel(const Level& level);

}  // namespace memoria::linkage
