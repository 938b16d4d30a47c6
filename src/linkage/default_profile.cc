// The default settings profile, compiled in. Keep identical to
// linkage/settings/memoria_default.json (default_profile_test checks it).
#include <cstdlib>

#include "linkage/settings.h"

namespace memoria::linkage {
namespace {

constexpr std::string_view kDefaultJson = R"json(
{
  "description": "memoria person reports: record_id,source,full_name,family_name,given_name,sex,birth_date,birth_place,event_date,event_place. Names in any script and order (Korean-aware); dates are EDTF.",
  "link_type": "link_and_dedupe",
  "id_column": "record_id",
  "source_column": "source",
  "blocking_rules": [
    {"name": "surname_given", "keys": [
      {"columns": ["full_name", "family_name", "given_name"], "transform": "surname_key"},
      {"columns": ["full_name", "family_name", "given_name"], "transform": "given_phonetic"}]},
    {"name": "surname_birth_year", "keys": [
      {"columns": ["full_name", "family_name", "given_name"], "transform": "surname_key"},
      {"column": "birth_date", "transform": "year"}]},
    {"name": "given_birth_year", "keys": [
      {"columns": ["full_name", "family_name", "given_name"], "transform": "given_phonetic"},
      {"column": "birth_date", "transform": "year"}]},
    {"name": "birth_date_place", "keys": [
      {"column": "birth_date"},
      {"column": "birth_place"}]}
  ],
  "comparisons": [
    {"name": "surname", "kind": "korean_name", "columns": ["full_name", "family_name", "given_name"],
     "levels": [{"type": "surname_match"}],
     "term_frequency": true},
    {"name": "given_name", "kind": "korean_name", "columns": ["full_name", "family_name", "given_name"],
     "levels": [
       {"type": "given_phonetic"},
       {"type": "given_similarity", "threshold": 0.9},
       {"type": "given_similarity", "threshold": 0.6}]},
    {"name": "sex", "column": "sex", "levels": [{"type": "exact"}]},
    {"name": "birth_date", "kind": "date", "column": "birth_date", "date_format": "edtf",
     "levels": [
       {"type": "exact"},
       {"type": "date_within_days", "max": 0, "label": "ranges_overlap"},
       {"type": "date_years_within", "max": 1},
       {"type": "date_years_within", "max": 3}]},
    {"name": "birth_place", "column": "birth_place",
     "levels": [{"type": "exact"}, {"type": "jaro_winkler", "threshold": 0.9}],
     "term_frequency": true},
    {"name": "event_date", "kind": "date", "column": "event_date", "date_format": "edtf",
     "levels": [
       {"type": "date_within_days", "max": 0, "label": "ranges_overlap"},
       {"type": "date_within_days", "max": 31},
       {"type": "date_years_within", "max": 1}]},
    {"name": "event_place", "column": "event_place",
     "levels": [{"type": "exact"}, {"type": "jaro_winkler", "threshold": 0.9}],
     "term_frequency": true}
  ],
  "training": {"u_pairs": 2000000, "seed": 42},
  "thresholds": {"match": 0.9, "review_low": 0.5, "review_high": 0.9},
  "cluster": {"max_size": 100, "min_density": 0.0}
}
)json";

}  // namespace

std::string_view DefaultSettingsJson() { return kDefaultJson; }

const Settings& DefaultSettings() {
  static const Settings settings = [] {
    auto parsed = ParseSettings(kDefaultJson, "memoria_default.json");
    // The profile is part of the program: failing to parse it is a bug, caught by its test.
    if (!parsed.ok()) std::abort();
    return std::move(parsed).value();
  }();
  return settings;
}

}  // namespace memoria::linkage
