#include "sim/simulate.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <tuple>

#include "core/canonical_json.h"
#include "core/csv.h"
#include "core/vocabulary.h"
#include "sim/places.h"
#include "sim/random.h"

namespace memoria::sim {
namespace {

namespace fs = std::filesystem;

// Stream kinds for Rng::ForStream and ids: distinct constants keep the streams apart.
enum : std::uint64_t {
  kStreamPerson = 0x5045'5253'4f4e'0000ULL,  // "PERSON"
  kIdTruePerson = 1,
  kIdRecord = 2,
  kIdReportPerson = 3,
  kIdAct = 4,
};

template <typename Map>
void Tabulate(const Map& dist, std::vector<std::string>& values, std::vector<double>& cum) {
  values.clear();
  cum.clear();
  for (const auto& [k, p] : dist) {
    values.push_back(k);
    cum.push_back(p);
  }
  CumulativeInPlace(cum);
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

Day RandomDayIn(Rng& rng, int year) {
  Day d{year, static_cast<int>(rng.UniformInt(1, 12)), 0};
  d.day = static_cast<int>(rng.UniformInt(1, DaysInMonth(year, d.month)));
  return d;
}

std::string FormatDay(const Day& d, const std::string& precision) {
  if (precision == "day") return fmt::format("{:04d}-{:02d}-{:02d}", d.year, d.month, d.day);
  if (precision == "month") return fmt::format("{:04d}-{:02d}", d.year, d.month);
  if (precision == "year") return fmt::format("{:04d}", d.year);
  return {};
}

void AppendField(std::string& out, std::string_view key, std::string_view value) {
  if (value.empty()) return;
  out += ",\"";
  out += key;
  out += "\":";
  AppendCanonicalString(out, value);
}

// A buffered output file; errors name the file.
class OutFile {
 public:
  static Result<std::unique_ptr<OutFile>> Open(const fs::path& path) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) {
      return Status::IoError(std::string("cannot create: ") + std::strerror(errno))
          .AtFile(path.string(), 0);
    }
    return std::unique_ptr<OutFile>(new OutFile(f, path));
  }
  ~OutFile() {
    if (f_ != nullptr) std::fclose(f_);
  }
  std::string& buffer() { return buf_; }
  Status MaybeFlush() { return buf_.size() >= (1u << 20) ? Flush() : Status::Ok(); }
  Status Flush() {
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) {
      return Status::IoError(std::string("write failed: ") + std::strerror(errno))
          .AtFile(path_.string(), 0);
    }
    buf_.clear();
    return Status::Ok();
  }
  Status Close() {
    MEMORIA_RETURN_IF_ERROR(Flush());
    int rc = std::fclose(f_);
    f_ = nullptr;
    if (rc != 0) {
      return Status::IoError(std::string("close failed: ") + std::strerror(errno))
          .AtFile(path_.string(), 0);
    }
    return Status::Ok();
  }

 private:
  OutFile(std::FILE* f, fs::path path) : f_(f), path_(std::move(path)) {}
  std::FILE* f_;
  fs::path path_;
  std::string buf_;
};

Status AppendFileTo(const fs::path& from, OutFile& to) {
  std::FILE* f = std::fopen(from.c_str(), "rb");
  if (f == nullptr) return Status::IoError("cannot reopen").AtFile(from.string(), 0);
  std::string chunk(1 << 20, '\0');
  std::size_t n;
  Status st;
  while ((n = std::fread(chunk.data(), 1, chunk.size(), f)) > 0) {
    MEMORIA_RETURN_IF_ERROR(to.Flush());
    to.buffer().append(chunk.data(), n);
  }
  if (std::ferror(f)) st = Status::IoError("read failed").AtFile(from.string(), 0);
  std::fclose(f);
  MEMORIA_RETURN_IF_ERROR(st);
  return to.Flush();
}

// Removes the temporary directory on every exit path that does not commit.
struct TempDir {
  fs::path path;
  ~TempDir() {
    if (!path.empty()) {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  }
};

}  // namespace

