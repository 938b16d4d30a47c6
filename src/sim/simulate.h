// The simulator: a true population of victims drawn from a Scenario, the reports that each
// documenting organization makes of them, and the files that let linkage and estimation be
// scored against the truth (docs/simulation.md).
//
// Everything is a pure function of (scenario, seed): person i is drawn from its own random
// stream, and what source j makes of person i from another, so the same seed gives the same
// persons, reports and bytes, and changing one source's parameters leaves the population and
// the other sources' captures unchanged (a referral from a changed source excepted).
//
// Thread-safety: a Simulator is immutable after Create; Person() and Reports() may be called
// concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "sim/names.h"
#include "sim/scenario.h"

namespace memoria::sim {

struct Day {
  int year = 0, month = 0, day = 0;
};

// One thing that was done to a victim.
struct TrueAct {
  std::string act_type;  // violation_types code
  Day date;
  std::string place;          // gazetteer id, "" for none
  std::string victim_status;  // victim_status code
};

struct TruePerson {
  std::int64_t index = 0;
  std::string id;  // the true person's id (truth.csv person_id)
  TrueName name;
  std::string sex;  // male, female
  Day birth;
  std::string province;  // home province (gazetteer id), "" for a foreign national
  std::string songbun;   // core, wavering, hostile; "" for a foreign national
  double visibility = 0;
  std::size_t violation = 0;  // index into Scenario::violations: the primary act
  std::vector<TrueAct> acts;  // acts[0] is the primary act
  std::string status;         // person_status code after the last act
};

// One report of one victim by one source, as the source wrote it down.
struct Report {
  std::size_t source = 0;  // index into Scenario::sources
  std::string record_id;   // id of the record entity
  std::string person_id;   // id of the person entity of this report (not the true person's)
  WrittenName name;
  std::string sex;         // "" when not recorded
  std::string birth;       // EDTF, "" when not recorded
  std::string birthplace;  // gazetteer id, "" when not recorded
  std::string songbun;     // "" when not recorded
  std::string status;      // person_status code
  std::string received;    // EDTF (year-month)
  struct Act {
    std::string id, act_type, date, place, victim_status;  // date/place "" when not recorded
  };
  std::vector<Act> acts;  // acts[0] is the primary act
};

struct SourceSummary {
  std::string id;
  std::int64_t records = 0;
  std::int64_t persons = 0;  // distinct true persons it reports
};

struct SimulationSummary {
  std::int64_t persons = 0;     // true population
  std::int64_t documented = 0;  // persons reported by at least one source
  std::int64_t records = 0;     // reports over all sources
  std::int64_t lines = 0;       // JSON Lines entities written, over all sources
  std::vector<SourceSummary> sources;
  std::vector<std::string> files;  // the file names written in the output directory
};

class Simulator {
 public:
  // Checks that every code and place of the scenario is known (ParseScenario already did, for
  // parsed scenarios). InvalidInput otherwise.
  static Result<Simulator> Create(Scenario scenario, std::uint64_t seed);

  const Scenario& scenario() const { return scenario_; }
  std::uint64_t seed() const { return seed_; }

  // The true person `index` (0-based).
  TruePerson Person(std::int64_t index) const;
  // Every report of `person`, by source order (a source may report a person twice).
  std::vector<Report> Reports(const TruePerson& person) const;
  // The probability that source `source` captures `person`, given which earlier sources did
  // (`captured_by_earlier[k]` for k < source). For tests and docs.
  double CaptureProbability(const TruePerson& person, std::size_t source,
                            const std::vector<bool>& captured_by_earlier) const;

  // Writes the whole simulation of `persons` victims into `out_dir` (created if missing):
  //   <source>.jsonl   per source: the source entity, then per report a record, a person and
  //                    its acts (interchange format; imports with `memoria import`)
  //   reports.csv      record_id,source,full_name,family_name,given_name,sex,birth_date,
  //                    birth_place,event_date,event_place (one row per report)
  //   truth.csv        record_id,person_id (same row order as reports.csv)
  //   histories.csv    one 0/1 column per source, one row per documented person
  //   strata.csv       year,violation,province,persons,documented: the true counts per stratum
  //                    of the primary act (province "none" for foreign nationals)
  // Files are written into a temporary directory inside `out_dir` and moved into place only
  // when all are complete; on error nothing is moved (IoError names the file).
  Result<SimulationSummary> Write(const std::string& out_dir, std::int64_t persons) const;

 private:
  Simulator() = default;
  std::string Uuid(std::uint64_t kind, std::uint64_t a, std::uint64_t b = 0,
                   std::uint64_t c = 0) const;

  Scenario scenario_;
  std::uint64_t seed_ = 0;
  // Cumulative probabilities of the scenario's distributions, in map order.
  std::vector<std::string> sex_values_, songbun_values_, province_values_;
  std::vector<double> sex_cum_, songbun_cum_, province_cum_, violation_cum_;
  struct SourceTables {
    std::vector<std::string> scripts, romanizations, separators, birth_precisions, event_precisions;
    std::vector<double> script_cum, romanization_cum, separator_cum, birth_cum, event_cum;
    std::vector<double> violation_log_odds;  // per scenario violation (ancestors summed)
    std::vector<double> referral_log_odds;   // per earlier source
  };
  std::vector<SourceTables> tables_;
};

}  // namespace memoria::sim
