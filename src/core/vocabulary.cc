#include "core/vocabulary.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "core/csv.h"
#include "core/embedded_data.h"

namespace memoria {
namespace {

constexpr std::array<std::string_view, 6> kColumns = {"code",     "parent",       "label_en",
                                                      "label_ko", "rome_statute", "description"};
constexpr std::string_view kCrimesList = "crimes_against_humanity";
constexpr std::size_t kMaxCodeLength = 64;
constexpr std::size_t kMaxEchoedLength = 100;  // of user input quoted in an error message

// One list file as read, before validation.
struct SourceFile {
  std::string list;     // "violation_types"
  std::string display;  // the file as named in errors
  std::string bytes;
};

struct ParsedTerm {
  Term term;
  std::int64_t line = 0;
};

struct ParsedList {
  std::string list;
  std::string display;
  std::string version;
  std::vector<ParsedTerm> terms;
};

Status ErrorAt(const std::string& file, std::int64_t line, const std::string& field,
               std::string message) {
  return Status::InvalidInput(std::move(message)).AtFile(file, line).AtField(field);
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return {};  // only on an OpenSSL failure; reported by the caller
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(std::size_t{2} * length);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

// Codes are short ASCII identifiers: letters, digits and . _ - ( ) — enough for "V.DET.TORTURE",
// "7(1)(g)-1" and "county_only", and safe to quote in messages, URLs and CSV cells.
bool IsValidCode(std::string_view code) {
  if (code.empty() || code.size() > kMaxCodeLength) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-' || c == '(' || c == ')';
  });
}

bool IsValidListName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool IsBlank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// User input quoted in a message, cut at a UTF-8 character boundary if very long.
std::string Echo(std::string_view s) {
  if (s.size() <= kMaxEchoedLength) return std::string(s);
  std::size_t end = kMaxEchoedLength;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end)) + "...";
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::size_t Levenshtein(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t substitution = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitution});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

// Reads one list file into terms, checking everything that needs only this file's rows.
Result<ParsedList> ParseList(const SourceFile& file) {
  ParsedList out{file.list, file.display, Sha256Hex(file.bytes), {}};
  if (out.version.empty()) return Status::Internal("SHA-256 failed for " + file.display);
  if (!IsValidListName(file.list)) {
    return ErrorAt(
        file.display, 0, "",
        "list name '" + Echo(file.list) + "' must consist of lower-case letters, digits and '_'");
  }

  std::istringstream in(file.bytes);
  CsvReader reader(in, file.display);
  const auto& header = reader.header();
  if (!header.empty() &&
      !std::equal(header.begin(), header.end(), kColumns.begin(), kColumns.end())) {
    std::vector<std::string> expected(kColumns.begin(), kColumns.end());
    return ErrorAt(
        file.display, 1, "header",
        "expected the columns " + Join(expected, ",") + " but found " + Echo(Join(header, ",")));
  }

  std::unordered_map<std::string, std::int64_t> first_line;
  std::vector<std::string> fields;
  while (true) {
    MEMORIA_ASSIGN_OR_RETURN(bool more, reader.Next(fields));
    if (!more) break;
    ParsedTerm parsed;
    parsed.line = reader.line();
    Term& t = parsed.term;
    t.code = fields[0];
    t.parent = fields[1];
    t.label_en = fields[2];
    t.label_ko = fields[3];
    t.description = fields[5];

    if (!IsValidCode(t.code)) {
      return reader.Error(
          "invalid code '" + Echo(t.code) + "': a code is 1-64 characters of A-Z a-z 0-9 . _ - ( )",
          "code");
    }
    auto [it, inserted] = first_line.emplace(t.code, parsed.line);
    if (!inserted) {
      return reader.Error("duplicate code '" + t.code + "' (first defined on line " +
                              std::to_string(it->second) + ")",
                          "code");
    }
    if (IsBlank(t.label_en)) return reader.Error("missing English label", "label_en");
    if (IsBlank(t.label_ko)) return reader.Error("missing Korean label", "label_ko");

    if (!fields[4].empty()) {
      std::string_view rest = fields[4];
      while (true) {
        std::size_t semicolon = rest.find(';');
        std::string_view item = rest.substr(0, semicolon);
        if (!IsValidCode(item)) {
          return reader.Error("invalid Rome Statute code '" + Echo(item) +
                                  "' (codes are separated by ';' without spaces)",
                              "rome_statute");
        }
        if (std::find(t.rome_statute.begin(), t.rome_statute.end(), item) != t.rome_statute.end()) {
          return reader.Error("Rome Statute code '" + std::string(item) + "' listed twice",
                              "rome_statute");
        }
        t.rome_statute.emplace_back(item);
        if (semicolon == std::string_view::npos) break;
        rest.remove_prefix(semicolon + 1);
      }
    }
    out.terms.push_back(std::move(parsed));
  }
  if (out.terms.empty()) return ErrorAt(file.display, 1, "", "the list has no codes");

  // Parents: each must be a code of this list, and following parents must end at a top-level
  // code (no cycles).
  for (const ParsedTerm& p : out.terms) {
    if (p.term.parent.empty()) continue;
    if (!first_line.contains(p.term.parent)) {
      return ErrorAt(
          file.display, p.line, "parent",
          "unknown parent '" + Echo(p.term.parent) + "': not a code of list " + file.list);
    }
  }
  std::unordered_map<std::string, const Term*> by_code;
  for (const ParsedTerm& p : out.terms) by_code.emplace(p.term.code, &p.term);
  for (const ParsedTerm& p : out.terms) {
    std::set<std::string_view> seen{p.term.code};
    for (const Term* t = &p.term; !t->parent.empty();) {
      if (!seen.insert(t->parent).second) {
        return ErrorAt(
            file.display, p.line, "parent",
            "parent cycle: the parents of '" + p.term.code + "' lead back to '" + t->parent + "'");
      }
      t = by_code.at(t->parent);
    }
  }
  return out;
}

