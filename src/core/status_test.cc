#include "core/status.h"

#include <gtest/gtest.h>

namespace memoria {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidInput("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  MEMORIA_ASSIGN_OR_RETURN(int h, Half(x));
  MEMORIA_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(Status, FormatsLocationAsFileLineField) {
  Status s = Status::InvalidInput("unknown code 'x'");
  s.At("victims.jsonl", 12, "act_type");
  EXPECT_EQ(s.ToString(), "victims.jsonl:12: act_type: unknown code 'x'");
  EXPECT_EQ(s.ExitCode(), 2);
}

TEST(Status, InnerFieldIsPrefixedByParent) {
  Status s = Status::InvalidInput("bad").AtField("script");
  s = std::move(s).InField("names[0]");
  EXPECT_EQ(s.location().field, "names[0].script");
  s.At("f", 3);
  EXPECT_EQ(s.ToString(), "f:3: names[0].script: bad");
}

TEST(Status, OuterLocationDoesNotOverwriteInner) {
  Status s = Status::Conflict("x");
  s.At("a.jsonl", 5, "id");
  s.At("b.jsonl", 9, "name");
  EXPECT_EQ(s.ToString(), "a.jsonl:5: id: x");
}

TEST(Status, ExitCodes) {
  EXPECT_EQ(Status::Ok().ExitCode(), 0);
  EXPECT_EQ(Status::Corruption("c").ExitCode(), 1);
  EXPECT_EQ(Status::IoError("c").ExitCode(), 1);
  EXPECT_EQ(Status::Unsupported("newer").ExitCode(), 2);
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kConflict), "conflict");
}

TEST(Result, PropagatesErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace memoria
