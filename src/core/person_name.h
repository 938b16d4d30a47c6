// PersonName: one name of a person as a source wrote it, with its writing system.
//
// A person has many names (Hangul, Hanja, several romanizations); each is validated on the way
// in so that equal names are equal bytes: NFC-normalised UTF-8 with no surrounding white space.
// Names are personal data: error messages name the field and the offending code point and
// position, never the name itself.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/status.h"

namespace memoria {

struct PersonName {
  std::string full;    // the name as written, e.g. "김영철", "Kim Yŏng-ch'ŏl"
  std::string family;  // optional parts
  std::string given;
  std::string script;  // ISO 15924: Hang, Hani, Kore, Latn, Cyrl
  std::string system;  // romanization, for script Latn only: RR, MR, DPRK, other (or unknown)

  friend bool operator==(const PersonName&, const PersonName&) = default;
};

// Checks and normalises a name. On success the result has, for full, family and given: valid
// UTF-8, Unicode NFC, leading and trailing white space (Unicode White_Space) removed, and no
// control, format (except ZWNJ/ZWJ), private-use, surrogate, unassigned or line/paragraph
// separator characters. Then:
//  - full is required; when empty it is built from family and given in that order, joined by
//    a space, or with no space for Hang, Hani and Kore;
//  - script, when empty, is detected with DetectScript; it must be one of PersonNameScripts()
//    (exact case), and every letter in full, family and given must belong to it (Kore admits
//    Hangul and Han);
//  - system, for Latn, must be one of RomanizationSystems(); when empty it becomes "other"
//    (the vocabulary's "other or unknown"); for other scripts it must be empty;
//  - full must contain at least one letter.
// Errors are Status::InvalidInput with the location field set to "full", "family", "given",
// "script" or "system"; positions in messages count characters from 1 in the field as given.
Result<PersonName> ValidatePersonName(PersonName name);

// The ISO 15924 code of the script `utf8` is written in, judged by its letters (characters
// whose script is Common or Inherited, such as spaces, digits, punctuation and combining
// marks, are ignored): "Hang", "Hani", "Latn", "Cyrl", "Hira", "Kana", …; "Kore" when Hangul
// and Han are mixed; "Jpan" when Han, Hiragana and Katakana are mixed. Empty when there are
// no letters, when other scripts are mixed, or when `utf8` is not valid UTF-8.
std::string DetectScript(std::string_view utf8);

// The script codes ValidatePersonName accepts: Hang, Hani, Kore, Latn, Cyrl, the same codes as
// the shipped vocabulary data/vocabularies/scripts.csv.
std::span<const std::string_view> PersonNameScripts();
// The romanization systems: RR, MR, DPRK, other (data/vocabularies/romanization_systems.csv).
std::span<const std::string_view> RomanizationSystems();

}  // namespace memoria
