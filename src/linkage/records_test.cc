// Tests of the record table: RecordTableBuilder's rules and errors, and that the CSV loaders
// (its thin users) give the same tables and errors.
#include "linkage/records.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/csv.h"

namespace memoria::linkage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Settings with id column "id", two compared columns (fn, sn) and a blocking key on "born",
// nulls "" and "NA", plus what `extra` (JSON members) adds.
Settings MakeSettings(const std::string& extra = "") {
  std::string json = R"({"id_column": "id", "null_values": ["", "NA"],
    "blocking_rules": [{"name": "b", "keys": [{"column": "born"}]}],
    "comparisons": [{"column": "fn", "levels": [{"type": "exact"}]},
                    {"column": "sn", "levels": [{"type": "exact"}]}])" +
                     (extra.empty() ? "" : ", " + extra) + "}";
  auto s = ParseSettings(json);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : Settings{};
}

using Row = std::vector<std::string_view>;

// Feeds inputs (a header and rows each, named in2, in3, ... by position; rows at lines 2, 3, ...)
// to a builder, returning the table or the first error.
struct Input {
  std::vector<std::string> header;
  std::vector<Row> rows;
};
Result<RecordTable> Build(const Settings& settings, const std::vector<Input>& inputs) {
  MEMORIA_ASSIGN_OR_RETURN(RecordTableBuilder b, RecordTableBuilder::Create(settings));
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    MEMORIA_RETURN_IF_ERROR(b.BeginInput(inputs[i].header, "in" + std::to_string(i)));
    for (std::size_t r = 0; r < inputs[i].rows.size(); ++r) {
      MEMORIA_RETURN_IF_ERROR(b.Add(inputs[i].rows[r], static_cast<std::int64_t>(r) + 2));
    }
  }
  return b.Finish();
}

// The same inputs as CSV texts, through LoadRecordsFromStrings.
Result<RecordTable> Load(const Settings& settings, const std::vector<Input>& inputs) {
  std::vector<std::string> texts, names;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::ostringstream out;
    WriteCsvRow(out, inputs[i].header);
    for (const Row& row : inputs[i].rows) WriteCsvRow(out, {row.begin(), row.end()});
    texts.push_back(out.str());
    names.push_back("in" + std::to_string(i));
  }
  return LoadRecordsFromStrings(texts, names, settings);
}

void ExpectSameTable(const RecordTable& a, const RecordTable& b) {
  EXPECT_EQ(a.ids, b.ids);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.source_names, b.source_names);
  EXPECT_EQ(a.column_names, b.column_names);
  EXPECT_EQ(a.columns, b.columns);
  EXPECT_EQ(a.truth, b.truth);
}

const std::vector<std::string> kHeader = {"id", "extra", "fn", "sn", "born"};

TEST(RecordTableBuilderTest, KeepsTheColumnsUsedTrimmedWithNullsEmpty) {
  auto t = Build(MakeSettings(), {{kHeader,
                                   {{" 1 ", "x", "\tYong Chol ", "NA", "1962"},
                                    {"2", "y", " NA ", "", " \t"},
                                    {"3", "z", "N A", "na", "1999"}}}});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_THAT(t->ids, ElementsAre("1", "2", "3"));
  EXPECT_THAT(t->column_names, ElementsAre("born", "fn", "sn"));  // ColumnsUsed order
  EXPECT_THAT(t->columns[t->Column("fn")], ElementsAre("Yong Chol", "", "N A"));
  EXPECT_THAT(t->columns[t->Column("sn")], ElementsAre("", "", "na"));  // nulls match exactly
  EXPECT_THAT(t->columns[t->Column("born")], ElementsAre("1962", "", "1999"));
  EXPECT_EQ(t->Column("extra"), -1);
  EXPECT_TRUE(t->truth.empty());
}

TEST(RecordTableBuilderTest, SourceIsTheInputPositionOrTheSourceColumn) {
  const std::vector<std::string> h = {"id", "fn", "sn", "born"};
  auto by_input = Build(MakeSettings(),
                        {{h, {{"a", "", "", ""}}}, {h, {{"b", "", "", ""}, {"c", "", "", ""}}}});
  ASSERT_TRUE(by_input.ok()) << by_input.status().ToString();
  EXPECT_THAT(by_input->source_names, ElementsAre("0", "1"));
  EXPECT_THAT(by_input->source, ElementsAre(0u, 1u, 1u));

  const std::vector<std::string> hs = {"id", "list", "fn", "sn", "born"};
  auto by_column =
      Build(MakeSettings(R"j("source_column": "list")j"),
            {{hs, {{"a", " B ", "", "", ""}, {"b", "A", "", "", ""}, {"c", "B", "", "", ""}}}});
  ASSERT_TRUE(by_column.ok()) << by_column.status().ToString();
  EXPECT_THAT(by_column->source_names, ElementsAre("B", "A"));
  EXPECT_THAT(by_column->source, ElementsAre(0u, 1u, 0u));
  EXPECT_THAT(by_column->column_names, ElementsAre("born", "fn", "sn"));
}

