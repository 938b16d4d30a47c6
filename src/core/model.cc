#include "core/model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

#include "core/edtf.h"
#include "core/person_name.h"
#include "core/text.h"
#include "core/uuid.h"
#include "core/vocabulary.h"

namespace memoria {
namespace {

using json = nlohmann::json;

FieldSpec F(std::string name, FieldKind kind, std::string doc) {
  return FieldSpec{std::move(name), kind, false, {}, {}, 0, 0, std::move(doc)};
}
FieldSpec Req(FieldSpec f) {
  f.required = true;
  return f;
}
FieldSpec Code(std::string name, std::string vocabulary, std::string doc) {
  FieldSpec f = F(std::move(name), FieldKind::kCode, std::move(doc));
  f.vocabulary = std::move(vocabulary);
  return f;
}
FieldSpec Codes(std::string name, std::string vocabulary, std::string doc) {
  FieldSpec f = F(std::move(name), FieldKind::kCodes, std::move(doc));
  f.vocabulary = std::move(vocabulary);
  return f;
}
FieldSpec Ref(std::string name, std::string type, std::string doc) {
  FieldSpec f = F(std::move(name), FieldKind::kRef, std::move(doc));
  f.ref_type = std::move(type);
  return f;
}
FieldSpec Num(std::string name, FieldKind kind, double min, double max, std::string doc) {
  FieldSpec f = F(std::move(name), kind, std::move(doc));
  f.min = min;
  f.max = max;
  return f;
}
FieldSpec Conf() {
  return Code("confidentiality", "confidentiality",
              "public < internal < restricted < secret; the type's default when absent");
}
FieldSpec Record() { return Ref("record", "record", "the report this was taken from"); }
FieldSpec Description() { return F("description", FieldKind::kText, "free text"); }

std::vector<EntitySpec> MakeSpecs() {
  using K = FieldKind;
  return {
      {"source",
       "An organization's collection of reports: a 'list' in estimation terms.",
       {Req(F("name", K::kString, "name of the collection")),
        F("organization", K::kString, "the documenting organization"),
        F("method", K::kText, "how reports were collected (interviews, media monitoring, ...)"),
        F("period", K::kEdtf, "period the collection covers"), Description(), Conf()},
       Confidentiality::kInternal},
      {"place",
       "A gazetteer entry: country, province, county, city, border crossing or facility.",
       {Req(F("name", K::kString, "English name")),
        F("name_ko", K::kString, "Korean name (Hangul)"),
        F("other_names", K::kStrings, "alternative names and spellings"),
        Req(Code("kind", "place_kinds", "what kind of place")),
        Code("facility_type", "facility_types", "for a detention facility: its type"),
        Ref("parent", "place", "the enclosing place"),
        Num("lat", K::kNumber, -90, 90, "latitude, WGS84 decimal degrees"),
        Num("lon", K::kNumber, -180, 180, "longitude, WGS84 decimal degrees"),
        Code("precision", "coordinate_precision", "what the coordinates denote"), Description(),
        F("sources", K::kText, "where the facts come from"), Conf()},
       Confidentiality::kPublic},
      {"unit",
       "A perpetrator organization or unit, in a hierarchy.",
       {Req(F("name", K::kString, "name")), F("name_ko", K::kString, "Korean name (Hangul)"),
        Code("kind", "unit_kinds", "agency"), Ref("parent", "unit", "the unit above"),
        Description(), Conf()},
       Confidentiality::kInternal},
      {"record",
       "One report as received from a source, kept verbatim.",
       {Req(Ref("source", "source", "the collection it belongs to")),
        Req(F("source_record_id", K::kString, "the source's own identifier; unique per source")),
        F("received", K::kEdtf, "when it was received"),
        F("raw", K::kJson, "the report as received (any JSON), kept verbatim"), Conf()},
       Confidentiality::kRestricted},
      {"person",
       "A victim, perpetrator, witness or interviewer, as described by one report.",
       {F("names", K::kNames, "names in any script: {full, family, given, script, system}"),
        Code("sex", "sex", "sex"), F("birth", K::kEdtf, "date of birth (EDTF)"),
        Ref("birthplace", "place", "place of birth"), Code("songbun", "songbun", "songbun class"),
        Code("status", "person_status", "last known status"),
        Codes("roles", "person_roles",
              "roles in the documentation; a witness is secret by default"),
        Record(), Description(), Conf()},
       Confidentiality::kRestricted},
      {"event",
       "An incident.",
       {Req(F("title", K::kString, "short title")), Description(),
        F("date", K::kEdtf, "when (EDTF date or interval)"), Ref("place", "place", "where"),
        Ref("facility", "place", "the detention facility, if any"), Record(), Conf()},
       Confidentiality::kInternal},
      {"act",
       "What was done to one victim in an event.",
       {Ref("event", "event", "the event"), Req(Ref("victim", "person", "the victim")),
        Req(Code("act_type", "violation_types", "the violation")),
        F("date", K::kEdtf, "when (EDTF)"), Ref("place", "place", "where"),
        Code("victim_status", "victim_status", "the victim's state after the act"),
        Codes("rome_statute", "crimes_against_humanity",
              "Rome Statute art. 7(1) qualification, an analyst's legal assessment"),
        Record(), Description(), Conf()},
       Confidentiality::kRestricted},
      {"involvement",
       "Who did it, in what role: a perpetrator or unit in an act or event.",
       {Ref("act", "act", "the act (or give event)"),
        Ref("event", "event", "the event (or give act)"),
        Ref("perpetrator", "person", "the perpetrator (or give unit)"),
        Ref("unit", "unit", "the unit (or give perpetrator)"),
        Code("role", "involvement_roles", "mode of involvement"), Record(), Description(), Conf()},
       Confidentiality::kRestricted},
      {"information",
       "Who told us about an event or act, how, and how reliable it is.",
       {Req(Ref("witness", "person", "the person who gave the information")),
        Ref("event", "event", "the event (or give act)"),
        Ref("act", "act", "the act (or give event)"),
        Req(Code("relation", "information_relation", "how the witness knows")),
        Code("reliability", "reliability", "assessed reliability"),
        F("date", K::kEdtf, "when the information was given"),
        Code("consent", "consent", "what the witness consented to"), Record(), Description(),
        Conf()},
       Confidentiality::kSecret},
      {"evidence",
       "A file or capture: its content hash and metadata (the encrypted blob lives in the locker).",
       {Req(F("sha256", K::kSha256, "SHA-256 of the content, lower-case hex")),
        Req(F("media_type", K::kMediaType, "media type, e.g. image/jpeg")),
        Req(Num("size", K::kInteger, 0, 9007199254740992.0, "size in bytes")),
        F("captured_at", K::kTimestamp, "when it was captured (RFC 3339 UTC)"),
        Code("method", "capture_methods", "how it was captured"), Record(),
        Ref("event", "event", "the event it documents"), Description(),
        F("custody", K::kCustody, "chain of custody: [{at, actor, action, note}]"), Conf()},
       Confidentiality::kRestricted},
      {"link_decision",
       "A reviewer's decision that two persons describe, or do not describe, the same human being; "
       "record linkage obeys it on every run. Its id is derived from the pair, so deciding a pair "
       "again is a new version of the same entity.",
       {Req(Ref("person_a", "person", "one person of the pair")),
        Req(Ref("person_b", "person", "the other person of the pair")),
        Req(Code("decision", "link_decisions", "accept (same human being) or reject (different)")),
        F("reason", K::kText, "why: what the reviewer saw or checked"), Conf()},
       Confidentiality::kRestricted},
  };
}

bool ContainsCode(const json& codes, std::string_view code) {
  if (!codes.is_array()) return false;
  return std::any_of(codes.begin(), codes.end(), [&](const json& c) {
    return c.is_string() && c.get_ref<const std::string&>() == code;
  });
}

std::string KindName(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    default:
      return "a number";
  }
}

Result<std::string> TextValue(const json& v, bool multiline) {
  if (!v.is_string()) return Status::InvalidInput("expected a string, found " + KindName(v));
  return NormalizeFieldText(v.get_ref<const std::string&>(), multiline);
}

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool IsMediaType(std::string_view s) {
  static const std::regex re(
      R"(^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$)");
  return std::regex_match(s.begin(), s.end(), re);
}

bool IsTimestamp(std::string_view s) {
  static const std::regex re(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$)");
  if (!std::regex_match(s.begin(), s.end(), re)) return false;
  auto Num = [&](std::size_t pos, std::size_t len) {
    return std::stoi(std::string(s.substr(pos, len)));
  };
  int month = Num(5, 2), day = Num(8, 2), hour = Num(11, 2), minute = Num(14, 2),
      second = Num(17, 2);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 &&
         second <= 60;
}

// Validates one field value; returns the normalised value, or a discarded value for "absent".
Result<json> ValidateValue(const FieldSpec& f, const json& v, const Vocabularies& vocab,
                           std::vector<Reference>& refs) {
  using K = FieldKind;
  switch (f.kind) {
    case K::kString:
    case K::kText: {
      MEMORIA_ASSIGN_OR_RETURN(std::string text, TextValue(v, f.kind == K::kText));
      return json(std::move(text));
    }
    case K::kEdtf: {
      if (!v.is_string())
        return Status::InvalidInput("expected an EDTF date string, found " + KindName(v));
      MEMORIA_ASSIGN_OR_RETURN(EdtfDate d, EdtfDate::Parse(v.get_ref<const std::string&>()));
      return json(d.ToString());
    }
    case K::kCode: {
      if (!v.is_string()) return Status::InvalidInput("expected a code, found " + KindName(v));
      MEMORIA_RETURN_IF_ERROR(vocab.Check(f.vocabulary, v.get_ref<const std::string&>()));
      return v;
    }
    case K::kCodes: {
      if (!v.is_array())
        return Status::InvalidInput("expected an array of codes, found " + KindName(v));
      std::set<std::string> seen;
      for (std::size_t i = 0; i < v.size(); ++i) {
        const json& c = v[i];
        std::string at = "[" + std::to_string(i) + "]";
        if (!c.is_string()) {
          return Status::InvalidInput("expected a code, found " + KindName(c)).AtField(at);
        }
        Status s = vocab.Check(f.vocabulary, c.get_ref<const std::string&>());
        if (!s.ok()) return std::move(s).InField(at);
        if (!seen.insert(c.get<std::string>()).second) {
          return Status::InvalidInput("code '" + c.get<std::string>() + "' appears twice")
              .AtField(at);
        }
      }
      return v;
    }
    case K::kRef: {
      if (!v.is_string()) return Status::InvalidInput("expected an id, found " + KindName(v));
      const auto& id = v.get_ref<const std::string&>();
      if (!IsValidId(id)) return Status::InvalidInput("'" + id + "' is not a valid id");
      refs.push_back({f.name, f.ref_type, id});
      return v;
    }
    case K::kInteger:
    case K::kNumber: {
      if (!v.is_number()) return Status::InvalidInput("expected a number, found " + KindName(v));
      double d = v.get<double>();
      if (f.kind == K::kInteger && !v.is_number_integer()) {
        return Status::InvalidInput("expected a whole number");
      }
      if (!(d >= f.min && d <= f.max)) {
        return Status::InvalidInput(fmt::format("{} is outside [{}, {}]", d, f.min, f.max));
      }
      return v;
    }
    case K::kStrings: {
      if (!v.is_array())
        return Status::InvalidInput("expected an array of strings, found " + KindName(v));
      json out = json::array();
      std::set<std::string> seen;
      for (std::size_t i = 0; i < v.size(); ++i) {
        Result<std::string> s = TextValue(v[i], false);
        if (!s.ok()) return Status(s.status()).InField("[" + std::to_string(i) + "]");
        if (s->empty() || !seen.insert(*s).second) continue;
        out.push_back(*s);
      }
      return out;
    }
    case K::kNames: {
      if (!v.is_array())
        return Status::InvalidInput("expected an array of names, found " + KindName(v));
      json out = json::array();
      for (std::size_t i = 0; i < v.size(); ++i) {
        std::string at = "[" + std::to_string(i) + "]";
        const json& n = v[i];
        if (!n.is_object()) return Status::InvalidInput("expected a name object").AtField(at);
        PersonName name;
        for (auto it = n.begin(); it != n.end(); ++it) {
          std::string* slot = it.key() == "full"     ? &name.full
                              : it.key() == "family" ? &name.family
                              : it.key() == "given"  ? &name.given
                              : it.key() == "script" ? &name.script
                              : it.key() == "system" ? &name.system
                                                     : nullptr;
          if (slot == nullptr) {
            return Status::InvalidInput(
                       "unknown field; a name has full, family, given, script, system")
                .AtField(at + "." + it.key());
          }
          if (it->is_null()) continue;
          if (!it->is_string()) {
            return Status::InvalidInput("expected a string, found " + KindName(*it))
                .AtField(at + "." + it.key());
          }
          *slot = it->get<std::string>();
        }
        Result<PersonName> valid = ValidatePersonName(std::move(name));
        if (!valid.ok()) return Status(valid.status()).InField(at);
        json o = json::object();
        o["full"] = valid->full;
        if (!valid->family.empty()) o["family"] = valid->family;
        if (!valid->given.empty()) o["given"] = valid->given;
        if (!valid->script.empty()) o["script"] = valid->script;
        if (!valid->system.empty()) o["system"] = valid->system;
        out.push_back(std::move(o));
      }
      return out;
    }
    case K::kCustody: {
      if (!v.is_array()) return Status::InvalidInput("expected an array of custody steps");
      json out = json::array();
      for (std::size_t i = 0; i < v.size(); ++i) {
        std::string at = "[" + std::to_string(i) + "]";
        const json& step = v[i];
        if (!step.is_object())
          return Status::InvalidInput("expected a custody step object").AtField(at);
        json o = json::object();
        for (auto it = step.begin(); it != step.end(); ++it) {
          const std::string& k = it.key();
          if (k != "at" && k != "actor" && k != "action" && k != "note") {
            return Status::InvalidInput("unknown field; a custody step has at, actor, action, note")
                .AtField(at + "." + k);
          }
          Result<std::string> s = TextValue(*it, k == "note");
          if (!s.ok()) return Status(s.status()).InField(at + "." + k);
          if (k == "at" && !IsTimestamp(*s)) {
            return Status::InvalidInput("expected an RFC 3339 UTC timestamp").AtField(at + ".at");
          }
          if (!s->empty()) o[k] = *s;
        }
        for (const char* k : {"at", "actor", "action"}) {
          if (!o.contains(k)) return Status::InvalidInput("required").AtField(at + "." + k);
        }
        out.push_back(std::move(o));
      }
      return out;
    }
    case K::kJson:
      return v;
    case K::kSha256: {
      if (!v.is_string())
        return Status::InvalidInput("expected a hex string, found " + KindName(v));
      const auto& s = v.get_ref<const std::string&>();
      if (s.size() != 64 || !IsLowerHex(s)) {
        return Status::InvalidInput("expected 64 lower-case hexadecimal digits");
      }
      return v;
    }
    case K::kMediaType: {
      if (!v.is_string() || !IsMediaType(v.get_ref<const std::string&>())) {
        return Status::InvalidInput("expected a media type such as image/jpeg");
      }
      return v;
    }
    case K::kTimestamp: {
      if (!v.is_string() || !IsTimestamp(v.get_ref<const std::string&>())) {
        return Status::InvalidInput(
            "expected an RFC 3339 UTC timestamp such as 2024-03-01T12:00:00Z");
      }
      return v;
    }
  }
  return Status::Internal("unhandled field kind");
}

bool IsAbsent(const json& v) {
  return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) ||
         (v.is_array() && v.empty());
}

