// Capture histories: the input of every multiple systems estimation method.
//
// For k lists, a capture pattern is a bitmask over the lists (bit j set = seen on list j).
// `counts[pattern]` is the number of distinct individuals with exactly that pattern; the
// vector has 2^k entries and counts[0] (never seen) is always 0 — that cell is what we estimate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace memoria::estimate {

struct CaptureHistories {
  std::vector<std::string> lists;  // list names, bit j = lists[j]; 1 <= k <= 15
  std::vector<double> counts;      // size 2^k, indexed by pattern; counts[0] == 0
  std::string stratum;             // stratum label ("" = the whole population)

  int k() const { return static_cast<int>(lists.size()); }
  // Number of distinct individuals observed (sum of counts).
  double Observed() const {
    double n = 0;
    for (double c : counts) n += c;
    return n;
  }
};

}  // namespace memoria::estimate