TEST(RecordTableBuilderTest, TruthFromAColumnOrFromTheIdRegex) {
  const std::vector<std::string> h = {"id", "fn", "sn", "born", "who"};
  auto column = Build(MakeSettings(R"j("truth": {"column": "who"})j"),
                      {{h, {{"r1", "", "", "", " e7 "}, {"r2", "", "", "", ""}}}});
  ASSERT_TRUE(column.ok()) << column.status().ToString();
  EXPECT_THAT(column->truth, ElementsAre("e7", ""));

  auto regex = Build(MakeSettings(R"j("truth": {"id_regex": "^rec-(\\d+)-"})j"),
                     {{h, {{"rec-12-a", "", "", "", ""}, {"rec-3-dup-1", "", "", "", ""}}}});
  ASSERT_TRUE(regex.ok()) << regex.status().ToString();
  EXPECT_THAT(regex->truth, ElementsAre("12", "3"));
}

TEST(RecordTableBuilderTest, ErrorsNameOriginLineAndField) {
  const std::vector<std::string> h = {"id", "fn", "sn", "born"};
  struct Case {
    Settings settings;
    std::vector<Input> inputs;
    std::string error;  // Status::ToString()
  };
  const Settings plain = MakeSettings();
  std::vector<Case> cases = {
      {plain, {{{"id", "fn", "born"}, {}}}, "in0:1: sn: missing column 'sn'"},
      {plain, {{{"ID", "fn", "sn", "born"}, {}}}, "in0:1: id: missing column 'id'"},
      {MakeSettings(R"j("source_column": "list")j"),
       {{h, {}}},
       "in0:1: list: missing column 'list'"},
      {MakeSettings(R"j("truth": {"column": "who"})j"),
       {{h, {}}},
       "in0:1: who: missing column 'who'"},
      {plain, {{h, {{"1", "", "", ""}, {" \t", "a", "b", "c"}}}}, "in0:3: id: empty record id"},
      {plain,
       {{h, {{"1", "", "", ""}, {"2", "", "", ""}}}, {h, {{"3", "", "", ""}, {" 2", "", "", ""}}}},
       "in1:3: id: duplicate record id '2'"},
      {MakeSettings(R"j("truth": {"id_regex": "^rec-(\\d+)"})j"),
       {{h, {{"rec-1", "", "", ""}, {"rec-x", "", "", ""}}}},
       "in0:3: id: truth.id_regex does not match id 'rec-x'"},
      // A regex without a group matches but gives no entity.
      {MakeSettings(R"j("truth": {"id_regex": "rec"})j"),
       {{h, {{"rec-1", "", "", ""}}}},
       "in0:2: id: truth.id_regex does not match id 'rec-1'"},
      {plain, {{h, {{"1", "", ""}}}}, "in0:2: expected 4 fields as in the header, found 3"},
  };
  for (const Case& c : cases) {
    auto built = Build(c.settings, c.inputs);
    ASSERT_FALSE(built.ok()) << c.error;
    EXPECT_EQ(built.status().code(), ErrorCode::kInvalidInput);
    EXPECT_EQ(built.status().ToString(), c.error);
    // The CSV loader says the same, at the same place.
    auto loaded = Load(c.settings, c.inputs);
    ASSERT_FALSE(loaded.ok()) << c.error;
    EXPECT_EQ(loaded.status().ToString(), c.error);
  }
}

