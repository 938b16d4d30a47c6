#include "sim/simulate.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/csv.h"
#include "core/edtf.h"
#include "core/model.h"
#include "core/vocabulary.h"
#include "sim/places.h"

namespace memoria::sim {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("memoria-sim-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::remove_all(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string str() const { return path_.string(); }
  fs::path path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::vector<std::string>> ReadCsv(const fs::path& p,
                                              std::vector<std::string>* header = nullptr) {
  auto reader = CsvReader::Open(p.string());
  EXPECT_TRUE(reader.ok());
  std::vector<std::vector<std::string>> rows;
  if (!reader.ok()) return rows;
  std::vector<std::string> f;
  while (true) {
    auto more = (*reader)->Next(f);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    rows.push_back(f);
  }
  if (header) *header = (*reader)->header();
  return rows;
}

Scenario Default() {
  auto sc = DefaultScenario();
  EXPECT_TRUE(sc.ok());
  return std::move(sc).value();
}

Simulator Make(Scenario sc, std::uint64_t seed) {
  auto sim = Simulator::Create(std::move(sc), seed);
  EXPECT_TRUE(sim.ok()) << sim.status().ToString();
  return std::move(sim).value();
}

TEST(Simulator, SameSeedGivesByteIdenticalFiles) {
  TempDir a, b, c;
  Simulator sim = Make(Default(), 17);
  auto sa = sim.Write(a.str(), 1500);
  ASSERT_TRUE(sa.ok()) << sa.status().ToString();
  auto sb = Make(Default(), 17).Write(b.str(), 1500);
  ASSERT_TRUE(sb.ok());
  auto sc = Make(Default(), 18).Write(c.str(), 1500);
  ASSERT_TRUE(sc.ok());
  ASSERT_EQ(sa->files, sb->files);
  bool any_differs = false;
  for (const auto& f : sa->files) {
    std::string x = ReadAll(a.path() / f);
    EXPECT_FALSE(x.empty()) << f;
    EXPECT_EQ(x, ReadAll(b.path() / f)) << f;
    any_differs = any_differs || x != ReadAll(c.path() / f);
  }
  EXPECT_TRUE(any_differs);
  // No temporary files are left behind.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(a.path())) ++entries;
  EXPECT_EQ(entries, sa->files.size());
}

TEST(Simulator, PersonsArePureFunctionsOfSeedAndIndex) {
  Simulator sim = Make(Default(), 5);
  TruePerson p = sim.Person(123), q = sim.Person(123);
  EXPECT_EQ(p.id, q.id);
  EXPECT_EQ(p.birth.year, q.birth.year);
  EXPECT_EQ(p.acts.size(), q.acts.size());
  EXPECT_NE(p.id, sim.Person(124).id);
  // Changing a source's habits does not change the population.
  Scenario other = Default();
  other.sources[2].capture = 0.5;
  Simulator sim2 = Make(other, 5);
  EXPECT_EQ(sim2.Person(123).id, p.id);
  EXPECT_EQ(sim2.Person(123).acts.front().date.day, p.acts.front().date.day);
}

// A 29 February birth whose year a report gets wrong (birth year shift, Korean-count age)
// must still be a real date (it was 1955-02-29 once, which the importer refused).
TEST(Simulator, ShiftedLeapDayBirthsAreRealDates) {
  Scenario scenario = Default();
  for (SourceSpec& s : scenario.sources) {
    s.capture = 0.99;
    s.errors["birth_year_shift"] = 1.0;
  }
  Simulator sim = Make(scenario, 11);
  int leap_day_reports = 0;
  for (std::int64_t i = 0; i < 20000 && leap_day_reports < 10; ++i) {
    TruePerson p = sim.Person(i);
    if (p.birth.month != 2 || p.birth.day != 29) continue;
    for (const Report& r : sim.Reports(p)) {
      if (r.birth.size() != 10) continue;  // coarser precision: no day to get wrong
      ++leap_day_reports;
      auto date = EdtfDate::Parse(r.birth);
      EXPECT_TRUE(date.ok()) << r.birth << ": " << date.status().ToString();
    }
  }
  EXPECT_GT(leap_day_reports, 0);
}

TEST(Simulator, EveryEntityIsValid) {
  TempDir dir;
  Simulator sim = Make(Default(), 3);
  auto summary = sim.Write(dir.str(), 1500);
  ASSERT_TRUE(summary.ok());
  const Vocabularies& vocab = Vocabularies::Default();
  std::int64_t lines = 0;
  std::map<std::string, int> types;
  std::set<std::string> ids;
  for (const auto& s : sim.scenario().sources) {
    std::ifstream in(dir.path() / (s.id + ".jsonl"));
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      auto j = nlohmann::json::parse(line, nullptr, false);
      ASSERT_FALSE(j.is_discarded()) << s.id << ":" << n;
      auto e = ValidateEntity(j, vocab);
      ASSERT_TRUE(e.ok()) << s.id << ".jsonl:" << n << ": " << e.status().ToString() << "\n"
                          << line;
      EXPECT_TRUE(ids.insert(e->id).second) << "duplicate id " << e->id;
      types[e->type]++;
      // Every reference points at an entity earlier in the same file or at the gazetteer.
      for (const auto& ref : e->references) {
        if (ref.ref_type == "place") {
          EXPECT_FALSE(PlaceIndex::Default().ProvinceOf(ref.id).empty()) << ref.id;
        } else {
          EXPECT_TRUE(ids.count(ref.id)) << s.id << ":" << n << " " << ref.field;
        }
      }
      ++lines;
    }
    EXPECT_GT(n, 1) << s.id;
  }
  EXPECT_EQ(lines, summary->lines);
  EXPECT_EQ(types["source"], 4);
  EXPECT_EQ(types["record"], summary->records);
  EXPECT_EQ(types["person"], summary->records);
  EXPECT_GE(types["act"], summary->records);
}

TEST(Simulator, TruthFilesAgreeWithEachOther) {
  TempDir dir;
  Simulator sim = Make(Default(), 9);
  const std::int64_t n = 2000;
  auto summary = sim.Write(dir.str(), n);
  ASSERT_TRUE(summary.ok());
  std::vector<std::string> rh, th, hh, sh;
  auto reports = ReadCsv(dir.path() / "reports.csv", &rh);
  auto truth = ReadCsv(dir.path() / "truth.csv", &th);
  auto histories = ReadCsv(dir.path() / "histories.csv", &hh);
  auto strata = ReadCsv(dir.path() / "strata.csv", &sh);
  EXPECT_EQ(rh, (std::vector<std::string>{"record_id", "source", "full_name", "family_name",
                                          "given_name", "sex", "birth_date", "birth_place",
                                          "event_date", "event_place"}));
  EXPECT_EQ(th, (std::vector<std::string>{"record_id", "person_id"}));
  EXPECT_EQ(hh, (std::vector<std::string>{"interviews", "families", "media", "un_submissions"}));
  EXPECT_EQ(sh,
            (std::vector<std::string>{"year", "violation", "province", "persons", "documented"}));
  ASSERT_EQ(reports.size(), truth.size());
  ASSERT_EQ(static_cast<std::int64_t>(reports.size()), summary->records);
  // Per source: the set of true persons behind its reports.
  std::map<std::string, std::set<std::string>> persons_of;
  std::set<std::string> documented;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    ASSERT_EQ(reports[i][0], truth[i][0]) << "row " << i;
    persons_of[reports[i][1]].insert(truth[i][1]);
    documented.insert(truth[i][1]);
  }
  EXPECT_EQ(static_cast<std::int64_t>(documented.size()), summary->documented);
  ASSERT_EQ(histories.size(), documented.size());
  for (std::size_t j = 0; j < hh.size(); ++j) {
    std::int64_t ones = 0;
    for (const auto& row : histories) {
      ASSERT_TRUE(row[j] == "0" || row[j] == "1");
      ones += row[j] == "1";
    }
    EXPECT_EQ(ones, static_cast<std::int64_t>(persons_of[hh[j]].size())) << hh[j];
    EXPECT_EQ(ones, summary->sources[j].persons);
  }
  for (const auto& row : histories) {
    EXPECT_NE(std::count(row.begin(), row.end(), "1"), 0);
  }
  std::int64_t total = 0, doc = 0;
  for (const auto& row : strata) {
    total += std::stoll(row[3]);
    doc += std::stoll(row[4]);
    EXPECT_LE(std::stoll(row[4]), std::stoll(row[3]));
  }
  EXPECT_EQ(total, n);
  EXPECT_EQ(doc, summary->documented);
}