// Rules that involve more than one field.
Status CheckCrossFieldRules(const Entity& e) {
  const json& b = e.body;
  auto has = [&](const char* k) { return b.contains(k); };
  if (e.type == "involvement") {
    if (has("act") == has("event"))
      return Status::InvalidInput("give exactly one of act and event").AtField("act");
    if (!has("perpetrator") && !has("unit")) {
      return Status::InvalidInput("give a perpetrator or a unit (or both)").AtField("perpetrator");
    }
  } else if (e.type == "information") {
    if (!has("event") && !has("act"))
      return Status::InvalidInput("give an event or an act").AtField("event");
  } else if (e.type == "place") {
    if (has("lat") != has("lon"))
      return Status::InvalidInput("give both lat and lon, or neither").AtField("lat");
    if (has("facility_type") && b["kind"] != "facility") {
      return Status::InvalidInput("facility_type is for places of kind 'facility'")
          .AtField("facility_type");
    }
  }
  if (e.type == "link_decision") {
    const std::string& a = b["person_a"].get_ref<const std::string&>();
    const std::string& p = b["person_b"].get_ref<const std::string&>();
    if (a == p) {
      return Status::InvalidInput("a person cannot be linked with itself").AtField("person_b");
    }
    // One entity per unordered pair, so that deciding a pair again is a new version of it and
    // never a second, contradicting decision. The same derivation is LinkDecisionId
    // (linkage/store_records.h); model_test and store_records_test check they agree.
    MEMORIA_ASSIGN_OR_RETURN(
        std::string id,
        UuidV5(kMemoriaUuidNamespace, "link_decision " + std::min(a, p) + " " + std::max(a, p)));
    if (e.id != id) {
      return Status::InvalidInput("the id of a link_decision is derived from its pair: expected " +
                                  id)
          .AtField("id");
    }
  }
  if ((e.type == "place" || e.type == "unit") && has("parent") && b["parent"] == e.id) {
    return Status::InvalidInput("an entity cannot be its own parent").AtField("parent");
  }
  return Status::Ok();
}

}  // namespace

