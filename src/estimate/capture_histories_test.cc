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

TEST(CaptureHistories, ValidateWholeCountsForTheSamplers) {
  CaptureHistories ok{{"A", "B", "C"}, std::vector<double>(8, 2.0), ""};
  ok.counts[0] = 0;
  EXPECT_TRUE(ValidateWholeCounts(ok, 3).ok());
  EXPECT_TRUE(ValidateWholeCounts(ok, 2).ok());
  EXPECT_FALSE(ValidateWholeCounts(ok, 4).ok());  // Validate's checks come first
  auto field_of = [](const CaptureHistories& h) {
    Status s = ValidateWholeCounts(h, 3);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
    return s.location().field;
  };
  CaptureHistories bad = ok;
  bad.counts[5] = 2.5;
  EXPECT_EQ(field_of(bad), "counts");
  EXPECT_TRUE(Validate(bad).ok());  // real-valued counts are fine for the likelihood methods
  bad.counts[5] = 2e15;
  EXPECT_EQ(field_of(bad), "counts");
  bad.counts[5] = -1;
  EXPECT_EQ(field_of(bad), "counts");
  bad = ok;
  bad.counts[0] = 1;
  EXPECT_EQ(field_of(bad), "counts");
  bad.counts.assign(8, 0.0);  // nobody observed
  EXPECT_FALSE(ValidateWholeCounts(bad, 3).ok());
}

TEST(CaptureHistories, WithoutEmptyListsRemapsThePatterns) {
  CaptureHistories h{{"A", "B", "C", "D"}, std::vector<double>(16, 0.0), "1980s"};
  h.counts[0b0001] = 5;  // A
  h.counts[0b0101] = 2;  // A, C
  h.counts[0b1000] = 3;  // D; B documented nobody
  std::vector<std::string> dropped;
  CaptureHistories w = WithoutEmptyLists(h, &dropped);
  EXPECT_EQ(dropped, (std::vector<std::string>{"B"}));
  EXPECT_EQ(w.lists, (std::vector<std::string>{"A", "C", "D"}));
  EXPECT_EQ(w.stratum, "1980s");
  ASSERT_EQ(w.counts.size(), 8u);
  EXPECT_EQ(w.counts[0b001], 5);
  EXPECT_EQ(w.counts[0b011], 2);
  EXPECT_EQ(w.counts[0b100], 3);
  EXPECT_EQ(w.Observed(), h.Observed());
  EXPECT_TRUE(Validate(w).ok());
  dropped.clear();
  CaptureHistories same = WithoutEmptyLists(w, &dropped);
  EXPECT_TRUE(dropped.empty());
  EXPECT_EQ(same.counts, w.counts);
}

TEST(CaptureHistoryBuilder, PatternIsTheSetOfSourcesOfAPersonsRecords) {
  CaptureHistoryBuilder b;
  ASSERT_TRUE(b.Add("p1", "un").ok());
  ASSERT_TRUE(b.Add("p1", "ngo").ok());
  ASSERT_TRUE(b.Add("p1", "ngo").ok());  // two records in one list count once
  ASSERT_TRUE(b.Add("p2", "media").ok());
  ASSERT_TRUE(b.Add("p3", "un").ok());
  ASSERT_TRUE(b.Add("p4", "un").ok());
  auto h = b.Build();
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->records, 6);
  EXPECT_EQ(h->persons, 4);
  ASSERT_EQ(h->strata.size(), 1u);
  const CaptureHistories& c = h->strata.front();
  EXPECT_EQ(c.lists, (std::vector<std::string>{"media", "ngo", "un"}));  // sorted names
  EXPECT_EQ(c.counts[0b110], 1);                                         // ngo + un
  EXPECT_EQ(c.counts[0b001], 1);                                         // media
  EXPECT_EQ(c.counts[0b100], 2);                                         // un only
  EXPECT_EQ(c.Observed(), 4);
  EXPECT_TRUE(Validate(c).ok());

  // Given lists fix the order, and a list no record names is an empty column.
  auto ordered = b.Build({"un", "ngo", "media", "church"});
  ASSERT_TRUE(ordered.ok()) << ordered.status().ToString();
  EXPECT_EQ(ordered->strata.front().counts[0b0011], 1);  // un + ngo
  EXPECT_EQ(ordered->strata.front().counts[0b0001], 2);
  EXPECT_EQ(ordered->strata.front().counts.size(), 16u);
}

