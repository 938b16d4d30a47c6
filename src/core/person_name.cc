#include "core/person_name.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>
#include <vector>

namespace memoria {
namespace {

// The scripts of the letters in a text, as a small sorted set.
using ScriptSet = std::vector<UScriptCode>;

struct ScriptRule {
  std::string_view code;
  std::array<UScriptCode, 2> admits;  // USCRIPT_INVALID_CODE pads
  bool cjk;                           // family and given are joined without a space
};

// The codes of data/vocabularies/scripts.csv (person_name_test keeps the two in sync).
constexpr UScriptCode kNone = USCRIPT_INVALID_CODE;
constexpr std::array<ScriptRule, 5> kScripts = {{
    {"Hang", {USCRIPT_HANGUL, kNone}, true},
    {"Hani", {USCRIPT_HAN, kNone}, true},
    {"Kore", {USCRIPT_HANGUL, USCRIPT_HAN}, true},
    {"Latn", {USCRIPT_LATIN, kNone}, false},
    {"Cyrl", {USCRIPT_CYRILLIC, kNone}, false},
}};
constexpr std::array<std::string_view, 5> kScriptCodes = {"Hang", "Hani", "Kore", "Latn", "Cyrl"};
static_assert([] {
  for (std::size_t i = 0; i < kScripts.size(); ++i) {
    if (kScripts[i].code != kScriptCodes[i]) return false;
  }
  return kScripts.size() == kScriptCodes.size();
}());
// The codes of data/vocabularies/romanization_systems.csv.
constexpr std::array<std::string_view, 4> kSystems = {"RR", "MR", "DPRK", "other"};

const ScriptRule* FindScript(std::string_view code) {
  for (const ScriptRule& r : kScripts) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

// A code the user gave, safe to repeat in a message (short printable ASCII), else a summary.
std::string Quote(std::string_view code) {
  const bool plain = code.size() <= 16 && std::all_of(code.begin(), code.end(),
                                                      [](char c) { return c > 0x20 && c < 0x7f; });
  return plain ? "'" + std::string(code) + "'" : std::string("the given value");
}

// An unknown code: suggest the same code in the right case, else list the valid ones.
Status UnknownCode(std::string_view what, std::string_view code,
                   std::span<const std::string_view> valid) {
  for (std::string_view v : valid) {
    if (EqualsIgnoringAsciiCase(v, code)) {
      return Status::InvalidInput("unknown " + std::string(what) + " " + Quote(code) +
                                  "; did you mean '" + std::string(v) + "'?");
    }
  }
  std::string list;
  for (std::string_view v : valid) list += (list.empty() ? "" : ", ") + std::string(v);
  return Status::InvalidInput("unknown " + std::string(what) + " " + Quote(code) +
                              "; expected one of " + list);
}

std::string CodePoint(UChar32 c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

// Why `c` may not appear in a name, or nullptr if it may.
const char* ForbiddenKind(UChar32 c) {
  switch (u_charType(c)) {
    case U_CONTROL_CHAR:
      return "control character";
    case U_FORMAT_CHAR:
      // ZWNJ and ZWJ shape some scripts; other format characters (bidi overrides, zero-width
      // space, BOM) only hide or reorder text.
      return c == 0x200C || c == 0x200D ? nullptr : "invisible format character";
    case U_SURROGATE:
      return "surrogate code point";
    case U_PRIVATE_USE_CHAR:
      return "private-use character";
    case U_UNASSIGNED:
      return "unassigned code point";
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
      return "line break";
    default:
      return nullptr;
  }
}

// Valid UTF-8, trimmed of White_Space, free of forbidden characters, NFC. Errors carry `field`.
Result<std::string> CleanText(std::string_view raw, const std::string& field) {
  if (raw.size() > static_cast<std::size_t>(std::numeric_limits<int32_t>::max())) {
    return Status::InvalidInput("text too long").AtField(field);
  }
  struct Char {
    UChar32 c;
    std::int32_t begin, end;  // byte offsets
  };
  std::vector<Char> chars;
  const auto n = static_cast<std::int32_t>(raw.size());
  const auto* s = reinterpret_cast<const std::uint8_t*>(raw.data());
  for (std::int32_t i = 0; i < n;) {
    const std::int32_t begin = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) {
      return Status::InvalidInput("invalid UTF-8 at character " + std::to_string(chars.size() + 1) +
                                  " (byte " + std::to_string(begin + 1) + ")")
          .AtField(field);
    }
    chars.push_back({c, begin, i});
  }
  std::size_t first = 0;
  std::size_t last = chars.size();
  while (first < last && u_isUWhiteSpace(chars[first].c)) ++first;
  while (last > first && u_isUWhiteSpace(chars[last - 1].c)) --last;
  if (first == last) return std::string();
  bool ascii = true;
  for (std::size_t k = first; k < last; ++k) {
    if (const char* kind = ForbiddenKind(chars[k].c)) {
      return Status::InvalidInput(std::string(kind) + " " + CodePoint(chars[k].c) +
                                  " at character " + std::to_string(k + 1))
          .AtField(field);
    }
    ascii = ascii && chars[k].c < 0x80;
  }
  const std::string_view trimmed =
      raw.substr(static_cast<std::size_t>(chars[first].begin),
                 static_cast<std::size_t>(chars[last - 1].end - chars[first].begin));
  if (ascii) return std::string(trimmed);  // ASCII is NFC already

  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
  if (U_FAILURE(err)) return Status::Internal("ICU NFC normaliser unavailable");
  const icu::UnicodeString normalized =
      nfc->normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(
                         trimmed.data(), static_cast<std::int32_t>(trimmed.size()))),
                     err);
  if (U_FAILURE(err)) return Status::Internal("ICU NFC normalisation failed");
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

// Scripts of the letters of valid UTF-8 `text`, ignoring Common and Inherited characters.
// Returns false (with `scripts` partly filled) if `text` is not valid UTF-8.
bool CollectScripts(std::string_view text, ScriptSet& scripts) {
  const auto n = static_cast<std::int32_t>(
      std::min<std::size_t>(text.size(), std::numeric_limits<std::int32_t>::max()));
  const auto* s = reinterpret_cast<const std::uint8_t*>(text.data());
  for (std::int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) return false;
    UErrorCode err = U_ZERO_ERROR;
    const UScriptCode sc = uscript_getScript(c, &err);
    if (U_FAILURE(err) || sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED ||
        sc == USCRIPT_UNKNOWN) {
      continue;
    }
    if (std::find(scripts.begin(), scripts.end(), sc) == scripts.end()) scripts.push_back(sc);
  }
  std::sort(scripts.begin(), scripts.end());
  return true;
}

bool AllIn(const ScriptSet& scripts, std::initializer_list<UScriptCode> allowed) {
  return std::all_of(scripts.begin(), scripts.end(), [&](UScriptCode s) {
    return std::find(allowed.begin(), allowed.end(), s) != allowed.end();
  });
}

std::string ScriptCodeOf(const ScriptSet& scripts) {
  if (scripts.empty()) return "";
  if (scripts.size() == 1) {
    const char* name = uscript_getShortName(scripts.front());
    return name == nullptr ? "" : name;
  }
  if (AllIn(scripts, {USCRIPT_HANGUL, USCRIPT_HAN})) return "Kore";
  if (AllIn(scripts, {USCRIPT_HAN, USCRIPT_HIRAGANA, USCRIPT_KATAKANA})) return "Jpan";
  return "";
}

std::string ScriptNames(const ScriptSet& scripts) {
  std::string out;
  for (UScriptCode s : scripts) {
    const char* name = uscript_getShortName(s);
    out += (out.empty() ? "" : "+") + std::string(name == nullptr ? "?" : name);
  }
  return out;
}

std::string TrimAscii(std::string_view s) {
  const char* ws = " \t\r\n";
  const std::size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return "";
  return std::string(s.substr(b, s.find_last_not_of(ws) - b + 1));
}

}  // namespace