TEST(RecordTableBuilderTest, RefusesABadRegexAndFieldsThatAreNotText) {
  auto bad = RecordTableBuilder::Create(MakeSettings(R"j("truth": {"id_regex": "rec-(\\d+"})j"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(bad.status().location().file, "settings");
  EXPECT_EQ(bad.status().location().field, "truth.id_regex");
  EXPECT_THAT(bad.status().message(), HasSubstr("invalid regex"));

  // A CSV reader refuses invalid UTF-8 before the builder sees it; rows made otherwise are
  // checked by the builder, in the columns it keeps.
  const std::vector<std::string> h = {"id", "x", "fn", "sn", "born"};
  auto ignored = Build(MakeSettings(), {{h, {{"1", "\xff", "", "", ""}}}});
  EXPECT_TRUE(ignored.ok()) << ignored.status().ToString();
  auto kept = Build(MakeSettings(), {{h, {{"1", "", "Kim\xc3", "", ""}}}});
  ASSERT_FALSE(kept.ok());
  EXPECT_EQ(kept.status().ToString(), "in0:2: fn: invalid UTF-8");
}

TEST(RecordTableBuilderTest, ARefusedRowLeavesNoTrace) {
  auto b = RecordTableBuilder::Create(MakeSettings(R"j("truth": {"id_regex": "^r(\\d)"})j"));
  ASSERT_TRUE(b.ok());
  const std::vector<std::string> h = {"id", "fn", "sn", "born"};
  ASSERT_TRUE(b->BeginInput(h, "x").ok());
  EXPECT_TRUE(b->Add(Row{"r1", "a", "b", "c"}, 2).ok());
  EXPECT_FALSE(b->Add(Row{"q2", "a", "b", "c"}, 3).ok());  // no match
  EXPECT_FALSE(b->Add(Row{"r1", "a", "b", "c"}, 4).ok());  // duplicate
  EXPECT_TRUE(b->Add(Row{"r2", "d", "e", "f"}, 5).ok());
  RecordTable t = b->Finish();
  EXPECT_THAT(t.ids, ElementsAre("r1", "r2"));
  EXPECT_THAT(t.truth, ElementsAre("1", "2"));
  EXPECT_EQ(t.source.size(), 2u);
  for (const auto& column : t.columns) EXPECT_EQ(column.size(), 2u);
}

TEST(RecordTableBuilderTest, AddBeforeAnInputAndReuseAfterFinish) {
  auto b = RecordTableBuilder::Create(MakeSettings());
  ASSERT_TRUE(b.ok());
  Status early = b->Add(Row{"1", "", "", ""}, 2);
  EXPECT_EQ(early.code(), ErrorCode::kInternal);
  const std::vector<std::string> h = {"id", "fn", "sn", "born"};
  // An input whose header lacks a column takes no rows either.
  ASSERT_FALSE(b->BeginInput(std::vector<std::string>{"id"}, "x").ok());
  EXPECT_EQ(b->Add(Row{"1"}, 2).code(), ErrorCode::kInternal);

  ASSERT_TRUE(b->BeginInput(h, "x").ok());
  ASSERT_TRUE(b->Add(Row{"1", "a", "", ""}, 2).ok());
  RecordTable first = b->Finish();
  EXPECT_THAT(first.ids, ElementsAre("1"));
  // After Finish the builder starts afresh: the same id again, input numbering from 0.
  EXPECT_EQ(b->Add(Row{"1", "a", "", ""}, 2).code(), ErrorCode::kInternal);
  ASSERT_TRUE(b->BeginInput(h, "y").ok());
  ASSERT_TRUE(b->Add(Row{"1", "b", "", ""}, 2).ok());
  RecordTable second = b->Finish();
  EXPECT_THAT(second.ids, ElementsAre("1"));
  EXPECT_THAT(second.source_names, ElementsAre("0"));
  EXPECT_THAT(second.columns[second.Column("fn")], ElementsAre("b"));
}

TEST(RecordTableBuilderTest, GivesTheTableOfTheCsvLoader) {
  // Values that CSV must quote (commas, quotes, line breaks), Hangul, padding, nulls; several
  // inputs with a source column and truth; a header with columns in another order and unused.
  Settings settings = MakeSettings(R"j("source_column": "src", "truth": {"column": "who"})j");
  std::vector<Input> inputs = {
      {{"who", "id", "src", "fn", "sn", "born", "note"},
       {{"e1", "a-1", "A", "Kim, Yong Chol", "김", "1962~", "x"},
        {"e2", "a-2", "A", "Ri \"Sun\" Hui", " NA", "1962-03", "two\nlines"},
        {" e1", "a-3", " B ", "영철", "", "NA", ""}}},
      {{"id", "fn", "sn", "born", "src", "who"},
       {{"b-1", "Pak\\Chol", "Pak", "199X", "B", "e3"},
        {"b-2", "\tO Se-hun", "O\r\nSe", "2001", "C", ""}}},
  };
  auto built = Build(settings, inputs);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  auto loaded = Load(settings, inputs);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ExpectSameTable(*built, *loaded);
  EXPECT_THAT(built->source_names, ElementsAre("A", "B", "C"));
  EXPECT_THAT(built->truth, ElementsAre("e1", "e2", "e1", "e3", ""));
  EXPECT_THAT(built->columns[built->Column("sn")], ElementsAre("김", "", "", "Pak", "O\r\nSe"));

  // And from files, through LoadRecords.
  std::string dir = ::testing::TempDir();
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    paths.push_back(dir + "memoria_records_test_" + std::to_string(i) + ".csv");
    std::ofstream out(paths.back(), std::ios::binary);
    WriteCsvRow(out, inputs[i].header);
    for (const Row& row : inputs[i].rows) WriteCsvRow(out, {row.begin(), row.end()});
  }
  auto from_files = LoadRecords(paths, settings);
  ASSERT_TRUE(from_files.ok()) << from_files.status().ToString();
  ExpectSameTable(*built, *from_files);
  for (const auto& p : paths) std::filesystem::remove(p);
}

TEST(RecordTableBuilderTest, LoadersRefuseNoInput) {
  EXPECT_EQ(LoadRecords({}, MakeSettings()).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(LoadRecordsFromStrings({}, {}, MakeSettings()).status().code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(LoadRecords({"/nonexistent/memoria.csv"}, MakeSettings()).status().code(),
            ErrorCode::kNotFound);
}

}  // namespace
}  // namespace memoria::linkage