// Validates the files together and, if all are good, fills `lists`.
Status Build(std::vector<SourceFile> files, std::map<std::string, Vocabulary, std::less<>>& lists) {
  std::sort(files.begin(), files.end(),
            [](const SourceFile& a, const SourceFile& b) { return a.list < b.list; });
  std::vector<ParsedList> parsed;
  for (const SourceFile& f : files) {
    MEMORIA_ASSIGN_OR_RETURN(ParsedList p, ParseList(f));
    parsed.push_back(std::move(p));
  }

  // Rome Statute codes refer to the crimes_against_humanity list.
  std::set<std::string, std::less<>> crimes;
  bool have_crimes = false;
  for (const ParsedList& p : parsed) {
    if (p.list != kCrimesList) continue;
    have_crimes = true;
    for (const ParsedTerm& t : p.terms) crimes.insert(t.term.code);
  }
  for (const ParsedList& p : parsed) {
    for (const ParsedTerm& t : p.terms) {
      for (const std::string& code : t.term.rome_statute) {
        if (!have_crimes) {
          return ErrorAt(p.display, t.line, "rome_statute",
                         "Rome Statute code '" + code + "' cannot be checked: there is no list " +
                             std::string(kCrimesList));
        }
        if (!crimes.contains(code)) {
          return ErrorAt(p.display, t.line, "rome_statute",
                         "unknown Rome Statute code '" + code + "': not a code of list " +
                             std::string(kCrimesList));
        }
      }
    }
  }

  for (ParsedList& p : parsed) {
    std::vector<Term> terms;
    terms.reserve(p.terms.size());
    for (ParsedTerm& t : p.terms) terms.push_back(std::move(t.term));
    lists.emplace(p.list, Vocabulary(p.list, p.version, std::move(terms)));
  }
  return Status::Ok();
}

}  // namespace

// --- Vocabulary -------------------------------------------------------------------------------

Vocabulary::Vocabulary(std::string name, std::string version, std::vector<Term> terms)
    : name_(std::move(name)), version_(std::move(version)), terms_(std::move(terms)) {
  for (std::size_t i = 0; i < terms_.size(); ++i) index_.emplace(terms_[i].code, i);
}

const Term* Vocabulary::Find(std::string_view code) const {
  auto it = index_.find(std::string(code));
  return it == index_.end() ? nullptr : &terms_[it->second];
}