std::span<const std::string_view> PersonNameScripts() { return kScriptCodes; }
std::span<const std::string_view> RomanizationSystems() { return kSystems; }

std::string DetectScript(std::string_view utf8) {
  ScriptSet scripts;
  if (!CollectScripts(utf8, scripts)) return "";
  return ScriptCodeOf(scripts);
}

Result<PersonName> ValidatePersonName(PersonName name) {
  MEMORIA_ASSIGN_OR_RETURN(name.full, CleanText(name.full, "full"));
  MEMORIA_ASSIGN_OR_RETURN(name.family, CleanText(name.family, "family"));
  MEMORIA_ASSIGN_OR_RETURN(name.given, CleanText(name.given, "given"));
  name.script = TrimAscii(name.script);
  name.system = TrimAscii(name.system);
  if (name.full.empty() && name.family.empty() && name.given.empty()) {
    return Status::InvalidInput("a name needs full, or family and/or given").AtField("full");
  }

  // The script: as given, or detected from the text.
  struct Part {
    const char* field;
    const std::string* text;
    ScriptSet scripts;
  };
  std::array<Part, 3> parts = {
      {{"full", &name.full, {}}, {"family", &name.family, {}}, {"given", &name.given, {}}}};
  ScriptSet all;
  for (Part& p : parts) {
    CollectScripts(*p.text, p.scripts);  // valid UTF-8 by now
    for (UScriptCode s : p.scripts) {
      if (std::find(all.begin(), all.end(), s) == all.end()) all.push_back(s);
    }
  }
  std::sort(all.begin(), all.end());
  if (all.empty()) {
    return Status::InvalidInput("a name must contain at least one letter")
        .AtField(name.full.empty() ? (name.family.empty() ? "given" : "family") : "full");
  }
  if (name.script.empty()) {
    name.script = ScriptCodeOf(all);
    if (FindScript(name.script) == nullptr) {
      return Status::InvalidInput("script is required: the name mixes scripts (" +
                                  ScriptNames(all) + ") or uses one memoria does not accept")
          .AtField("script");
    }
  }
  const ScriptRule* rule = FindScript(name.script);
  if (rule == nullptr) {
    return UnknownCode("script", name.script, kScriptCodes).AtField("script");
  }
  for (const Part& p : parts) {
    for (UScriptCode s : p.scripts) {
      if (std::find(rule->admits.begin(), rule->admits.end(), s) == rule->admits.end()) {
        return Status::InvalidInput(std::string(p.field) + " has " + ScriptNames({s}) +
                                    " letters, which script " + name.script + " does not admit")
            .AtField("script");
      }
    }
  }

  // The romanization system, for Latin script only.
  if (name.script == "Latn") {
    // Unstated means unknown, which the vocabulary spells "other" ("other or unknown").
    if (name.system.empty()) name.system = "other";
    if (std::find(kSystems.begin(), kSystems.end(), name.system) == kSystems.end()) {
      return UnknownCode("romanization system", name.system, kSystems).AtField("system");
    }
  } else if (!name.system.empty()) {
    return Status::InvalidInput(
               "a romanization system is only given for Latin-script names "
               "(script is " +
               name.script + ")")
        .AtField("system");
  }

  if (name.full.empty()) {
    const char* join = rule->cjk || name.family.empty() || name.given.empty() ? "" : " ";
    name.full = name.family + join + name.given;
  } else if (parts[0].scripts.empty()) {
    return Status::InvalidInput("a name must contain at least one letter").AtField("full");
  }
  return name;
}

}  // namespace memoria
