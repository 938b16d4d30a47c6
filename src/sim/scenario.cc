#include "sim/scenario.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/embedded_data.h"
#include "core/vocabulary.h"
#include "sim/places.h"

namespace memoria::sim {
namespace {

using json = nlohmann::json;

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2100;
constexpr std::int64_t kMaxPersons = 100'000'000;

// Reads one JSON object strictly: every key must be consumed by a getter, and Finish() reports
// the first key nobody asked for. Errors carry the dotted key path; the caller adds the file.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string path) : object_(object), path_(std::move(path)) {}

  Status Check() const {
    if (!object_.is_object()) return Error(path_, "expected a JSON object");
    return Status::Ok();
  }

  std::string Path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

  static Status Error(const std::string& path, std::string message) {
    Status s = Status::InvalidInput(std::move(message));
    if (!path.empty()) s = std::move(s).AtField(path);
    return s;
  }

  const json* Get(std::string_view key, bool required, Status& status) {
    seen_.insert(std::string(key));
    auto it = object_.find(std::string(key));
    if (it == object_.end() || it->is_null()) {
      if (required && status.ok()) status = Error(Path(key), "required key is missing");
      return nullptr;
    }
    return &*it;
  }

  Result<std::string> String(std::string_view key, bool required, std::string fallback = {}) {
    Status st;
    const json* v = Get(key, required, st);
    MEMORIA_RETURN_IF_ERROR(st);
    if (v == nullptr) return fallback;
    if (!v->is_string()) return Error(Path(key), "expected a string");
    return v->get<std::string>();
  }

  Result<double> Number(std::string_view key, bool required, double fallback = 0) {
    Status st;
    const json* v = Get(key, required, st);
    MEMORIA_RETURN_IF_ERROR(st);
    if (v == nullptr) return fallback;
    if (!v->is_number()) return Error(Path(key), "expected a number");
    double d = v->get<double>();
    if (!std::isfinite(d)) return Error(Path(key), "expected a finite number");
    return d;
  }

  Result<double> Probability(std::string_view key, bool required, double fallback = 0) {
    MEMORIA_ASSIGN_OR_RETURN(double p, Number(key, required, fallback));
    MEMORIA_RETURN_IF_ERROR(CheckProbability(Path(key), p));
    return p;
  }

  static Status CheckProbability(const std::string& path, double p) {
    if (!(p >= 0 && p <= 1)) {
      return Error(path, fmt::format("probability {} is outside [0, 1]", p));
    }
    return Status::Ok();
  }

  Result<bool> Bool(std::string_view key, bool fallback) {
    Status st;
    const json* v = Get(key, false, st);
    if (v == nullptr) return fallback;
    if (!v->is_boolean()) return Error(Path(key), "expected true or false");
    return v->get<bool>();
  }

  // [lo, hi] of integers with lo <= hi, each within [min, max].
  Status Range(std::string_view key, bool required, int min, int max, int& lo, int& hi) {
    Status st;
    const json* v = Get(key, required, st);
    MEMORIA_RETURN_IF_ERROR(st);
    if (v == nullptr) return Status::Ok();
    std::string p = Path(key);
    if (!v->is_array() || v->size() != 2 || !(*v)[0].is_number_integer() ||
        !(*v)[1].is_number_integer()) {
      return Error(p, "expected [from, to], two whole numbers");
    }
    std::int64_t a = (*v)[0].get<std::int64_t>(), b = (*v)[1].get<std::int64_t>();
    if (a < min || b > max) {
      return Error(p, fmt::format("[{}, {}] is outside [{}, {}]", a, b, min, max));
    }
    if (a > b) return Error(p, fmt::format("[{}, {}] is empty (from > to)", a, b));
    lo = static_cast<int>(a);
    hi = static_cast<int>(b);
    return Status::Ok();
  }

  // An object of key -> number. With `probabilities` every value must lie in [0, 1].
  Result<std::map<std::string, double>> NumberMap(std::string_view key, bool required,
                                                  bool probabilities) {
    Status st;
    const json* v = Get(key, required, st);
    MEMORIA_RETURN_IF_ERROR(st);
    std::map<std::string, double> out;
    if (v == nullptr) return out;
    if (!v->is_object()) return Error(Path(key), "expected an object of numbers");
    for (auto it = v->begin(); it != v->end(); ++it) {
      std::string p = Path(key) + "." + it.key();
      if (!it->is_number() || !std::isfinite(it->get<double>()))
        return Error(p, "expected a number");
      double d = it->get<double>();
      if (probabilities) MEMORIA_RETURN_IF_ERROR(CheckProbability(p, d));
      out[it.key()] = d;
    }
    return out;
  }

