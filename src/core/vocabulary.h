// Vocabularies: the versioned code lists memoria ships in data/vocabularies/
// (docs/vocabularies.md).
//
// A list is one CSV file `<list>.csv` with exactly the columns
//   code,parent,label_en,label_ko,rome_statute,description
// `parent` is a code of the same list or empty; `rome_statute` is a `;`-separated list of codes of
// the list `crimes_against_humanity` (Rome Statute art. 7(1)), empty where none. A mapping to the
// Rome Statute means "may amount to, if the contextual elements are met", never a qualification.
//
// Loading validates every list and reports the first problem as InvalidInput located at
// file:line:field: a wrong header, a malformed or duplicate code, an unknown parent, a parent
// cycle, a missing English or Korean label, or an unknown rome_statute code.
//
// Thread-safety: loaded Vocabularies are immutable; concurrent const use is safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace memoria {

// One code of a list.
struct Term {
  std::string code;
  std::string parent;  // empty for a top-level code
  std::string label_en;
  std::string label_ko;
  std::vector<std::string> rome_statute;  // codes of crimes_against_humanity, in file order
  std::string description;
};

// One code list. Terms keep the order of the file.
class Vocabulary {
 public:
  // Builds a list from already-validated terms (Vocabularies does the validation).
  Vocabulary(std::string name, std::string version, std::vector<Term> terms);

  // The list name: the file name without ".csv", e.g. "violation_types".
  const std::string& name() const { return name_; }
  // The SHA-256 of the file's bytes as 64 lower-case hex digits: any change to the list, even
  // to a description, gives a new version. Records can cite it to say which list they used.
  const std::string& version() const { return version_; }
  const std::vector<Term>& terms() const { return terms_; }

  // The term with exactly this code (case-sensitive), or nullptr. The pointer lives as long as
  // this Vocabulary.
  const Term* Find(std::string_view code) const;

  // OK if `code` is a code of this list. Otherwise InvalidInput:
  //   unknown code 'V.DET.TORTUR' in list violation_types; nearest valid codes: V.DET.TORTURE, ...
  // naming up to 3 codes nearest by edit distance, compared case-insensitively (so a code that
  // differs only in case comes first). The caller adds the location (file, line, field).
  Status Check(std::string_view code) const;

  // Up to `n` codes nearest to `code` by case-insensitive Levenshtein distance; ties keep file
  // order.
  std::vector<std::string> Nearest(std::string_view code, std::size_t n = 3) const;

  // The direct children of `code`, in file order (empty if none or if `code` is unknown).
  std::vector<const Term*> Children(std::string_view code) const;

  // True if `code` is `ancestor` or lies below it (e.g. V.DET.TORTURE is within V.DET).
  bool IsWithin(std::string_view code, std::string_view ancestor) const;

 private:
  std::string name_;
  std::string version_;
  std::vector<Term> terms_;
  std::unordered_map<std::string, std::size_t> index_;
};

// All code lists.
class Vocabularies {
 public:
  // Parses every embedded `vocabularies/*.csv` (data/ compiled into the binary). Errors name the
  // file as data/vocabularies/<list>.csv.
  static Result<Vocabularies> LoadEmbedded();

  // Parses every `*.csv` file in `directory` (not recursive); for tests and for organizations
  // that extend the lists. NotFound if the directory does not exist; InvalidInput for bad data.
  static Result<Vocabularies> LoadFromDirectory(const std::string& directory);

  // The embedded lists, loaded once on first use (thread-safe). The embedded data is checked by
  // the test suite, so a failure to load it is a build defect: the process aborts with the error.
  static const Vocabularies& Default();

  // The list called `name`, or nullptr.
  const Vocabulary* List(std::string_view name) const;

  // Names of all lists, sorted.
  std::vector<std::string> ListNames() const;

  // OK if `code` is in list `list`. NotFound if there is no such list; otherwise as
  // Vocabulary::Check.
  Status Check(std::string_view list, std::string_view code) const;

 private:
  std::map<std::string, Vocabulary, std::less<>> lists_;
};

}  // namespace memoria
