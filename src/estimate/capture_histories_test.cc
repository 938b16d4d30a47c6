#include "estimate/capture_histories.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace memoria::estimate {
namespace {

class CaptureHistoriesCsv : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = (std::filesystem::temp_directory_path() / (std::string("memoria_ch_") + info->name() +
                                                       "_" + std::to_string(::getpid()) + ".csv"))
                .string();
    std::ofstream(path_) << text;
    return path_;
  }
  void TearDown() override {
    if (!path_.empty()) std::filesystem::remove(path_);
  }
  std::string path_;
};

TEST_F(CaptureHistoriesCsv, AggregatedCountsByPattern) {
  auto r = ReadCaptureHistoriesCsv(Write("A,B,C,count\n1,0,0,5\n0,1,1,3\n1,1,1,2\n1,0,0,1\n"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  const CaptureHistories& h = r->front();
  EXPECT_EQ(h.lists, (std::vector<std::string>{"A", "B", "C"}));
  ASSERT_EQ(h.counts.size(), 8u);
  EXPECT_EQ(h.counts[0b001], 6);  // A only: 5 + 1 (rows with the same pattern add up)
  EXPECT_EQ(h.counts[0b110], 3);  // B and C
  EXPECT_EQ(h.counts[0b111], 2);
  EXPECT_EQ(h.counts[0], 0);
  EXPECT_EQ(h.Observed(), 11);
  EXPECT_EQ(h.stratum, "");
}

TEST_F(CaptureHistoriesCsv, OneRowPerPersonAndRcaptureFreqColumn) {
  auto r = ReadCaptureHistoriesCsv(Write("A,B,C\n1,0,0\n1,0,0\n0,0,1\n"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->front().counts[0b001], 2);
  EXPECT_EQ(r->front().counts[0b100], 1);
  auto f = ReadCaptureHistoriesCsv(Write("c1,c2,c3,freq\n1,1,0,7\n0,0,0,0\n"));
  ASSERT_TRUE(f.ok()) << f.status().ToString();  // a zero row with count 0 is harmless
  EXPECT_EQ(f->front().counts[0b011], 7);
}

TEST_F(CaptureHistoriesCsv, StrataAndTotal) {
  auto r = ReadCaptureHistoriesCsv(
      Write("year,A,B,C,region,count\n2001,1,0,0,N,5\n2000,0,1,0,N,2\n2001,1,0,0,S,1\n"
            "2000,0,1,0,N,4\n"),
      {"year", "region"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].stratum, "2000 | N");
  EXPECT_EQ((*r)[0].counts[0b010], 6);
  EXPECT_EQ((*r)[1].stratum, "2001 | N");
  EXPECT_EQ((*r)[2].stratum, "2001 | S");
  EXPECT_EQ((*r)[0].lists, (std::vector<std::string>{"A", "B", "C"}));
  auto total = TotalOf(*r);
  ASSERT_TRUE(total.ok());
  EXPECT_EQ(total->Observed(), 12);
  EXPECT_EQ(total->counts[0b001], 6);
  EXPECT_EQ(total->stratum, "");
}

void ExpectError(const Result<std::vector<CaptureHistories>>& r, std::int64_t line,
                 const std::string& field) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput) << r.status().ToString();
  EXPECT_EQ(r.status().location().line, line) << r.status().ToString();
  EXPECT_EQ(r.status().location().field, field) << r.status().ToString();
  EXPECT_FALSE(r.status().location().file.empty());
}

TEST_F(CaptureHistoriesCsv, BadCellsNameFileLineAndField) {
  ExpectError(ReadCaptureHistoriesCsv(Write("A,B,C,count\n1,0,0,5\n1,2,0,1\n")), 3, "B");
  ExpectError(ReadCaptureHistoriesCsv(Write("A,B,C,count\n1,0,0,-1\n")), 2, "count");
  ExpectError(ReadCaptureHistoriesCsv(Write("A,B,C,count\n1,0,0,2.5\n")), 2, "count");
  ExpectError(ReadCaptureHistoriesCsv(Write("A,B,C,count\n1,0,0,x\n")), 2, "count");
  ExpectError(ReadCaptureHistoriesCsv(Write("A,B,C,count\n1,0,0,1\n0,0,0,4\n")), 3, "");
  ExpectError(ReadCaptureHistoriesCsv(Write("A,B,C\n1,yes,0\n")), 2, "B");
}

TEST_F(CaptureHistoriesCsv, BadHeaders) {
  ExpectError(ReadCaptureHistoriesCsv(Write("A,B,count\n1,0,5\n")), 1, "");  // 2 lists < 3
  ExpectError(ReadCaptureHistoriesCsv(Write("A,B,C,count\n1,0,0,5\n"), {"year"}), 1, "year");
  ExpectError(ReadCaptureHistoriesCsv(Write("A,B,A,count\n1,0,0,5\n")), 1, "A");
  ExpectError(ReadCaptureHistoriesCsv(Write("A,B,C,count\n")), 1, "");  // no data
  // Two lists are fine when the caller allows them.
  EXPECT_TRUE(ReadCaptureHistoriesCsv(Write("A,B,count\n1,0,5\n"), {}, 2).ok());
}

TEST_F(CaptureHistoriesCsv, MissingFile) {
  auto r = ReadCaptureHistoriesCsv("/nonexistent/memoria/histories.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().code(), ErrorCode::kOk);
}

TEST(CaptureHistories, ValidateAndTotalErrors) {
  CaptureHistories ok{{"A", "B", "C"}, std::vector<double>(8, 1.0), ""};
  ok.counts[0] = 0;
  EXPECT_TRUE(Validate(ok).ok());
  CaptureHistories bad = ok;
  bad.counts[0] = 3;
  EXPECT_FALSE(Validate(bad).ok());
  bad = ok;
  bad.counts.pop_back();
  EXPECT_FALSE(Validate(bad).ok());
  EXPECT_FALSE(Validate(ok, 4).ok());
  EXPECT_FALSE(TotalOf({}).ok());
  CaptureHistories other{{"A", "B", "D"}, ok.counts, "x"};
  EXPECT_FALSE(TotalOf({ok, other}).ok());
}

}  // namespace
}  // namespace memoria::estimate
