#include "core/embedded_data.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace memoria {
namespace {

TEST(EmbeddedData, EveryFileEqualsItsSourceByteForByte) {
  auto files = EmbeddedFiles();
  ASSERT_FALSE(files.empty());
  for (std::string_view path : files) {
    std::ifstream in(std::string(MEMORIA_SOURCE_DIR) + "/data/" + std::string(path),
                     std::ios::binary);
    ASSERT_TRUE(in) << path;
    std::stringstream ss;
    ss << in.rdbuf();
    auto bytes = EmbeddedFile(path);
    ASSERT_TRUE(bytes.has_value()) << path;
    EXPECT_EQ(*bytes, ss.str()) << path;
  }
}

TEST(EmbeddedData, UnknownPathIsAbsent) { EXPECT_FALSE(EmbeddedFile("no/such.csv").has_value()); }

}  // namespace
}  // namespace memoria
