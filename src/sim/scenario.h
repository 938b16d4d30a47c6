// A documentation scenario: the parameters of a synthetic population of victims and of the
// organizations that document them (docs/simulation.md describes every key).
//
// A scenario is a JSON object. The shipped default is data/scenarios/default.json (embedded in
// the binary). Parsing is strict: an unknown key, a value of the wrong type, a probability
// outside [0, 1], a distribution that does not sum to 1, a negative size, an inverted range,
// an unknown vocabulary code or gazetteer place all give Status::InvalidInput located at the
// file and the key path (e.g. `my.json: sources[1].capture: probability 1.5 is outside
// [0, 1]`). A parsed Scenario is valid and immutable; sharing it between threads is safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace memoria::sim {

// A categorical distribution: outcome -> probability; probabilities sum to 1.
using Distribution = std::map<std::string, double>;

// Something that happens to a victim after the primary violation, with some probability.
struct FollowUp {
  std::string act_type;    // code of violation_types
  double probability = 0;  // in [0, 1], drawn independently for each follow-up
  std::string place;       // see ViolationSpec::place
  int delay_min = 0;       // years after the previous act, inclusive range
  int delay_max = 0;
  std::string victim_status;  // code of victim_status
  std::string person_status;  // code of person_status, or "" to leave the status as it is
};

// A primary violation: each victim suffers exactly one, drawn with `probability`.
struct ViolationSpec {
  std::string act_type;
  double probability = 0;
  int year_min = 0;  // the act's year is uniform on [year_min, year_max]
  int year_max = 0;
  // Where it happens: "home" (the victim's home province), "border" (a border city or crossing),
  // a facility type (kwanliso, kyohwaso, mss_detention, ...: one facility of that type), "same"
  // (the place of the previous act; follow-ups only) or "none".
  std::string place;
  std::string victim_status;
  std::string person_status;
  // False for victims from outside the DPRK (abducted foreigners): no home province.
  bool dprk_national = true;
  std::vector<FollowUp> followups;
};

// One documenting organization: who it captures, and how it writes down what it captures.
struct SourceSpec {
  std::string id;  // the list's name: file <id>.jsonl, column of histories.csv
  std::string name;
  std::string organization;
  std::string method;
  int year_min = 0;  // documents primary acts in these years only
  int year_max = 0;
  // Capture: P(capture) = logistic(logit(capture) + visibility * v + province_log_odds[home]
  //   + sum of violation_log_odds[c] for every code c the primary act type lies within
  //   + sum of referral log-odds of the earlier sources that captured the victim),
  // where v ~ Normal(0, visibility_sd) is the victim's latent visibility, shared by all sources.
  double capture = 0;
  double visibility = 0;
  std::map<std::string, double> province_log_odds;
  std::map<std::string, double> violation_log_odds;
  std::map<std::string, double> referral_log_odds;  // earlier source id -> log-odds
  double duplicates = 0;   // probability that a captured victim is reported twice
  int report_lag_max = 0;  // reports are received 0..report_lag_max years after the act
  // Recording habits.
  Distribution script;           // Hang, Latn
  double north_spelling = 0;     // Hangul in the North's spelling (리, 림, 류, 로 ...)
  Distribution romanization;     // RR, MR, MR_plain (no diacritics), DPRK, english
  double family_first = 1;       // Latin names: family name first
  Distribution given_separator;  // hyphen, space, none (between given-name syllables, Latin)
  Distribution birth_precision;  // day, month, year, none
  Distribution event_precision;  // day, month, year, none
  std::map<std::string, double> recorded;  // sex, birthplace, songbun, event_place: P(recorded)
  // Errors, each a probability per report: typo, birth_year_shift (±1), korean_age (birth year
  // one too early, from a Korean-count age), wrong_province, swapped_given.
  std::map<std::string, double> errors;
};

struct Scenario {
  std::string description;
  std::int64_t persons = 0;  // size of the true population of victims
  int age_min = 0;           // age at the primary act, uniform on [age_min, age_max]
  int age_max = 0;
  Distribution sex;          // male, female
  Distribution songbun;      // core, wavering, hostile
  Distribution provinces;    // home province (gazetteer id) of DPRK nationals
  double visibility_sd = 0;  // standard deviation of the latent visibility
  std::vector<ViolationSpec> violations;
  std::vector<SourceSpec> sources;
};

// Parses and validates a scenario. `file` names the input in errors.
Result<Scenario> ParseScenario(std::string_view json_text, const std::string& file);
// Reads and parses a scenario file (NotFound / IoError if it cannot be read).
Result<Scenario> LoadScenarioFile(const std::string& path);
// The shipped default scenario (data/scenarios/default.json).
Result<Scenario> DefaultScenario();

}  // namespace memoria::sim
