// The gazetteer places the simulator draws from: the embedded data/gazetteer/places.jsonl
// grouped by what a scenario can ask for (home provinces, border places, facilities by type).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace memoria::sim {

struct SimPlace {
  std::string id;
  std::string province;  // the enclosing first-level division (itself for a province)
};

class PlaceIndex {
 public:
  // Parses the embedded gazetteer. InvalidInput / NotFound if it is missing or malformed
  // (a build defect: the data is checked by the core test suite).
  static Result<PlaceIndex> LoadEmbedded();
  // The embedded index, loaded once (aborts on a build defect, like Vocabularies::Default()).
  static const PlaceIndex& Default();

  // First-level divisions (province, capital, special and metropolitan cities), by id.
  bool IsProvince(std::string_view id) const;
  // Border cities and crossings.
  const std::vector<SimPlace>& Border() const { return border_; }
  // Facilities of a facility_types code; nullptr if the gazetteer has none of that type.
  const std::vector<SimPlace>* Facilities(std::string_view facility_type) const;
  // The province of any indexed place ("" if unknown).
  std::string ProvinceOf(std::string_view id) const;

 private:
  std::vector<std::string> provinces_;
  std::vector<SimPlace> border_;
  std::map<std::string, std::vector<SimPlace>, std::less<>> facilities_;
  std::map<std::string, std::string, std::less<>> province_of_;
};

}  // namespace memoria::sim