Result<Simulator> Simulator::Create(Scenario scenario, std::uint64_t seed) {
  const Vocabularies& vocab = Vocabularies::Default();
  const PlaceIndex& places = PlaceIndex::Default();
  Simulator sim;
  for (const auto& v : scenario.violations) {
    MEMORIA_RETURN_IF_ERROR(vocab.Check("violation_types", v.act_type));
    for (const auto& f : v.followups) {
      MEMORIA_RETURN_IF_ERROR(vocab.Check("violation_types", f.act_type));
    }
  }
  for (const auto& [p, w] : scenario.provinces) {
    if (!places.IsProvince(p)) return Status::InvalidInput("unknown province '" + p + "'");
  }
  if (scenario.violations.empty() || scenario.sources.empty() || scenario.provinces.empty() ||
      scenario.sex.empty() || scenario.songbun.empty()) {
    return Status::InvalidInput("a scenario needs violations, sources, provinces, sex, songbun");
  }
  Tabulate(scenario.sex, sim.sex_values_, sim.sex_cum_);
  Tabulate(scenario.songbun, sim.songbun_values_, sim.songbun_cum_);
  Tabulate(scenario.provinces, sim.province_values_, sim.province_cum_);
  for (const auto& v : scenario.violations) sim.violation_cum_.push_back(v.probability);
  CumulativeInPlace(sim.violation_cum_);
  const Vocabulary* types = vocab.List("violation_types");
  for (std::size_t j = 0; j < scenario.sources.size(); ++j) {
    const SourceSpec& s = scenario.sources[j];
    SourceTables t;
    Tabulate(s.script, t.scripts, t.script_cum);
    Tabulate(s.romanization, t.romanizations, t.romanization_cum);
    Tabulate(s.given_separator, t.separators, t.separator_cum);
    Tabulate(s.birth_precision, t.birth_precisions, t.birth_cum);
    Tabulate(s.event_precision, t.event_precisions, t.event_cum);
    for (const auto& v : scenario.violations) {
      double lo = 0;
      for (const auto& [code, x] : s.violation_log_odds) {
        if (types->IsWithin(v.act_type, code)) lo += x;
      }
      t.violation_log_odds.push_back(lo);
    }
    for (std::size_t k = 0; k < j; ++k) {
      auto it = s.referral_log_odds.find(scenario.sources[k].id);
      t.referral_log_odds.push_back(it == s.referral_log_odds.end() ? 0.0 : it->second);
    }
    sim.tables_.push_back(std::move(t));
  }
  sim.scenario_ = std::move(scenario);
  sim.seed_ = seed;
  return sim;
}

std::string Simulator::Uuid(std::uint64_t kind, std::uint64_t a, std::uint64_t b,
                            std::uint64_t c) const {
  std::uint64_t h = seed_ ^ (kind * 0x9e3779b97f4a7c15ULL);
  std::uint64_t hi = SplitMix64Next(h) ^ a;
  std::uint64_t x = SplitMix64Next(hi) ^ b;
  std::uint64_t y = SplitMix64Next(x) ^ c;
  std::uint64_t lo = SplitMix64Next(y);
  hi = SplitMix64Next(lo);
  // RFC 9562 version 8 (custom): our bits, with the version and variant fields set.
  hi = (hi & ~0xF000ULL) | 0x8000ULL;
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF,
                     hi & 0xFFFF, lo >> 48, lo & 0xFFFFFFFFFFFFULL);
}