  // A categorical distribution over exactly the outcomes in `allowed` (a subset may be given);
  // probabilities in [0, 1] summing to 1.
  Result<Distribution> Dist(std::string_view key, bool required,
                            const std::vector<std::string>& allowed) {
    MEMORIA_ASSIGN_OR_RETURN(auto m, NumberMap(key, required, true));
    if (m.empty()) {
      if (required) return Error(Path(key), "expected at least one outcome");
      return m;
    }
    double sum = 0;
    for (const auto& [k, p] : m) {
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        return Error(Path(key) + "." + k,
                     fmt::format("unknown outcome; expected one of {}", fmt::join(allowed, ", ")));
      }
      sum += p;
    }
    if (std::fabs(sum - 1) > 1e-6) {
      return Error(Path(key), fmt::format("probabilities sum to {}, not 1", sum));
    }
    return m;
  }

  // The first key of the object that no getter asked for.
  Status Finish() const {
    for (auto it = object_.begin(); it != object_.end(); ++it) {
      if (!seen_.count(it.key())) {
        return Error(Path(it.key()), "unknown key");
      }
    }
    return Status::Ok();
  }

  const json& object() const { return object_; }

 private:
  const json& object_;
  std::string path_;
  std::set<std::string> seen_;
};

Status CheckCode(const std::string& path, std::string_view list, const std::string& code) {
  Status s = Vocabularies::Default().Check(list, code);
  if (!s.ok()) return ObjectReader::Error(path, s.message());
  return Status::Ok();
}

Status CheckPlace(const std::string& path, const std::string& place, bool followup) {
  if (place == "home" || place == "border" || place == "none") return Status::Ok();
  if (place == "same") {
    if (followup) return Status::Ok();
    return ObjectReader::Error(path, "'same' is for follow-ups only");
  }
  if (PlaceIndex::Default().Facilities(place) != nullptr) return Status::Ok();
  return ObjectReader::Error(
      path, fmt::format("unknown place '{}'; expected home, border, none, same (follow-ups) or "
                        "a facility type with facilities in the gazetteer",
                        place));
}

Result<FollowUp> ParseFollowUp(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  MEMORIA_RETURN_IF_ERROR(r.Check());
  FollowUp f;
  MEMORIA_ASSIGN_OR_RETURN(f.act_type, r.String("act_type", true));
  MEMORIA_RETURN_IF_ERROR(CheckCode(r.Path("act_type"), "violation_types", f.act_type));
  MEMORIA_ASSIGN_OR_RETURN(f.probability, r.Probability("probability", true));
  MEMORIA_ASSIGN_OR_RETURN(f.place, r.String("place", false, "same"));
  MEMORIA_RETURN_IF_ERROR(CheckPlace(r.Path("place"), f.place, true));
  MEMORIA_RETURN_IF_ERROR(r.Range("delay", false, 0, 100, f.delay_min, f.delay_max));
  MEMORIA_ASSIGN_OR_RETURN(f.victim_status, r.String("victim_status", false, "unknown"));
  MEMORIA_RETURN_IF_ERROR(CheckCode(r.Path("victim_status"), "victim_status", f.victim_status));
  MEMORIA_ASSIGN_OR_RETURN(f.person_status, r.String("person_status", false));
  if (!f.person_status.empty()) {
    MEMORIA_RETURN_IF_ERROR(CheckCode(r.Path("person_status"), "person_status", f.person_status));
  }
  MEMORIA_RETURN_IF_ERROR(r.Finish());
  return f;
}

