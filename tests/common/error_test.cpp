#include "common/error.h"

#include <gtest/gtest.h>

namespace leanscope {
namespace {

Result<int> half(int x) {
  if (x % 2 != 0) return make_error("{} is odd", x);
  return x / 2;
}

Status quarter(int x, int& out) {
  auto h = half(x);
  LEANSCOPE_TRY(h);
  auto q = half(*h);
  LEANSCOPE_TRY(q);
  out = *q;
  return {};
}

TEST(Error, ResultCarriesValueOrError) {
  EXPECT_EQ(*half(8), 4);
  EXPECT_EQ(half(3).error().message, "3 is odd");
}

TEST(Error, TryPropagatesTheFirstError) {
  int out = 0;
  EXPECT_TRUE(quarter(8, out));
  EXPECT_EQ(out, 2);
  auto st = quarter(6, out);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().message, "3 is odd");
}

TEST(Error, MakeErrorDefaultsToInput) {
  auto e = make_error("{} is odd", 3);
  EXPECT_EQ(e.kind, ErrorKind::Input);
  EXPECT_EQ(e.message, "3 is odd");
  EXPECT_EQ(half(3).error().kind, ErrorKind::Input);
}

TEST(Error, MakeErrorCarriesTheGivenKind) {
  for (auto kind : {ErrorKind::Usage, ErrorKind::Input, ErrorKind::Io, ErrorKind::Network, ErrorKind::Internal}) {
    auto e = make_error(kind, "{}: cannot open: {}", "a.parquet", "No such file or directory");
    EXPECT_EQ(e.kind, kind);
    EXPECT_EQ(e.message, "a.parquet: cannot open: No such file or directory");
  }
}

TEST(Error, KindNamesAreDistinct) {
  EXPECT_EQ(error_kind_name(ErrorKind::Usage), "usage");
  EXPECT_EQ(error_kind_name(ErrorKind::Input), "input");
  EXPECT_EQ(error_kind_name(ErrorKind::Io), "io");
  EXPECT_EQ(error_kind_name(ErrorKind::Network), "network");
  EXPECT_EQ(error_kind_name(ErrorKind::Internal), "internal");
}

TEST(Error, PrefixKeepsTheKind) {
  auto e = prefix_error("x.parquet", make_error(ErrorKind::Io, "read failed"));
  EXPECT_EQ(e.message, "x.parquet: read failed");
  EXPECT_EQ(e.kind, ErrorKind::Io);
}

Status fails_with(ErrorKind kind) { return make_error(kind, "failed"); }
Status passes_on(ErrorKind kind) {
  LEANSCOPE_TRY(fails_with(kind));
  return {};
}

TEST(Error, TryPropagatesTheKind) {
  auto st = passes_on(ErrorKind::Network);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::Network);
  Result<int> r = make_error(ErrorKind::Usage, "bad flag");
  EXPECT_EQ(r.error().kind, ErrorKind::Usage);
}

}  // namespace
}  // namespace leanscope
