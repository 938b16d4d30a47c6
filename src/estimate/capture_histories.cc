#include "estimate/capture_histories.h"

#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "core/csv.h"

namespace memoria::estimate {
namespace {

bool IsCountColumn(const std::string& name) { return name == "count" || name == "freq"; }

// Parses a non-negative integer count ("12"; also "12.0" as written by some tools).
bool ParseCount(const std::string& s, double& out) {
  std::int64_t v = 0;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  auto [p, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || v < 0) return false;
  if (p != e) {
    // Allow a trailing ".0…0" but nothing else.
    if (*p != '.') return false;
    for (++p; p != e; ++p) {
      if (*p != '0') return false;
    }
  }
  out = static_cast<double>(v);
  return true;
}

}  // namespace

Status Validate(const CaptureHistories& h, int min_lists) {
  if (h.k() < min_lists) {
    return Status::InvalidInput("multiple systems estimation needs at least " +
                                std::to_string(min_lists) + " lists, got " + std::to_string(h.k()));
  }
  if (h.k() > kMaxLists) {
    return Status::InvalidInput("at most " + std::to_string(kMaxLists) +
                                " lists are supported, got " + std::to_string(h.k()));
  }
  if (h.counts.size() != (std::size_t{1} << h.k())) {
    return Status::InvalidInput("counts must have 2^k = " + std::to_string(1 << h.k()) +
                                " entries, got " + std::to_string(h.counts.size()));
  }
  if (h.counts[0] != 0) {
    return Status::InvalidInput("the count of the unobserved pattern (on no list) must be 0");
  }
  for (double c : h.counts) {
    if (!std::isfinite(c) || c < 0) {
      return Status::InvalidInput("counts must be finite and non-negative");
    }
  }
  return Status::Ok();
}

Result<std::vector<CaptureHistories>> ReadCaptureHistoriesCsv(
    const std::string& path, const std::vector<std::string>& strata_columns, int min_lists) {
  MEMORIA_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(path));
  const std::vector<std::string>& header = reader->header();
  std::vector<std::string> fields;
  // An empty file or a broken header shows up on the first Next().
  MEMORIA_ASSIGN_OR_RETURN(bool has_row, reader->Next(fields));

  std::set<std::string> seen;
  for (const std::string& name : header) {
    if (name.empty()) return Status::InvalidInput("empty column name in header").At(path, 1);
    if (!seen.insert(name).second) {
      return Status::InvalidInput("duplicate column name").At(path, 1, name);
    }
  }
  std::vector<std::size_t> strata_index;
  for (const std::string& s : strata_columns) {
    auto col = reader->Column(s);
    if (!col) {
      return Status::InvalidInput("stratum column not found in header").At(path, 1, s);
    }
    if (IsCountColumn(s)) {
      return Status::InvalidInput("the count column cannot be a stratum column").At(path, 1, s);
    }
    strata_index.push_back(*col);
  }
  std::optional<std::size_t> count_index;
  std::vector<std::size_t> list_index;
  std::vector<std::string> lists;
  for (std::size_t i = 0; i < header.size(); ++i) {
    bool is_stratum = false;
    for (std::size_t s : strata_index) is_stratum = is_stratum || s == i;
    if (is_stratum) continue;
    if (IsCountColumn(header[i])) {
      if (count_index) {
        return Status::InvalidInput("both `count` and `freq` columns; keep one")
            .At(path, 1, header[i]);
      }
      count_index = i;
      continue;
    }
    list_index.push_back(i);
    lists.push_back(header[i]);
  }
  const int k = static_cast<int>(lists.size());
  if (k < min_lists) {
    return Status::InvalidInput("multiple systems estimation needs at least " +
                                std::to_string(min_lists) + " list columns (0/1), found " +
                                std::to_string(k))
        .At(path, 1);
  }
  if (k > kMaxLists) {
    return Status::InvalidInput("at most " + std::to_string(kMaxLists) +
                                " list columns are supported, found " + std::to_string(k))
        .At(path, 1);
  }
  if (!has_row) return Status::InvalidInput("no data rows").At(path, 1);

  const std::size_t cells = std::size_t{1} << k;
  std::map<std::string, std::vector<double>> strata;
  while (has_row) {
    std::uint32_t pattern = 0;
    for (int j = 0; j < k; ++j) {
      const std::string& cell = fields[list_index[j]];
      if (cell == "1") {
        pattern |= 1u << j;
      } else if (cell != "0") {
        return reader->Error("list cell must be 0 or 1, got '" + cell +
                                 "' (a column that is not a list must be named as a stratum "
                                 "column)",
                             lists[j]);
      }
    }
    double count = 1;
    if (count_index && !ParseCount(fields[*count_index], count)) {
      return reader->Error(
          "count must be a non-negative integer, got '" + fields[*count_index] + "'",
          header[*count_index]);
    }
    if (pattern == 0 && count != 0) {
      return reader->Error(
          "row is on no list: every individual must be on at least one list (the "
          "unobserved cell is what is estimated)");
    }
    std::string label;
    for (std::size_t s = 0; s < strata_index.size(); ++s) {
      if (s > 0) label += " | ";
      label += fields[strata_index[s]];
    }
    auto [it, inserted] = strata.try_emplace(label);
    if (inserted) it->second.assign(cells, 0.0);
    it->second[pattern] += count;
    MEMORIA_ASSIGN_OR_RETURN(has_row, reader->Next(fields));
  }

  std::vector<CaptureHistories> out;
  out.reserve(strata.size());
  for (auto& [label, counts] : strata) {
    out.push_back(CaptureHistories{lists, std::move(counts), label});
  }
  return out;
}

Result<CaptureHistories> TotalOf(const std::vector<CaptureHistories>& strata) {
  if (strata.empty()) return Status::InvalidInput("no strata to add up");
  CaptureHistories total{strata.front().lists, std::vector<double>(strata.front().counts.size()),
                         ""};
  for (const CaptureHistories& s : strata) {
    if (s.lists != total.lists || s.counts.size() != total.counts.size()) {
      return Status::InvalidInput("strata have different lists; cannot add them up")
          .AtField(s.stratum);
    }
    for (std::size_t i = 0; i < s.counts.size(); ++i) total.counts[i] += s.counts[i];
  }
  return total;
}

}  // namespace memoria::estimate