Result<ViolationSpec> ParseViolation(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  MEMORIA_RETURN_IF_ERROR(r.Check());
  ViolationSpec v;
  MEMORIA_ASSIGN_OR_RETURN(v.act_type, r.String("act_type", true));
  MEMORIA_RETURN_IF_ERROR(CheckCode(r.Path("act_type"), "violation_types", v.act_type));
  MEMORIA_ASSIGN_OR_RETURN(v.probability, r.Probability("probability", true));
  MEMORIA_RETURN_IF_ERROR(r.Range("years", true, kMinYear, kMaxYear, v.year_min, v.year_max));
  MEMORIA_ASSIGN_OR_RETURN(v.place, r.String("place", true));
  MEMORIA_RETURN_IF_ERROR(CheckPlace(r.Path("place"), v.place, false));
  MEMORIA_ASSIGN_OR_RETURN(v.victim_status, r.String("victim_status", false, "unknown"));
  MEMORIA_RETURN_IF_ERROR(CheckCode(r.Path("victim_status"), "victim_status", v.victim_status));
  MEMORIA_ASSIGN_OR_RETURN(v.person_status, r.String("person_status", false, "unknown"));
  MEMORIA_RETURN_IF_ERROR(CheckCode(r.Path("person_status"), "person_status", v.person_status));
  MEMORIA_ASSIGN_OR_RETURN(v.dprk_national, r.Bool("dprk_national", true));
  if (!v.dprk_national && v.place == "home") {
    return ObjectReader::Error(r.Path("place"),
                               "'home' needs a home province; this violation has dprk_national "
                               "false");
  }
  Status st;
  if (const json* f = r.Get("followups", false, st)) {
    if (!f->is_array()) return ObjectReader::Error(r.Path("followups"), "expected an array");
    for (std::size_t i = 0; i < f->size(); ++i) {
      MEMORIA_ASSIGN_OR_RETURN(
          FollowUp fu, ParseFollowUp((*f)[i], r.Path("followups") + "[" + std::to_string(i) + "]"));
      if (fu.place == "home" && !v.dprk_national) {
        return ObjectReader::Error(r.Path("followups") + "[" + std::to_string(i) + "].place",
                                   "'home' needs a home province");
      }
      v.followups.push_back(std::move(fu));
    }
  }
  MEMORIA_RETURN_IF_ERROR(r.Finish());
  return v;
}