TruePerson Simulator::Person(std::int64_t index) const {
  const PlaceIndex& places = PlaceIndex::Default();
  Rng rng = Rng::ForStream(seed_, kStreamPerson, static_cast<std::uint64_t>(index));
  TruePerson p;
  p.index = index;
  p.id = Uuid(kIdTruePerson, static_cast<std::uint64_t>(index));
  p.sex = sex_values_[rng.Categorical(sex_cum_)];
  p.violation = rng.Categorical(violation_cum_);
  const ViolationSpec& v = scenario_.violations[p.violation];
  // Draw every variable every time, so that one person's draws never depend on branches.
  const std::string& province = province_values_[rng.Categorical(province_cum_)];
  const std::string& songbun = songbun_values_[rng.Categorical(songbun_cum_)];
  if (v.dprk_national) {
    p.province = province;
    p.songbun = songbun;
  }
  p.visibility = scenario_.visibility_sd * rng.Normal();
  int year = static_cast<int>(rng.UniformInt(v.year_min, v.year_max));
  Day primary = RandomDayIn(rng, year);
  int age = static_cast<int>(rng.UniformInt(scenario_.age_min, scenario_.age_max));
  p.birth = RandomDayIn(rng, year - age);
  p.name = NameBook::Default().Draw(rng, p.sex);

  auto pick_place = [&](const std::string& kind, const std::string& previous) -> std::string {
    if (kind == "home") return p.province;
    if (kind == "same") return previous;
    if (kind == "none") return {};
    const std::vector<SimPlace>* pool =
        kind == "border" ? &places.Border() : places.Facilities(kind);
    if (pool == nullptr || pool->empty()) return {};
    return (*pool)[static_cast<std::size_t>(
                       rng.UniformInt(0, static_cast<std::int64_t>(pool->size()) - 1))]
        .id;
  };
  p.acts.push_back({v.act_type, primary, pick_place(v.place, ""), v.victim_status});
  p.status = v.person_status;
  for (const FollowUp& f : v.followups) {
    if (!rng.Bernoulli(f.probability)) continue;
    const TrueAct& prev = p.acts.back();
    int delay = static_cast<int>(rng.UniformInt(f.delay_min, f.delay_max));
    Day d = delay == 0 ? prev.date : RandomDayIn(rng, prev.date.year + delay);
    p.acts.push_back({f.act_type, d, pick_place(f.place, prev.place), f.victim_status});
    if (!f.person_status.empty()) p.status = f.person_status;
  }
  return p;
}

double Simulator::CaptureProbability(const TruePerson& person, std::size_t source,
                                     const std::vector<bool>& captured_by_earlier) const {
  const SourceSpec& s = scenario_.sources[source];
  const SourceTables& t = tables_[source];
  int year = person.acts.front().date.year;
  if (year < s.year_min || year > s.year_max) return 0;
  double eta =
      Logit(s.capture) + s.visibility * person.visibility + t.violation_log_odds[person.violation];
  if (!person.province.empty()) {
    auto it = s.province_log_odds.find(person.province);
    if (it != s.province_log_odds.end()) eta += it->second;
  }
  for (std::size_t k = 0; k < source && k < captured_by_earlier.size(); ++k) {
    if (captured_by_earlier[k]) eta += t.referral_log_odds[k];
  }
  if (s.capture <= 0) return 0;
  return Logistic(eta);
}

