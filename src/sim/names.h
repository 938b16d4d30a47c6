// Korean names for synthetic victims, and how different organizations write them down.
//
// A true name is a surname (drawn by its frequency in the ROK census, data/sim/surnames.csv) and
// one or two given-name syllables (drawn from data/sim/given_syllables.csv by sex). Rendering
// writes it the way a source would: in Hangul (South or North spelling: 이/리, 임/림, 유/류,
// 노/로 ...) or in Latin letters (Revised Romanization, McCune-Reischauer with or without its
// breves and apostrophes, the DPRK's own system, or ad-hoc English spellings such as Lee, Park,
// Young-chul), family name first or last, given-name syllables joined by a hyphen, a space or
// nothing. Romanization is per syllable (with MR's voicing of k/t/p/ch inside a given name);
// the sound changes across syllables that strict RR and MR also apply are not modelled.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "sim/random.h"

namespace memoria::sim {

enum class Romanization { kRR, kMR, kMRPlain, kDPRK, kEnglish };

// How one report writes a name.
struct NameStyle {
  bool latin = false;                             // false: Hangul
  bool north_spelling = false;                    // Hangul only
  Romanization romanization = Romanization::kRR;  // Latin only
  bool family_first = true;                       // Latin only (Hangul is always family first)
  char separator = '-';  // Latin given-name syllables: '-', ' ' or '\0' for none
};

// A name as written: `system` is the interchange code (RR, MR, DPRK, other) for Latin, "" for
// Hangul; `script` is "Hang" or "Latn".
struct WrittenName {
  std::string full, family, given, script, system;
};

struct TrueName {
  std::uint16_t surname = 0;
  std::uint8_t given_count = 2;  // 1 or 2 syllables
  std::array<std::uint16_t, 2> given{};
};

class NameBook {
 public:
  // Parses the embedded tables. InvalidInput with file:line:field for a malformed table.
  static Result<NameBook> LoadEmbedded();
  // The embedded book, loaded once (aborts on a build defect, like Vocabularies::Default()).
  static const NameBook& Default();

  // A name for a person of the given sex ("male", "female"; anything else draws from all).
  // About 5% of given names have one syllable.
  TrueName Draw(Rng& rng, const std::string& sex) const;

  // The name as a source writes it.
  WrittenName Render(const TrueName& name, const NameStyle& style) const;

  // The canonical form for the truth: South-spelled Hangul, family name then given name.
  std::string Hangul(const TrueName& name) const;

  std::size_t surname_count() const { return surnames_.size(); }
  // The probability with which surname `i` is drawn.
  double SurnameProbability(std::size_t i) const;
  const std::string& SurnameHangul(std::size_t i) const { return surnames_[i].hangul_south; }

 private:
  struct Entry {
    std::string hangul_south, hangul_north, rr, mr, dprk, english;
    char sex = 'u';  // syllables: m, f, u
    double weight = 0;
  };
  std::string Romanize(const Entry& e, Romanization r) const;

  std::vector<Entry> surnames_;
  std::vector<double> surname_cumulative_;
  std::vector<Entry> syllables_;
  std::vector<std::uint16_t> male_, female_, all_;  // syllable indices usable for each sex
};

// A one-character slip in `text`: in Hangul, one syllable's vowel replaced by a neighbouring
// vowel; in Latin letters, an ASCII letter dropped, doubled, or swapped with the next one.
// Returns `text` unchanged when there is nothing to alter.
std::string Typo(const std::string& text, Rng& rng);

}  // namespace memoria::sim
