#include "core/text.h"

#include <gtest/gtest.h>

namespace memoria {
namespace {

TEST(NfcNormalizeTest, AsciiIsUnchanged) {
  Result<std::string> r = NfcNormalize("Kim Yong-chol 1962");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "Kim Yong-chol 1962");
  EXPECT_EQ(*NfcNormalize(""), "");
}

TEST(NfcNormalizeTest, ComposesHangulJamoAndLatinAccents) {
  // U+1100 U+1175 U+11B7 (conjoining jamo) -> U+AE40 김.
  EXPECT_EQ(*NfcNormalize("\xE1\x84\x80\xE1\x85\xB5\xE1\x86\xB7"), "\xEA\xB9\x80");
  // e + U+0301 -> U+00E9.
  EXPECT_EQ(*NfcNormalize("Cafe\xCC\x81"), "Caf\xC3\xA9");
  // U+212B ANGSTROM SIGN is a singleton decomposition -> U+00C5.
  EXPECT_EQ(*NfcNormalize("\xE2\x84\xAB"), "\xC3\x85");
  // Already NFC text comes back byte for byte.
  EXPECT_EQ(*NfcNormalize("김영철 P'yŏngyang"), "김영철 P'yŏngyang");
}

TEST(NfcNormalizeTest, RejectsInvalidUtf8) {
  for (std::string bad : {std::string("\xC3\x28"), std::string("\xFF"), std::string("a\xE2\x82"),
                          std::string("\xED\xA0\x80"),  // a UTF-16 surrogate
                          std::string("\xC0\xAF")}) {   // an overlong encoding
    Result<std::string> r = NfcNormalize(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
  }
}

TEST(NormalizeFieldTextTest, TrimsAndNormalizes) {
  EXPECT_EQ(*NormalizeFieldText("  Cafe\xCC\x81 ", false), "Caf\xC3\xA9");
  EXPECT_EQ(*NormalizeFieldText("   ", false), "");
  EXPECT_EQ(*NormalizeFieldText(" \t\n x \n", true), "x");
  EXPECT_EQ(*NormalizeFieldText("", true), "");
}

TEST(NormalizeFieldTextTest, OneLineFieldRejectsControlCharacters) {
  for (std::string bad : {std::string("a\nb"), std::string("a\tb"), std::string("a\rb"),
                          std::string("a\x7F"), std::string("a\x01")}) {
    Result<std::string> r = NormalizeFieldText(bad, false);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
  }
  std::string nul("a\0b", 3);
  EXPECT_FALSE(NormalizeFieldText(nul, true).ok());
}

TEST(NormalizeFieldTextTest, MultilineKeepsNewlinesAndTabs) {
  EXPECT_EQ(*NormalizeFieldText("line 1\r\nline 2\n\tindented\n", true),
            "line 1\nline 2\n\tindented");
  EXPECT_FALSE(NormalizeFieldText("a\rb", true).ok());  // a lone CR
  EXPECT_FALSE(NormalizeFieldText("a\x1B[31m", true).ok());
}

TEST(NormalizeFieldTextTest, RejectsInvalidUtf8) {
  Result<std::string> r = NormalizeFieldText("ok \xFE", true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace memoria