std::vector<std::string> Vocabulary::Nearest(std::string_view code, std::size_t n) const {
  const std::string needle = AsciiLower(code);
  std::vector<std::pair<std::size_t, std::size_t>> scored;  // (distance, index)
  scored.reserve(terms_.size());
  for (std::size_t i = 0; i < terms_.size(); ++i) {
    scored.emplace_back(Levenshtein(needle, AsciiLower(terms_[i].code)), i);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && i < n; ++i) {
    out.push_back(terms_[scored[i].second].code);
  }
  return out;
}

Status Vocabulary::Check(std::string_view code) const {
  if (Find(code) != nullptr) return Status::Ok();
  return Status::InvalidInput("unknown code '" + Echo(code) + "' in list " + name_ +
                              "; nearest valid codes: " + Join(Nearest(code), ", "));
}

std::vector<const Term*> Vocabulary::Children(std::string_view code) const {
  std::vector<const Term*> out;
  if (Find(code) == nullptr) return out;
  for (const Term& t : terms_) {
    if (t.parent == code) out.push_back(&t);
  }
  return out;
}

bool Vocabulary::IsWithin(std::string_view code, std::string_view ancestor) const {
  // Loading rejects parent cycles, so the walk ends.
  for (const Term* t = Find(code); t != nullptr;
       t = t->parent.empty() ? nullptr : Find(t->parent)) {
    if (t->code == ancestor) return true;
  }
  return false;
}

// --- Vocabularies -----------------------------------------------------------------------------

Result<Vocabularies> Vocabularies::LoadEmbedded() {
  constexpr std::string_view kPrefix = "vocabularies/";
  constexpr std::string_view kSuffix = ".csv";
  std::vector<SourceFile> files;
  for (std::string_view path : EmbeddedFiles()) {
    if (!path.starts_with(kPrefix) || !path.ends_with(kSuffix)) continue;
    std::string_view stem =
        path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size());
    if (stem.find('/') != std::string_view::npos) continue;  // only the top level
    std::optional<std::string_view> bytes = EmbeddedFile(path);
    files.push_back({std::string(stem), "data/" + std::string(path), std::string(bytes.value())});
  }
  if (files.empty()) return Status::Internal("no vocabularies/*.csv embedded in this build");
  Vocabularies out;
  MEMORIA_RETURN_IF_ERROR(Build(std::move(files), out.lists_));
  return out;
}

Result<Vocabularies> Vocabularies::LoadFromDirectory(const std::string& directory) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    return Status::NotFound("no vocabulary directory '" + directory + "'");
  }
  std::vector<SourceFile> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory, ec)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".csv") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return Status::IoError("cannot read " + entry.path().string());
    files.push_back({entry.path().stem().string(), entry.path().string(), std::move(bytes)});
  }
  if (ec) return Status::IoError("cannot list '" + directory + "': " + ec.message());
  if (files.empty()) {
    return Status::InvalidInput("no *.csv vocabulary files in '" + directory + "'");
  }
  Vocabularies out;
  MEMORIA_RETURN_IF_ERROR(Build(std::move(files), out.lists_));
  return out;
}

const Vocabularies& Vocabularies::Default() {
  // C++ guarantees thread-safe one-time initialisation of a function-local static.
  static const Vocabularies kDefault = [] {
    Result<Vocabularies> loaded = LoadEmbedded();
    if (!loaded.ok()) {
      std::fprintf(stderr, "memoria: embedded vocabularies are invalid: %s\n",
                   loaded.status().ToString().c_str());
      std::abort();
    }
    return std::move(loaded).value();
  }();
  return kDefault;
}

const Vocabulary* Vocabularies::List(std::string_view name) const {
  auto it = lists_.find(name);
  return it == lists_.end() ? nullptr : &it->second;
}

std::vector<std::string> Vocabularies::ListNames() const {
  std::vector<std::string> out;
  for (const auto& [name, list] : lists_) out.push_back(name);
  return out;
}

Status Vocabularies::Check(std::string_view list, std::string_view code) const {
  const Vocabulary* v = List(list);
  if (v == nullptr) {
    return Status::NotFound("no vocabulary list '" + Echo(list) +
                            "'; lists: " + Join(ListNames(), ", "));
  }
  return v->Check(code);
}

}  // namespace memoria