TEST(Simulator, PopulationMatchesScenarioDistributions) {
  Simulator sim = Make(Default(), 21);
  const Scenario& sc = sim.scenario();
  const int n = 20000;
  std::map<std::string, int> sex, province;
  std::vector<int> violation(sc.violations.size(), 0);
  int followup_detention = 0, refouled = 0;
  for (int i = 0; i < n; ++i) {
    TruePerson p = sim.Person(i);
    sex[p.sex]++;
    violation[p.violation]++;
    if (!p.province.empty()) province[p.province]++;
    int age = p.acts.front().date.year - p.birth.year;
    ASSERT_GE(age, sc.age_min);
    ASSERT_LE(age, sc.age_max);
    const ViolationSpec& v = sc.violations[p.violation];
    ASSERT_GE(p.acts.front().date.year, v.year_min);
    ASSERT_LE(p.acts.front().date.year, v.year_max);
    if (v.act_type == "V.MOVE.REFOULEMENT") {
      refouled++;
      for (const auto& a : p.acts) followup_detention += a.act_type == "V.DET.SHORT_TERM";
      EXPECT_EQ(PlaceIndex::Default().ProvinceOf(p.acts.front().place).empty(), false);
    }
  }
  // Proportions within 5 binomial standard errors.
  auto near = [&](int count, int total, double p, const std::string& what) {
    double se = std::sqrt(p * (1 - p) / total);
    EXPECT_NEAR(count / double(total), p, 5 * se + 1e-9) << what;
  };
  near(sex["male"], n, sc.sex.at("male"), "male");
  for (std::size_t v = 0; v < sc.violations.size(); ++v) {
    near(violation[v], n, sc.violations[v].probability, sc.violations[v].act_type);
  }
  int nationals = 0;
  for (const auto& [k, c] : province) nationals += c;
  for (const auto& [k, p] : sc.provinces) near(province[k], nationals, p, k);
  near(followup_detention, refouled, 0.8, "follow-up detention after refoulement");
}

