// The data model (DESIGN §3, docs/data-model.md): every entity type, its fields, and validation.
//
// An entity travels and is stored as a JSON object {"type": T, "id": I, field: value, ...}.
// The model is one table of EntitySpecs (model.cc) from which validation, the store's
// projections, the interchange JSON Schema and the docs all follow, so a field is defined in
// exactly one place.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace memoria {

class Vocabularies;

// Confidentiality levels, ordered: a reader cleared for a level sees that level and below.
enum class Confidentiality { kPublic = 0, kInternal = 1, kRestricted = 2, kSecret = 3 };
const char* ConfidentialityName(Confidentiality c);

enum class FieldKind {
  kString,     // one line of text (NFC, trimmed, no control characters)
  kText,       // free text (NFC; newlines and tabs allowed)
  kEdtf,       // an EDTF level 0/1 date or interval; stored as text with derived day range
  kCode,       // a code of the vocabulary `vocabulary`
  kCodes,      // a non-empty array of distinct codes of `vocabulary`
  kRef,        // the id of an existing entity of type `ref_type`
  kInteger,    // a whole number in [min, max]
  kNumber,     // a number in [min, max]
  kNames,      // array of person names {full, family, given, script, system}
  kStrings,    // array of distinct kString values
  kCustody,    // array of {at, actor, action, note}: chain of custody of evidence
  kJson,       // any JSON value, kept verbatim (canonicalised)
  kSha256,     // 64 lower-case hex digits
  kMediaType,  // an RFC 6838 media type, e.g. "image/jpeg"
  kTimestamp,  // RFC 3339 UTC timestamp, e.g. "2024-03-01T12:00:00Z"
};

struct FieldSpec {
  std::string name;
  FieldKind kind;
  bool required = false;
  std::string vocabulary;   // kCode, kCodes
  std::string ref_type;     // kRef
  double min = 0, max = 0;  // kInteger, kNumber
  std::string doc;          // one line for docs and the JSON Schema
};

struct EntitySpec {
  std::string type;  // "person"
  std::string doc;
  std::vector<FieldSpec> fields;
  Confidentiality default_confidentiality;

  const FieldSpec* Field(std::string_view name) const;
};

// Every entity type, in dependency order (a type refers only to types before it, or to itself).
const std::vector<EntitySpec>& EntitySpecs();
// The spec of `type`, or nullptr.
const EntitySpec* FindEntitySpec(std::string_view type);

// An id: 1-128 characters of [A-Za-z0-9._:-], beginning with a letter or digit. memoria creates
// UUIDv7s; reference data uses stable codes such as "KP-DET-001".
bool IsValidId(std::string_view id);

// A reference from one entity to another, to be checked against the store.
struct Reference {
  std::string field;     // "victim", "parent"
  std::string ref_type;  // "person"
  std::string id;
};

// A validated, normalised entity. `body` holds every field including "type" and "id"; strings
// are NFC, absent optionals are left out (null and "" mean absent), and confidentiality is set.
struct Entity {
  std::string type;
  std::string id;
  nlohmann::json body;
  std::vector<Reference> references;
};

// Checks `object` against the model: a known "type", an "id", no unknown fields, required
// fields present, values of the right kind, vocabulary codes known (with suggestions), dates valid
// EDTF, and the cross-field rules of the type. Errors are InvalidInput located at the field.
// References are returned, not checked: that needs the store.
Result<Entity> ValidateEntity(nlohmann::json object, const Vocabularies& vocabularies);

// The JSON Schema (2020-12) of one interchange line, generated from EntitySpecs.
nlohmann::json InterchangeJsonSchema();

}  // namespace memoria