std::vector<Report> Simulator::Reports(const TruePerson& person) const {
  const NameBook& names = NameBook::Default();
  std::vector<Report> out;
  std::vector<bool> captured(scenario_.sources.size(), false);
  const auto idx = static_cast<std::uint64_t>(person.index);
  for (std::size_t j = 0; j < scenario_.sources.size(); ++j) {
    const SourceSpec& s = scenario_.sources[j];
    const SourceTables& t = tables_[j];
    Rng rng = Rng::ForStream(seed_, idx, j + 1);
    captured[j] = rng.Bernoulli(CaptureProbability(person, j, captured));
    if (!captured[j]) continue;
    int copies = rng.Bernoulli(s.duplicates) ? 2 : 1;
    for (int copy = 0; copy < copies; ++copy) {
      Report r;
      r.source = j;
      r.record_id = Uuid(kIdRecord, idx, j, static_cast<std::uint64_t>(copy));
      r.person_id = Uuid(kIdReportPerson, idx, j, static_cast<std::uint64_t>(copy));
      // Name.
      NameStyle style;
      style.latin = t.scripts[rng.Categorical(t.script_cum)] == "Latn";
      style.north_spelling = rng.Bernoulli(s.north_spelling);
      const std::string& rom = t.romanizations[rng.Categorical(t.romanization_cum)];
      style.romanization = rom == "MR"         ? Romanization::kMR
                           : rom == "MR_plain" ? Romanization::kMRPlain
                           : rom == "DPRK"     ? Romanization::kDPRK
                           : rom == "english"  ? Romanization::kEnglish
                                               : Romanization::kRR;
      style.family_first = rng.Bernoulli(s.family_first);
      const std::string& sep = t.separators[rng.Categorical(t.separator_cum)];
      style.separator = sep == "hyphen" ? '-' : sep == "space" ? ' ' : '\0';
      TrueName name = person.name;
      if (rng.Bernoulli(s.errors.at("swapped_given")) && name.given_count == 2) {
        std::swap(name.given[0], name.given[1]);
      }
      r.name = names.Render(name, style);
      if (rng.Bernoulli(s.errors.at("typo"))) {
        r.name.given = Typo(r.name.given, rng);
        r.name.full = !style.latin         ? r.name.family + r.name.given
                      : style.family_first ? r.name.family + " " + r.name.given
                                           : r.name.given + " " + r.name.family;
      }
      // Sex, birth, birthplace, songbun.
      if (rng.Bernoulli(s.recorded.at("sex"))) r.sex = person.sex;
      std::string precision = t.birth_precisions[rng.Categorical(t.birth_cum)];
      Day birth = person.birth;
      if (rng.Bernoulli(s.errors.at("korean_age"))) {
        // The source asked the age, heard a Korean-count age (one more than the international
        // age, or two just before the birthday) and subtracted it from the year of the act.
        birth.year -= 1;
        if (precision != "none") precision = "year";
      }
      if (rng.Bernoulli(s.errors.at("birth_year_shift"))) birth.year += rng.Bernoulli(0.5) ? 1 : -1;
      // A 29 February moved to a common year becomes the 28th (the day is later dropped
      // anyway when the precision is coarser).
      birth.day = std::min(birth.day, DaysInMonth(birth.year, birth.month));
      r.birth = FormatDay(birth, precision);
      bool record_birthplace = rng.Bernoulli(s.recorded.at("birthplace"));
      bool wrong_province = rng.Bernoulli(s.errors.at("wrong_province"));
      std::size_t other = rng.Categorical(province_cum_);
      if (record_birthplace && !person.province.empty()) {
        r.birthplace = person.province;
        if (wrong_province && province_values_.size() > 1) {
          if (province_values_[other] == person.province)
            other = (other + 1) % province_values_.size();
          r.birthplace = province_values_[other];
        }
      }
      if (rng.Bernoulli(s.recorded.at("songbun"))) r.songbun = person.songbun;
      r.status = person.status;
      // Acts.
      for (std::size_t a = 0; a < person.acts.size(); ++a) {
        const TrueAct& act = person.acts[a];
        Report::Act ra;
        ra.id = Uuid(kIdAct, idx, (j << 8) | static_cast<std::uint64_t>(copy), a);
        ra.act_type = act.act_type;
        ra.date = FormatDay(act.date, t.event_precisions[rng.Categorical(t.event_cum)]);
        if (rng.Bernoulli(s.recorded.at("event_place"))) ra.place = act.place;
        ra.victim_status = act.victim_status;
        r.acts.push_back(std::move(ra));
      }
      int lag = static_cast<int>(rng.UniformInt(0, s.report_lag_max));
      r.received = fmt::format("{:04d}-{:02d}", person.acts.front().date.year + lag,
                               static_cast<int>(rng.UniformInt(1, 12)));
      out.push_back(std::move(r));
    }
  }
  return out;
}

