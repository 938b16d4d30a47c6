#include "estimate/capture_histories.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_set>

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
                                " entries, got " + std::to_string(h.counts.size()))
        .AtField("counts");
  }
  if (h.counts[0] != 0) {
    return Status::InvalidInput("the count of the unobserved pattern (on no list) must be 0")
        .AtField("counts");
  }
  for (double c : h.counts) {
    if (!std::isfinite(c) || c < 0) {
      return Status::InvalidInput("counts must be finite and non-negative").AtField("counts");
    }
  }
  return Status::Ok();
}

Status ValidateWholeCounts(const CaptureHistories& h, int min_lists) {
  MEMORIA_RETURN_IF_ERROR(Validate(h, min_lists));
  for (std::size_t i = 0; i < h.counts.size(); ++i) {
    const double c = h.counts[i];
    if (c != std::floor(c) || c > kMaxWholeCount) {
      return Status::InvalidInput("count of pattern " + std::to_string(i) +
                                  " is not a whole number of at most 1e15")
          .AtField("counts");
    }
  }
  if (!(h.Observed() > 0)) return Status::InvalidInput("no individual is observed");
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

CaptureHistories WithoutEmptyLists(const CaptureHistories& h, std::vector<std::string>* dropped) {
  std::vector<int> keep;
  for (int j = 0; j < h.k(); ++j) {
    double seen = 0;
    for (std::size_t p = 0; p < h.counts.size(); ++p) {
      if (p & (std::size_t{1} << j)) seen += h.counts[p];
    }
    if (seen > 0) {
      keep.push_back(j);
    } else if (dropped) {
      dropped->push_back(h.lists[j]);
    }
  }
  if (static_cast<int>(keep.size()) == h.k()) return h;
  CaptureHistories out;
  out.stratum = h.stratum;
  for (int j : keep) out.lists.push_back(h.lists[j]);
  out.counts.assign(std::size_t{1} << keep.size(), 0.0);
  for (std::size_t p = 0; p < h.counts.size(); ++p) {
    if (h.counts[p] == 0) continue;
    std::size_t q = 0;
    for (std::size_t i = 0; i < keep.size(); ++i) {
      if (p & (std::size_t{1} << keep[i])) q |= std::size_t{1} << i;
    }
    out.counts[q] += h.counts[p];
  }
  return out;
}

Status CaptureHistoryBuilder::Add(std::string_view person, std::string_view source,
                                  std::string_view stratum) {
  if (person.empty()) return Status::InvalidInput("empty person (cluster) id");
  if (source.empty()) return Status::InvalidInput("empty source");
  auto s = std::find(sources_.begin(), sources_.end(), source);
  if (s == sources_.end()) {
    if (static_cast<int>(sources_.size()) == kMaxLists) {
      return Status::InvalidInput("more than " + std::to_string(kMaxLists) + " sources; at most " +
                                  std::to_string(kMaxLists) + " lists are supported");
    }
    s = sources_.insert(sources_.end(), std::string(source));
  }
  Person& p = persons_[std::string(person)];
  p.pattern |= 1u << static_cast<unsigned>(s - sources_.begin());
  ++records_;
  if (stratified_ && !stratum.empty()) {
    auto [it, inserted] = stratum_index_.try_emplace(std::string(stratum),
                                                     static_cast<std::uint32_t>(strata_.size()));
    if (inserted) strata_.emplace_back(stratum);
    auto v = std::find_if(p.votes.begin(), p.votes.end(),
                          [&](const auto& vote) { return vote.first == it->second; });
    if (v == p.votes.end()) {
      p.votes.emplace_back(it->second, 1);
    } else {
      ++v->second;
    }
  }
  return Status::Ok();
}

Result<LinkedHistories> CaptureHistoryBuilder::Build(const std::vector<std::string>& lists,
                                                     int min_lists) const {
  if (records_ == 0) return Status::InvalidInput("no records");
  std::vector<std::string> names = lists;
  if (names.empty()) {
    names = sources_;
    std::sort(names.begin(), names.end());
  }
  if (static_cast<int>(names.size()) > kMaxLists) {
    return Status::InvalidInput("at most " + std::to_string(kMaxLists) +
                                " lists are supported, got " + std::to_string(names.size()));
  }
  // bit of each source (order of first appearance) in the output's list order
  std::vector<std::uint32_t> bit(sources_.size());
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    auto it = std::find(names.begin(), names.end(), sources_[i]);
    if (it == names.end()) {
      return Status::InvalidInput("source '" + sources_[i] + "' is not one of the lists given");
    }
    bit[i] = 1u << static_cast<unsigned>(it - names.begin());
  }
  if (static_cast<int>(names.size()) < min_lists) {
    return Status::InvalidInput("multiple systems estimation needs at least " +
                                std::to_string(min_lists) + " lists; the records name " +
                                std::to_string(names.size()) + " source(s)");
  }

  // A person's stratum: the most votes, ties to the smallest label.
  std::vector<std::uint32_t> rank(strata_.size());  // stratum index -> rank of its label
  {
    std::vector<std::uint32_t> order(strata_.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t a, std::uint32_t b) { return strata_[a] < strata_[b]; });
    for (std::uint32_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
  }
  LinkedHistories out;
  out.records = records_;
  out.persons = static_cast<std::int64_t>(persons_.size());
  const std::size_t cells = std::size_t{1} << names.size();
  std::map<std::string, std::vector<double>> by_label;
  for (const auto& [id, p] : persons_) {
    std::uint32_t pattern = 0;
    for (std::size_t i = 0; i < sources_.size(); ++i) {
      if (p.pattern & (1u << i)) pattern |= bit[i];
    }
    std::string_view label;
    if (stratified_) {
      if (p.votes.empty()) {
        label = kUnknownStratum;
        ++out.unknown_stratum;
      } else {
        if (p.votes.size() > 1) ++out.conflicting_strata;
        auto best = std::min_element(p.votes.begin(), p.votes.end(), [&](auto& a, auto& b) {
          return a.second != b.second ? a.second > b.second : rank[a.first] < rank[b.first];
        });
        label = strata_[best->first];
      }
    }
    auto [it, inserted] = by_label.try_emplace(std::string(label));
    if (inserted) it->second.assign(cells, 0.0);
    it->second[pattern] += 1;
  }
  for (auto& [label, counts] : by_label) {
    out.strata.push_back(CaptureHistories{names, std::move(counts), label});
  }
  return out;
}