const char* ConfidentialityName(Confidentiality c) {
  switch (c) {
    case Confidentiality::kPublic:
      return "public";
    case Confidentiality::kInternal:
      return "internal";
    case Confidentiality::kRestricted:
      return "restricted";
    case Confidentiality::kSecret:
      return "secret";
  }
  return "secret";
}

const FieldSpec* EntitySpec::Field(std::string_view name) const {
  for (const auto& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const std::vector<EntitySpec>& EntitySpecs() {
  static const std::vector<EntitySpec> specs = MakeSpecs();
  return specs;
}

const EntitySpec* FindEntitySpec(std::string_view type) {
  for (const auto& s : EntitySpecs()) {
    if (s.type == type) return &s;
  }
  return nullptr;
}

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  auto ok = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '-';
  };
  if (!std::isalnum(static_cast<unsigned char>(id[0]))) return false;
  return std::all_of(id.begin(), id.end(), ok);
}

Result<Entity> ValidateEntity(json object, const Vocabularies& vocab) {
  if (!object.is_object())
    return Status::InvalidInput("expected a JSON object, found " + KindName(object));
  auto type_it = object.find("type");
  if (type_it == object.end()) return Status::InvalidInput("required").AtField("type");
  if (!type_it->is_string()) return Status::InvalidInput("expected a string").AtField("type");
  const EntitySpec* spec = FindEntitySpec(type_it->get_ref<const std::string&>());
  if (spec == nullptr) {
    std::string known;
    for (const auto& s : EntitySpecs()) known += (known.empty() ? "" : ", ") + s.type;
    return Status::InvalidInput("unknown type '" + type_it->get<std::string>() +
                                "'; known types: " + known)
        .AtField("type");
  }
  auto id_it = object.find("id");
  if (id_it == object.end()) return Status::InvalidInput("required").AtField("id");
  if (!id_it->is_string() || !IsValidId(id_it->get_ref<const std::string&>())) {
    return Status::InvalidInput(
               "an id is 1-128 characters of A-Z a-z 0-9 . _ : - starting with a letter or digit")
        .AtField("id");
  }
  Entity e;
  e.type = spec->type;
  e.id = id_it->get<std::string>();
  e.body = json::object();
  e.body["type"] = e.type;
  e.body["id"] = e.id;
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string& key = it.key();
    if (key == "type" || key == "id") continue;
    const FieldSpec* f = spec->Field(key);
    if (f == nullptr) {
      return Status::InvalidInput("unknown field for type " + spec->type).AtField(key);
    }
    if (f->kind != FieldKind::kJson && IsAbsent(*it)) continue;
    if (f->kind == FieldKind::kJson && it->is_null()) continue;
    Result<json> v = ValidateValue(*f, *it, vocab, e.references);
    if (!v.ok()) return Status(v.status()).InField(key);
    if (f->kind != FieldKind::kJson && IsAbsent(*v)) continue;
    e.body[key] = std::move(*v);
  }
  for (const auto& f : spec->fields) {
    if (f.required && !e.body.contains(f.name))
      return Status::InvalidInput("required").AtField(f.name);
  }
  if (!e.body.contains("confidentiality")) {
    Confidentiality c = spec->default_confidentiality;
    if (e.type == "person" && ContainsCode(e.body.value("roles", json()), "witness")) {
      c = Confidentiality::kSecret;  // a witness's identity is secret unless said otherwise
    }
    e.body["confidentiality"] = ConfidentialityName(c);
  }
  MEMORIA_RETURN_IF_ERROR(CheckCrossFieldRules(e));
  return e;
}