Result<SimulationSummary> Simulator::Write(const std::string& out_dir, std::int64_t persons) const {
  if (persons < 0) return Status::InvalidInput("the number of persons cannot be negative");
  std::error_code ec;
  fs::path dir(out_dir);
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create directory: " + ec.message()).AtFile(out_dir, 0);
  TempDir tmp{dir / fmt::format(".simulate-{}.tmp", static_cast<long>(::getpid()))};
  fs::remove_all(tmp.path, ec);
  fs::create_directory(tmp.path, ec);
  if (ec) {
    return Status::IoError("cannot create directory: " + ec.message()).AtFile(tmp.path.string(), 0);
  }
  const std::size_t k = scenario_.sources.size();
  SimulationSummary summary;
  summary.persons = persons;

  std::vector<std::unique_ptr<OutFile>> jsonl, report_parts, truth_parts;
  for (const SourceSpec& s : scenario_.sources) {
    MEMORIA_ASSIGN_OR_RETURN(auto f, OutFile::Open(tmp.path / (s.id + ".jsonl")));
    nlohmann::json src = {{"type", "source"}, {"id", s.id}, {"name", s.name}};
    if (!s.organization.empty()) src["organization"] = s.organization;
    if (!s.method.empty()) src["method"] = s.method;
    src["period"] = fmt::format("{:04d}/{:04d}", s.year_min, s.year_max);
    src["description"] = "Synthetic: generated by memoria simulate; every person is invented.";
    f->buffer() += src.dump() + "\n";
    jsonl.push_back(std::move(f));
    MEMORIA_ASSIGN_OR_RETURN(auto rp, OutFile::Open(tmp.path / (s.id + ".reports.part")));
    report_parts.push_back(std::move(rp));
    MEMORIA_ASSIGN_OR_RETURN(auto tp, OutFile::Open(tmp.path / (s.id + ".truth.part")));
    truth_parts.push_back(std::move(tp));
    summary.sources.push_back({s.id, 0, 0});
    summary.lines += 1;
  }
  MEMORIA_ASSIGN_OR_RETURN(auto histories, OutFile::Open(tmp.path / "histories.csv"));
  {
    std::vector<std::string> header;
    for (const SourceSpec& s : scenario_.sources) header.push_back(s.id);
    std::string& b = histories->buffer();
    for (std::size_t j = 0; j < k; ++j) b += (j ? "," : "") + CsvEscape(header[j]);
    b += '\n';
  }
  // year, violation, province -> (persons, documented)
  std::map<std::tuple<int, std::string, std::string>, std::pair<std::int64_t, std::int64_t>> strata;
  std::vector<std::int64_t> source_records(k, 0);

  for (std::int64_t i = 0; i < persons; ++i) {
    TruePerson p = Person(i);
    std::vector<Report> reports = Reports(p);
    auto& cell = strata[{p.acts.front().date.year, p.acts.front().act_type,
                         p.province.empty() ? "none" : p.province}];
    cell.first += 1;
    if (reports.empty()) continue;
    cell.second += 1;
    summary.documented += 1;
    std::vector<bool> seen(k, false);
    for (const Report& r : reports) {
      const SourceSpec& s = scenario_.sources[r.source];
      if (!seen[r.source]) summary.sources[r.source].persons += 1;
      seen[r.source] = true;
      summary.sources[r.source].records += 1;
      summary.records += 1;
      std::int64_t serial = ++source_records[r.source];
      std::string& b = jsonl[r.source]->buffer();
      // record
      b += "{\"type\":\"record\",\"id\":\"" + r.record_id + "\"";
      AppendField(b, "source", s.id);
      AppendField(b, "source_record_id", fmt::format("{}-{:07d}", s.id, serial));
      AppendField(b, "received", r.received);
      b += "}\n";
      // person
      b += "{\"type\":\"person\",\"id\":\"" + r.person_id + "\",\"names\":[{\"full\":";
      AppendCanonicalString(b, r.name.full);
      AppendField(b, "family", r.name.family);
      AppendField(b, "given", r.name.given);
      AppendField(b, "script", r.name.script);
      AppendField(b, "system", r.name.system);
      b += "}]";
      AppendField(b, "sex", r.sex);
      AppendField(b, "birth", r.birth);
      AppendField(b, "birthplace", r.birthplace);
      AppendField(b, "songbun", r.songbun);
      AppendField(b, "status", r.status);
      b += ",\"roles\":[\"victim\"]";
      AppendField(b, "record", r.record_id);
      b += "}\n";
      for (const Report::Act& a : r.acts) {
        b += "{\"type\":\"act\",\"id\":\"" + a.id + "\"";
        AppendField(b, "victim", r.person_id);
        AppendField(b, "act_type", a.act_type);
        AppendField(b, "date", a.date);
        AppendField(b, "place", a.place);
        AppendField(b, "victim_status", a.victim_status);
        AppendField(b, "record", r.record_id);
        b += "}\n";
      }
      summary.lines += 2 + static_cast<std::int64_t>(r.acts.size());
      MEMORIA_RETURN_IF_ERROR(jsonl[r.source]->MaybeFlush());

      std::string& rb = report_parts[r.source]->buffer();
      const Report::Act& primary = r.acts.front();
      for (const std::string* field :
           {&r.record_id, &s.id, &r.name.full, &r.name.family, &r.name.given, &r.sex, &r.birth,
            &r.birthplace, &primary.date, &primary.place}) {
        if (field != &r.record_id) rb += ',';
        rb += CsvEscape(*field);
      }
      rb += '\n';
      MEMORIA_RETURN_IF_ERROR(report_parts[r.source]->MaybeFlush());
      std::string& tb = truth_parts[r.source]->buffer();
      tb += r.record_id;
      tb += ',';
      tb += p.id;
      tb += '\n';
      MEMORIA_RETURN_IF_ERROR(truth_parts[r.source]->MaybeFlush());
    }
    std::string& hb = histories->buffer();
    for (std::size_t j = 0; j < k; ++j) {
      if (j) hb += ',';
      hb += seen[j] ? '1' : '0';
    }
    hb += '\n';
    MEMORIA_RETURN_IF_ERROR(histories->MaybeFlush());
  }
  MEMORIA_RETURN_IF_ERROR(histories->Close());
  for (auto& f : jsonl) MEMORIA_RETURN_IF_ERROR(f->Close());
  for (auto& f : report_parts) MEMORIA_RETURN_IF_ERROR(f->Close());
  for (auto& f : truth_parts) MEMORIA_RETURN_IF_ERROR(f->Close());

  // reports.csv and truth.csv: the parts in source order, so a source's reports are together.
  MEMORIA_ASSIGN_OR_RETURN(auto reports, OutFile::Open(tmp.path / "reports.csv"));
  reports->buffer() =
      "record_id,source,full_name,family_name,given_name,sex,birth_date,birth_place,event_date,"
      "event_place\n";
  MEMORIA_ASSIGN_OR_RETURN(auto truth, OutFile::Open(tmp.path / "truth.csv"));
  truth->buffer() = "record_id,person_id\n";
  for (const SourceSpec& s : scenario_.sources) {
    MEMORIA_RETURN_IF_ERROR(AppendFileTo(tmp.path / (s.id + ".reports.part"), *reports));
    MEMORIA_RETURN_IF_ERROR(AppendFileTo(tmp.path / (s.id + ".truth.part"), *truth));
    fs::remove(tmp.path / (s.id + ".reports.part"), ec);
    fs::remove(tmp.path / (s.id + ".truth.part"), ec);
  }
  MEMORIA_RETURN_IF_ERROR(reports->Close());
  MEMORIA_RETURN_IF_ERROR(truth->Close());

  MEMORIA_ASSIGN_OR_RETURN(auto strata_file, OutFile::Open(tmp.path / "strata.csv"));
  std::string& sb = strata_file->buffer();
  sb = "year,violation,province,persons,documented\n";
  for (const auto& [key, counts] : strata) {
    sb += fmt::format("{},{},{},{},{}\n", std::get<0>(key), std::get<1>(key), std::get<2>(key),
                      counts.first, counts.second);
  }
  MEMORIA_RETURN_IF_ERROR(strata_file->Close());

  // Commit: move every file into place.
  for (const SourceSpec& s : scenario_.sources) summary.files.push_back(s.id + ".jsonl");
  for (const char* f : {"reports.csv", "truth.csv", "histories.csv", "strata.csv"}) {
    summary.files.push_back(f);
  }
  for (const std::string& f : summary.files) {
    fs::rename(tmp.path / f, dir / f, ec);
    if (ec) {
      return Status::IoError("cannot move into place: " + ec.message())
          .AtFile((dir / f).string(), 0);
    }
  }
  return summary;
}

}  // namespace memoria::sim
