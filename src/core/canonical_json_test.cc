#include "core/canonical_json.h"

#include <gtest/gtest.h>

#include <cstring>

namespace memoria {
namespace {

std::string Canon(const std::string& text) {
  auto r = CanonicalJson(nlohmann::json::parse(text));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : "";
}

// RFC 8785 Appendix B: numbers as IEEE-754 bit patterns and their canonical text.
TEST(CanonicalJson, Rfc8785AppendixBNumbers) {
  struct Case {
    std::uint64_t bits;
    const char* text;
  };
  const Case cases[] = {
      {0x0000000000000000, "0"},
      {0x8000000000000000, "0"},
      {0x0000000000000001, "5e-324"},
      {0x8000000000000001, "-5e-324"},
      {0x7fefffffffffffff, "1.7976931348623157e+308"},
      {0xffefffffffffffff, "-1.7976931348623157e+308"},
      {0x4340000000000000, "9007199254740992"},
      {0xc340000000000000, "-9007199254740992"},
      {0x4430000000000000, "295147905179352830000"},
      {0x44b52d02c7e14af5, "9.999999999999997e+22"},
      {0x44b52d02c7e14af6, "1e+23"},
      {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
      {0x444b1ae4d6e2ef4e, "999999999999999700000"},
      {0x444b1ae4d6e2ef4f, "999999999999999900000"},
      {0x444b1ae4d6e2ef50, "1e+21"},
      {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
      {0x3eb0c6f7a0b5ed8d, "0.000001"},
      {0x41b3de4355555553, "333333333.3333332"},
      {0x41b3de4355555554, "333333333.33333325"},
      {0x41b3de4355555555, "333333333.3333333"},
      {0x41b3de4355555556, "333333333.3333334"},
      {0x41b3de4355555557, "333333333.33333343"},
      {0xbecbf647612f3696, "-0.0000033333333333333333"},
      {0x43143ff3c1cb0959, "1424953923781206.2"},
  };
  for (const auto& c : cases) {
    double d;
    std::memcpy(&d, &c.bits, sizeof d);
    EXPECT_EQ(FormatEcmaScriptNumber(d), c.text) << std::hex << c.bits;
  }
}

// RFC 8785 §3.2.2 / Appendix: the sample from the specification.
TEST(CanonicalJson, Rfc8785Sample) {
  const std::string input = R"({
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  })";
  EXPECT_EQ(Canon(input),
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
            "\"string\":\"\xE2\x82\xAC$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

TEST(CanonicalJson, SortsKeysByUtf16CodeUnits) {
  // RFC 8785 §3.2.3 example: keys in UTF-16 order.
  const std::string input = R"({"\u20ac": "Euro Sign", "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis"})";
  nlohmann::json v = nlohmann::json::parse(input);
  std::string c = *CanonicalJson(v);
  std::vector<std::string> order = {
      "\r", "1", "\xC2\x80", "\xC3\xB6", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xEF\xAC\xB3"};
  std::size_t pos = 0;
  for (const auto& k : order) {
    std::string quoted;
    AppendCanonicalString(quoted, k);
    std::size_t at = c.find(quoted + ":", pos);
    ASSERT_NE(at, std::string::npos) << k;
    pos = at;
  }
}

TEST(CanonicalJson, RejectsUnsafeIntegers) {
  nlohmann::json big = std::int64_t{9007199254740993};
  EXPECT_EQ(CanonicalJson(big).status().code(), ErrorCode::kInvalidInput);
  nlohmann::json obj = {{"size", std::uint64_t{1} << 60}};
  Result<std::string> r = CanonicalJson(obj);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().location().field, "size");
}

TEST(CanonicalJson, NestedAndHangul) {
  EXPECT_EQ(Canon(R"({"b":[{"z":1,"a":"김영철"}],"a":{}})"),
            R"({"a":{},"b":[{"a":"김영철","z":1}]})");
}

}  // namespace
}  // namespace memoria
