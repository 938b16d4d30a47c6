#include "core/csv.h"

#include <gtest/gtest.h>

#include <sstream>

namespace memoria {
namespace {

std::vector<std::vector<std::string>> ReadAll(const std::string& text, Status* error = nullptr) {
  std::istringstream in(text);
  CsvReader reader(in, "t.csv");
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> f;
  for (;;) {
    Result<bool> r = reader.Next(f);
    if (!r.ok()) {
      if (error) *error = r.status();
      break;
    }
    if (!*r) break;
    rows.push_back(f);
  }
  return rows;
}

TEST(Csv, ReadsHeaderAndQuotedFields) {
  std::istringstream in(
      "id,name\r\n1,\"Kim, Yong-chol\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,\n");
  CsvReader reader(in, "t.csv");
  ASSERT_EQ(reader.header(), (std::vector<std::string>{"id", "name"}));
  EXPECT_EQ(reader.Column("name"), 1u);
  EXPECT_FALSE(reader.Column("nope").has_value());
  std::vector<std::string> f;
  ASSERT_TRUE(*reader.Next(f));
  EXPECT_EQ(f[1], "Kim, Yong-chol");
  EXPECT_EQ(reader.line(), 2);
  ASSERT_TRUE(*reader.Next(f));
  EXPECT_EQ(f[1], "say \"hi\"");
  ASSERT_TRUE(*reader.Next(f));
  EXPECT_EQ(f[1], "two\nlines");
  EXPECT_EQ(reader.line(), 4);
  ASSERT_TRUE(*reader.Next(f));
  EXPECT_EQ(f[1], "");
  EXPECT_EQ(reader.line(), 6);
  EXPECT_FALSE(*reader.Next(f));
}

TEST(Csv, StripsByteOrderMarkAndKeepsHangul) {
  auto rows = ReadAll("\xEF\xBB\xBFid,name\n1,김영철\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][1], "김영철");
}

TEST(Csv, WrongFieldCountNamesFileAndLine) {
  Status s;
  ReadAll("a,b\n1,2\n1,2,3\n", &s);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(s.location().file, "t.csv");
  EXPECT_EQ(s.location().line, 3);
}

TEST(Csv, InvalidUtf8NamesColumn) {
  Status s;
  ReadAll("a,name\n1,ok\n2,bad\xC3\x28\n", &s);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(s.ToString(), "t.csv:3: name: invalid UTF-8");
}

TEST(Csv, UnterminatedQuoteAndStrayQuote) {
  Status s;
  ReadAll("a\n\"open\n", &s);
  EXPECT_EQ(s.location().line, 2);
  EXPECT_NE(s.message().find("unterminated"), std::string::npos);
  Status s2;
  ReadAll("a\nx\"y\n", &s2);
  EXPECT_EQ(s2.code(), ErrorCode::kInvalidInput);
  Status s3;
  ReadAll("a\n\"x\"y\n", &s3);
  EXPECT_EQ(s3.code(), ErrorCode::kInvalidInput);
}

TEST(Csv, EmptyFileHasNoHeader) {
  Status s;
  ReadAll("", &s);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(s.message().find("empty"), std::string::npos);
}

TEST(Csv, WriterRoundTrips) {
  std::ostringstream out;
  WriteCsvRow(out, {"id", "name"});
  WriteCsvRow(out, {"1", "a,\"b\"\nc"});
  auto rows = ReadAll(out.str());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][1], "a,\"b\"\nc");
}

TEST(Utf8, RejectsOverlongsSurrogatesAndTruncation) {
  EXPECT_TRUE(IsValidUtf8("plain 김 ŏ 😀"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
}

}  // namespace
}  // namespace memoria