TEST(CaptureHistoryBuilder, StratumIsTheMostFrequentValueOfAPersonsRecords) {
  CaptureHistoryBuilder b(/*stratified=*/true);
  for (const char* s : {"a", "b", "c"}) ASSERT_TRUE(b.Add("x", s, "2000s").ok());
  ASSERT_TRUE(b.Add("y", "a", "1990s").ok());
  ASSERT_TRUE(b.Add("y", "b", "2000s").ok());
  ASSERT_TRUE(b.Add("y", "c", "2000s").ok());  // 2 votes to 1
  ASSERT_TRUE(b.Add("z", "a", "2010s").ok());
  ASSERT_TRUE(b.Add("z", "b", "1990s").ok());  // a tie goes to the label that sorts first
  ASSERT_TRUE(b.Add("w", "c").ok());           // no value at all
  auto h = b.Build();
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->conflicting_strata, 2);
  EXPECT_EQ(h->unknown_stratum, 1);
  ASSERT_EQ(h->strata.size(), 3u);
  EXPECT_EQ(h->strata[0].stratum, kUnknownStratum);
  EXPECT_EQ(h->strata[0].counts[0b100], 1);
  EXPECT_EQ(h->strata[1].stratum, "1990s");
  EXPECT_EQ(h->strata[1].counts[0b011], 1);  // z
  EXPECT_EQ(h->strata[2].stratum, "2000s");
  EXPECT_EQ(h->strata[2].Observed(), 2);  // x and y
  auto total = TotalOf(h->strata);
  ASSERT_TRUE(total.ok());
  EXPECT_EQ(total->Observed(), 4);
}

TEST(CaptureHistoryBuilder, Errors) {
  CaptureHistoryBuilder b;
  EXPECT_EQ(b.Build().status().code(), ErrorCode::kInvalidInput);  // no records
  EXPECT_EQ(b.Add("p", "").code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(b.Add("", "un").code(), ErrorCode::kInvalidInput);
  ASSERT_TRUE(b.Add("p", "un").ok());
  ASSERT_TRUE(b.Add("q", "ngo").ok());
  auto two = b.Build();
  EXPECT_EQ(two.status().code(), ErrorCode::kInvalidInput);  // 2 lists < 3
  EXPECT_NE(two.status().message().find("at least 3"), std::string::npos);
  auto missing = b.Build({"un", "media", "church"});
  EXPECT_NE(missing.status().message().find("'ngo'"), std::string::npos);
  for (int i = 0; i < kMaxLists - 2; ++i) ASSERT_TRUE(b.Add("p", "s" + std::to_string(i)).ok());
  EXPECT_EQ(b.Add("p", "one-too-many").code(), ErrorCode::kInvalidInput);
}

class LinkedHistoriesCsv : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    auto dir = std::filesystem::temp_directory_path() /
               ("memoria_lh_" +
                std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
                std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    dir_ = dir;
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
};

TEST_F(LinkedHistoriesCsv, JoinsClustersWithTheRecordsSources) {
  LinkedCsvInput in;
  in.clusters = Write("clusters.csv", "record_id,cluster_id\nr1,c0\nr2,c0\nr3,c1\nr4,c2\nr5,c2\n");
  in.records = {Write("reports.csv",
                      "record_id,source,full_name,event_place\n"
                      "r1,un,A,KP-01\nr2,ngo,A,KP-01\nr3,media,B,\nr4,un,C,KP-02\n"
                      "r5,media,C,KP-01\n")};
  auto h = ReadLinkedHistoriesCsv(in);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->records, 5);
  EXPECT_EQ(h->persons, 3);
  const CaptureHistories& c = h->strata.front();
  EXPECT_EQ(c.lists, (std::vector<std::string>{"media", "ngo", "un"}));
  EXPECT_EQ(c.counts[0b110], 1);  // c0: un + ngo
  EXPECT_EQ(c.counts[0b001], 1);  // c1: media
  EXPECT_EQ(c.counts[0b101], 1);  // c2: un + media

  in.strata_columns = {"event_place"};
  auto s = ReadLinkedHistoriesCsv(in);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->strata.size(), 2u);  // c2 ties KP-01 / KP-02 -> KP-01; c1 unknown
  EXPECT_EQ(s->strata[0].stratum, kUnknownStratum);
  EXPECT_EQ(s->strata[1].stratum, "KP-01");
  EXPECT_EQ(s->strata[1].Observed(), 2);
  EXPECT_EQ(s->conflicting_strata, 1);
}