Result<LinkedHistories> ReadLinkedHistoriesCsv(const LinkedCsvInput& input) {
  if (input.records.empty()) return Status::InvalidInput("no records file given");
  // record id -> cluster index (+1; 0 once the record has been seen in a records file)
  std::unordered_map<std::string, std::uint32_t> cluster_of;
  std::unordered_map<std::string, std::int64_t> line_of;  // for "never seen" errors
  std::vector<std::string> cluster_names;
  {
    MEMORIA_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(input.clusters));
    if (reader->header().size() < 2) {
      return Status::InvalidInput("expected a header with record id and cluster id columns")
          .At(input.clusters, 1);
    }
    std::unordered_map<std::string, std::uint32_t> cluster_index;
    std::vector<std::string> f;
    while (true) {
      MEMORIA_ASSIGN_OR_RETURN(bool more, reader->Next(f));
      if (!more) break;
      if (f[0].empty()) return reader->Error("empty record id", reader->header()[0]);
      if (f[1].empty()) return reader->Error("empty cluster id", reader->header()[1]);
      auto [c, new_cluster] =
          cluster_index.try_emplace(f[1], static_cast<std::uint32_t>(cluster_names.size()));
      if (new_cluster) cluster_names.push_back(f[1]);
      if (!cluster_of.try_emplace(f[0], c->second + 1).second) {
        return reader->Error("record id '" + f[0] + "' appears twice", reader->header()[0]);
      }
      line_of.emplace(f[0], reader->line());
    }
    if (cluster_of.empty()) return Status::InvalidInput("no data rows").At(input.clusters, 1);
  }

  CaptureHistoryBuilder builder(!input.strata_columns.empty());
  std::vector<std::string> f;
  std::string stratum;
  for (const std::string& path : input.records) {
    MEMORIA_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(path));
    auto id_col = reader->Column(input.id_column);
    if (!id_col) {
      return Status::InvalidInput("record id column not found in header")
          .At(path, 1, input.id_column);
    }
    auto source_col = reader->Column(input.source_column);
    const std::string file_source = std::filesystem::path(path).stem().string();
    std::vector<std::size_t> strata_cols;
    for (const std::string& s : input.strata_columns) {
      auto c = reader->Column(s);
      if (!c) return Status::InvalidInput("stratum column not found in header").At(path, 1, s);
      strata_cols.push_back(*c);
    }
    while (true) {
      MEMORIA_ASSIGN_OR_RETURN(bool more, reader->Next(f));
      if (!more) break;
      const std::string& id = f[*id_col];
      auto it = cluster_of.find(id);
      if (it == cluster_of.end()) {
        return reader->Error("record '" + id + "' is not in the clusters file " + input.clusters,
                             input.id_column);
      }
      if (it->second == 0) {
        return reader->Error("record '" + id + "' appears twice in the records", input.id_column);
      }
      const std::string& source = source_col ? f[*source_col] : file_source;
      if (source.empty()) return reader->Error("empty source", input.source_column);
      // The stratum label joins the values with " | "; a missing part leaves it unknown.
      stratum.clear();
      for (std::size_t s = 0; s < strata_cols.size(); ++s) {
        const std::string& v = f[strata_cols[s]];
        if (v.empty()) {
          stratum.clear();
          break;
        }
        if (s > 0) stratum += " | ";
        stratum += v;
      }
      Status added = builder.Add(cluster_names[it->second - 1], source, stratum);
      if (!added.ok()) return reader->Error(added.message(), input.source_column);
      it->second = 0;
    }
  }
  for (const auto& [id, cluster] : cluster_of) {
    if (cluster != 0) {
      return Status::InvalidInput("record '" + id + "' is in no records file")
          .At(input.clusters, line_of.at(id), "record_id");
    }
  }
  auto built = builder.Build({}, input.min_lists);
  if (!built.ok()) return Status(built.status()).At(input.records.front());
  return built;
}

}  // namespace memoria::estimate
