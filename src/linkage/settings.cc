#include "linkage/settings.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace memoria::linkage {
namespace {

using nlohmann::json;

// Parsing helpers: every error names the JSON path of the offending key.
class Parser {
 public:
  explicit Parser(std::string file) : file_(std::move(file)) {}

  Status Error(const std::string& path, const std::string& message) const {
    Status s = Status::InvalidInput(message);
    s.At(file_, 0, path);
    return s;
  }

  Status CheckKeys(const json& obj, const std::string& path,
                   std::initializer_list<const char*> allowed) const {
    if (!obj.is_object()) return Error(path, "expected a JSON object");
    std::set<std::string> ok(allowed.begin(), allowed.end());
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (!ok.contains(it.key())) {
        std::string list;
        for (const auto& a : ok) list += (list.empty() ? "" : ", ") + a;
        return Error(Join(path, it.key()), fmt::format("unknown key (expected one of: {})", list));
      }
    }
    return Status::Ok();
  }

  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }
  static std::string Index(const std::string& path, std::size_t i) {
    return fmt::format("{}[{}]", path, i);
  }

  Status GetString(const json& obj, const std::string& path, const char* key,
                   std::string& out) const {
    if (!obj.contains(key)) return Status::Ok();
    if (!obj[key].is_string()) return Error(Join(path, key), "expected a string");
    out = obj[key].get<std::string>();
    return Status::Ok();
  }
  Status GetDouble(const json& obj, const std::string& path, const char* key, double& out,
                   double lo, double hi) const {
    if (!obj.contains(key)) return Status::Ok();
    if (!obj[key].is_number()) return Error(Join(path, key), "expected a number");
    double v = obj[key].get<double>();
    if (!(v >= lo && v <= hi)) {
      return Error(Join(path, key), fmt::format("{} is outside [{}, {}]", v, lo, hi));
    }
    out = v;
    return Status::Ok();
  }
  template <typename Int>
  Status GetInt(const json& obj, const std::string& path, const char* key, Int& out,
                std::int64_t lo) const {
    if (!obj.contains(key)) return Status::Ok();
    if (!obj[key].is_number_integer()) return Error(Join(path, key), "expected an integer");
    auto v = obj[key].get<std::int64_t>();
    if (v < lo) return Error(Join(path, key), fmt::format("{} is below {}", v, lo));
    out = static_cast<Int>(v);
    return Status::Ok();
  }
  Status GetStrings(const json& obj, const std::string& path, const char* key,
                    std::vector<std::string>& out) const {
    if (!obj.contains(key)) return Status::Ok();
    const json& a = obj[key];
    if (!a.is_array()) return Error(Join(path, key), "expected an array of strings");
    out.clear();
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!a[i].is_string()) return Error(Index(Join(path, key), i), "expected a string");
      out.push_back(a[i].get<std::string>());
    }
    return Status::Ok();
  }

  Status GetNormalize(const json& obj, const std::string& path, Normalize& out) const {
    if (!obj.contains("normalize")) return Status::Ok();
    std::string v;
    MEMORIA_RETURN_IF_ERROR(GetString(obj, path, "normalize", v));
    if (v == "none") {
      out = Normalize::kNone;
    } else if (v == "lower") {
      out = Normalize::kLower;
    } else if (v == "alnum") {
      out = Normalize::kAlnum;
    } else {
      return Error(Join(path, "normalize"),
                   "unknown normalization '" + v + "' (expected none, lower or alnum)");
    }
    return Status::Ok();
  }

  Status GetDateFormat(const json& obj, const std::string& path, std::string& out) const {
    MEMORIA_RETURN_IF_ERROR(GetString(obj, path, "date_format", out));
    if (out != "edtf" && out != "yyyymmdd" && out != "ymd") {
      return Error(Join(path, "date_format"),
                   "unknown date format '" + out + "' (expected edtf, yyyymmdd or ymd)");
    }
    return Status::Ok();
  }

  Status ParseKeyPart(const json& j, const std::string& path, KeyPart& p) const {
    MEMORIA_RETURN_IF_ERROR(
        CheckKeys(j, path, {"column", "columns", "transform", "n", "normalize", "date_format"}));
    std::string col;
    MEMORIA_RETURN_IF_ERROR(GetString(j, path, "column", col));
    MEMORIA_RETURN_IF_ERROR(GetStrings(j, path, "columns", p.columns));
    if (!col.empty()) p.columns.insert(p.columns.begin(), col);
    if (p.columns.empty()) return Error(path, "a key part needs a column");
    std::string t = "exact";
    MEMORIA_RETURN_IF_ERROR(GetString(j, path, "transform", t));
    MEMORIA_RETURN_IF_ERROR(GetInt(j, path, "n", p.n, 1));
    MEMORIA_RETURN_IF_ERROR(GetNormalize(j, path, p.normalize));
    MEMORIA_RETURN_IF_ERROR(GetDateFormat(j, path, p.date_format));
    static const std::pair<const char*, KeyPart::Kind> kKinds[] = {
        {"exact", KeyPart::Kind::kExact},
        {"first", KeyPart::Kind::kFirst},
        {"last", KeyPart::Kind::kLast},
        {"soundex", KeyPart::Kind::kSoundex},
        {"year", KeyPart::Kind::kYear},
        {"surname_key", KeyPart::Kind::kSurnameKey},
        {"given_phonetic", KeyPart::Kind::kGivenPhonetic}};
    bool found = false;
    for (const auto& [name, kind] : kKinds) {
      if (t == name) {
        p.kind = kind;
        found = true;
      }
    }
    if (!found) {
      return Error(Join(path, "transform"),
                   "unknown transform '" + t +
                       "' (expected exact, first, last, soundex, year, surname_key, "
                       "given_phonetic)");
    }
    if ((p.kind == KeyPart::Kind::kFirst || p.kind == KeyPart::Kind::kLast) && p.n <= 0) {
      return Error(Join(path, "n"), "transform '" + t + "' needs n >= 1");
    }
    std::size_t want = (p.kind == KeyPart::Kind::kYear && p.date_format == "ymd") ? 3 : 1;
    bool korean = p.kind == KeyPart::Kind::kSurnameKey || p.kind == KeyPart::Kind::kGivenPhonetic;
    if (korean && p.columns.size() == 3) want = 3;
    if (p.columns.size() != want) {
      return Error(Join(path, "columns"), fmt::format("expected {} column(s)", want));
    }
    return Status::Ok();
  }

  Status ParseRule(const json& j, const std::string& path, BlockingRule& r) const {
    MEMORIA_RETURN_IF_ERROR(CheckKeys(j, path, {"name", "keys", "max_block_size"}));
    MEMORIA_RETURN_IF_ERROR(GetString(j, path, "name", r.name));
    MEMORIA_RETURN_IF_ERROR(GetInt(j, path, "max_block_size", r.max_block_size, 0));
    if (!j.contains("keys") || !j["keys"].is_array() || j["keys"].empty()) {
      return Error(Join(path, "keys"), "a blocking rule needs a non-empty array of keys");
    }
    for (std::size_t i = 0; i < j["keys"].size(); ++i) {
      KeyPart p;
      MEMORIA_RETURN_IF_ERROR(ParseKeyPart(j["keys"][i], Index(Join(path, "keys"), i), p));
      r.parts.push_back(std::move(p));
    }
    return Status::Ok();
  }

  Status ParseLevel(const json& j, const std::string& path, ValueKind kind, Level& l) const {
    MEMORIA_RETURN_IF_ERROR(
        CheckKeys(j, path, {"type", "threshold", "max", "label", "rarer_max_count"}));
    std::string t;
    MEMORIA_RETURN_IF_ERROR(GetString(j, path, "type", t));
    struct Spec {
      const char* name;
      Level::Type type;
      bool needs_threshold;
      bool needs_max;
      std::vector<ValueKind> kinds;
    };
    using VK = ValueKind;
    static const Spec kSpecs[] = {
        {"exact",
         Level::Type::kExact,
         false,
         false,
         {VK::kString, VK::kDate, VK::kNumeric, VK::kAgreement}},
        {"jaro_winkler", Level::Type::kJaroWinkler, true, false, {VK::kString}},
        {"jaro", Level::Type::kJaro, true, false, {VK::kString}},
        {"levenshtein", Level::Type::kLevenshtein, false, true, {VK::kString}},
        {"damerau_levenshtein", Level::Type::kDamerau, false, true, {VK::kString}},
        {"swapped", Level::Type::kSwapped, false, false, {VK::kString}},
        {"date_within_days", Level::Type::kDateWithinDays, false, true, {VK::kDate}},
        {"date_same_month", Level::Type::kDateSameMonth, false, false, {VK::kDate}},
        {"date_years_within", Level::Type::kDateYearsWithin, false, true, {VK::kDate}},
        {"numeric_within", Level::Type::kNumericWithin, false, true, {VK::kNumeric}},
        {"surname_match", Level::Type::kSurnameMatch, false, false, {VK::kKoreanName}},
        {"given_phonetic", Level::Type::kGivenPhonetic, false, false, {VK::kKoreanName}},
        {"given_similarity", Level::Type::kGivenSimilarity, true, false, {VK::kKoreanName}},
        {"name_similarity", Level::Type::kNameSimilarity, true, false, {VK::kKoreanName}},
        {"differ_at_most", Level::Type::kDifferAtMost, false, true, {VK::kAgreement}},
    };
    const Spec* spec = nullptr;
    for (const auto& s : kSpecs) {
      if (t == s.name) spec = &s;
    }
    if (spec == nullptr) return Error(Join(path, "type"), "unknown level type '" + t + "'");
    bool kind_ok = false;
    for (VK k : spec->kinds) kind_ok = kind_ok || k == kind;
    if (kind == VK::kKoreanName && spec->type == Level::Type::kExact) kind_ok = true;
    if (!kind_ok) {
      return Error(Join(path, "type"), "level type '" + t + "' does not apply to this kind");
    }
    l.type = spec->type;
    if (spec->needs_threshold) {
      if (!j.contains("threshold")) return Error(Join(path, "threshold"), "required");
      MEMORIA_RETURN_IF_ERROR(GetDouble(j, path, "threshold", l.threshold, 0.0, 1.0));
    }
    if (spec->needs_max) {
      if (!j.contains("max")) return Error(Join(path, "max"), "required");
      MEMORIA_RETURN_IF_ERROR(GetDouble(j, path, "max", l.max, 0.0, 1e12));
    }
    if (j.contains("rarer_max_count")) {
      const bool similarity = l.type == Level::Type::kJaroWinkler || l.type == Level::Type::kJaro ||
                              l.type == Level::Type::kLevenshtein ||
                              l.type == Level::Type::kDamerau;
      const json& v = j["rarer_max_count"];
      if (!similarity) {
        return Error(Join(path, "rarer_max_count"),
                     "only string similarity levels take rarer_max_count");
      }
      if (!v.is_number_integer() || v.get<std::int64_t>() < 1) {
        return Error(Join(path, "rarer_max_count"), "expected an integer >= 1");
      }
      l.rarer_max_count = v.get<std::int64_t>();
    }
    MEMORIA_RETURN_IF_ERROR(GetString(j, path, "label", l.label));
    return Status::Ok();
  }

  Status ParseComparison(const json& j, const std::string& path, Comparison& c) const {
    MEMORIA_RETURN_IF_ERROR(CheckKeys(j, path,
                                      {"name", "kind", "column", "columns", "normalize",
                                       "date_format", "levels", "term_frequency", "m_start"}));
    std::string col;
    MEMORIA_RETURN_IF_ERROR(GetString(j, path, "column", col));
    MEMORIA_RETURN_IF_ERROR(GetStrings(j, path, "columns", c.columns));
    if (!col.empty()) c.columns.insert(c.columns.begin(), col);
    if (c.columns.empty()) return Error(path, "a comparison needs a column");
    MEMORIA_RETURN_IF_ERROR(GetString(j, path, "name", c.name));
    if (c.name.empty()) c.name = c.columns[0];
    std::string kind = "string";
    MEMORIA_RETURN_IF_ERROR(GetString(j, path, "kind", kind));
    if (kind == "string") {
      c.kind = ValueKind::kString;
    } else if (kind == "date") {
      c.kind = ValueKind::kDate;
    } else if (kind == "numeric") {
      c.kind = ValueKind::kNumeric;
    } else if (kind == "korean_name") {
      c.kind = ValueKind::kKoreanName;
    } else if (kind == "agreement") {
      c.kind = ValueKind::kAgreement;
    } else {
      return Error(Join(path, "kind"), "unknown kind '" + kind +
                                           "' (expected string, date, numeric, korean_name, "
                                           "agreement)");
    }
    MEMORIA_RETURN_IF_ERROR(GetNormalize(j, path, c.normalize));
    MEMORIA_RETURN_IF_ERROR(GetDateFormat(j, path, c.date_format));
    if (c.kind == ValueKind::kDate) {
      std::size_t want = c.date_format == "ymd" ? 3 : 1;
      if (c.columns.size() != want) {
        return Error(Join(path, "columns"),
                     fmt::format("a date in format {} needs {} column(s)", c.date_format, want));
      }
    }
    if (c.kind == ValueKind::kKoreanName && c.columns.size() != 1 && c.columns.size() != 3) {
      return Error(Join(path, "columns"),
                   "a korean_name comparison takes [full] or [full, family, given] columns");
    }
    if (c.kind == ValueKind::kAgreement && (c.columns.size() < 2 || c.columns.size() > 16)) {
      return Error(Join(path, "columns"), "an agreement comparison takes 2 to 16 columns");
    }
    if (!j.contains("levels") || !j["levels"].is_array() || j["levels"].empty()) {
      return Error(Join(path, "levels"), "a comparison needs a non-empty array of levels");
    }
    if (j["levels"].size() > 13) return Error(Join(path, "levels"), "at most 13 levels");
    for (std::size_t i = 0; i < j["levels"].size(); ++i) {
      Level l;
      MEMORIA_RETURN_IF_ERROR(
          ParseLevel(j["levels"][i], Index(Join(path, "levels"), i), c.kind, l));
      if (l.type == Level::Type::kSwapped && c.columns.size() != 2) {
        return Error(Index(Join(path, "levels"), i),
                     "a swapped level needs a comparison with exactly two columns");
      }
      c.levels.push_back(l);
    }
    if (j.contains("term_frequency")) {
      const json& tf = j["term_frequency"];
      std::string tp = Join(path, "term_frequency");
      if (c.kind == ValueKind::kAgreement) {
        return Error(tp, "an agreement comparison has no term-frequency adjustment");
      }
      if (tf.is_boolean()) {
        c.term_frequency = tf.get<bool>();
      } else {
        MEMORIA_RETURN_IF_ERROR(CheckKeys(tf, tp, {"weight", "min"}));
        c.term_frequency = true;
        MEMORIA_RETURN_IF_ERROR(GetDouble(tf, tp, "weight", c.tf_weight, 0.0, 1.0));
        MEMORIA_RETURN_IF_ERROR(GetDouble(tf, tp, "min", c.tf_min, 1e-12, 1.0));
      }
    }
    if (j.contains("m_start")) {
      const json& m = j["m_start"];
      if (!m.is_array() || m.size() != c.levels.size() + 1) {
        return Error(Join(path, "m_start"),
                     fmt::format("expected {} probabilities (one per level plus 'else')",
                                 c.levels.size() + 1));
      }
      for (std::size_t i = 0; i < m.size(); ++i) {
        if (!m[i].is_number() || m[i].get<double>() <= 0 || m[i].get<double>() >= 1) {
          return Error(Index(Join(path, "m_start"), i), "expected a probability in (0, 1)");
        }
        c.m_start.push_back(m[i].get<double>());
      }
    }
    return Status::Ok();
  }

  Result<Settings> Parse(const json& root) const {
    Settings s;
    MEMORIA_RETURN_IF_ERROR(
        CheckKeys(root, "",
                  {"description", "link_type", "id_column", "source_column", "null_values",
                   "blocking_rules", "comparisons", "training", "thresholds", "cluster", "truth"}));
    std::string lt = "dedupe";
    MEMORIA_RETURN_IF_ERROR(GetString(root, "", "link_type", lt));
    if (lt == "dedupe") {
      s.link_type = LinkType::kDedupe;
    } else if (lt == "link") {
      s.link_type = LinkType::kLink;
    } else if (lt == "link_and_dedupe") {
      s.link_type = LinkType::kLinkAndDedupe;
    } else {
      return Error("link_type",
                   "unknown link type '" + lt + "' (expected dedupe, link, link_and_dedupe)");
    }
    MEMORIA_RETURN_IF_ERROR(GetString(root, "", "id_column", s.id_column));
    if (s.id_column.empty()) return Error("id_column", "must not be empty");
    MEMORIA_RETURN_IF_ERROR(GetString(root, "", "source_column", s.source_column));
    MEMORIA_RETURN_IF_ERROR(GetStrings(root, "", "null_values", s.null_values));

    if (!root.contains("blocking_rules") || !root["blocking_rules"].is_array() ||
        root["blocking_rules"].empty()) {
      return Error("blocking_rules", "at least one blocking rule is required");
    }
    if (root["blocking_rules"].size() > 16) return Error("blocking_rules", "at most 16 rules");
    for (std::size_t i = 0; i < root["blocking_rules"].size(); ++i) {
      BlockingRule r;
      MEMORIA_RETURN_IF_ERROR(ParseRule(root["blocking_rules"][i], Index("blocking_rules", i), r));
      if (r.name.empty()) r.name = fmt::format("rule{}", i);
      s.blocking_rules.push_back(std::move(r));
    }
    if (!root.contains("comparisons") || !root["comparisons"].is_array() ||
        root["comparisons"].empty()) {
      return Error("comparisons", "at least one comparison is required");
    }
    if (root["comparisons"].size() > 16) return Error("comparisons", "at most 16 comparisons");
    std::set<std::string> names;
    for (std::size_t i = 0; i < root["comparisons"].size(); ++i) {
      Comparison c;
      MEMORIA_RETURN_IF_ERROR(ParseComparison(root["comparisons"][i], Index("comparisons", i), c));
      if (!names.insert(c.name).second) {
        return Error(Index("comparisons", i) + ".name", "duplicate comparison name " + c.name);
      }
      s.comparisons.push_back(std::move(c));
    }
    if (root.contains("training")) {
      const json& t = root["training"];
      MEMORIA_RETURN_IF_ERROR(CheckKeys(
          t, "training",
          {"u_pairs", "seed", "em_rules", "max_iterations", "tolerance", "prior", "em_max_pairs"}));
      MEMORIA_RETURN_IF_ERROR(GetInt(t, "training", "u_pairs", s.training.u_pairs, 1));
      MEMORIA_RETURN_IF_ERROR(GetInt(t, "training", "seed", s.training.seed, 0));
      MEMORIA_RETURN_IF_ERROR(GetStrings(t, "training", "em_rules", s.training.em_rules));
      MEMORIA_RETURN_IF_ERROR(
          GetInt(t, "training", "max_iterations", s.training.max_iterations, 1));
      MEMORIA_RETURN_IF_ERROR(GetDouble(t, "training", "tolerance", s.training.tolerance, 0, 1));
      MEMORIA_RETURN_IF_ERROR(GetInt(t, "training", "em_max_pairs", s.training.em_max_pairs, 0));
      if (t.contains("prior")) {
        double p = 0;
        MEMORIA_RETURN_IF_ERROR(GetDouble(t, "training", "prior", p, 1e-300, 0.5));
        if (p <= 0) return Error("training.prior", "must be > 0");
        s.training.prior = p;
      }
      for (std::size_t i = 0; i < s.training.em_rules.size(); ++i) {
        bool found = false;
        for (const auto& r : s.blocking_rules) found = found || r.name == s.training.em_rules[i];
        if (!found) {
          return Error(Index("training.em_rules", i),
                       "no blocking rule named '" + s.training.em_rules[i] + "'");
        }
      }
    }
    if (root.contains("thresholds")) {
      const json& t = root["thresholds"];
      MEMORIA_RETURN_IF_ERROR(
          CheckKeys(t, "thresholds", {"match", "review_low", "review_high", "pairs_min"}));
      s.thresholds.review_high = -1;
      MEMORIA_RETURN_IF_ERROR(GetDouble(t, "thresholds", "match", s.thresholds.match, 0, 1));
      MEMORIA_RETURN_IF_ERROR(
          GetDouble(t, "thresholds", "review_low", s.thresholds.review_low, 0, 1));
      MEMORIA_RETURN_IF_ERROR(
          GetDouble(t, "thresholds", "review_high", s.thresholds.review_high, 0, 1));
      if (s.thresholds.review_high < 0) s.thresholds.review_high = s.thresholds.match;
      s.thresholds.pairs_min = s.thresholds.review_low;
      MEMORIA_RETURN_IF_ERROR(
          GetDouble(t, "thresholds", "pairs_min", s.thresholds.pairs_min, 0, 1));
      if (s.thresholds.review_low > s.thresholds.review_high) {
        return Error("thresholds.review_low", "must not exceed review_high");
      }
    }
    if (root.contains("cluster")) {
      const json& c = root["cluster"];
      MEMORIA_RETURN_IF_ERROR(CheckKeys(c, "cluster", {"max_size", "min_density", "split_below"}));
      MEMORIA_RETURN_IF_ERROR(GetInt(c, "cluster", "max_size", s.cluster.max_size, 0));
      MEMORIA_RETURN_IF_ERROR(GetDouble(c, "cluster", "min_density", s.cluster.min_density, 0, 1));
      MEMORIA_RETURN_IF_ERROR(GetDouble(c, "cluster", "split_below", s.cluster.split_below, 0, 1));
    }
    if (root.contains("truth")) {
      const json& t = root["truth"];
      MEMORIA_RETURN_IF_ERROR(CheckKeys(t, "truth", {"column", "id_regex"}));
      MEMORIA_RETURN_IF_ERROR(GetString(t, "truth", "column", s.truth.column));
      MEMORIA_RETURN_IF_ERROR(GetString(t, "truth", "id_regex", s.truth.id_regex));
    }
    return s;
  }

 private:
  std::string file_;
};

}  // namespace