TEST_F(LinkedHistoriesCsv, AFileWithoutASourceColumnIsOneSourceNamedAfterTheFile) {
  LinkedCsvInput in;
  in.clusters = Write("truth.csv", "record_id,person_id\na1,p\nb1,p\nc1,q\nc2,r\n");
  in.records = {Write("alpha.csv", "record_id,name\na1,x\n"),
                Write("beta.csv", "record_id,name\nb1,x\n"),
                Write("gamma.csv", "record_id,name\nc1,y\nc2,z\n")};
  auto h = ReadLinkedHistoriesCsv(in);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->strata.front().lists, (std::vector<std::string>{"alpha", "beta", "gamma"}));
  EXPECT_EQ(h->strata.front().counts[0b011], 1);
  EXPECT_EQ(h->strata.front().counts[0b100], 2);
}

TEST_F(LinkedHistoriesCsv, BadInputNamesFileLineAndField) {
  LinkedCsvInput in;
  in.clusters = Write("clusters.csv", "record_id,cluster_id\nr1,c0\nr2,c1\nr3,c2\n");
  in.records = {Write("unknown.csv", "record_id,source\nr1,a\nr9,b\n")};
  auto unknown = ReadLinkedHistoriesCsv(in);
  EXPECT_EQ(unknown.status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(unknown.status().location().line, 3);
  EXPECT_EQ(unknown.status().location().field, "record_id");
  EXPECT_NE(unknown.status().message().find("'r9'"), std::string::npos);

  in.records = {Write("twice.csv", "record_id,source\nr1,a\nr2,b\nr1,c\n")};
  EXPECT_EQ(ReadLinkedHistoriesCsv(in).status().location().line, 4);

  in.records = {Write("nosource.csv", "record_id,source\nr1,a\nr2,\nr3,c\n")};
  auto empty = ReadLinkedHistoriesCsv(in);
  EXPECT_EQ(empty.status().location().line, 3);
  EXPECT_EQ(empty.status().location().field, "source");

  in.records = {Write("short.csv", "record_id,source\nr1,a\nr2,b\n")};  // r3 missing
  auto missing = ReadLinkedHistoriesCsv(in);
  EXPECT_NE(missing.status().message().find("'r3'"), std::string::npos);
  EXPECT_EQ(missing.status().location().file, in.clusters);
  EXPECT_EQ(missing.status().location().line, 4);

  in.records = {Write("ok.csv", "record_id,source\nr1,a\nr2,b\nr3,c\n")};
  in.strata_columns = {"province"};
  EXPECT_EQ(ReadLinkedHistoriesCsv(in).status().location().field, "province");

  in.strata_columns = {};
  in.clusters = Write("dup.csv", "record_id,cluster_id\nr1,c0\nr1,c1\n");
  EXPECT_EQ(ReadLinkedHistoriesCsv(in).status().location().line, 3);
  in.clusters = Write("one.csv", "record_id\nr1\n");
  EXPECT_EQ(ReadLinkedHistoriesCsv(in).status().code(), ErrorCode::kInvalidInput);
  in.clusters = (dir_ / "absent.csv").string();
  EXPECT_EQ(ReadLinkedHistoriesCsv(in).status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace memoria::estimate
