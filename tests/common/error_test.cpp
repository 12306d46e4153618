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

}  // namespace
}  // namespace leanscope