Result<SourceSpec> ParseSource(const json& j, const std::string& path,
                               const std::vector<SourceSpec>& earlier) {
  ObjectReader r(j, path);
  MEMORIA_RETURN_IF_ERROR(r.Check());
  SourceSpec s;
  MEMORIA_ASSIGN_OR_RETURN(s.id, r.String("id", true));
  // The id names a file and a CSV column: keep it to a safe, short identifier.
  bool ok_id =
      !s.id.empty() && s.id.size() <= 64 && std::isalnum(static_cast<unsigned char>(s.id[0]));
  for (char c : s.id) {
    ok_id = ok_id && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
  }
  if (!ok_id) {
    return ObjectReader::Error(r.Path("id"),
                               "expected 1-64 characters of [A-Za-z0-9_-], beginning with a "
                               "letter or digit");
  }
  for (const auto& e : earlier) {
    if (e.id == s.id) {
      return ObjectReader::Error(r.Path("id"), "source id '" + s.id + "' is used twice");
    }
  }
  MEMORIA_ASSIGN_OR_RETURN(s.name, r.String("name", false, s.id));
  MEMORIA_ASSIGN_OR_RETURN(s.organization, r.String("organization", false));
  MEMORIA_ASSIGN_OR_RETURN(s.method, r.String("method", false));
  MEMORIA_RETURN_IF_ERROR(r.Range("years", true, kMinYear, kMaxYear, s.year_min, s.year_max));
  MEMORIA_ASSIGN_OR_RETURN(s.capture, r.Probability("capture", true));
  if (s.capture >= 1) {
    // logit(1) is infinite; a list that captures everyone leaves nothing to estimate anyway.
    return ObjectReader::Error(r.Path("capture"), "probability must be below 1");
  }
  MEMORIA_ASSIGN_OR_RETURN(s.visibility, r.Number("visibility", false, 0));
  MEMORIA_ASSIGN_OR_RETURN(s.province_log_odds, r.NumberMap("province_log_odds", false, false));
  for (const auto& [k, v] : s.province_log_odds) {
    if (!PlaceIndex::Default().IsProvince(k)) {
      return ObjectReader::Error(r.Path("province_log_odds") + "." + k,
                                 "not a province id of the gazetteer");
    }
  }
  MEMORIA_ASSIGN_OR_RETURN(s.violation_log_odds, r.NumberMap("violation_log_odds", false, false));
  for (const auto& [k, v] : s.violation_log_odds) {
    MEMORIA_RETURN_IF_ERROR(
        CheckCode(r.Path("violation_log_odds") + "." + k, "violation_types", k));
  }
  MEMORIA_ASSIGN_OR_RETURN(s.referral_log_odds, r.NumberMap("referral_log_odds", false, false));
  for (const auto& [k, v] : s.referral_log_odds) {
    bool found = false;
    for (const auto& e : earlier) found = found || e.id == k;
    if (!found) {
      return ObjectReader::Error(r.Path("referral_log_odds") + "." + k,
                                 "not the id of an earlier source (referrals come from sources "
                                 "listed before this one)");
    }
  }
  MEMORIA_ASSIGN_OR_RETURN(s.duplicates, r.Probability("duplicates", false, 0));
  double lag;
  MEMORIA_ASSIGN_OR_RETURN(lag, r.Number("report_lag_max", false, 0));
  if (lag < 0 || lag > 100 || lag != std::floor(lag)) {
    return ObjectReader::Error(r.Path("report_lag_max"), "expected a whole number of years, 0-100");
  }
  s.report_lag_max = static_cast<int>(lag);
  MEMORIA_ASSIGN_OR_RETURN(s.script, r.Dist("script", true, {"Hang", "Latn"}));
  MEMORIA_ASSIGN_OR_RETURN(s.north_spelling, r.Probability("north_spelling", false, 0));
  MEMORIA_ASSIGN_OR_RETURN(s.romanization, r.Dist("romanization", s.script.count("Latn") > 0,
                                                  {"RR", "MR", "MR_plain", "DPRK", "english"}));
  if (s.romanization.empty()) s.romanization = {{"RR", 1.0}};
  MEMORIA_ASSIGN_OR_RETURN(s.family_first, r.Probability("family_first", false, 1));
  MEMORIA_ASSIGN_OR_RETURN(s.given_separator,
                           r.Dist("given_separator", false, {"hyphen", "space", "none"}));
  if (s.given_separator.empty()) s.given_separator = {{"none", 1.0}};
  const std::vector<std::string> precisions = {"day", "month", "year", "none"};
  MEMORIA_ASSIGN_OR_RETURN(s.birth_precision, r.Dist("birth_precision", true, precisions));
  MEMORIA_ASSIGN_OR_RETURN(s.event_precision, r.Dist("event_precision", true, precisions));
  MEMORIA_ASSIGN_OR_RETURN(s.recorded, r.NumberMap("recorded", false, true));
  for (const auto& [k, v] : s.recorded) {
    if (k != "sex" && k != "birthplace" && k != "songbun" && k != "event_place") {
      return ObjectReader::Error(r.Path("recorded") + "." + k,
                                 "unknown key; expected sex, birthplace, songbun, event_place");
    }
  }
  for (const char* k : {"sex", "birthplace", "songbun", "event_place"}) {
    s.recorded.try_emplace(k, 1.0);
  }
  MEMORIA_ASSIGN_OR_RETURN(s.errors, r.NumberMap("errors", false, true));
  for (const auto& [k, v] : s.errors) {
    if (k != "typo" && k != "birth_year_shift" && k != "korean_age" && k != "wrong_province" &&
        k != "swapped_given") {
      return ObjectReader::Error(r.Path("errors") + "." + k,
                                 "unknown key; expected typo, birth_year_shift, korean_age, "
                                 "wrong_province, swapped_given");
    }
  }
  for (const char* k :
       {"typo", "birth_year_shift", "korean_age", "wrong_province", "swapped_given"}) {
    s.errors.try_emplace(k, 0.0);
  }
  MEMORIA_RETURN_IF_ERROR(r.Finish());
  return s;
}