nlohmann::json InterchangeJsonSchema() {
  using K = FieldKind;
  const Vocabularies& vocab = Vocabularies::Default();
  auto codes_of = [&](const std::string& list) {
    json e = json::array();
    if (const Vocabulary* v = vocab.List(list)) {
      for (const Term& t : v->terms()) e.push_back(t.code);
    }
    return e;
  };
  const json id = {{"type", "string"}, {"pattern", "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"}};
  json defs = json::object();
  defs["id"] = id;
  defs["edtf"] = {{"type", "string"},
                  {"description", "EDTF (ISO 8601-2) level 0 or 1 date or interval"},
                  {"pattern", "^[0-9X./~?%-]+$"}};
  defs["name"] = {{"type", "object"},
                  {"required", {"full"}},
                  {"additionalProperties", false},
                  {"properties",
                   {{"full", {{"type", "string"}}},
                    {"family", {{"type", "string"}}},
                    {"given", {{"type", "string"}}},
                    {"script", {{"enum", codes_of("scripts")}}},
                    {"system", {{"enum", codes_of("romanization_systems")}}}}}};
  json one_of = json::array();
  for (const EntitySpec& spec : EntitySpecs()) {
    json props = json::object();
    props["type"] = {{"const", spec.type}};
    props["id"] = {{"$ref", "#/$defs/id"}};
    json required = {"type", "id"};
    for (const FieldSpec& f : spec.fields) {
      json p;
      switch (f.kind) {
        case K::kString:
        case K::kText:
          p = {{"type", "string"}};
          break;
        case K::kEdtf:
          p = {{"$ref", "#/$defs/edtf"}};
          break;
        case K::kCode:
          p = {{"enum", codes_of(f.vocabulary)}};
          break;
        case K::kCodes:
          p = {{"type", "array"},
               {"uniqueItems", true},
               {"items", {{"enum", codes_of(f.vocabulary)}}}};
          break;
        case K::kRef:
          p = {{"$ref", "#/$defs/id"}};
          break;
        case K::kInteger:
          p = {{"type", "integer"}, {"minimum", f.min}, {"maximum", f.max}};
          break;
        case K::kNumber:
          p = {{"type", "number"}, {"minimum", f.min}, {"maximum", f.max}};
          break;
        case K::kNames:
          p = {{"type", "array"}, {"items", {{"$ref", "#/$defs/name"}}}};
          break;
        case K::kStrings:
          p = {{"type", "array"}, {"items", {{"type", "string"}}}};
          break;
        case K::kCustody:
          p = {{"type", "array"},
               {"items",
                {{"type", "object"},
                 {"required", {"at", "actor", "action"}},
                 {"additionalProperties", false},
                 {"properties",
                  {{"at", {{"type", "string"}, {"format", "date-time"}}},
                   {"actor", {{"type", "string"}}},
                   {"action", {{"type", "string"}}},
                   {"note", {{"type", "string"}}}}}}}};
          break;
        case K::kJson:
          p = json::object();
          break;
        case K::kSha256:
          p = {{"type", "string"}, {"pattern", "^[0-9a-f]{64}$"}};
          break;
        case K::kMediaType:
          p = {{"type", "string"},
               {"pattern", "^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$"}};
          break;
        case K::kTimestamp:
          p = {{"type", "string"}, {"format", "date-time"}};
          break;
      }
      if (f.kind == K::kRef)
        p["description"] = f.doc + " (id of a " + f.ref_type + ")";
      else
        p["description"] = f.doc;
      props[f.name] = std::move(p);
      if (f.required) required.push_back(f.name);
    }
    one_of.push_back({{"title", spec.type},
                      {"description", spec.doc},
                      {"type", "object"},
                      {"properties", std::move(props)},
                      {"required", std::move(required)},
                      {"additionalProperties", false}});
  }
  return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
          {"$id", "https://memoria.invalid/schema/interchange-1.json"},
          {"title", "memoria interchange: one JSON Lines entity"},
          {"oneOf", std::move(one_of)},
          {"$defs", std::move(defs)}};
}

}  // namespace memoria
