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
    {"name": "name_birth_year", "keys": [
      {"columns": ["full_name", "family_name", "given_name"], "transform": "surname_key"},
      {"columns": ["full_name", "family_name", "given_name"], "transform": "given_phonetic"},
      {"column": "birth_date", "transform": "year"}]},
    {"name": "name_event_year", "keys": [
      {"columns": ["full_name", "family_name", "given_name"], "transform": "surname_key"},
      {"columns": ["full_name", "family_name", "given_name"], "transform": "given_phonetic"},
      {"column": "event_date", "transform": "year"}]},
    {"name": "name_event_place", "keys": [
      {"columns": ["full_name", "family_name", "given_name"], "transform": "surname_key"},
      {"columns": ["full_name", "family_name", "given_name"], "transform": "given_phonetic"},
      {"column": "event_place"}]},
    {"name": "surname_birth_date_place", "max_block_size": 50, "keys": [
      {"columns": ["full_name", "family_name", "given_name"], "transform": "surname_key"},
      {"column": "birth_date"},
      {"column": "birth_place"}]},
    {"name": "surname_event", "max_block_size": 50, "keys": [
      {"columns": ["full_name", "family_name", "given_name"], "transform": "surname_key"},
      {"column": "event_date"},
      {"column": "event_place"}]},
    {"name": "birth_year_event", "keys": [
      {"column": "birth_date", "transform": "year"},
      {"column": "event_date"},
      {"column": "event_place"}]},
    {"name": "surname_given", "max_block_size": 50, "keys": [
      {"columns": ["full_name", "family_name", "given_name"], "transform": "surname_key"},
      {"columns": ["full_name", "family_name", "given_name"], "transform": "given_phonetic"}]}
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
  "training": {"u_pairs": 2000000, "seed": 42,
    "em_rules": ["name_birth_year", "name_event_year", "birth_year_event"]},
  "thresholds": {"match": 0.7, "review_low": 0.5, "review_high": 0.9},
  "cluster": {"max_size": 100, "min_density": 0.0, "split_below": 0.1}
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
