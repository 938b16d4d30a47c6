#include "sim/places.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/embedded_data.h"

namespace memoria::sim {
namespace {

bool IsFirstLevelKind(const std::string& kind) {
  return kind == "province" || kind == "capital_city" || kind == "special_city" ||
         kind == "metropolitan_city";
}

}  // namespace

Result<PlaceIndex> PlaceIndex::LoadEmbedded() {
  const char* kFile = "data/gazetteer/places.jsonl";
  auto text = EmbeddedFile("gazetteer/places.jsonl");
  if (!text) return Status::NotFound(std::string(kFile) + " is not embedded in this build");
  struct Row {
    std::string id, kind, parent, facility_type;
  };
  std::vector<Row> rows;
  std::istringstream in{std::string(*text)};
  std::string line;
  std::int64_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j.contains("id") || !j["id"].is_string() || !j.contains("kind") ||
        !j["kind"].is_string()) {
      return Status::InvalidInput("not a place object with id and kind").AtFile(kFile, n);
    }
    Row r;
    r.id = j["id"].get<std::string>();
    r.kind = j["kind"].get<std::string>();
    if (j.contains("parent") && j["parent"].is_string()) r.parent = j["parent"].get<std::string>();
    if (j.contains("facility_type") && j["facility_type"].is_string())
      r.facility_type = j["facility_type"].get<std::string>();
    rows.push_back(std::move(r));
  }
  PlaceIndex index;
  std::map<std::string, const Row*> by_id;
  for (const Row& r : rows) by_id[r.id] = &r;
  for (const Row& r : rows) {
    // Walk up to the first-level division (the gazetteer is shallow; bound the walk anyway).
    const Row* p = &r;
    for (int depth = 0; p != nullptr && depth < 16 && !IsFirstLevelKind(p->kind); ++depth) {
      auto it = by_id.find(p->parent);
      p = it == by_id.end() ? nullptr : it->second;
    }
    std::string province = p != nullptr && IsFirstLevelKind(p->kind) ? p->id : "";
    index.province_of_[r.id] = province;
    if (IsFirstLevelKind(r.kind)) index.provinces_.push_back(r.id);
    if (province.empty()) continue;
    if (r.kind == "border_city" || r.kind == "border_crossing") {
      index.border_.push_back({r.id, province});
    }
    if (r.kind == "facility" && !r.facility_type.empty()) {
      index.facilities_[r.facility_type].push_back({r.id, province});
    }
  }
  std::sort(index.provinces_.begin(), index.provinces_.end());
  return index;
}

const PlaceIndex& PlaceIndex::Default() {
  static const PlaceIndex* index = [] {
    auto loaded = LoadEmbedded();
    if (!loaded.ok()) {
      std::fprintf(stderr, "memoria: embedded gazetteer: %s\n", loaded.status().ToString().c_str());
      std::abort();
    }
    return new PlaceIndex(std::move(loaded).value());
  }();
  return *index;
}

bool PlaceIndex::IsProvince(std::string_view id) const {
  return std::binary_search(provinces_.begin(), provinces_.end(), id);
}

const std::vector<SimPlace>* PlaceIndex::Facilities(std::string_view facility_type) const {
  auto it = facilities_.find(facility_type);
  return it == facilities_.end() || it->second.empty() ? nullptr : &it->second;
}

std::string PlaceIndex::ProvinceOf(std::string_view id) const {
  auto it = province_of_.find(id);
  return it == province_of_.end() ? std::string() : it->second;
}

}  // namespace memoria::sim