TEST(Simulator, CaptureRatesMatchParameters) {
  // Without heterogeneity or effects, each source captures with exactly its `capture`.
  Scenario sc = Default();
  sc.visibility_sd = 0;
  for (auto& s : sc.sources) {
    s.province_log_odds.clear();
    s.violation_log_odds.clear();
    s.referral_log_odds.clear();
    s.year_min = 1900;
    s.year_max = 2100;
    s.duplicates = 0.1;
  }
  Simulator sim = Make(sc, 4);
  const int n = 20000;
  std::vector<int> captured(sc.sources.size(), 0), records(sc.sources.size(), 0);
  std::map<std::string, int> script, precision;
  int interview_reports = 0;
  for (int i = 0; i < n; ++i) {
    std::vector<bool> seen(sc.sources.size(), false);
    for (const Report& r : sim.Reports(sim.Person(i))) {
      seen[r.source] = true;
      records[r.source]++;
      if (r.source == 0) {
        interview_reports++;
        script[r.name.script]++;
        precision[r.birth.empty()        ? "none"
                  : r.birth.size() == 10 ? "day"
                  : r.birth.size() == 7  ? "month"
                                         : "year"]++;
      }
    }
    for (std::size_t j = 0; j < seen.size(); ++j) captured[j] += seen[j];
  }
  for (std::size_t j = 0; j < sc.sources.size(); ++j) {
    double p = sc.sources[j].capture;
    double se = std::sqrt(p * (1 - p) / n);
    EXPECT_NEAR(captured[j] / double(n), p, 5 * se) << sc.sources[j].id;
    // Duplicates: 10% of captured persons are reported twice.
    EXPECT_NEAR(records[j] / double(captured[j]), 1.1, 5 * std::sqrt(0.09 / captured[j]))
        << sc.sources[j].id;
  }
  // Recording habits of the interviews source: 90% Hangul; birth precision after the
  // Korean-age error (which turns some day/month into year) and the shift error.
  double hang = script["Hang"] / double(interview_reports);
  EXPECT_NEAR(hang, 0.9, 5 * std::sqrt(0.09 / interview_reports));
  double none = precision["none"] / double(interview_reports);
  EXPECT_NEAR(none, 0.05, 5 * std::sqrt(0.05 * 0.95 / interview_reports));
  const double ka = sc.sources[0].errors.at("korean_age");
  double day = precision["day"] / double(interview_reports);
  EXPECT_NEAR(day, 0.6 * (1 - ka), 5 * std::sqrt(0.25 / interview_reports));
}

TEST(Simulator, VisibilityAndReferralsMakeListsDependent) {
  // With latent visibility, captures are positively associated: P(A and B) > P(A) P(B).
  Simulator sim = Make(Default(), 8);
  const int n = 20000;
  int a = 0, b = 0, ab = 0;
  for (int i = 0; i < n; ++i) {
    bool in_a = false, in_b = false;
    for (const Report& r : sim.Reports(sim.Person(i))) {
      in_a = in_a || r.source == 0;
      in_b = in_b || r.source == 2;
    }
    a += in_a;
    b += in_b;
    ab += in_a && in_b;
  }
  EXPECT_GT(ab / double(n), 1.5 * (a / double(n)) * (b / double(n)));
  // A referral raises the capture probability by exactly its log-odds.
  TruePerson p = sim.Person(0);
  double without = sim.CaptureProbability(p, 3, {false, false, false});
  double with = sim.CaptureProbability(p, 3, {false, true, false});
  ASSERT_GT(without, 0);
  EXPECT_NEAR(Logit(with) - Logit(without), 2.0, 1e-9);
}

TEST(Simulator, NegativeSizeWritesNothing) {
  TempDir dir;
  Simulator sim = Make(Default(), 1);
  auto r = sim.Write(dir.str(), -1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
  EXPECT_FALSE(fs::exists(dir.path()));
}

TEST(Simulator, ZeroPersonsWritesHeadersOnly) {
  TempDir dir;
  auto r = Make(Default(), 1).Write(dir.str(), 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->records, 0);
  EXPECT_EQ(ReadAll(dir.path() / "truth.csv"), "record_id,person_id\n");
}

}  // namespace
}  // namespace memoria::sim
