// The six real datasets of tests/data/mse whose R package outputs (tests/data/mse/reference)
// the estimate tests and benchmarks check against. For test and benchmark code only: the
// product never reads tests/data.
#pragma once

#include <string>

namespace memoria::estimate::reference {

// tests/data/mse/ (with the trailing '/'), from the tests' and benchmarks' MEMORIA_TEST_DATA.
inline const std::string kMseDir = std::string(MEMORIA_TEST_DATA) + "/mse/";

struct Dataset {
  const char* name;  // as in the reference files' names and their `dataset` columns
  const char* file;  // capture histories, under tests/data/mse/
};

inline constexpr Dataset kDatasets[] = {
    {"hepatitis_a", "hepatitis_a_taiwan_care1_3lists.csv"},
    {"spina_bifida", "spina_bifida_dga_3lists.csv"},
    {"hiv", "hiv_rcapture.csv"},
    {"lesbian", "lesbian_rcapture.csv"},
    {"diabetes", "diabetes_italy_care1_4lists.csv"},
    {"congenital", "congenital_anomaly_care1_5lists.csv"},
};

}  // namespace memoria::estimate::reference
