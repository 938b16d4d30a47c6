// Blocking: which record pairs are compared at all.
//
// Each rule derives a key per record (its key parts joined; a record with any part missing has
// no key for that rule; a multi-valued part such as a Korean surname's candidates gives one key
// per value). Records sharing a key form a block; the candidate pairs are the union over rules
// of the pairs inside blocks, each pair produced once (by the first rule that produces it) and,
// for link_type "link", only pairs from different sources. Pairs are streamed, never stored.
//
// Cost: O(n log n) to build the keys, then proportional to the pairs produced; a rule with
// max_block_size skips (and reports) blocks larger than that.
//
// Thread-safety: after Build, every method is const and may be called from many threads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "linkage/records.h"
#include "linkage/settings.h"

namespace memoria::linkage {

// American Soundex ("robert" -> "R163"); empty when `s` has no ASCII letter.
std::string Soundex(std::string_view s);

class Blocker {
 public:
  // Errors: InvalidInput when a key column is not in the table.
  static Result<std::unique_ptr<Blocker>> Build(const Settings& settings, const RecordTable& table);
  ~Blocker();

  std::size_t num_rules() const;
  const std::string& rule_name(std::size_t rule) const;

  // Calls fn(a, b) (a < b, record indices) for every pair in rule `rule`'s blocks that the link
  // type allows. With `first_rule_only`, a pair is skipped when an earlier rule also produces it
  // (so iterating all rules yields each candidate pair exactly once). With threads > 1 the
  // blocks are shared out between that many threads and fn(thread, a, b) is called
  // concurrently (thread in [0, threads)).
  void ForEachPair(
      std::size_t rule, bool first_rule_only, int threads,
      const std::function<void(int thread, std::uint32_t a, std::uint32_t b)>& fn) const;

  // Whether records a and b share a key of rule `rule` whose block is compared (not skipped
  // for max_block_size). A pair sharing several keys is produced in the block of the smallest
  // such key only.
  bool Agrees(std::size_t rule, std::uint32_t a, std::uint32_t b) const;

  // Blocks skipped because they exceeded max_block_size, as human-readable notes.
  const std::vector<std::string>& warnings() const;

 private:
  struct Impl;
  explicit Blocker(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace memoria::linkage