Result<Scenario> ParseScenarioJson(const json& j) {
  ObjectReader r(j, "");
  MEMORIA_RETURN_IF_ERROR(r.Check());
  Scenario sc;
  MEMORIA_ASSIGN_OR_RETURN(sc.description, r.String("description", false));
  MEMORIA_ASSIGN_OR_RETURN(double persons, r.Number("persons", true));
  if (persons < 0 || persons != std::floor(persons)) {
    return ObjectReader::Error("persons",
                               fmt::format("{} is not a non-negative whole number", persons));
  }
  if (persons > static_cast<double>(kMaxPersons)) {
    return ObjectReader::Error("persons", fmt::format("at most {} persons", kMaxPersons));
  }
  sc.persons = static_cast<std::int64_t>(persons);
  MEMORIA_RETURN_IF_ERROR(r.Range("age", true, 0, 120, sc.age_min, sc.age_max));
  MEMORIA_ASSIGN_OR_RETURN(sc.sex, r.Dist("sex", true, {"male", "female"}));
  MEMORIA_ASSIGN_OR_RETURN(sc.songbun, r.Dist("songbun", true, {"core", "wavering", "hostile"}));
  MEMORIA_ASSIGN_OR_RETURN(sc.provinces, r.NumberMap("provinces", true, true));
  double sum = 0;
  for (const auto& [k, p] : sc.provinces) {
    if (!PlaceIndex::Default().IsProvince(k)) {
      return ObjectReader::Error("provinces." + k, "not a province id of the gazetteer");
    }
    sum += p;
  }
  if (sc.provinces.empty() || std::fabs(sum - 1) > 1e-6) {
    return ObjectReader::Error("provinces", fmt::format("probabilities sum to {}, not 1", sum));
  }
  MEMORIA_ASSIGN_OR_RETURN(sc.visibility_sd, r.Number("visibility_sd", false, 0));
  if (sc.visibility_sd < 0) {
    return ObjectReader::Error("visibility_sd", "a standard deviation cannot be negative");
  }
  Status st;
  const json* vs = r.Get("violations", true, st);
  MEMORIA_RETURN_IF_ERROR(st);
  if (!vs->is_array() || vs->empty()) {
    return ObjectReader::Error("violations", "expected a non-empty array");
  }
  sum = 0;
  for (std::size_t i = 0; i < vs->size(); ++i) {
    MEMORIA_ASSIGN_OR_RETURN(ViolationSpec v,
                             ParseViolation((*vs)[i], "violations[" + std::to_string(i) + "]"));
    sum += v.probability;
    sc.violations.push_back(std::move(v));
  }
  if (std::fabs(sum - 1) > 1e-6) {
    return ObjectReader::Error(
        "violations", fmt::format("probabilities of the violations sum to {}, not 1", sum));
  }
  const json* ss = r.Get("sources", true, st);
  MEMORIA_RETURN_IF_ERROR(st);
  if (!ss->is_array() || ss->empty()) {
    return ObjectReader::Error("sources", "expected a non-empty array");
  }
  if (ss->size() > 15) return ObjectReader::Error("sources", "at most 15 sources");
  for (std::size_t i = 0; i < ss->size(); ++i) {
    MEMORIA_ASSIGN_OR_RETURN(
        SourceSpec s, ParseSource((*ss)[i], "sources[" + std::to_string(i) + "]", sc.sources));
    sc.sources.push_back(std::move(s));
  }
  MEMORIA_RETURN_IF_ERROR(r.Finish());
  return sc;
}

}  // namespace

Result<Scenario> ParseScenario(std::string_view json_text, const std::string& file) {
  json j;
  try {
    j = json::parse(json_text.begin(), json_text.end());
  } catch (const json::parse_error& e) {
    // e.what() names the byte offset and what the parser expected.
    return Status::InvalidInput(std::string("not valid JSON: ") + e.what()).AtFile(file, 0);
  }
  Result<Scenario> sc = ParseScenarioJson(j);
  if (!sc.ok()) return std::move(sc).TakeStatus().AtFile(file, 0);
  return sc;
}

Result<Scenario> LoadScenarioFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open scenario file").AtFile(path, 0);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IoError("cannot read scenario file").AtFile(path, 0);
  return ParseScenario(text.str(), path);
}

Result<Scenario> DefaultScenario() {
  auto text = EmbeddedFile("scenarios/default.json");
  if (!text) return Status::NotFound("data/scenarios/default.json is not embedded in this build");
  return ParseScenario(*text, "data/scenarios/default.json");
}

}  // namespace memoria::sim