std::string LevelLabel(const Level& l) {
  if (!l.label.empty()) return l.label;
  if (l.rarer_max_count > 0) {
    Level plain = l;
    plain.rarer_max_count = 0;
    return fmt::format("{},rarer<={}", LevelLabel(plain), l.rarer_max_count);
  }
  switch (l.type) {
    case Level::Type::kExact:
      return "exact";
    case Level::Type::kJaroWinkler:
      return fmt::format("jaro_winkler>={}", l.threshold);
    case Level::Type::kJaro:
      return fmt::format("jaro>={}", l.threshold);
    case Level::Type::kLevenshtein:
      return fmt::format("levenshtein<={}", l.max);
    case Level::Type::kDamerau:
      return fmt::format("damerau<={}", l.max);
    case Level::Type::kSwapped:
      return "swapped";
    case Level::Type::kDateWithinDays:
      return fmt::format("within_{}_days", l.max);
    case Level::Type::kDateSameMonth:
      return "same_month";
    case Level::Type::kDateYearsWithin:
      return fmt::format("within_{}_years", l.max);
    case Level::Type::kNumericWithin:
      return fmt::format("within_{}", l.max);
    case Level::Type::kSurnameMatch:
      return "surname_match";
    case Level::Type::kGivenPhonetic:
      return "given_phonetic";
    case Level::Type::kGivenSimilarity:
      return fmt::format("given_similarity>={}", l.threshold);
    case Level::Type::kNameSimilarity:
      return fmt::format("name_similarity>={}", l.threshold);
    case Level::Type::kDifferAtMost:
      return fmt::format("differ<={}", l.max);
  }
  return "?";
}

Result<Settings> ParseSettings(std::string_view json_text, const std::string& file) {
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::parse_error& e) {
    Status s = Status::InvalidInput(std::string("invalid JSON: ") + e.what());
    s.At(file);
    return s;
  }
  return Parser(file).Parse(root);
}

Result<Settings> LoadSettings(const std::string& path) {
  if (path.empty()) return DefaultSettings();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open settings file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseSettings(ss.str(), path);
}

}  // namespace memoria::linkage
